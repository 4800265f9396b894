//! Logins per token lifetime under 40 concurrent tasks (target: 1).
//!
//! An `EnterpriseClient` whose expiry runs on a `ManualClock` makes calls
//! from 40 tasks at once; between bursts the clock moves past the token's
//! refresh point (7 hours), so every burst starts with a token due for
//! refresh. Then the same with the server ending the token (401s) instead,
//! and with the clock moved while the tasks are calling. The sandbox counts
//! the logins.
//!
//! `cargo bench -p carecloud-bench --bench logins [-- --lifetimes N]`

use std::sync::Arc;
use std::time::Duration;

use carecloud_api::auth::ManualClock;
use carecloud_api::{EnterpriseClient, Interface, OperationId};
use carecloud_bench::measure::machine;
use carecloud_bench::{args, full_run};
use carecloud_sandbox::Sandbox;

const TASKS: usize = 40;
const LIFETIME: Duration = Duration::from_secs(7 * 3600);

fn logins(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Enterprise, OperationId::PostUserLogin)
}

/// `calls` calls from each of the 40 tasks; the number of failed calls.
async fn burst(
    client: &EnterpriseClient,
    calls: usize,
    during: Option<(Arc<ManualClock>, usize)>,
) -> usize {
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let client = client.clone();
        let during = during.clone();
        tasks.push(tokio::spawn(async move {
            let mut failed = 0;
            for c in 0..calls {
                // One task moves the clock in the middle of the burst.
                if let Some((clock, at)) = &during
                    && t == 0
                    && c == *at
                {
                    clock.advance(LIFETIME);
                }
                if client.get_customers().count(1).send().await.is_err() {
                    failed += 1;
                }
            }
            failed
        }));
    }
    let mut failed = 0;
    for task in tasks {
        failed += task.await.expect("the task runs");
    }
    failed
}

#[tokio::main]
async fn main() {
    let full = full_run();
    let lifetimes = args::number("--lifetimes").unwrap_or(if full { 20 } else { 2 });
    let calls = args::number("--calls").unwrap_or(if full { 10 } else { 2 });
    let sandbox = Sandbox::start().await.expect("the sandbox starts");
    let clock = Arc::new(ManualClock::new());
    let client = EnterpriseClient::builder(sandbox.url(), Sandbox::enterprise_credentials())
        .clock(clock.clone())
        .build()
        .expect("a client");
    println!(
        "logins: {TASKS} concurrent tasks, {calls} calls each per burst, {lifetimes} bursts per scenario\n"
    );
    println!("| scenario | bursts | calls | failed calls | logins per burst (min–max) | target |");
    println!("|:--|--:|--:|--:|--:|--:|");
    let scenarios: [(&str, usize); 3] = [
        (
            "token due for refresh (clock moved 7 h before each burst)",
            0,
        ),
        ("token ended by the server before each burst (401)", 1),
        ("clock moved 7 h in the middle of each burst", 2),
    ];
    for (name, scenario) in scenarios {
        let mut per_burst = Vec::new();
        let mut failed = 0;
        for _ in 0..lifetimes {
            match scenario {
                0 => clock.advance(LIFETIME),
                1 => {
                    sandbox.expire_enterprise_tokens();
                }
                _ => {}
            }
            let before = logins(&sandbox);
            let during = (scenario == 2).then(|| (clock.clone(), calls / 2));
            failed += burst(&client, calls, during).await;
            per_burst.push(logins(&sandbox) - before);
        }
        let (min, max) = (
            per_burst.iter().min().copied().unwrap_or(0),
            per_burst.iter().max().copied().unwrap_or(0),
        );
        println!(
            "| {name} | {lifetimes} | {} | {failed} | {min}–{max} | 1 |",
            lifetimes * TASKS * calls
        );
    }
    println!("\nmachine: {}", machine());
}
