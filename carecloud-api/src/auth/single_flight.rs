//! A token cache in which concurrent callers that need a new token share one
//! request for it.

use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::AuthError;

/// Holds the current token (`T`) and lets at most one caller fetch a new one
/// at a time.
///
/// [`get`](Self::get) returns the cached value while it is usable;
/// otherwise the first caller fetches and the others wait for it and take its
/// result — its token, or its error (so 40 callers with wrong credentials
/// cause one login attempt and 40 errors). A failure is never cached: a call
/// that starts after a failed fetch has completed fetches again.
pub(crate) struct SingleFlight<T> {
    slot: Mutex<Slot<T>>,
    gate: tokio::sync::Mutex<()>,
}

struct Slot<T> {
    value: Option<T>,
    /// Completed fetches, successful or not.
    fetches: u64,
    /// The error of the latest fetch, if it failed.
    failure: Option<AuthError>,
}

impl<T: Clone> SingleFlight<T> {
    pub(crate) fn new(value: Option<T>) -> Self {
        Self {
            slot: Mutex::new(Slot {
                value,
                fetches: 0,
                failure: None,
            }),
            gate: tokio::sync::Mutex::new(()),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Slot<T>> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached value, without fetching.
    pub(crate) fn current(&self) -> Option<T> {
        self.slot().value.clone()
    }

    /// Reads or changes the cached value atomically.
    pub(crate) fn update<R>(&self, change: impl FnOnce(&mut Option<T>) -> R) -> R {
        change(&mut self.slot().value)
    }

    /// Drops the cached value if `is_it` says it is the one to drop (so a
    /// caller holding an old token never drops a newer one).
    pub(crate) fn invalidate(&self, is_it: impl FnOnce(&T) -> bool) {
        self.update(|value| {
            if value.as_ref().is_some_and(is_it) {
                *value = None;
            }
        });
    }

    /// Like [`get`](Self::get), without stalling on a refresh: a cached
    /// value that is no longer `fresh` but still `valid` is returned at once
    /// while another caller fetches its successor; otherwise this caller
    /// fetches (alone) or waits as `get` does. If the refresh fails while the
    /// old value is still valid, the old value is returned.
    #[cfg_attr(not(feature = "enterprise"), allow(dead_code))] // Device tokens do not expire.
    pub(crate) async fn get_or_stale<F, Fut>(
        &self,
        fresh: impl Fn(&T) -> bool,
        valid: impl Fn(&T) -> bool,
        fetch: F,
    ) -> Result<T, AuthError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AuthError>>,
    {
        let stale = {
            let slot = self.slot();
            match &slot.value {
                Some(value) if fresh(value) => return Ok(value.clone()),
                Some(value) if valid(value) => Some(value.clone()),
                _ => None,
            }
        };
        let Some(stale) = stale else {
            return self.get(fresh, fetch).await;
        };
        // Someone is refreshing already: keep using the old value.
        let Ok(_gate) = self.gate.try_lock() else {
            return Ok(stale);
        };
        {
            let slot = self.slot();
            if let Some(value) = slot.value.as_ref().filter(|v| fresh(v)) {
                return Ok(value.clone());
            }
        }
        tracing::debug!("token due for refresh: fetching its successor");
        let result = fetch().await;
        let mut slot = self.slot();
        slot.fetches += 1;
        match result {
            Ok(value) => {
                slot.value = Some(value.clone());
                slot.failure = None;
                Ok(value)
            }
            Err(failure) => {
                tracing::warn!(
                    error = %failure.summary(),
                    "refresh failed; the current token stays in use"
                );
                slot.failure = Some(failure);
                Ok(stale)
            }
        }
    }

    /// The cached value if `usable`, else the result of one shared `fetch`.
    pub(crate) async fn get<F, Fut>(
        &self,
        usable: impl Fn(&T) -> bool,
        fetch: F,
    ) -> Result<T, AuthError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AuthError>>,
    {
        let seen = {
            let slot = self.slot();
            match &slot.value {
                Some(value) if usable(value) => return Ok(value.clone()),
                _ => slot.fetches,
            }
        };
        let _gate = self.gate.lock().await;
        {
            let slot = self.slot();
            if let Some(value) = slot.value.as_ref().filter(|v| usable(v)) {
                return Ok(value.clone());
            }
            // A fetch completed while this caller waited: share its failure.
            if let Some(failure) = slot.failure.as_ref().filter(|_| slot.fetches != seen) {
                return Err(failure.clone());
            }
        }
        // If this future is dropped while fetching, `_gate` is released and
        // the next waiter fetches: nothing is left half done.
        let result = fetch().await;
        let mut slot = self.slot();
        slot.fetches += 1;
        match &result {
            Ok(value) => {
                slot.value = Some(value.clone());
                slot.failure = None;
            }
            Err(failure) => slot.failure = Some(failure.clone()),
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::auth::AuthErrorKind;

    fn block_on<F: Future>(future: F) -> F::Output {
        // Enough of an executor for futures that never wait on I/O.
        let waker = std::task::Waker::noop();
        let mut context = std::task::Context::from_waker(waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut context) {
                return out;
            }
        }
    }

    #[test]
    fn caches_until_unusable_and_never_caches_failures() {
        let flight = SingleFlight::new(None);
        let fetches = AtomicUsize::new(0);
        let fetch = |ok: bool| {
            let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                if ok {
                    Ok(n)
                } else {
                    Err(AuthError::new(AuthErrorKind::Unavailable, None, "down"))
                }
            }
        };
        assert_eq!(block_on(flight.get(|_| true, || fetch(true))), Ok(1));
        assert_eq!(block_on(flight.get(|_| true, || fetch(true))), Ok(1));
        assert_eq!(block_on(flight.get(|n| *n > 1, || fetch(true))), Ok(2));
        flight.invalidate(|n| *n == 1); // not the cached one
        assert_eq!(flight.current(), Some(2));
        flight.invalidate(|n| *n == 2);
        assert!(block_on(flight.get(|_| true, || fetch(false))).is_err());
        assert_eq!(block_on(flight.get(|_| true, || fetch(true))), Ok(4));
        assert_eq!(fetches.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn a_due_but_valid_value_is_used_while_its_successor_is_fetched() {
        let flight = Arc::new(SingleFlight::new(Some(1)));
        let fresh = |n: &i32| *n >= 2;
        let valid = |n: &i32| *n >= 1;
        // One caller refreshes and is held mid-fetch; others get the old
        // value at once.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started, fetching) = std::sync::mpsc::channel::<()>();
        let refresher = {
            let flight = flight.clone();
            std::thread::spawn(move || {
                block_on(flight.get_or_stale(fresh, valid, || async move {
                    started.send(()).ok();
                    held.recv().ok();
                    Ok(2)
                }))
            })
        };
        fetching.recv().unwrap();
        let during = block_on(flight.get_or_stale(fresh, valid, || async { Ok(99) }));
        assert_eq!(during, Ok(1), "no stall, no second fetch");
        release.send(()).unwrap();
        assert_eq!(refresher.join().unwrap(), Ok(2));
        assert_eq!(
            block_on(flight.get_or_stale(fresh, valid, || async { Ok(99) })),
            Ok(2)
        );
        // A failed refresh keeps the valid value; an invalid one is fetched.
        let flight = SingleFlight::new(Some(1));
        let failed = block_on(flight.get_or_stale(fresh, valid, || async {
            Err(AuthError::new(AuthErrorKind::Unavailable, None, "down"))
        }));
        assert_eq!(failed, Ok(1));
        let flight = SingleFlight::new(Some(0));
        assert_eq!(
            block_on(flight.get_or_stale(fresh, valid, || async { Ok(3) })),
            Ok(3)
        );
    }

    #[test]
    fn is_send_and_sync() {
        fn check<S: Send + Sync>() {}
        check::<Arc<SingleFlight<String>>>();
    }
}
