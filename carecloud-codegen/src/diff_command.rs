//! `carecloud-codegen diff`: reads the two specs, prints the report, applies
//! the gate. Exit status: 0 no failing change, 1 the gate failed, 2 an error
//! (a spec that cannot be read or is invalid never reads as "no changes").

use std::path::PathBuf;
use std::process::ExitCode;

use carecloud_codegen::diff::{self, Severity, gate, input, render};

const USAGE: &str = "usage: carecloud-codegen diff [--base REV | --old DIR] [--new DIR]
                              [--format text|markdown|json|github]
                              [--fail-on major|minor|patch] [--accept FILE]
                              [--root WORKSPACE] [--checks]

Compares two versions of spec/ and says, per change, what it means for a
user of carecloud-api (docs/semver.md): the check id, the level (patch,
minor, major; a major one says whether it breaks the build or, compiling
still, behaviour), the Rust items it touches, the migration for a breaking
one, and a fingerprint; then the version bump the whole asks for.

  (no option)     spec/ as committed (HEAD) against the working tree's spec/
  --base REV      the old spec is spec/ at a git revision (a tag, a branch,
                  a hash, `$(git merge-base HEAD main)`)
  --old DIR       the old spec is a folder (a workspace, or a spec folder)
  --new DIR       the new spec is a folder (default: the workspace's spec/)
  --format F      text (default), markdown (a CHANGELOG section), json, or
                  github (GitHub Actions annotations on the spec's lines:
                  ::error for major, ::warning for minor, ::notice for patch)
  --fail-on L     exit 1 when a change at level L or above is neither accepted
                  nor covered by the version bump already made between the two
                  sides' Cargo.toml
  --accept FILE   accepted changes: one `FINGERPRINT reason` a line
  --checks        list the check ids with their levels and, for the major
                  level, whether it breaks the build or behaviour; exit

Exit status: 0 passed, 1 the gate failed, 2 an error (a spec on either side
that cannot be read or is invalid, a bad option or accept file).";

/// What to compare against.
enum Old {
    Rev(String),
    Dir(PathBuf),
}

struct Options {
    old: Old,
    new: Option<PathBuf>,
    format: String,
    fail_on: Option<Severity>,
    accept: Option<PathBuf>,
    root: PathBuf,
}

pub fn main(mut args: impl Iterator<Item = String>, root: PathBuf) -> ExitCode {
    let mut options = Options {
        old: Old::Rev("HEAD".to_owned()),
        new: None,
        format: "text".to_owned(),
        fail_on: None,
        accept: None,
        root,
    };
    let mut base_given = false;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let step = match arg.as_str() {
            "--base" => value("--base").map(|v| {
                base_given = true;
                options.old = Old::Rev(v);
            }),
            "--old" => value("--old").map(|v| options.old = Old::Dir(PathBuf::from(v))),
            "--new" => value("--new").map(|v| options.new = Some(PathBuf::from(v))),
            "--format" => value("--format").and_then(|v| match v.as_str() {
                "text" | "markdown" | "json" | "github" => {
                    options.format = v;
                    Ok(())
                }
                other => Err(format!(
                    "unknown format `{other}` (text, markdown, json or github)"
                )),
            }),
            "--fail-on" => value("--fail-on").and_then(|v| match Severity::parse(&v) {
                Some(level) => {
                    options.fail_on = Some(level);
                    Ok(())
                }
                None => Err(format!("unknown level `{v}` (major, minor or patch)")),
            }),
            "--accept" => value("--accept").map(|v| options.accept = Some(PathBuf::from(v))),
            "--root" => value("--root").map(|v| options.root = PathBuf::from(v)),
            "--checks" => {
                for check in diff::checks::CHECKS {
                    println!(
                        "{:<36} {:<34} {:<36} {}",
                        check.id,
                        check.level,
                        check.breaks.describe(),
                        check.finds
                    );
                }
                return ExitCode::SUCCESS;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument `{other}`")),
        };
        if let Err(message) = step {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    if base_given && matches!(options.old, Old::Dir(_)) {
        eprintln!("error: --base and --old both name the old spec; give one\n\n{USAGE}");
        return ExitCode::from(2);
    }
    match run(&options) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(options: &Options) -> carecloud_codegen::Result<ExitCode> {
    let old = match &options.old {
        Old::Rev(rev) => input::from_rev(&options.root, rev)?,
        Old::Dir(dir) => input::from_dir(dir)?,
    };
    let mut new = input::from_dir(options.new.as_ref().unwrap_or(&options.root))?;
    if options.new.is_none() {
        new.label = format!("{}/ (working tree)", carecloud_codegen::SPEC_DIR);
    }
    let report = diff::compare(&old.api, &new.api);
    let heading = render::Heading {
        old: old.label.clone(),
        new: new.label.clone(),
        version: old.version.clone().or_else(|| new.version.clone()),
    };
    let text = match options.format.as_str() {
        "markdown" => render::markdown(&report, &heading),
        "json" => render::json(&report, &heading),
        "github" => render::github(&report, |file, pointer| {
            // A removed node is pointed at in the old spec, the rest in the
            // new: the side where the whole pointer is found, else the
            // closest line found in the new one.
            let found: Vec<(usize, bool)> = [&new, &old]
                .iter()
                .filter_map(|side| diff::lines::locate(side.texts.get(file)?, pointer))
                .collect();
            found
                .iter()
                .find(|(_, whole)| *whole)
                .or(found.first())
                .map(|(line, _)| *line)
        }),
        _ => render::text(&report, &heading),
    };
    print!("{text}");
    let Some(fail_on) = options.fail_on else {
        return Ok(ExitCode::SUCCESS);
    };
    let accepted = match &options.accept {
        Some(path) => gate::Accepted::read(path)?,
        None => gate::Accepted::default(),
    };
    let versions = old.version.as_deref().zip(new.version.as_deref());
    let decision = gate::decide(&report, fail_on, &accepted, versions);
    for (change, pass) in &decision.passing {
        let why = match pass {
            gate::Pass::Accepted(reason) => format!("accepted: {reason}"),
            gate::Pass::Bumped(from, to) => format!("the version went from {from} to {to}"),
        };
        eprintln!(
            "passes: {} {} {} ({why})",
            change.fingerprint(),
            change.severity,
            change.id
        );
    }
    for fingerprint in &decision.unused {
        eprintln!("warning: accepted fingerprint {fingerprint} matches no change; remove its line");
    }
    if decision.failing.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "error: {} change{} at {fail_on} or above, neither accepted nor covered by a version bump:",
        decision.failing.len(),
        if decision.failing.len() == 1 { "" } else { "s" }
    );
    for change in &decision.failing {
        eprintln!(
            "  {} {} {}: {}",
            change.fingerprint(),
            change.severity,
            change.id,
            change.message
        );
    }
    eprintln!(
        "bump the workspace version ({}), or accept a change with a line `FINGERPRINT reason` in the accept file",
        old.version
            .as_deref()
            .and_then(|v| report.level().map(|l| (v, gate::required(l, v))))
            .and_then(|(v, b)| gate::next(v, b))
            .map(|v| format!("to {v}"))
            .unwrap_or_else(|| "as the report says".to_owned())
    );
    Ok(ExitCode::from(1))
}
