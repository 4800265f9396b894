//! A report as text for a terminal, as a CHANGELOG section (Markdown), as
//! JSON, or as GitHub Actions annotations. The same report renders to the
//! same bytes.
//!
//! The JSON document:
//!
//! ```json
//! {
//!   "level": "major",          // the most severe change; null: none
//!   "breaks": "build",         // when major: "build" if a major change breaks the
//!                              // build, else "behaviour"; null below major
//!   "bump": "minor",           // the version part to bump (0.x: major → minor); null: none
//!   "version": {"from": "0.1.0", "to": "0.2.0"},   // when the version is known
//!   "changes": [{
//!     "id": "request-parameter-became-required",
//!     "severity": "major",     // patch | minor | major
//!     "breaks": "build",       // major only: "build" (a dependent crate stops
//!                              // compiling) or "behaviour" (it compiles, and a
//!                              // call that worked fails or does something else);
//!                              // null below major
//!     "group": "stores",       // the cargo feature; "common" for shared schemas
//!     "operation": "getStores",  // or null
//!     "schema": null,          // or the schema's name
//!     "spec_pointer": "spec/groups/stores.yaml#/paths/~1stores/get/parameters/0",
//!     "rust_items": ["EnterpriseClient::get_stores", "CustomerClient::get_stores"],
//!     "message": "`getStores`: query parameter `count` became required",
//!     "migration": "pass `count` as an argument of `get_stores(..)` …",  // major only
//!     "fingerprint": "3f9c0e1a2b4d5e6f"
//!   }]
//! }
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::gate::{Bump, next, required};
use super::{Change, Report};

/// What the report compares, for its heading.
#[derive(Clone, Debug, Default)]
pub struct Heading {
    /// The old spec's name (`HEAD`).
    pub old: String,
    /// The new spec's name (`spec/`).
    pub new: String,
    /// The version the old spec was released as, if known; without it the
    /// bump is read as on `0.x`, the series this workspace is in.
    pub version: Option<String>,
}

impl Heading {
    /// The bump the report asks for, and the version it leads to.
    fn bump(&self, report: &Report) -> Option<(Bump, Option<String>)> {
        let level = report.level()?;
        let version = self.version.as_deref().unwrap_or("0.1.0");
        let bump = required(level, version);
        Some((bump, self.version.as_deref().and_then(|v| next(v, bump))))
    }
}

/// The report for a terminal: a summary line, then one block per change.
pub fn text(report: &Report, heading: &Heading) -> String {
    let mut out = String::new();
    let count = report.changes.len();
    let _ = write!(
        out,
        "{count} change{} from {} to {}",
        if count == 1 { "" } else { "s" },
        heading.old,
        heading.new
    );
    match (report.verdict(), heading.bump(report)) {
        (Some(verdict), Some((bump, Some(to)))) => {
            let from = heading.version.as_deref().unwrap_or_default();
            let _ = writeln!(out, ": {verdict}; bump the {bump} version ({from} -> {to})");
        }
        (Some(verdict), Some((bump, None))) => {
            let _ = writeln!(out, ": {verdict}; bump the {bump} version");
        }
        _ => out.push('\n'),
    }
    for change in &report.changes {
        let _ = writeln!(
            out,
            "\n{:<5}  {}  [{}]",
            change.verdict(),
            change.id,
            change.group
        );
        let _ = writeln!(out, "  {}", change.message);
        let _ = writeln!(out, "  at {}", change.spec_pointer);
        if !change.rust_items.is_empty() {
            let _ = writeln!(out, "  rust: {}", change.rust_items.join(", "));
        }
        if let Some(migration) = &change.migration {
            let _ = writeln!(out, "  migration: {migration}");
        }
        let _ = writeln!(out, "  fingerprint: {}", change.fingerprint());
    }
    out
}

/// The report as a CHANGELOG section: Breaking, Added, Changed and
/// Deprecated, each grouped by group (cargo feature); documentation-only
/// changes are one line per group.
pub fn markdown(report: &Report, heading: &Heading) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- carecloud-codegen diff: {} -> {} -->",
        heading.old, heading.new
    );
    if report.changes.is_empty() {
        out.push_str("\nNo change to the API.\n");
        return out;
    }
    if let (Some((bump, to)), Some(verdict)) = (heading.bump(report), report.verdict()) {
        let to = to.map(|v| format!(" (to {v})")).unwrap_or_default();
        let _ = writeln!(
            out,
            "\nBump the {bump} version{to}: the most severe change is {verdict}."
        );
    }
    for section in ["Breaking", "Added", "Changed", "Deprecated"] {
        let mut groups: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for change in report.changes.iter().filter(|c| c.section() == section) {
            groups.entry(&change.group).or_default().push(change);
        }
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {section}\n");
        for (group, changes) in groups {
            let _ = writeln!(out, "- **{group}**");
            let mut docs: Vec<&str> = Vec::new();
            let mut features: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for change in changes {
                if let ("schema-group-added", Some(schema)) = (change.id, &change.schema) {
                    let group = change.subject.rsplit(' ').next().unwrap_or_default();
                    features.entry(schema).or_default().push(group);
                    continue;
                }
                if change.id == "description-changed" {
                    let name = change
                        .operation
                        .as_deref()
                        .or(change.schema.as_deref())
                        .unwrap_or_default();
                    if !docs.contains(&name) {
                        docs.push(name);
                    }
                    continue;
                }
                let _ = write!(out, "  - {}", change.message);
                if let Some(breaks) = change.breaks {
                    let _ = write!(out, " ({})", breaks.describe());
                }
                if let Some(migration) = &change.migration {
                    let _ = write!(out, ". Migration: {migration}");
                }
                out.push('\n');
            }
            for (schema, groups) in features {
                let groups: Vec<String> = groups.iter().map(|g| format!("`{g}`")).collect();
                let _ = writeln!(
                    out,
                    "  - `{schema}` now also comes with the feature{} {}",
                    if groups.len() == 1 { "" } else { "s" },
                    groups.join(", ")
                );
            }
            if !docs.is_empty() {
                let names: Vec<String> = docs.iter().map(|n| format!("`{n}`")).collect();
                let _ = writeln!(out, "  - Documentation of {}", names.join(", "));
            }
        }
    }
    out
}

/// The report as JSON (the document the module docs describe).
pub fn json(report: &Report, heading: &Heading) -> String {
    let bump = heading.bump(report);
    let mut doc = json!({
        "level": report.level().map(|l| l.name()),
        "breaks": report.breaks().map(|b| b.name()),
        "bump": bump.as_ref().map(|(b, _)| b.to_string()),
    });
    if let (Some(from), Some((_, Some(to)))) = (&heading.version, &bump) {
        doc["version"] = json!({"from": from, "to": to});
    }
    doc["changes"] = report.changes.iter().map(change_json).collect();
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn change_json(change: &Change) -> Value {
    json!({
        "id": change.id,
        "severity": change.severity.name(),
        "breaks": change.breaks.map(|b| b.name()),
        "group": change.group,
        "operation": change.operation,
        "schema": change.schema,
        "spec_pointer": change.spec_pointer,
        "rust_items": change.rust_items,
        "message": change.message,
        "migration": change.migration,
        "fingerprint": change.fingerprint(),
    })
}

/// The report as GitHub Actions workflow commands, one annotation per
/// change: `::error` for a major change (the message says whether it breaks
/// the build or, compiling, behaviour), `::warning` for a minor one,
/// `::notice` for a patch, titled with the check id and placed on the spec
/// file and, when `line` finds it (given the file and the JSON pointer), the
/// line: `::error file=spec/groups/shop.yaml,line=12,title=property-removed::…`.
pub fn github(report: &Report, line: impl Fn(&str, &str) -> Option<usize>) -> String {
    let mut out = String::new();
    for change in &report.changes {
        let command = match change.severity {
            super::Severity::Major => "error",
            super::Severity::Minor => "warning",
            super::Severity::Patch => "notice",
        };
        let (file, pointer) = change
            .spec_pointer
            .split_once('#')
            .unwrap_or((change.spec_pointer.as_str(), ""));
        let mut properties = format!("file={}", escape_property(file));
        if let Some(n) = line(file, pointer) {
            let _ = write!(properties, ",line={n}");
        }
        let _ = write!(properties, ",title={}", escape_property(change.id));
        let mut message = match change.breaks {
            Some(breaks) => format!(
                "{} ({}, {})",
                change.message,
                change.severity,
                breaks.describe()
            ),
            None => format!("{} ({})", change.message, change.severity),
        };
        if let Some(migration) = &change.migration {
            let _ = write!(message, ". Migration: {migration}");
        }
        let _ = writeln!(out, "::{command} {properties}::{}", escape_data(&message));
    }
    out
}

/// A workflow command's message, escaped as GitHub reads it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, escaped as GitHub reads it.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
