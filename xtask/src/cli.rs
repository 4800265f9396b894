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
      target/build-cost/<name>.md. See docs/build-cost.md.";

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
}

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
        assert_eq!(parse_str("").unwrap(), Command::Help);
    }
}
