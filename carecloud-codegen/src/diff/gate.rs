//! The CI gate: which changes of a report fail `--fail-on LEVEL`, given the
//! changes accepted by fingerprint (`--accept FILE`) and the version bump
//! already made; and the version bump a report asks for.
//!
//! An accept file holds one accepted change a line: its fingerprint, then
//! why it is accepted (required). Blank lines and `#` comments are ignored:
//!
//! ```text
//! # fingerprint     reason
//! 3f9c0e1a2b4d5e6f  getStores: the vendor dropped `visible_for_customer`; announced in 0.4.0
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::{Change, Report, Severity};
use crate::error::{Error, Result};

/// The changes accepted by fingerprint, each with its reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    /// Fingerprint → reason.
    pub reasons: BTreeMap<String, String>,
}

impl Accepted {
    /// Reads an accept file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses the text of an accept file (`path` names it in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let mut reasons = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let wrong = |message: &str| Error::Accept {
                path: path.to_owned(),
                line: i + 1,
                message: message.to_owned(),
            };
            let (fingerprint, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let hex = fingerprint.len() == 16 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit());
            if !hex {
                return Err(wrong(
                    "expected a fingerprint (16 hex digits, as `diff` prints it) first",
                ));
            }
            if reason.trim().is_empty() {
                return Err(wrong(
                    "an accepted change needs a reason after its fingerprint",
                ));
            }
            reasons.insert(fingerprint.to_ascii_lowercase(), reason.trim().to_owned());
        }
        Ok(Accepted { reasons })
    }

    /// Why `change` is accepted, if it is.
    pub fn reason(&self, change: &Change) -> Option<&str> {
        self.reasons.get(&change.fingerprint()).map(String::as_str)
    }
}

/// A part of a version number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// `x.y.(z+1)`.
    Patch,
    /// `x.(y+1).0`.
    Minor,
    /// `(x+1).0.0`.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// `(major, minor, patch)` of a version (a pre-release or build suffix is ignored).
fn parts(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut it = core.split('.').map(|p| p.parse::<u64>().ok());
    let parts = (it.next()??, it.next()??, it.next()??);
    it.next().is_none().then_some(parts)
}

/// The part of `version` a change of `level` bumps, as Cargo reads versions:
/// on `0.x` the minor number is the major one (a breaking change bumps it,
/// everything else the patch number); on `0.0.x` every change bumps the patch.
pub fn required(level: Severity, version: &str) -> Bump {
    match (parts(version), level) {
        (Some((0, 0, _)), _) | (_, Severity::Patch) => Bump::Patch,
        (Some((0, _, _)), Severity::Major) => Bump::Minor,
        (Some((0, _, _)), Severity::Minor) => Bump::Patch,
        (_, Severity::Major) => Bump::Major,
        (_, Severity::Minor) => Bump::Minor,
    }
}

/// `version` bumped.
pub fn next(version: &str, bump: Bump) -> Option<String> {
    let (major, minor, patch) = parts(version)?;
    Some(match bump {
        Bump::Major => format!("{}.0.0", major + 1),
        Bump::Minor => format!("{major}.{}.0", minor + 1),
        Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// The largest part bumped from `from` to `to` (`None`: not bumped).
pub fn made(from: &str, to: &str) -> Option<Bump> {
    let (a, b) = (parts(from)?, parts(to)?);
    if b.0 > a.0 {
        Some(Bump::Major)
    } else if b.0 == a.0 && b.1 > a.1 {
        Some(Bump::Minor)
    } else if b.0 == a.0 && b.1 == a.1 && b.2 > a.2 {
        Some(Bump::Patch)
    } else {
        None
    }
}

/// Why a change at or above the gate's level does not fail it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pass<'a> {
    /// Accepted by fingerprint, for this reason.
    Accepted(&'a str),
    /// The version was already bumped from `.0` to `.1`, enough for it.
    Bumped(String, String),
}

/// The gate's decision on a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The changes that fail the gate.
    pub failing: Vec<&'a Change>,
    /// The changes at the gate's level that pass it, and why.
    pub passing: Vec<(&'a Change, Pass<'a>)>,
    /// Accepted fingerprints that match no change (stale lines).
    pub unused: Vec<&'a str>,
}

/// Decides which changes of `report` at `fail_on` or above fail the gate.
/// `versions` is (old, new) when both specs had a workspace version.
pub fn decide<'a>(
    report: &'a Report,
    fail_on: Severity,
    accepted: &'a Accepted,
    versions: Option<(&str, &str)>,
) -> Decision<'a> {
    let mut decision = Decision::default();
    for change in &report.changes {
        if change.severity < fail_on {
            continue;
        }
        if let Some(reason) = accepted.reason(change) {
            decision.passing.push((change, Pass::Accepted(reason)));
            continue;
        }
        let bumped = versions.filter(|(old, new)| {
            made(old, new).is_some_and(|b| b >= required(change.severity, old))
        });
        match bumped {
            Some((old, new)) => decision
                .passing
                .push((change, Pass::Bumped(old.to_owned(), new.to_owned()))),
            None => decision.failing.push(change),
        }
    }
    decision.unused = accepted
        .reasons
        .keys()
        .filter(|f| !report.changes.iter().any(|c| &c.fingerprint() == *f))
        .map(String::as_str)
        .collect();
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_reads_0_x_minor_as_major() {
        assert_eq!(required(Severity::Major, "0.1.0"), Bump::Minor);
        assert_eq!(required(Severity::Minor, "0.1.0"), Bump::Patch);
        assert_eq!(required(Severity::Patch, "0.1.0"), Bump::Patch);
        assert_eq!(required(Severity::Major, "1.4.2"), Bump::Major);
        assert_eq!(required(Severity::Minor, "1.4.2"), Bump::Minor);
        assert_eq!(required(Severity::Major, "0.0.3"), Bump::Patch);
        assert_eq!(next("0.1.0", Bump::Minor).as_deref(), Some("0.2.0"));
        assert_eq!(next("1.4.2", Bump::Patch).as_deref(), Some("1.4.3"));
        assert_eq!(made("0.1.0", "0.2.0"), Some(Bump::Minor));
        assert_eq!(made("0.1.0", "0.1.1"), Some(Bump::Patch));
        assert_eq!(made("0.1.0", "1.0.0"), Some(Bump::Major));
        assert_eq!(made("0.2.0", "0.1.9"), None);
        assert_eq!(made("0.1.0", "0.1.0"), None);
    }

    #[test]
    fn accept_files_need_a_fingerprint_and_a_reason() {
        let path = Path::new("accepted.txt");
        let ok = Accepted::parse(
            path,
            "# comment\n\n0123456789ABCDEF  the vendor dropped it\n",
        )
        .unwrap();
        assert_eq!(
            ok.reasons.get("0123456789abcdef").map(String::as_str),
            Some("the vendor dropped it")
        );
        let err = Accepted::parse(path, "0123456789abcdef\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "accepted.txt:1: an accepted change needs a reason after its fingerprint"
        );
        let err = Accepted::parse(path, "\nbad reason\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("accepted.txt:2: expected a fingerprint"),
            "{err}"
        );
    }
}
