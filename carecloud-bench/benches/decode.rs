//! Decoding a 1,000-customer page (`CustomerListResponse`) into the
//! generated types, into `serde_json::Value`, into plain hand-written serde
//! structs of the same fields (`carecloud_bench::plain`), and into those
//! structs keeping unknown fields with `#[serde(flatten)]`, in interleaved
//! rounds; first a round-trip check that the generated types
//! lose nothing (empty arrays and unknown fields included).
//!
//! `cargo bench -p carecloud-bench --bench decode [-- --rounds N --iters N]`
//! (`-- --profile 0|1|2|3 --iters N [--unknown 1]` decodes the spec-fields
//! page, or the one with unknown fields, with one variant only, for a
//! profiler).

use std::hint::black_box;
use std::time::Duration;

use carecloud_api::types::CustomerListResponse;
use carecloud_bench::measure::{Rounds, Stopwatch, machine};
use carecloud_bench::page::{PageSpec, customer_page};
use carecloud_bench::{args, full_run, plain};
use serde_json::Value;

const VARIANTS: [&str; 4] = [
    "generated",
    "plain structs",
    "serde_json::Value",
    "plain structs + `#[serde(flatten)] extra`",
];

fn decode(variant: usize, bytes: &[u8]) -> usize {
    match variant {
        0 => {
            let page: CustomerListResponse = serde_json::from_slice(bytes).expect("decodes");
            page.data.customers().len()
        }
        1 => {
            let page: plain::CustomerList = serde_json::from_slice(bytes).expect("decodes");
            page.data.customers.map_or(0, |c| c.len())
        }
        2 => {
            let page: Value = serde_json::from_slice(bytes).expect("decodes");
            page["data"]["customers"].as_array().map_or(0, Vec::len)
        }
        _ => {
            let page: plain::keeping::CustomerList =
                serde_json::from_slice(bytes).expect("decodes");
            page.data.customers.map_or(0, |c| c.len())
        }
    }
}

fn main() {
    // `-- --profile V --iters N [--unknown 1]`: decode the spec-fields page
    // (with `--unknown 1` the page with unknown fields) N times with variant
    // V only (0 generated, 1 plain, 2 Value, 3 flatten), for a profiler.
    if let Some(variant) = args::number("--profile") {
        let page = customer_page(&PageSpec {
            unknown_fields: args::number("--unknown") == Some(1),
            ..PageSpec::default()
        });
        for _ in 0..args::number("--iters").unwrap_or(1000) {
            black_box(decode(variant, black_box(page.json.as_bytes())));
        }
        return;
    }
    let full = full_run();
    let rounds = args::number("--rounds").unwrap_or(if full { 41 } else { 1 });
    let iters = args::number("--iters").unwrap_or(if full { 20 } else { 1 });
    println!(
        "decode: a 1,000-customer page, {rounds} interleaved rounds of {iters} decodes per variant, timed by {}\n",
        Stopwatch::kind()
    );
    for (label, spec) in [
        ("the spec's fields only", PageSpec::default()),
        (
            "with unknown fields (the generated types keep them in `extra`, the plain structs drop them)",
            PageSpec {
                unknown_fields: true,
                ..PageSpec::default()
            },
        ),
    ] {
        let page = customer_page(&spec);
        let typed: CustomerListResponse = serde_json::from_str(&page.json).expect("decodes");
        let back = serde_json::to_value(&typed).expect("encodes");
        assert_eq!(
            back, page.value,
            "the generated types lost or changed something"
        );
        let s = page.stats;
        println!(
            "page {label}: {} bytes; round trip through the generated types: identical \
             ({} customers, {} `consents: []`, {} `custom_agreements: []`, {} unknown fields)",
            page.json.len(),
            s.customers,
            s.empty_consents,
            s.empty_custom_agreements,
            s.unknown_fields
        );
        let bytes = page.json.as_bytes();
        let mut results = Rounds::new(&VARIANTS);
        for round in 0..rounds + 1 {
            let mut sample = vec![Duration::ZERO; VARIANTS.len()];
            for v in results.order(round) {
                let start = Stopwatch::start();
                for _ in 0..iters {
                    black_box(decode(v, black_box(bytes)));
                }
                sample[v] = start.elapsed() / iters as u32;
            }
            if round > 0 {
                results.push(sample); // round 0 warms up
            }
        }
        let plain_index = results.index("plain structs");
        println!();
        println!(
            "| variant | time per page (median) | MB/s | throughput vs plain structs (median [q1–q3] of rounds) |"
        );
        println!("|:--|--:|--:|--:|");
        for (v, name) in VARIANTS.iter().enumerate() {
            let t = results.seconds(v).median;
            let r = results.ratio(v, plain_index);
            println!(
                "| {name} | {:.2} ms | {:.0} | {:.3} [{:.3}–{:.3}] |",
                t * 1e3,
                page.json.len() as f64 / t / 1e6,
                r.median,
                r.q1,
                r.q3
            );
        }
        println!();
    }
    println!("machine: {}", machine());
}
