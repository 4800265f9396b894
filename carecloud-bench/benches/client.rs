//! Client overhead: `carecloud_api::EnterpriseClient` against a minimal
//! hand-written reqwest + serde client (`carecloud_bench::hand`), both
//! making the same authenticated `GET /customers?count=100` against a
//! fixed-reply server in another process (`carecloud-fixed-server`: the
//! reply pre-rendered, no decoding, no lock), so that what differs is the
//! clients. Each reply (a page of 100 customers, ~68.7 KB, from
//! `carecloud_bench::page`) is decoded in full (the generated types; the
//! plain structs).
//!
//! The clients run on one thread (a current-thread runtime), one request
//! at a time, taking turns request by request (the order swapped from
//! round to round), so that whatever else the machine does hits both
//! alike; the server uses the other core. Per request, wall time and the
//! process's CPU time (the server's is not in it) are taken; per round,
//! each client's totals (and its median request) give a ratio, and the
//! ratios are summarized by median and quartiles. Then the allocations per
//! request of each client (a counting global allocator).
//!
//! `cargo bench -p carecloud-bench --bench client [-- --rounds N --requests N]`

use std::time::{Duration, Instant};

use carecloud_api::EnterpriseClient;
use carecloud_bench::alloc_count::{self, Allocations, CountingAlloc};
use carecloud_bench::fixed::Process;
use carecloud_bench::hand::HandClient;
use carecloud_bench::measure::{Rounds, Spread, machine, process_cpu_time};
use carecloud_bench::page::{PageSpec, customer_page};
use carecloud_bench::{args, full_run};
use carecloud_sandbox::Sandbox;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const PAGE: u64 = 100;
const VARIANTS: [&str; 2] = ["EnterpriseClient", "hand-written reqwest"];
/// Requests per allocation sample, one after another.
const ALLOCATION_REQUESTS: u64 = 50;

#[derive(Clone)]
struct Clients {
    ours: EnterpriseClient,
    hand: HandClient,
}

impl Clients {
    /// One `GET /customers?count=100` by `variant`, decoded; the number of
    /// customers read.
    async fn get(&self, variant: usize) -> usize {
        if variant == 0 {
            self.ours
                .get_customers()
                .count(PAGE)
                .send()
                .await
                .expect("GET")
                .data
                .customers()
                .len()
        } else {
            self.hand
                .get_customers(PAGE)
                .await
                .expect("GET")
                .data
                .customers
                .map_or(0, |c| c.len())
        }
    }
}

/// One request by `variant`: its wall time and the process's CPU time.
async fn one(clients: &Clients, variant: usize) -> (Duration, Duration) {
    let cpu = process_cpu_time();
    let start = Instant::now();
    assert_eq!(clients.get(variant).await, PAGE as usize);
    let wall = start.elapsed();
    let cpu = match (cpu, process_cpu_time()) {
        (Some(before), Some(after)) => after - before,
        _ => wall,
    };
    (wall, cpu)
}

/// One round: `requests` requests of each variant, one at a time, the
/// variants taking turns request by request in `order`. Per variant: the
/// total wall time, the total CPU time and the median CPU time per request.
async fn round(clients: &Clients, order: &[usize], requests: usize) -> [Vec<Duration>; 3] {
    let mut walls = vec![Duration::ZERO; VARIANTS.len()];
    let mut cpus = vec![Vec::with_capacity(requests); VARIANTS.len()];
    for _ in 0..requests {
        for &v in order {
            let (wall, cpu) = one(clients, v).await;
            walls[v] += wall;
            cpus[v].push(cpu);
        }
    }
    let totals = cpus.iter().map(|c| c.iter().sum()).collect();
    let medians = cpus
        .iter_mut()
        .map(|c| {
            c.sort();
            c[c.len() / 2]
        })
        .collect();
    [walls, totals, medians]
}

/// Allocations per request of `variant`: `ALLOCATION_REQUESTS` requests
/// one after another.
async fn allocations(clients: &Clients, variant: usize) -> (f64, f64) {
    let before = alloc_count::so_far();
    for _ in 0..ALLOCATION_REQUESTS {
        assert_eq!(clients.get(variant).await, PAGE as usize);
    }
    let Allocations { count, bytes } = alloc_count::so_far() - before;
    let n = ALLOCATION_REQUESTS as f64;
    (count as f64 / n, bytes as f64 / n)
}

fn main() {
    let full = full_run();
    let rounds = args::number("--rounds").unwrap_or(if full { 41 } else { 1 });
    let requests = args::number("--requests")
        .unwrap_or(if full { 200 } else { 4 })
        .max(1);
    let server = Process::start(env!("CARGO_BIN_EXE_carecloud-fixed-server"), PAGE as usize)
        .expect("the fixed-reply server starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let clients = Clients {
            ours: EnterpriseClient::new(&server.url, Sandbox::enterprise_credentials())
                .expect("a client"),
            hand: HandClient::log_in(&server.url).await.expect("logs in"),
        };
        clients.ours.log_in().await.expect("logs in");
        // What the server sends: the same generator, the same page.
        let page_bytes = customer_page(&PageSpec {
            customers: PAGE as usize,
            ..PageSpec::default()
        })
        .json
        .len();
        println!(
            "client: GET /customers?count={PAGE} (a page of {PAGE} customers, {page_bytes} bytes) \
             from a fixed-reply server in another process on loopback; the clients on one \
             thread, one request at a time, taking turns request by request; {requests} requests \
             of each per round, {rounds} rounds\n"
        );

        let mut wall = Rounds::new(&VARIANTS);
        let mut cpu = Rounds::new(&VARIANTS);
        let mut cpu_median = Rounds::new(&VARIANTS);
        for r in 0..rounds + 1 {
            let [walls, cpus, medians] = round(&clients, &wall.order(r), requests).await;
            if r > 0 {
                wall.push(walls); // round 0 warms up
                cpu.push(cpus);
                cpu_median.push(medians);
            }
        }

        let mut allocs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); VARIANTS.len()];
        for round in 0..if full { 6 } else { 2 } {
            for v in wall.order(round) {
                allocs[v].push(allocations(&clients, v).await);
            }
        }

        let hand = wall.index("hand-written reqwest");
        let show = |s: Spread| format!("{:.3} [{:.3}–{:.3}]", s.median, s.q1, s.q3);
        let per_request = |s: Spread| s.median / requests as f64 * 1e6;
        println!(
            "| client | wall per request (median) | CPU per request (median) | requests per \
             CPU-second vs hand-written (median [q1–q3] of rounds) | the same from each round's \
             median request | requests per wall-second vs hand-written | allocations per request \
             | bytes allocated per request |"
        );
        println!("|:--|--:|--:|--:|--:|--:|--:|--:|");
        for (v, name) in VARIANTS.iter().enumerate() {
            let (count, bytes) = median_pair(&allocs[v]);
            println!(
                "| {name} | {:.0} µs | {:.0} µs | {} | {} | {} | {count:.0} | {bytes:.0} |",
                per_request(wall.seconds(v)),
                per_request(cpu.seconds(v)),
                show(cpu.ratio(v, hand)),
                show(cpu_median.ratio(v, hand)),
                show(wall.ratio(v, hand)),
            );
        }
        println!("\nmachine: {}", machine());
    });
}

/// The medians of the counts and of the bytes.
fn median_pair(samples: &[(f64, f64)]) -> (f64, f64) {
    let median = |values: Vec<f64>| Spread::of(values).median;
    (
        median(samples.iter().map(|s| s.0).collect()),
        median(samples.iter().map(|s| s.1).collect()),
    )
}
