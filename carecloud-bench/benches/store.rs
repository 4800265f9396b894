//! What a token store costs per call: one authenticated `GET /stores`
//! against the embedded sandbox on loopback by an `EnterpriseClient` with no
//! store (the in-process default), with a `MemoryTokenStore`, with a
//! `RedisTokenStore` on a redis-server of the bench's own, and with that
//! store encrypting (`with_encryption_key`).
//!
//! Two measures, each in interleaved rounds (the variants taking turns call
//! by call, the order changing from round to round), wall time, the ratio
//! to "no store" per round summarized by median and quartiles:
//!
//! * **warm**: a client holding a valid token makes a call (what almost
//!   every call of a long-lived process is);
//! * **cold**: a client just built (no token, as a new process or worker)
//!   makes its first call: with no store it logs in first; with a store it
//!   takes the stored token (the store's instance, and so its connection,
//!   already made).
//!
//! Each variant has its own key space (the two Redis variants use Redis
//! databases 0 and 1), and the sandbox's login counter is checked at the
//! end: a store variant that logged in more than once would stop the bench.
//!
//! `cargo bench -p carecloud-bench --bench store [-- --rounds N --calls N --cold N]`;
//! under `cargo test --benches` one tiny round. Needs `redis-server` on the
//! PATH; without it only the first two variants run (an error with
//! `CARECLOUD_REQUIRE_REDIS=1`).

#[path = "../../tests/tests/fleet/redis_server.rs"]
mod redis_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use carecloud_api::auth::{MemoryTokenStore, TokenStore};
use carecloud_api::{EnterpriseClient, Interface, OperationId};
use carecloud_bench::measure::{Rounds, Spread, machine};
use carecloud_bench::{args, full_run};
use carecloud_redis::{RedisTokenStore, TokenStoreKey};
use carecloud_sandbox::Sandbox;

use redis_server::RedisServer;

/// A variant: its name and store.
struct Variant {
    name: &'static str,
    store: Option<Arc<dyn TokenStore>>,
}

fn client(sandbox: &Sandbox, store: Option<&Arc<dyn TokenStore>>) -> EnterpriseClient {
    let mut builder = EnterpriseClient::builder(sandbox.url(), Sandbox::enterprise_credentials());
    if let Some(store) = store {
        builder = builder.token_store(store.clone());
    }
    builder.build().expect("a client")
}

async fn call(client: &EnterpriseClient) -> Duration {
    let start = Instant::now();
    client.get_stores().send().await.expect("GET /stores");
    start.elapsed()
}

fn logins(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Enterprise, OperationId::PostUserLogin)
}

fn main() {
    let full = full_run();
    let rounds = args::number("--rounds").unwrap_or(if full { 41 } else { 1 });
    let calls = args::number("--calls")
        .unwrap_or(if full { 200 } else { 4 })
        .max(1);
    let cold = args::number("--cold")
        .unwrap_or(if full { 20 } else { 2 })
        .max(1);
    let required = std::env::var_os("CARECLOUD_REQUIRE_REDIS").is_some_and(|v| v == "1");
    let redis = if redis_server::available() {
        Some(RedisServer::start())
    } else {
        assert!(
            !required,
            "redis-server is not installed (CARECLOUD_REQUIRE_REDIS=1)"
        );
        println!("redis-server not found: the Redis variants are left out\n");
        None
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let sandbox = Sandbox::start().await.expect("the sandbox starts");
        sandbox.set_token_lifetime(Duration::from_secs(24 * 3600));
        let mut variants = vec![
            Variant {
                name: "no store",
                store: None,
            },
            Variant {
                name: "MemoryTokenStore",
                store: Some(Arc::new(MemoryTokenStore::new())),
            },
        ];
        if let Some(redis) = &redis {
            variants.push(Variant {
                name: "RedisTokenStore",
                store: Some(Arc::new(RedisTokenStore::new(&redis.url()).expect("a URL"))),
            });
            variants.push(Variant {
                name: "RedisTokenStore + key",
                store: Some(Arc::new(
                    RedisTokenStore::new(&redis.url_of(1))
                        .expect("a URL")
                        .with_encryption_key(TokenStoreKey::new([0x5a; 32])),
                )),
            });
        }
        let names: Vec<&str> = variants.iter().map(|v| v.name).collect();
        println!(
            "store: one authenticated GET /stores against the embedded sandbox on loopback (one \
             thread, one call at a time, the variants taking turns call by call), wall time; \
             warm: {calls} calls per variant per round by a client holding its token; cold: \
             {cold} clients per variant per round, each just built, making its first call; \
             {rounds} rounds (plus one to warm up)\n"
        );

        // Warm: one client per variant, logged in (or given the stored token).
        let warm: Vec<EnterpriseClient> = variants
            .iter()
            .map(|v| client(&sandbox, v.store.as_ref()))
            .collect();
        for c in &warm {
            call(c).await;
        }
        let mut warm_rounds = Rounds::new(&names);
        let mut cold_rounds = Rounds::new(&names);
        for r in 0..rounds + 1 {
            let order = warm_rounds.order(r);
            let mut sample = vec![Duration::ZERO; variants.len()];
            for _ in 0..calls {
                for &v in &order {
                    sample[v] += call(&warm[v]).await;
                }
            }
            let mut cold_sample = vec![Duration::ZERO; variants.len()];
            for _ in 0..cold {
                for &v in &order {
                    // Built outside the timing (as a process is started
                    // before its first call); the first call timed.
                    let fresh = client(&sandbox, variants[v].store.as_ref());
                    cold_sample[v] += call(&fresh).await;
                }
            }
            if r > 0 {
                warm_rounds.push(sample);
                cold_rounds.push(cold_sample);
            }
        }

        // Every login the run made: the warm-up's (one per variant), and
        // one per cold call without a store.
        let expected = variants.len() + (rounds + 1) * cold;
        assert_eq!(
            logins(&sandbox),
            expected,
            "a store variant logged in more than once: the figures would measure logins"
        );

        let none = 0;
        let show = |s: Spread| format!("{:.3} [{:.3}–{:.3}]", s.median, s.q1, s.q3);
        let per = |s: Spread, n: usize| s.median / n as f64 * 1e6;
        println!(
            "| variant | warm: wall per call (median) | warm: calls per second vs no store \
             (median [q1–q3] of rounds) | cold: first call (median) | cold: vs no store |"
        );
        println!("|:--|--:|--:|--:|--:|");
        for (v, name) in names.iter().enumerate() {
            println!(
                "| {name} | {:.0} µs | {} | {:.0} µs | {} |",
                per(warm_rounds.seconds(v), calls),
                show(warm_rounds.ratio(v, none)),
                per(cold_rounds.seconds(v), cold),
                show(cold_rounds.ratio(v, none)),
            );
        }
        println!(
            "\nlogins: {} (1 per variant to warm up, 1 per cold call without a store)",
            logins(&sandbox)
        );
        println!("\nmachine: {}", machine());
    });
    drop(redis);
}
