//! Command-line parsing.

use std::path::PathBuf;

use crate::build_cost::{Options, SpecChoice};
use crate::error::{Error, Result};

/// The help text.
pub const USAGE: &str = "usage: cargo xtask <task> [options]

tasks:
  fixture --out DIR [--copies N] [--spec DIR]
      Write a synthetic spec folder at the real API's scale: base.yaml and the
      shared/interface documents as they are, every other group replicated N
      times (default: the fewest copies that reach the real API's 313 enterprise
      and 280 customer operations) as groups/area1.yaml .. groups/areaN.yaml, renamed.
      --spec: the spec to copy (default: the workspace's spec/).

  build-cost [--spec DIR | --fixture [--copies N]] [--runs N] [--no-openapi-generator]
      Build carecloud-api generated from that spec (default: the checked-in
      spec/) with all groups and with three, and the client openapi-generator
      (`-g rust`) makes from the same spec, in target/build-cost/; print a
      markdown table of generated lines, rebuild and clean-build times and
      rustc peak memory (medians of --runs, default 3), also written to
      target/build-cost/<name>.md. See docs/build-cost.md.

  bench [decode] [client] [logins] [store] [-- ARGS]
      Run the benchmarks of carecloud-bench (all four by default) with
      `cargo bench`: decoding a 1,000-customer page (generated types vs plain
      serde structs vs serde_json::Value), EnterpriseClient vs a hand-written
      reqwest client against a fixed-reply server in another process
      (throughput, CPU and allocations per request), logins per token
      lifetime under 40 tasks, a call's cost with no token store,
      MemoryTokenStore, and carecloud-redis's RedisTokenStore without and
      with a key (warm and cold; needs redis-server). ARGS go to each bench
      program. See docs/benchmarks.md.

  soak [--requests N] [--tasks N] [--invalidate-every N] [--fault-percent P]
       [--retry-after SECONDS] [--post-every N] [--seed N]
      The soak scenario of issue 10 against the embedded sandbox (default
      10,000 calls, 20 tasks, token ended every 100 calls, 5% 429/503),
      built in release mode; prints the report and fails if a check failed.

  sandbox-stats [--root DIR]
      Count the sandbox's hand-written code (lines without src/generated/,
      operations with a handler of their own, operations named, `[\"…\"]`
      sites, the largest modules) and how the spec's `x-sandbox` serves each
      group's operations, in the workspace at DIR (default: this one, e.g. a
      checkout of main to compare). See docs/sandbox.md.

  diff-probe [--pair NAME]...
      The soundness probe of `carecloud-codegen diff` on its fixture pairs
      (carecloud-codegen/tests/diff/cases.rs; all of them by default): a crate
      using the API generated from the old side (every operation of its groups
      with every setter, every type built and read, every enum matched with a
      wildcard) is checked against the API generated from the new side in
      target/diff-probe/; it must compile exactly when the report's level is
      not major. Prints pair, verdict, compiled, agree and `N of N agree`;
      exits 1 on a disagreement. See docs/semver.md.";

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `--help`.
    Help,
    /// `fixture`.
    Fixture {
        /// The spec to copy (default: the workspace's).
        spec: Option<PathBuf>,
        /// The folder to write.
        out: PathBuf,
        /// Copies of the groups (default: as many as the real API needs).
        copies: Option<usize>,
    },
    /// `build-cost`.
    BuildCost(Options),
    /// `bench`: the bench programs to run (none: all) and their arguments.
    Bench {
        /// `decode`, `client`, `logins`.
        benches: Vec<String>,
        /// What follows `--`.
        args: Vec<String>,
    },
    /// `soak`: the arguments for `carecloud-soak`.
    Soak(Vec<String>),
    /// `sandbox-stats`: the workspace to count (default: this one).
    SandboxStats(Option<PathBuf>),
    /// `diff-probe`: the fixture pairs to probe (none: all).
    DiffProbe(Vec<String>),
}

/// The bench programs of carecloud-bench.
pub const BENCHES: &[&str] = &["decode", "client", "logins", "store"];

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command> {
    let mut args = args.into_iter();
    let task = args.next();
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut copies: Option<usize> = None;
    let mut runs: Option<usize> = None;
    let mut use_fixture = false;
    let mut openapi_generator = true;
    let task = match task.as_deref() {
        None | Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some("bench") => return parse_bench(args),
        Some("soak") => return Ok(Command::Soak(args.collect())),
        Some("sandbox-stats") => return parse_sandbox_stats(args),
        Some("diff-probe") => return parse_diff_probe(args),
        Some(t @ ("fixture" | "build-cost")) => t.to_owned(),
        Some(other) => return Err(Error::new(format!("unknown task `{other}`"))),
    };
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .ok_or_else(|| Error::new(format!("{flag} needs a value")))
        };
        match (task.as_str(), arg.as_str()) {
            (_, "-h" | "--help") => return Ok(Command::Help),
            (_, "--spec") => spec = Some(PathBuf::from(value("--spec")?)),
            (_, "--copies") => copies = Some(number("--copies", &value("--copies")?)?),
            ("fixture", "--out") => out = Some(PathBuf::from(value("--out")?)),
            ("build-cost", "--fixture") => use_fixture = true,
            ("build-cost", "--runs") => runs = Some(number("--runs", &value("--runs")?)?),
            ("build-cost", "--no-openapi-generator") => openapi_generator = false,
            (task, other) => {
                return Err(Error::new(format!(
                    "unknown argument `{other}` for `{task}`"
                )));
            }
        }
    }
    if task == "fixture" {
        let out = out.ok_or_else(|| Error::new("fixture needs --out DIR"))?;
        return Ok(Command::Fixture { spec, out, copies });
    }
    let spec = match (spec, use_fixture, copies) {
        (Some(_), true, _) => return Err(Error::new("--spec and --fixture exclude each other")),
        (_, false, Some(_)) => return Err(Error::new("--copies goes with --fixture")),
        (Some(dir), false, None) => SpecChoice::Dir(dir),
        (None, true, copies) => SpecChoice::Fixture { copies },
        (None, false, None) => SpecChoice::CheckedIn,
    };
    Ok(Command::BuildCost(Options {
        spec,
        runs: runs.unwrap_or(3),
        openapi_generator,
    }))
}

/// `bench [NAME...] [-- ARGS]`.
fn parse_bench(args: impl Iterator<Item = String>) -> Result<Command> {
    let mut benches = Vec::new();
    let mut args = args;
    for arg in args.by_ref() {
        match arg.as_str() {
            "--" => break,
            "-h" | "--help" => return Ok(Command::Help),
            name if BENCHES.contains(&name) => benches.push(name.to_owned()),
            other => {
                return Err(Error::new(format!(
                    "unknown bench `{other}` (there are {})",
                    BENCHES.join(", ")
                )));
            }
        }
    }
    Ok(Command::Bench {
        benches,
        args: args.collect(),
    })
}

/// `sandbox-stats [--root DIR]`.
fn parse_sandbox_stats(mut args: impl Iterator<Item = String>) -> Result<Command> {
    match (args.next().as_deref(), args.next(), args.next()) {
        (None, ..) => Ok(Command::SandboxStats(None)),
        (Some("-h" | "--help"), ..) => Ok(Command::Help),
        (Some("--root"), Some(dir), None) => Ok(Command::SandboxStats(Some(dir.into()))),
        (Some("--root"), None, _) => Err(Error::new("--root needs a value")),
        (Some(other), ..) => Err(Error::new(format!(
            "unknown argument `{other}` for `sandbox-stats`"
        ))),
    }
}

/// `diff-probe [--pair NAME]...`.
fn parse_diff_probe(mut args: impl Iterator<Item = String>) -> Result<Command> {
    let mut pairs = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--pair" => pairs.push(
                args.next()
                    .ok_or_else(|| Error::new("--pair needs a value"))?,
            ),
            other => {
                return Err(Error::new(format!(
                    "unknown argument `{other}` for `diff-probe`"
                )));
            }
        }
    }
    Ok(Command::DiffProbe(pairs))
}

/// A count of at least 1.
fn number(flag: &str, text: &str) -> Result<usize> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Error::new(format!(
            "{flag} takes a whole number of at least 1, not `{text}`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &str) -> Result<Command> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn parses_fixture() {
        assert_eq!(
            parse_str("fixture --out x --copies 3").unwrap(),
            Command::Fixture {
                spec: None,
                out: PathBuf::from("x"),
                copies: Some(3)
            }
        );
        assert!(parse_str("fixture").is_err());
        assert!(parse_str("fixture --out x --copies 0").is_err());
        assert!(parse_str("fixture --out x --runs 2").is_err());
    }

    #[test]
    fn parses_build_cost() {
        let Command::BuildCost(o) = parse_str("build-cost").unwrap() else {
            panic!("not build-cost");
        };
        assert_eq!(o.spec, SpecChoice::CheckedIn);
        assert_eq!(o.runs, 3);
        assert!(o.openapi_generator);
        let Command::BuildCost(o) =
            parse_str("build-cost --fixture --copies 4 --runs 1 --no-openapi-generator").unwrap()
        else {
            panic!("not build-cost");
        };
        assert_eq!(o.spec, SpecChoice::Fixture { copies: Some(4) });
        assert_eq!(o.runs, 1);
        assert!(!o.openapi_generator);
        assert!(parse_str("build-cost --spec a --fixture").is_err());
        assert!(parse_str("build-cost --copies 2").is_err());
        assert!(parse_str("build-cost --runs").is_err());
        assert!(parse_str("frobnicate").is_err());
        assert_eq!(
            parse_str("bench decode logins -- --rounds 5").unwrap(),
            Command::Bench {
                benches: vec!["decode".into(), "logins".into()],
                args: vec!["--rounds".into(), "5".into()],
            }
        );
        assert!(parse_str("bench decoder").is_err());
        assert_eq!(
            parse_str("soak --requests 100").unwrap(),
            Command::Soak(vec!["--requests".into(), "100".into()])
        );
        assert_eq!(parse_str("").unwrap(), Command::Help);
        assert_eq!(
            parse_str("sandbox-stats").unwrap(),
            Command::SandboxStats(None)
        );
        assert_eq!(
            parse_str("sandbox-stats --root ../main").unwrap(),
            Command::SandboxStats(Some(PathBuf::from("../main")))
        );
        assert!(parse_str("sandbox-stats --root").is_err());
        assert!(parse_str("sandbox-stats --root a b").is_err());
        assert_eq!(parse_str("diff-probe").unwrap(), Command::DiffProbe(vec![]));
        assert_eq!(
            parse_str("diff-probe --pair a --pair b").unwrap(),
            Command::DiffProbe(vec!["a".into(), "b".into()])
        );
        assert!(parse_str("diff-probe --pair").is_err());
        assert!(parse_str("diff-probe a").is_err());
    }
}
