//! `cargo run -p carecloud-codegen [-- generate|check|surface|bundle DIR|diff ..] [--root DIR]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod diff_command;

const USAGE: &str =
    "usage: carecloud-codegen [generate|check|surface|bundle OUT_DIR|diff ..] [--root WORKSPACE]

  generate      regenerate carecloud-api/src/generated/ (and the group features of
                carecloud-api/Cargo.toml), carecloud-sandbox/src/generated/,
                carecloud-sandbox/schemas/src/generated/,
                carecloud-sandbox/tests/generated/, carecloud-cli/src/generated/ and
                carecloud-dynamic/src/generated/ from spec/ (default)
  check         regenerate in memory; exit 1 listing each file that differs
  surface       print the API-surface summary of the generated code
  bundle DIR    write spec/ as single self-contained JSON documents to DIR:
                enterprise.json, customer.json and api.json (every operation once)
  diff          what the spec change means for carecloud-api's users: a semver
                verdict per change, a CHANGELOG section, a CI gate
                (`diff --help` for its options)

The workspace is the one holding the current folder (else the one this
binary was built in); --root names another.";

fn main() -> ExitCode {
    let mut command = "generate".to_owned();
    let mut out_dir: Option<PathBuf> = None;
    let mut root = default_root();
    let mut args = std::env::args().skip(1);
    if std::env::args().nth(1).as_deref() == Some("diff") {
        return diff_command::main(std::env::args().skip(2), root);
    }
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "generate" | "check" | "surface" => command = arg,
            "bundle" => match args.next() {
                Some(dir) => {
                    command = arg;
                    out_dir = Some(PathBuf::from(dir));
                }
                None => return usage_error("bundle needs an output folder"),
            },
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
    let result = match (command.as_str(), out_dir) {
        ("bundle", Some(dir)) => bundle(&root, &dir),
        (command, _) => run(command, &root),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: &str, root: &Path) -> carecloud_codegen::Result<ExitCode> {
    let started = Instant::now();
    let output = carecloud_codegen::generate_workspace(root)?;
    match command {
        "check" => {
            let drift = carecloud_codegen::output::check(&output, root)?;
            if drift.is_empty() {
                println!(
                    "generated code is up to date ({} files)",
                    output.files.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("generated code is stale; run `cargo run -p carecloud-codegen`:");
            for d in drift {
                eprintln!("  {d}");
            }
            Ok(ExitCode::FAILURE)
        }
        "surface" => {
            print!("{}", carecloud_codegen::surface::summarize(&output)?);
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            carecloud_codegen::output::write(&output, root)?;
            let lines: usize = output.files.values().map(|t| t.lines().count()).sum();
            println!(
                "wrote {} files, {lines} lines, to {} in {:.2?}",
                output.files.len(),
                carecloud_codegen::output::OUTPUT_DIRS.join(" and "),
                started.elapsed()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn bundle(root: &Path, dir: &Path) -> carecloud_codegen::Result<ExitCode> {
    let sources = carecloud_codegen::load_workspace(root)?;
    let api = carecloud_codegen::validate::validate(&sources)?;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| carecloud_codegen::Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for (stem, document) in carecloud_codegen::bundle::documents(&sources, &api) {
        let path = dir.join(format!("{stem}.json"));
        let text = serde_json::to_string_pretty(&document).unwrap_or_default();
        std::fs::write(&path, text + "\n").map_err(io(&path))?;
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The workspace holding the current folder; else the one this binary was
/// built from (the parent of its manifest dir).
fn default_root() -> PathBuf {
    let here = std::env::current_dir().ok();
    if let Some(root) = here.and_then(|d| carecloud_codegen::diff::input::find_workspace(&d)) {
        return root;
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
