//! Timed cargo builds of one crate in a workspace with its own target
//! folder: the rebuild after a touch (incremental) and the clean,
//! non-incremental build of the crate alone, each with wall time, CPU time
//! and rustc's peak memory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use crate::error::{Context, Result};
use crate::process;
use crate::rustc_wrapper::{self, RSS_DIR_ENV, TIME};

/// Runs cargo in one workspace and target folder, always through the
/// measuring rustc wrapper.
#[derive(Clone, Debug)]
pub struct Cargo {
    /// The workspace root.
    pub workspace: PathBuf,
    /// `CARGO_TARGET_DIR`: kept between runs so dependencies build once.
    pub target_dir: PathBuf,
    /// The `RUSTC_WRAPPER` ([`rustc_wrapper::install`]).
    pub wrapper: PathBuf,
    /// Where build logs and the wrapper's reports go.
    pub scratch: PathBuf,
}

/// One measured build.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sample {
    /// Wall-clock seconds of the cargo command.
    pub wall: f64,
    /// User + system CPU seconds of cargo and everything it ran.
    pub cpu: Option<f64>,
    /// Peak RSS of the rustc compiling the crate, KiB.
    pub rss_kib: Option<u64>,
}

/// The samples of one crate in one configuration.
#[derive(Clone, Debug, Default)]
pub struct CrateCosts {
    /// Rebuilds after touching the crate root, incremental.
    pub touch: Vec<Sample>,
    /// Clean builds of the crate alone, non-incremental.
    pub clean: Vec<Sample>,
    /// Things worth a note (e.g. a timed build compiled more than the crate).
    pub warnings: Vec<String>,
}

/// What to build: a package with a feature selection.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// The cargo package (`carecloud-api`).
    pub package: &'a str,
    /// `--no-default-features --features ...` when `Some`.
    pub features: Option<&'a [String]>,
    /// The file touched before an incremental rebuild (the crate root).
    pub touch: &'a Path,
    /// A short name for logs (`a`, `b`, `oag`).
    pub label: &'a str,
}

impl Target<'_> {
    /// The rustc crate name (`carecloud-api` → `carecloud_api`).
    pub fn crate_name(&self) -> String {
        self.package.replace('-', "_")
    }

    fn feature_args(&self) -> Vec<String> {
        match self.features {
            Some(list) => vec![
                "--no-default-features".to_owned(),
                "--features".to_owned(),
                list.join(","),
            ],
            None => Vec::new(),
        }
    }
}

impl Cargo {
    /// A cargo command in the workspace with the target folder and wrapper
    /// set; the wrapper reports to `rss_dir`.
    fn command(&self, rss_dir: &Path) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let mut cmd = Command::new(cargo);
        self.configure(&mut cmd, rss_dir);
        cmd
    }

    fn configure(&self, cmd: &mut Command, rss_dir: &Path) {
        cmd.current_dir(&self.workspace)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("RUSTC_WRAPPER", &self.wrapper)
            .env(RSS_DIR_ENV, rss_dir)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
            .env_remove("CARGO_INCREMENTAL");
    }

    /// Runs `cargo ARGS` (untimed), logged as `log`.
    pub fn run(&self, args: &[&str], what: &str, log: &str) -> Result<()> {
        let rss = self.fresh_dir(&format!("rss/{log}"))?;
        let mut cmd = self.command(&rss);
        cmd.args(args);
        process::run(&mut cmd, what, &self.log_path(log)).map(drop)
    }

    /// Builds `target` (untimed), e.g. to bring its dependencies up to date.
    pub fn build(&self, target: &Target<'_>, incremental: bool, log: &str) -> Result<()> {
        self.timed_build(target, incremental, log).map(drop)
    }

    /// Measures `target`: `runs` clean non-incremental builds of the crate
    /// alone, then `runs` incremental rebuilds after a touch. Each phase
    /// starts with an untimed build in its mode, so that the timed builds
    /// compile the crate only.
    pub fn measure(&self, target: &Target<'_>, runs: usize) -> Result<CrateCosts> {
        let mut costs = CrateCosts::default();
        let label = target.label;
        self.build(target, false, &format!("{label}-warm-clean"))?;
        for run in 1..=runs {
            self.run(
                &["clean", "-p", target.package],
                &format!("cargo clean -p {}", target.package),
                &format!("{label}-clean-{run}-cargo-clean"),
            )?;
            let (sample, compiled) =
                self.timed_build(target, false, &format!("{label}-clean-{run}"))?;
            progress(&format!("({label}) clean build {run}/{runs}"), &sample);
            check_compiled(target, &compiled, "clean build", &mut costs.warnings);
            costs.clean.push(sample);
        }
        touch(target.touch)?;
        self.build(target, true, &format!("{label}-warm-incremental"))?;
        for run in 1..=runs {
            touch(target.touch)?;
            let (sample, compiled) =
                self.timed_build(target, true, &format!("{label}-touch-{run}"))?;
            progress(
                &format!("({label}) rebuild after touch {run}/{runs}"),
                &sample,
            );
            check_compiled(
                target,
                &compiled,
                "rebuild after touch",
                &mut costs.warnings,
            );
            costs.touch.push(sample);
        }
        Ok(costs)
    }

    /// One `cargo build -p PACKAGE` under `/usr/bin/time`: the sample and
    /// the packages cargo compiled.
    fn timed_build(
        &self,
        target: &Target<'_>,
        incremental: bool,
        log: &str,
    ) -> Result<(Sample, Vec<String>)> {
        let rss_dir = self.fresh_dir(&format!("rss/{log}"))?;
        let cpu_file = rss_dir.join("cargo.time");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let mut cmd = Command::new(TIME);
        cmd.args(["-f", "%U %S", "-o"])
            .arg(&cpu_file)
            .arg(cargo)
            .args(["build", "-p", target.package])
            .args(target.feature_args());
        self.configure(&mut cmd, &rss_dir);
        if !incremental {
            cmd.env("CARGO_INCREMENTAL", "0");
        }
        let what = format!(
            "cargo build -p {} {}({log})",
            target.package,
            target
                .features
                .map(|f| format!("--no-default-features --features {} ", f.join(",")))
                .unwrap_or_default()
        );
        let started = Instant::now();
        let output = process::run(&mut cmd, &what, &self.log_path(log))?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = std::fs::read_to_string(&cpu_file)
            .ok()
            .and_then(|t| parse_cpu(&t));
        let rss_kib = rustc_wrapper::peak_rss_kib(&rss_dir, &target.crate_name())?;
        let compiled = compiled_packages(&String::from_utf8_lossy(&output.stderr));
        Ok((Sample { wall, cpu, rss_kib }, compiled))
    }

    fn log_path(&self, log: &str) -> PathBuf {
        self.scratch.join("logs").join(format!("{log}.log"))
    }

    /// An empty folder `scratch/name`.
    fn fresh_dir(&self, name: &str) -> Result<PathBuf> {
        let dir = self.scratch.join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).context(|| format!("removing {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).context(|| format!("creating {}", dir.display()))?;
        Ok(dir)
    }
}

fn progress(what: &str, sample: &Sample) {
    let cpu = sample
        .cpu
        .map(|c| format!(", CPU {c:.1} s"))
        .unwrap_or_default();
    let rss = sample
        .rss_kib
        .map(|k| format!(", rustc peak {:.0} MiB", k as f64 / 1024.0))
        .unwrap_or_default();
    eprintln!("[build-cost] {what}: {:.1} s{cpu}{rss}", sample.wall);
}

/// Notes a timed build that compiled something besides the crate, or not
/// the crate at all.
fn check_compiled(
    target: &Target<'_>,
    compiled: &[String],
    what: &str,
    warnings: &mut Vec<String>,
) {
    let others: Vec<&String> = compiled.iter().filter(|p| *p != target.package).collect();
    if !compiled.iter().any(|p| p == target.package) {
        warnings.push(format!(
            "({}) a {what} did not compile {}",
            target.label, target.package
        ));
    }
    if !others.is_empty() {
        let names: Vec<&str> = others.iter().map(|s| s.as_str()).collect();
        warnings.push(format!(
            "({}) a {what} also compiled {}",
            target.label,
            names.join(", ")
        ));
    }
}

/// Sets the file's modification time to now (like `touch`).
pub fn touch(path: &Path) -> Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .context(|| format!("touching {}", path.display()))
}

/// The packages a cargo build log says it compiled (`Compiling NAME vX`).
pub fn compiled_packages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Compiling "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// User + system seconds from a `time -f "%U %S"` report.
fn parse_cpu(text: &str) -> Option<f64> {
    let line = text.lines().rev().find(|l| !l.trim().is_empty())?;
    let mut parts = line.split_whitespace().map(str::parse::<f64>);
    match (parts.next(), parts.next()) {
        (Some(Ok(user)), Some(Ok(sys))) => Some(user + sys),
        _ => None,
    }
}

/// The median of `values` (the mean of the middle two for an even count);
/// `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    })
}

/// The median of the values present, `None` if none is.
pub fn median_of(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let present: Vec<f64> = values.into_iter().flatten().collect();
    median(&present)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median_of([None, Some(2.0), Some(4.0)]), Some(3.0));
        assert_eq!(median_of([None]), None);
    }

    #[test]
    fn reads_cargo_and_time_output() {
        let log = "   Compiling serde v1.0.0\n   Compiling carecloud-api v0.1.0 (/x)\n    Finished `dev` profile\n";
        assert_eq!(compiled_packages(log), ["serde", "carecloud-api"]);
        assert_eq!(parse_cpu("12.50 1.25\n"), Some(13.75));
        assert_eq!(
            parse_cpu("Command exited with non-zero status 101\n1.0 2.0\n"),
            Some(3.0)
        );
        assert_eq!(parse_cpu("garbage"), None);
    }

    #[test]
    fn warns_about_extra_compilations() {
        let path = PathBuf::from("lib.rs");
        let target = Target {
            package: "carecloud-api",
            features: None,
            touch: &path,
            label: "a",
        };
        let mut warnings = Vec::new();
        check_compiled(&target, &["carecloud-api".to_owned()], "x", &mut warnings);
        assert!(warnings.is_empty());
        check_compiled(
            &target,
            &["carecloud-derive".to_owned()],
            "x",
            &mut warnings,
        );
        assert_eq!(warnings.len(), 2);
    }
}
