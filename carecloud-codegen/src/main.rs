//! `cargo run -p carecloud-codegen [-- check|surface] [--root DIR]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: carecloud-codegen [generate|check|surface] [--root WORKSPACE]

  generate  regenerate carecloud-api/src/generated/ from spec/ (default)
  check     regenerate in memory; exit 1 listing each file that differs
  surface   print the API-surface summary of the generated code";

fn main() -> ExitCode {
    let mut command = "generate".to_owned();
    let mut root = default_root();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "generate" | "check" | "surface" => command = arg,
            "--root" => match args.next() {
                Some(dir) => root = PathBuf::from(dir),
                None => return usage_error("--root needs a folder"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage_error(&format!("unknown argument `{other}`")),
        }
    }
    let started = Instant::now();
    let output = match carecloud_codegen::generate_workspace(&root) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dir = carecloud_codegen::output_dir(&root);
    match command.as_str() {
        "check" => match carecloud_codegen::output::check(&output, &dir) {
            Ok(drift) if drift.is_empty() => {
                println!(
                    "generated code is up to date ({} files)",
                    output.files.len()
                );
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                eprintln!("generated code is stale; run `cargo run -p carecloud-codegen`:");
                for d in drift {
                    eprintln!("  {d}");
                }
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        "surface" => match carecloud_codegen::surface::summarize(&output) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        _ => match carecloud_codegen::output::write(&output, &dir) {
            Ok(()) => {
                let lines: usize = output.files.values().map(|t| t.lines().count()).sum();
                println!(
                    "wrote {} files, {lines} lines, to {} in {:.2?}",
                    output.files.len(),
                    dir.display(),
                    started.elapsed()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// The workspace this binary was built from: the parent of its manifest dir.
fn default_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
