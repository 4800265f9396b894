//! `cargo xtask <task>`: workspace tasks (see `docs/build-cost.md`).
//!
//! * `fixture --out DIR [--copies N] [--spec DIR]` writes a synthetic spec
//!   at the real API's scale from the checked-in one;
//! * `build-cost [--spec DIR | --fixture [--copies N]] [--runs N]
//!   [--no-openapi-generator]` measures what carecloud-api costs to build,
//!   next to the client openapi-generator makes from the same spec;
//! * `bench [decode] [client] [logins] [store] [-- ARGS]` runs the benchmarks of
//!   carecloud-bench, `soak [...]` its soak command in release mode (see
//!   `docs/benchmarks.md`);
//! * `sandbox-stats [--root DIR]` counts the sandbox's hand-written code and
//!   how the spec's operations are served (see `docs/sandbox.md`);
//! * `diff-probe [--pair NAME]...` checks `carecloud-codegen diff`'s
//!   verdicts on its fixture pairs against the compiler (see
//!   `docs/semver.md`).

mod build_cost;
mod cli;
mod diff_probe;
mod error;
mod fixture;
mod measure;
mod openapi_generator;
mod process;
mod rustc_wrapper;
mod sandbox_stats;
mod spec;
mod table;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli::Command;

fn main() -> ExitCode {
    if let Some(code) = rustc_wrapper::run_if_wrapping() {
        return code;
    }
    let command = match cli::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            println!("{}", cli::USAGE);
            Ok(())
        }
        Command::Fixture { spec, out, copies } => run_fixture(spec, &out, copies),
        Command::BuildCost(options) => build_cost::run(&workspace_root(), &options),
        Command::Bench { benches, args } => {
            let mut cargo = cargo();
            cargo.args(["bench", "-p", "carecloud-bench"]);
            for bench in &benches {
                cargo.args(["--bench", bench]);
            }
            if !args.is_empty() {
                cargo.arg("--").args(&args);
            }
            run_through(cargo)
        }
        Command::DiffProbe(pairs) => return diff_probe(&pairs),
        Command::SandboxStats(root) => sandbox_stats(&root.unwrap_or_else(workspace_root)),
        Command::Soak(args) => {
            let mut cargo = cargo();
            cargo
                .args(["run", "--release", "-q", "-p", "carecloud-bench"])
                .args(["--bin", "carecloud-soak", "--"])
                .args(&args);
            run_through(cargo)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_fixture(spec: Option<PathBuf>, out: &Path, copies: Option<usize>) -> error::Result<()> {
    let spec = spec.unwrap_or_else(|| workspace_root().join("spec"));
    let copies = match copies {
        Some(n) => n,
        None => fixture::default_copies(&spec)?,
    };
    let fixture = fixture::write(&spec, out, copies)?;
    println!(
        "wrote {}: groups/base.yaml and {} merged groups (area1..area{copies}) from {}",
        out.display(),
        fixture.groups.len(),
        spec.display()
    );
    println!(
        "interface-operations: {}",
        fixture.counts.summary(&fixture.interfaces)
    );
    Ok(())
}

/// Runs the probe and prints its table; exit 1 on a disagreement.
fn diff_probe(pairs: &[String]) -> ExitCode {
    match diff_probe::run(&workspace_root(), pairs) {
        Ok(outcomes) => {
            print!("{}", diff_probe::table(&outcomes));
            if outcomes.iter().all(diff_probe::Outcome::agrees) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn sandbox_stats(root: &Path) -> error::Result<()> {
    let code = sandbox_stats::Code::read(&root.join("carecloud-sandbox/src"))?;
    let groups = sandbox_stats::declared(root)?;
    print!("{}", sandbox_stats::report(root, &code, groups.as_ref()));
    Ok(())
}

/// `cargo`, the one running this task if cargo started it.
fn cargo() -> std::process::Command {
    let mut cmd =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(workspace_root());
    cmd
}

/// Runs `cmd` with this process's output; fails if it fails.
fn run_through(mut cmd: std::process::Command) -> error::Result<()> {
    let status = cmd.status().map_err(|e| {
        error::Error::new(format!(
            "could not start `{}`: {e}",
            process::describe(&cmd)
        ))
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(error::Error::new(format!(
            "`{}` failed ({status})",
            process::describe(&cmd)
        )))
    }
}

/// The workspace this binary was built from: the parent of its manifest folder.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}
