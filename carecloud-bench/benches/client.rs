//! Client overhead: `carecloud_api::EnterpriseClient` against a minimal
//! hand-written reqwest + serde client (`carecloud_bench::hand`), both making
//! the same authenticated `GET /customers?count=100` against one embedded
//! sandbox on loopback, with the same concurrency, in interleaved rounds.
//! Each reply is decoded in full (the generated types; the plain structs).
//!
//! `cargo bench -p carecloud-bench --bench client [-- --rounds N --requests N --concurrency N]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use carecloud_api::EnterpriseClient;
use carecloud_api::types::{Customer, CustomerSourceRecord, PostCustomerRequest};
use carecloud_bench::hand::HandClient;
use carecloud_bench::measure::{Rounds, machine};
use carecloud_bench::page::{PageSpec, customer_page};
use carecloud_bench::{args, full_run};
use carecloud_sandbox::Sandbox;

const PAGE: u64 = 100;
const VARIANTS: [&str; 2] = ["EnterpriseClient", "hand-written reqwest"];

/// Registers customers until a page of `PAGE` is full.
async fn fill(sandbox: &Sandbox, client: &EnterpriseClient) {
    let have = client
        .get_customers()
        .send()
        .await
        .expect("lists")
        .data
        .total_items
        .unwrap_or(0) as usize;
    let page = customer_page(&PageSpec {
        customers: PAGE as usize,
        ..PageSpec::default()
    });
    let customers = page.value["data"]["customers"].as_array().expect("a list");
    for customer in customers.iter().take((PAGE as usize).saturating_sub(have)) {
        // The generated page is data: its customers are read as such.
        let customer: Customer = serde_json::from_value(customer.clone()).expect("a customer");
        let source = CustomerSourceRecord::new("86e05affc7a7befcd513ab400");
        client
            .post_customer(PostCustomerRequest::new(customer, source, false))
            .send()
            .await
            .expect("registers");
    }
    sandbox.clear_requests();
}

/// `requests` GETs over `concurrency` tasks; the time they took.
async fn batch(
    variant: usize,
    ours: &EnterpriseClient,
    hand: &HandClient,
    requests: usize,
    concurrency: usize,
) -> Duration {
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for t in 0..concurrency {
        let n = requests / concurrency + usize::from(t < requests % concurrency);
        let (ours, hand) = (ours.clone(), hand.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..n {
                let got = if variant == 0 {
                    ours.get_customers()
                        .count(PAGE)
                        .send()
                        .await
                        .expect("GET")
                        .data
                        .customers()
                        .len()
                } else {
                    hand.get_customers(PAGE)
                        .await
                        .expect("GET")
                        .data
                        .customers
                        .map_or(0, |c| c.len())
                };
                assert_eq!(got, PAGE as usize);
            }
        }));
    }
    for task in tasks {
        task.await.expect("the task runs");
    }
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let full = full_run();
    let rounds = args::number("--rounds").unwrap_or(if full { 21 } else { 1 });
    let requests = args::number("--requests").unwrap_or(if full { 300 } else { 4 });
    let concurrency = args::number("--concurrency")
        .unwrap_or(if full { 8 } else { 2 })
        .max(1);
    let sandbox = Arc::new(Sandbox::start().await.expect("the sandbox starts"));
    let ours =
        EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials()).expect("a client");
    ours.log_in().await.expect("logs in");
    fill(&sandbox, &ours).await;
    let hand = HandClient::log_in(sandbox.url()).await.expect("logs in");
    println!(
        "client: GET /customers?count={PAGE} against the embedded sandbox on loopback, \
         {requests} requests per sample over {concurrency} tasks, {rounds} interleaved rounds\n"
    );
    let logins = || {
        sandbox.count(
            carecloud_api::Interface::Enterprise,
            carecloud_api::OperationId::PostUserLogin,
        )
    };
    let logins_before = logins();
    let mut results = Rounds::new(&VARIANTS);
    for round in 0..rounds + 1 {
        let mut sample = vec![Duration::ZERO; VARIANTS.len()];
        for v in results.order(round) {
            sample[v] = batch(v, &ours, &hand, requests, concurrency).await;
        }
        if round > 0 {
            results.push(sample); // round 0 warms up
        }
    }
    let hand_index = results.index("hand-written reqwest");
    println!(
        "| client | requests/s (median) | throughput vs hand-written (median [q1–q3] of rounds) |"
    );
    println!("|:--|--:|--:|");
    for (v, name) in VARIANTS.iter().enumerate() {
        let t = results.seconds(v).median;
        let r = results.ratio(v, hand_index);
        println!(
            "| {name} | {:.0} | {:.3} [{:.3}–{:.3}] |",
            requests as f64 / t,
            r.median,
            r.q1,
            r.q3
        );
    }
    println!(
        "\nlogins during the rounds: {} (both clients logged in before them)",
        logins() - logins_before
    );
    println!("machine: {}", machine());
}
