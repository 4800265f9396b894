//! What a spec change means for users of the generated crate: two
//! validated specs ([`Api`]) in, one [`Change`] per difference out, each
//! judged by the semver policy of `docs/semver.md` against the Rust API the
//! generator makes of it (a `#[non_exhaustive]` struct with constructors, an
//! open enum, required arguments as method arguments).
//!
//! [`compare`] runs the checks ([`operations`] and [`schemas`], each change
//! under a stable id from [`checks::CHECKS`]); [`render`] writes a report as
//! text, as a CHANGELOG section or as JSON; [`gate`] decides whether a
//! report fails CI (`--fail-on`, accepted fingerprints, the version bump
//! already made); [`input`] reads a spec from a folder or a git revision.
//!
//! ```
//! use carecloud_codegen::diff;
//! let group = |extra: &str| format!("openapi: 3.0.3
//! info: {{title: T, version: v1.0}}
//! tags: [{{name: Widgets, description: Things.}}]
//! paths:
//!   /widgets:
//!     get:
//!       operationId: getWidgets
//!       tags: [Widgets]
//!       responses:
//!         '200':
//!           description: OK.
//!           content: {{application/json: {{schema: {{$ref: '#/components/schemas/Widget'}}}}}}
//! components:
//!   schemas:
//!     Widget:
//!       type: object
//!       properties:
//!         name: {{type: string}}{extra}
//! ");
//! let interface = "openapi: 3.0.3\ninfo: {title: E, version: v1.0}\npaths: {}\n";
//! let api = |doc: &str| {
//!     let files = [("enterprise.yaml", interface), ("groups/widgets.yaml", doc)];
//!     let sources = carecloud_codegen::Sources::from_texts(&files, &["enterprise"])?;
//!     carecloud_codegen::validate::validate(&sources)
//! };
//! let old = api(&group(""))?;
//! let new = api(&group("\n        size: {type: integer}"))?;
//! let report = diff::compare(&old, &new);
//! assert_eq!(report.changes.len(), 1);
//! assert_eq!(report.changes[0].id, "property-added");
//! assert_eq!(report.level(), Some(diff::Severity::Minor));
//! # Ok::<(), carecloud_codegen::Error>(())
//! ```

pub mod checks;
pub mod gate;
pub mod input;
pub mod lines;
pub mod operations;
pub mod probe;
pub mod render;
mod rust;
pub mod schemas;

use std::fmt;

use serde_json::Value;

use crate::model::Api;

/// How much a change means to a user of the generated crate (the levels of
/// `docs/semver.md`), lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Nothing a user's code can notice but docs and fixed behaviour.
    Patch,
    /// Something new; existing code keeps compiling and working.
    Minor,
    /// Existing code may stop compiling or working.
    Major,
}

impl Severity {
    /// `patch`, `minor` or `major`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Patch => "patch",
            Severity::Minor => "minor",
            Severity::Major => "major",
        }
    }

    /// The level called `name`.
    pub fn parse(name: &str) -> Option<Self> {
        [Severity::Patch, Severity::Minor, Severity::Major]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One difference between two specs, as a user of the crate sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The check that found it (`request-parameter-became-required`); one of
    /// [`checks::CHECKS`].
    pub id: &'static str,
    /// What it means for a user of `carecloud-api`.
    pub severity: Severity,
    /// For a major change: whether it breaks the build or, compiling still,
    /// behaviour (as its check declares, [`checks::Check::breaks`]).
    pub breaks: Option<checks::Breaks>,
    /// The group (cargo feature) it falls under; `common` for the shared
    /// components.
    pub group: String,
    /// The operationId it touches, if any.
    pub operation: Option<String>,
    /// The schema it touches, if any.
    pub schema: Option<String>,
    /// Where it is: `spec/groups/stores.yaml#/paths/~1stores/get`, in the
    /// new spec (in the old one for what was removed).
    pub spec_pointer: String,
    /// The Rust items it touches (`EnterpriseClient::get_stores`,
    /// `types::Store::name`).
    pub rust_items: Vec<String>,
    /// One line saying what changed.
    pub message: String,
    /// For a major change: what a user changes in their code.
    pub migration: Option<String>,
    /// What the change is about, independent of its place in the files
    /// (`getStores query count`): with the id, the fingerprint's input.
    pub subject: String,
}

impl Change {
    /// A short stable hash of the change's id and subject: it does not move
    /// when the files are reordered, reworded elsewhere or gain other changes.
    pub fn fingerprint(&self) -> String {
        // FNV-1a, 64 bits: the same on every platform and Rust version.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.id.bytes().chain([0]).chain(self.subject.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    /// Its level with, for a major change, how it breaks: `minor`, `major
    /// (breaks the build)`, `major (compiles, breaks behaviour)`.
    pub fn verdict(&self) -> String {
        verdict(self.severity, self.breaks)
    }

    /// The heading it goes under in a CHANGELOG section.
    pub fn section(&self) -> &'static str {
        if self.id.ends_with("-deprecated") {
            "Deprecated"
        } else {
            match self.severity {
                Severity::Major => "Breaking",
                Severity::Minor => "Added",
                Severity::Patch => "Changed",
            }
        }
    }
}

/// Every change between two specs, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes: the most severe first, then by group, operation or
    /// schema, check id and subject.
    pub changes: Vec<Change>,
}

impl Report {
    /// The most severe change's level (`None`: the specs mean the same).
    pub fn level(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }

    /// How the major changes break: the build if one of them does, else
    /// behaviour; `None` without a major change.
    pub fn breaks(&self) -> Option<checks::Breaks> {
        self.changes.iter().filter_map(|c| c.breaks).max()
    }

    /// The most severe level with, when major, how it breaks (`major
    /// (breaks the build)`); `None` when the specs mean the same.
    pub fn verdict(&self) -> Option<String> {
        self.level().map(|level| verdict(level, self.breaks()))
    }
}

fn verdict(level: Severity, breaks: Option<checks::Breaks>) -> String {
    match breaks {
        Some(kind) if level == Severity::Major => format!("{level} ({})", kind.describe()),
        _ => level.to_string(),
    }
}

/// Compares two validated specs.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut changes = Vec::new();
    operations::compare(old, new, &mut changes);
    schemas::compare(old, new, &mut changes);
    for change in &mut changes {
        change.breaks = checks::breaks(change.id, change.severity, change.breaks);
    }
    changes.sort_by(|a, b| {
        let key = |c: &Change| {
            (
                c.group.clone(),
                c.operation.clone(),
                c.schema.clone(),
                c.id,
                c.subject.clone(),
            )
        };
        b.severity
            .cmp(&a.severity)
            .then_with(|| key(a).cmp(&key(b)))
    });
    changes.dedup();
    Report { changes }
}

/// The node at `pointer` in `doc`, following local `$ref`s (at most 16).
pub(crate) fn resolved<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..16 {
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

/// A JSON pointer segment (`/stores` → `~1stores`).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The text of `key` in `node`, trimmed.
pub(crate) fn text<'a>(node: &'a Value, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Value::as_str).map(str::trim)
}

/// Whether `node` has `deprecated: true`.
pub(crate) fn deprecated(node: &Value) -> bool {
    node.get("deprecated") == Some(&Value::Bool(true))
}

/// Compact JSON of a node, for messages.
pub(crate) fn json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
