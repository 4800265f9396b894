//! The `RUSTC_WRAPPER` that records each rustc's peak memory.
//!
//! The wrapper is this very program, copied to `target/build-cost/bin/` (so
//! that rebuilding xtask mid-run does not replace it): when
//! [`RSS_DIR_ENV`] is set, `main` hands over to [`run_if_wrapping`] before
//! parsing any task. Cargo calls it as `WRAPPER RUSTC ARGS...`; a compilation
//! (one with `--crate-name`) runs as `/usr/bin/time -f %M -o
//! $DIR/<crate>-<pid>.rss RUSTC ARGS...`, anything else (cargo's `-vV` and
//! `--print` probes) runs rustc directly. Every build in a measured target
//! folder goes through the wrapper, so cargo's fingerprints never see it
//! change.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::error::{Context, Result};

/// The folder the wrapper writes its `.rss` files to; set only for cargo.
pub const RSS_DIR_ENV: &str = "XTASK_RUSTC_RSS_DIR";

/// GNU time, which reports the peak resident set size (`%M`, KiB).
pub const TIME: &str = "/usr/bin/time";

/// The crate name cargo uses for its `--print` probe.
const PROBE_CRATE: &str = "___";

/// In wrapper mode, runs rustc (measured) and returns its exit code;
/// otherwise `None`.
pub fn run_if_wrapping() -> Option<ExitCode> {
    let dir = std::env::var_os(RSS_DIR_ENV)?;
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next()?;
    let args: Vec<OsString> = args.collect();
    let status = match crate_name(&args) {
        Some(name) if name != PROBE_CRATE => {
            let file = Path::new(&dir).join(format!("{name}-{}.rss", std::process::id()));
            Command::new(TIME)
                .args(["-f", "%M", "-o"])
                .arg(file)
                .arg(&rustc)
                .args(&args)
                .status()
        }
        _ => Command::new(&rustc).args(&args).status(),
    };
    Some(match status {
        Ok(status) => match status.code() {
            Some(0) => ExitCode::SUCCESS,
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1).max(1)),
            None => ExitCode::FAILURE,
        },
        Err(e) => {
            eprintln!(
                "xtask rustc wrapper: could not run {} (or {TIME}): {e}",
                Path::new(&rustc).display()
            );
            ExitCode::FAILURE
        }
    })
}

/// The value of `--crate-name` in rustc's arguments.
pub fn crate_name(args: &[OsString]) -> Option<String> {
    let at = args.iter().position(|a| a == "--crate-name")?;
    args.get(at + 1).map(|n| n.to_string_lossy().into_owned())
}

/// Copies this program to `bin_dir/rustc-rss-wrapper` (only when it
/// changed, so the file stays as it was between runs) and returns that path.
pub fn install(bin_dir: &Path) -> Result<PathBuf> {
    if !Path::new(TIME).is_file() {
        crate::bail!(
            "{TIME} (GNU time) is missing: it measures rustc's peak memory (Debian: `apt-get install time`)"
        );
    }
    let me = std::env::current_exe().context(|| "finding the xtask executable".to_owned())?;
    let target = bin_dir.join("rustc-rss-wrapper");
    std::fs::create_dir_all(bin_dir).context(|| format!("creating {}", bin_dir.display()))?;
    let current = std::fs::read(&me).context(|| format!("reading {}", me.display()))?;
    if std::fs::read(&target).ok().as_deref() != Some(current.as_slice()) {
        // A fresh file (not an overwrite) so that a running copy is untouched.
        let tmp = bin_dir.join("rustc-rss-wrapper.tmp");
        std::fs::copy(&me, &tmp).context(|| format!("copying {}", me.display()))?;
        std::fs::rename(&tmp, &target).context(|| format!("writing {}", target.display()))?;
    }
    Ok(target)
}

/// The largest peak RSS (KiB) recorded in `dir` for `crate_name`, if any.
pub fn peak_rss_kib(dir: &Path, crate_name: &str) -> Result<Option<u64>> {
    let mut peak = None;
    let prefix = format!("{crate_name}-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    for entry in entries {
        let path = entry
            .context(|| format!("listing {}", dir.display()))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !(name.starts_with(&prefix) && name.ends_with(".rss")) {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).context(|| format!("reading {}", path.display()))?;
        if let Some(kib) = parse_rss(&text) {
            peak = peak.max(Some(kib));
        }
    }
    Ok(peak)
}

/// The number on the last non-empty line of a `time -f %M` report (which
/// may start with `Command exited with non-zero status N`).
fn parse_rss(text: &str) -> Option<u64> {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_crate_name() {
        let args: Vec<OsString> = [
            "--edition=2024",
            "--crate-name",
            "carecloud_api",
            "src/lib.rs",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        assert_eq!(crate_name(&args).as_deref(), Some("carecloud_api"));
        assert_eq!(crate_name(&[OsString::from("-vV")]), None);
    }

    #[test]
    fn parses_time_reports() {
        assert_eq!(parse_rss("123456\n"), Some(123_456));
        assert_eq!(
            parse_rss("Command exited with non-zero status 1\n789\n"),
            Some(789)
        );
        assert_eq!(parse_rss(""), None);
    }

    #[test]
    fn takes_the_largest_report_of_a_crate() {
        let dir = std::env::temp_dir().join(format!("xtask-rss-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a_b-1.rss"), "100\n").unwrap();
        std::fs::write(dir.join("a_b-2.rss"), "300\n").unwrap();
        std::fs::write(dir.join("a_bc-3.rss"), "900\n").unwrap();
        assert_eq!(peak_rss_kib(&dir, "a_b").unwrap(), Some(300));
        assert_eq!(peak_rss_kib(&dir, "zzz").unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
