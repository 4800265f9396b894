//! `carecloud-soak`: the soak scenario of issue 10 against the embedded
//! sandbox (see `carecloud_bench::soak`). Usually run through
//! `cargo xtask soak [--requests N] ...`, which builds it in release mode.
//!
//! Prints the report as a markdown table and exits with 1 when a check
//! failed (lost GET/PUT calls, logins ≠ invalidations + 1, differing PUT
//! bodies, a POST received twice), 2 on a usage or setup error.

use std::process::ExitCode;

use carecloud_bench::measure::machine;
use carecloud_bench::soak::{SoakConfig, run};

const USAGE: &str = "usage: carecloud-soak [--requests N] [--tasks N] [--invalidate-every N] \
[--fault-percent P] [--retry-after SECONDS] [--post-every N] [--seed N]";

fn parse(args: &[String]) -> Result<SoakConfig, String> {
    let mut config = SoakConfig::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_owned());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let whole = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} takes a whole number, not `{value}`"))
        };
        match flag.as_str() {
            "--requests" => config.requests = whole()?,
            "--tasks" => config.tasks = whole()?.max(1),
            "--invalidate-every" => config.invalidate_every = whole()?,
            "--post-every" => config.post_every = whole()?,
            "--seed" => config.seed = whole()? as u64,
            "--retry-after" => config.retry_after_secs = whole()? as u64,
            "--fault-percent" => {
                config.fault_percent = value
                    .parse::<f64>()
                    .ok()
                    .filter(|p| (0.0..=100.0).contains(p))
                    .ok_or_else(|| format!("{flag} takes a percentage, not `{value}`"))?;
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    println!(
        "soak: {} calls, {} tasks, token invalidated every {} calls, {}% faults \
         (429 with Retry-After: {} s / 429 / 503), a POST every {} calls",
        config.requests,
        config.tasks,
        config.invalidate_every,
        config.fault_percent,
        config.retry_after_secs,
        config.post_every
    );
    match run(&config).await {
        Ok(report) => {
            println!("\n{}", report.table());
            println!("machine: {}", machine());
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                println!("\nsoak: some checks FAILED (see the table)");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("soak: setting up failed: {e}");
            ExitCode::from(2)
        }
    }
}
