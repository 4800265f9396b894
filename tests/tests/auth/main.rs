//! The auth-aware clients against a mock CareCloud on 127.0.0.1: real HTTP,
//! a fake clock instead of sleeping, and the number of logins and token
//! creations asserted in every scenario.

mod bearer_store;
mod customer;
mod enterprise;
mod mock;
mod secret_store;
mod token_store;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::task::JoinHandle;

/// Yields until `done` (bounded, so a bug fails the test instead of hanging).
async fn yield_until(mut done: impl FnMut() -> bool) {
    for _ in 0..1_000_000 {
        if done() {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("condition not reached");
}

/// Starts `n` copies of `call` on spawned tasks at once; `started` counts
/// the tasks that began calling.
fn spawn_many<T, F, Fut>(n: usize, started: &Arc<AtomicUsize>, call: F) -> Vec<JoinHandle<T>>
where
    T: Send + 'static,
    F: Fn() -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    (0..n)
        .map(|_| {
            let started = started.clone();
            let call = call();
            tokio::spawn(async move {
                started.fetch_add(1, Ordering::SeqCst);
                call.await
            })
        })
        .collect()
}

/// The results of the tasks, in order.
async fn join_all<T>(tasks: Vec<JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("task did not panic"));
    }
    results
}

/// `text` shows none of `secrets`.
fn assert_hides(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked into: {text}");
    }
}
