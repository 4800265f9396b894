//! `cargo xtask build-cost`: builds carecloud-api generated from a spec (all
//! groups, and three) next to openapi-generator's client of the same spec,
//! in `target/build-cost/`, and reports the figures as a markdown table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::error::{Context, Error, Result};
use crate::measure::{Cargo, CrateCosts, Target, median_of};
use crate::spec::{self, CORE_GROUP, OperationCounts, Spec};
use crate::table::{self, Figures};
use crate::{fixture, openapi_generator, process, rustc_wrapper, workspace};

/// Which spec to measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpecChoice {
    /// The workspace's `spec/`.
    CheckedIn,
    /// Another spec folder.
    Dir(PathBuf),
    /// A fixture written to `target/build-cost/`.
    Fixture {
        /// Copies of the groups (default: as many as the real API needs).
        copies: Option<usize>,
    },
}

/// The options of `build-cost`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The spec.
    pub spec: SpecChoice,
    /// Timed builds per figure (medians are reported).
    pub runs: usize,
    /// Whether to measure openapi-generator's client too.
    pub openapi_generator: bool,
}

/// The measured package.
const PACKAGE: &str = "carecloud-api";

/// Groups in configuration (b).
const B_GROUPS: usize = 3;

/// The folders of a run, under `target/build-cost/`.
struct Work {
    /// `target/build-cost/`.
    dir: PathBuf,
    /// The workspace copy.
    ws: PathBuf,
    /// The bundled documents.
    bundle: PathBuf,
    /// The rustc wrapper.
    wrapper: PathBuf,
}

impl Work {
    fn cargo(&self, workspace: &Path, target_dir: &str) -> Cargo {
        Cargo {
            workspace: workspace.to_owned(),
            target_dir: self.dir.join(target_dir),
            wrapper: self.wrapper.clone(),
            scratch: self.dir.clone(),
        }
    }

    fn log(&self, name: &str) -> PathBuf {
        self.dir.join("logs").join(format!("{name}.log"))
    }
}

/// Runs the measurements for the workspace at `root` and prints the report.
pub fn run(root: &Path, options: &Options) -> Result<()> {
    let started = Instant::now();
    let dir = root.join("target").join("build-cost");
    std::fs::create_dir_all(&dir).context(|| format!("creating {}", dir.display()))?;
    let work = Work {
        ws: dir.join("ws"),
        bundle: dir.join("bundle"),
        wrapper: rustc_wrapper::install(&dir.join("bin"))?,
        dir,
    };
    let (spec_dir, name) = choose_spec(root, &work.dir, &options.spec)?;
    let spec = Spec::read(&spec_dir)?;
    // The commit and date now: the workspace is copied next, and the run may
    // outlast a commit made meanwhile.
    let mut all_notes = context_notes(root, &spec_dir, &name, options);
    // Before the long builds, so that a missing Java or pip failure shows at once.
    let oag_cli = if options.openapi_generator {
        Some(openapi_generator::install(&work.dir)?)
    } else {
        None
    };
    let ours = generate_ours(root, &work, &spec_dir)?;

    let mut notes = Vec::new();
    let interfaces = spec.interfaces.clone();
    let counts_a = spec.count(None, &interfaces);
    notes.extend(bundle_mismatch(&work.bundle, &counts_a, &interfaces)?);
    let b_groups = three_groups(&spec);
    let b_interface = interfaces.first().cloned().unwrap_or_default();
    let counts_b = spec.count(Some(&b_groups), std::slice::from_ref(&b_interface));
    let b_features: Vec<String> = std::iter::once(b_interface.clone())
        .chain(b_groups.iter().cloned())
        .collect();

    let generated = work.ws.join("carecloud-api").join("src").join("generated");
    let lines_a = count_lines(&generated, |_| true)?;
    let excluded: Vec<&str> = spec
        .feature_groups()
        .map(|g| g.name.as_str())
        .filter(|g| !b_groups.iter().any(|b| b == g))
        .collect();
    let lines_b = count_lines(&generated, |file| {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        !excluded.contains(&stem)
    })?;

    let touch = work.ws.join("carecloud-api").join("src").join("lib.rs");
    let hint = |e: Error| {
        Error::new(format!(
            "{e}\n(carecloud-api did not build in the copy of the workspace; if it is being edited, retry in a few minutes)"
        ))
    };
    step("(a) carecloud-api, default features: building everything, then measuring");
    let target_a = Target {
        package: PACKAGE,
        features: None,
        touch: &touch,
        label: "a",
    };
    let costs_a = ours.measure(&target_a, options.runs).map_err(hint)?;
    step(&format!(
        "(b) carecloud-api --no-default-features --features {}",
        b_features.join(",")
    ));
    let target_b = Target {
        features: Some(&b_features),
        label: "b",
        ..target_a
    };
    let costs_b = ours.measure(&target_b, options.runs).map_err(hint)?;
    let figures_a = figures(lines_a, &counts_a, &costs_a);
    let figures_b = figures(lines_b, &counts_b, &costs_b);

    let figures_oag = match &oag_cli {
        Some(cli) => match measure_openapi_generator(cli, &work, &counts_a, options.runs) {
            Ok((figures, oag_notes)) => {
                notes.extend(oag_notes);
                Some(figures)
            }
            Err(e) => {
                eprintln!("[build-cost] openapi-generator could not be measured: {e}");
                let first = e.to_string().lines().next().unwrap_or_default().to_owned();
                notes.push(format!(
                    "**openapi-generator could not be measured**: {first} (details on stderr and in {})",
                    work.dir.join("logs").display()
                ));
                None
            }
        },
        None => {
            notes.push("openapi-generator not measured (--no-openapi-generator)".to_owned());
            None
        }
    };
    notes.extend(costs_a.warnings.iter().cloned());
    notes.extend(costs_b.warnings.iter().cloned());

    let table = table::cost_table(&figures_a, &figures_b, b_groups.len(), figures_oag.as_ref());
    all_notes.push(format!(
        "operations: (a) both interfaces, all groups: {}; (b) `--no-default-features --features {}`: {}",
        counts_a.summary(&interfaces),
        b_features.join(","),
        counts_b.summary(std::slice::from_ref(&b_interface)),
    ));
    all_notes.push(
        "generated lines: every file of carecloud-api/src/generated (formatted by prettyplease); (b) leaves out the files of the groups it does not enable and counts the shared files whole; openapi-generator: every .rs file under its src/ (not rustfmt-formatted), divided by the same operation counts as (a)".to_owned(),
    );
    all_notes.extend(notes);
    all_notes.push(format!(
        "this run took {:.1} min; a wall time well above its CPU time means other work competed for the cores",
        started.elapsed().as_secs_f64() / 60.0
    ));
    let title = format!("Build cost: {name} ({})", now_utc());
    let text = table::report(&title, &table, &all_notes);
    let out = work.dir.join(format!("{name}.md"));
    std::fs::write(&out, &text).context(|| format!("writing {}", out.display()))?;
    println!("{text}");
    eprintln!("[build-cost] report written to {}", out.display());
    Ok(())
}

/// Copies the workspace with `spec_dir` as its spec, builds carecloud-codegen
/// there and runs it (generation and bundle); returns the cargo of the copy.
fn generate_ours(root: &Path, work: &Work, spec_dir: &Path) -> Result<Cargo> {
    step(&format!("copying the workspace to {}", work.ws.display()));
    workspace::prepare(root, &work.ws, spec_dir)?;
    let ours = work.cargo(&work.ws, "target-ours");
    step("building carecloud-codegen");
    ours.run(
        &["build", "-p", "carecloud-codegen"],
        "building carecloud-codegen",
        "codegen-build",
    )?;
    let codegen = ours
        .target_dir
        .join("debug")
        .join(format!("carecloud-codegen{}", std::env::consts::EXE_SUFFIX));
    step(&format!(
        "generating carecloud-api from {}",
        spec_dir.display()
    ));
    process::run(
        Command::new(&codegen).arg("--root").arg(&work.ws),
        &format!("carecloud-codegen on {}", spec_dir.display()),
        &work.log("codegen-generate"),
    )?;
    process::run(
        Command::new(&codegen)
            .arg("bundle")
            .arg(&work.bundle)
            .arg("--root")
            .arg(&work.ws),
        "carecloud-codegen bundle",
        &work.log("codegen-bundle"),
    )?;
    Ok(ours)
}

/// Generates openapi-generator's client of the bundled `api.json`, builds
/// and measures it; its figures and notes.
fn measure_openapi_generator(
    cli: &Path,
    work: &Work,
    counts: &OperationCounts,
    runs: usize,
) -> Result<(Figures, Vec<String>)> {
    step("openapi-generator: generating the client of api.json");
    let profiles = std::fs::read_to_string(work.ws.join("Cargo.toml"))
        .map(|t| workspace::profiles(&t))
        .unwrap_or_default();
    let generated = openapi_generator::generate(
        cli,
        &work.bundle.join("api.json"),
        &work.dir.join("openapi-generator"),
        &profiles,
    )?;
    let lines = count_lines(&generated.crate_dir.join("src"), |f| {
        f.extension().is_some_and(|e| e == "rs")
    })?;
    let theirs = work.cargo(&generated.workspace, "target-oag");
    step("openapi-generator: building everything, then measuring");
    let touch = generated.crate_dir.join("src").join("lib.rs");
    let target = Target {
        package: openapi_generator::PACKAGE,
        features: None,
        touch: &touch,
        label: "oag",
    };
    let costs = theirs.measure(&target, runs).map_err(|e| {
        Error::new(format!(
            "openapi-generator's client of this spec did not build ({}): {e}",
            generated.crate_dir.display()
        ))
    })?;
    let mut notes = generated.notes;
    notes.extend(costs.warnings.iter().cloned());
    Ok((figures(lines, counts, &costs), notes))
}

/// The spec folder and the report's name.
fn choose_spec(root: &Path, work: &Path, choice: &SpecChoice) -> Result<(PathBuf, String)> {
    Ok(match choice {
        SpecChoice::CheckedIn => (root.join("spec"), "spec".to_owned()),
        SpecChoice::Dir(dir) => {
            let dir =
                std::path::absolute(dir).context(|| format!("resolving {}", dir.display()))?;
            let base: String = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            (dir, format!("spec-{base}"))
        }
        SpecChoice::Fixture { copies } => {
            let copies = match copies {
                Some(n) => *n,
                None => fixture::default_copies(&root.join("spec"))?,
            };
            let name = format!("fixture-{copies}");
            let dir = work.join(&name);
            step(&format!(
                "writing the fixture ({copies} copies) to {}",
                dir.display()
            ));
            let written = fixture::write(&root.join("spec"), &dir, copies)?;
            eprintln!(
                "[build-cost] fixture operations: {}",
                written.counts.summary(&written.interfaces)
            );
            (dir, name)
        }
    })
}

/// The groups of configuration (b): the first [`B_GROUPS`] feature groups
/// in natural order (`area1, area2, area3`, not `area1, area10, area11`).
fn three_groups(spec: &Spec) -> Vec<String> {
    let mut names: Vec<String> = spec
        .groups
        .iter()
        .map(|g| g.name.clone())
        .filter(|g| g != CORE_GROUP)
        .collect();
    names.sort_by_key(|n| natural_key(n));
    names.truncate(B_GROUPS);
    names
}

/// Sorts names by their text, then by the number they end with.
fn natural_key(name: &str) -> (String, u64, String) {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (text, number) = name.split_at(name.len() - digits);
    (
        text.to_owned(),
        number.parse().unwrap_or(0),
        name.to_owned(),
    )
}

/// The figures of a crate from its line count, operation counts and samples.
fn figures(lines: usize, counts: &OperationCounts, costs: &CrateCosts) -> Figures {
    let mib = |kib: Option<u64>| kib.map(|k| k as f64 / 1024.0);
    Figures {
        lines,
        interface_ops: counts.interface_operations(),
        distinct_ops: counts.distinct,
        touch_wall: median_of(costs.touch.iter().map(|s| Some(s.wall))),
        touch_cpu: median_of(costs.touch.iter().map(|s| s.cpu)),
        touch_rss_mib: median_of(costs.touch.iter().map(|s| mib(s.rss_kib))),
        clean_wall: median_of(costs.clean.iter().map(|s| Some(s.wall))),
        clean_cpu: median_of(costs.clean.iter().map(|s| s.cpu)),
        clean_rss_mib: median_of(costs.clean.iter().map(|s| mib(s.rss_kib))),
    }
}

/// Compares the spec's operation counts with the bundled documents' (one per
/// interface, and `api.json` with each operation once); a note if they differ.
fn bundle_mismatch(
    bundle: &Path,
    counts: &OperationCounts,
    interfaces: &[String],
) -> Result<Option<String>> {
    let count = |stem: &str| -> Result<usize> {
        let path = bundle.join(format!("{stem}.json"));
        let text =
            std::fs::read_to_string(&path).context(|| format!("reading {}", path.display()))?;
        let doc: Value =
            serde_json::from_str(&text).context(|| format!("parsing {}", path.display()))?;
        Ok(spec::operations(&doc).count())
    };
    let mut differences = Vec::new();
    for interface in interfaces {
        let bundled = count(interface)?;
        if bundled != counts.of(interface) {
            differences.push(format!(
                "{interface}.json has {bundled}, the spec {}",
                counts.of(interface)
            ));
        }
    }
    let api = count("api")?;
    if api != counts.distinct {
        differences.push(format!("api.json has {api}, the spec {}", counts.distinct));
    }
    Ok((!differences.is_empty()).then(|| {
        format!(
            "the bundled documents' operation counts differ from the spec's: {}",
            differences.join("; ")
        )
    }))
}

/// Lines of the files under `dir` (recursively) that `keep` accepts.
fn count_lines(dir: &Path, keep: impl Fn(&Path) -> bool + Copy) -> Result<usize> {
    let mut total = 0;
    let entries = std::fs::read_dir(dir).context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .context(|| format!("listing {}", dir.display()))?
            .path();
        if path.is_dir() {
            total += count_lines(&path, keep)?;
        } else if keep(&path) {
            let text = std::fs::read(&path).context(|| format!("reading {}", path.display()))?;
            total += String::from_utf8_lossy(&text).lines().count();
        }
    }
    Ok(total)
}

/// Date, commit, machine, toolchain, spec and runs.
fn context_notes(root: &Path, spec_dir: &Path, name: &str, options: &Options) -> Vec<String> {
    let capture = |program: &str, args: &[&str], dir: &Path| -> Option<String> {
        let output = Command::new(program)
            .args(args)
            .current_dir(dir)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let commit = capture("git", &["rev-parse", "--short", "HEAD"], root)
        .map(|c| {
            let dirty = capture(
                "git",
                &[
                    "status",
                    "--porcelain",
                    "--",
                    "spec",
                    "carecloud-api",
                    "carecloud-codegen",
                    "carecloud-derive",
                    "Cargo.toml",
                    "Cargo.lock",
                ],
                root,
            )
            .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{c} with uncommitted changes to the measured crates or spec")
            } else {
                c
            }
        })
        .unwrap_or_else(|| "unknown (no git)".to_owned());
    let rustc = capture("rustc", &["-V"], root).unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    vec![
        format!("started {} on commit {commit}", now_utc()),
        format!(
            "machine: {cores} cores (nproc), {rustc}, dev profile as in the workspace manifest"
        ),
        format!("spec: {name} ({})", spec_dir.display()),
        format!(
            "runs: {} per figure, medians; the crate alone is rebuilt, dependencies were built beforehand (untimed)",
            options.runs
        ),
    ]
}

/// Prints a progress line.
fn step(what: &str) {
    eprintln!("[build-cost] {what}");
}

/// The current UTC date and time, `2026-11-30 14:05 UTC`.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
    }

    #[test]
    fn natural_order() {
        let mut names = vec!["area10", "area2", "area1", "cards", "area3"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["area1", "area2", "area3", "area10", "cards"]);
    }
}
