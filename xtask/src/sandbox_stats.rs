//! `sandbox-stats`: how much of the sandbox is hand-written, and how its
//! operations are served (issue 19's figures; `docs/sandbox.md`).
//!
//! From the source of `carecloud-sandbox/src` (without `src/generated/`):
//! lines; the operations with a handler of their own (the table in
//! `src/actions.rs`); the operations named anywhere (`Id::X`,
//! `OperationId::X`); `["…"]` sites, all of them and those indexing a value
//! (`body["x"]`, `f()["x"]`, not a path literal `&["x"]`); the largest modules.
//! From the spec's `x-sandbox` declarations, when it has any: per group, the
//! operations and what serves them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use carecloud_codegen::model::sandbox::Serve;

use crate::error::{Context, Result};

/// A module's size at or above which it is listed as too large.
const MODULE_LIMIT: usize = 400;

/// The figures of one sandbox source tree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Code {
    /// Hand-written `.rs` files, relative to `src/`, with their lines.
    pub files: Vec<(String, usize)>,
    /// The operations in the handler table (`src/actions.rs`).
    pub handlers: BTreeSet<String>,
    /// The operations named anywhere in the hand-written code.
    pub named: BTreeSet<String>,
    /// Every `["…"]`.
    pub brackets: usize,
    /// The `["…"]` indexing a value.
    pub indexing: usize,
}

impl Code {
    /// Reads `src` (a sandbox's `src/`), skipping `generated/`.
    pub fn read(src: &Path) -> Result<Self> {
        let mut paths = Vec::new();
        rust_files(src, &mut paths)?;
        paths.sort();
        let mut code = Code::default();
        for path in paths {
            let text =
                fs::read_to_string(&path).context(|| format!("reading {}", path.display()))?;
            let name = path.strip_prefix(src).unwrap_or(&path);
            let name = name.to_string_lossy().replace('\\', "/");
            code.add(&name, &text);
        }
        Ok(code)
    }

    /// Counts one file.
    pub fn add(&mut self, name: &str, text: &str) {
        self.files.push((name.to_owned(), text.lines().count()));
        let ops = operations_named(text);
        if name == "actions.rs" {
            self.handlers.extend(operations_named_as(text, &["Id"]));
        }
        self.named.extend(ops);
        let (all, indexing) = brackets(text);
        self.brackets += all;
        self.indexing += indexing;
    }

    /// All hand-written lines.
    pub fn lines(&self) -> usize {
        self.files.iter().map(|(_, n)| n).sum()
    }

    /// The files from the largest, at most `n` of them.
    pub fn largest(&self, n: usize) -> Vec<&(String, usize)> {
        let mut files: Vec<_> = self.files.iter().collect();
        files.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        files.truncate(n);
        files
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = fs::read_dir(dir).context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .context(|| format!("reading {}", dir.display()))?
            .path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                rust_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The operations a text names as `Id::X` or `OperationId::X`.
fn operations_named(text: &str) -> BTreeSet<String> {
    operations_named_as(text, &["Id", "OperationId"])
}

fn operations_named_as(text: &str, prefixes: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("::") {
        let before = &text[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        if !prefixes.contains(&&before[start..]) {
            continue;
        }
        let after = &text[at + 2..];
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        if after.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.insert(after[..end].to_owned());
        }
    }
    out
}

/// (every `["…"]`, those right after a name, `)` or `]`: indexing a value).
fn brackets(text: &str) -> (usize, usize) {
    let (mut all, mut indexing) = (0, 0);
    for (at, _) in text.match_indices("[\"") {
        let rest = &text[at + 2..];
        let Some(close) = rest.find('"') else {
            continue;
        };
        if !rest[close..].starts_with("\"]") {
            continue;
        }
        all += 1;
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ')' | ']')) {
            indexing += 1;
        }
    }
    (all, indexing)
}

/// Per group: its operations, and how many each engine serves.
pub type Groups = BTreeMap<String, BTreeMap<&'static str, usize>>;

/// How the workspace at `root`'s spec declares its operations served, per
/// group (`None` if no group document declares `x-sandbox`).
pub fn declared(root: &Path) -> Result<Option<Groups>> {
    let sources = carecloud_codegen::load_workspace(root).context(|| "reading the spec".into())?;
    if !sources
        .groups
        .iter()
        .any(|g| g.doc.value.get("x-sandbox").is_some())
    {
        return Ok(None);
    }
    let api =
        carecloud_codegen::validate::validate(&sources).context(|| "checking the spec".into())?;
    let mut groups = Groups::new();
    for (variant, serve) in &api.sandbox.operations {
        let group = api
            .operations
            .iter()
            .find(|op| carecloud_codegen::naming::type_name(&op.operation_id) == *variant)
            .map_or("?", |op| op.group.as_str());
        let kind = match serve {
            Serve::Handler => "handler",
            Serve::Standard(_) => "standard",
            Serve::Ledger(_) => "ledger",
            Serve::Action(_) => "action",
            Serve::View(_) => "view",
            Serve::Batch(_) => "batch",
        };
        let counts = groups.entry(group.to_owned()).or_default();
        *counts.entry("operations").or_default() += 1;
        *counts.entry(kind).or_default() += 1;
    }
    Ok(Some(groups))
}

/// The report, in markdown.
pub fn report(root: &Path, code: &Code, groups: Option<&Groups>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Sandbox at {}\n", root.display());
    let too_large: Vec<_> = code
        .files
        .iter()
        .filter(|(_, n)| *n > MODULE_LIMIT)
        .map(|(f, n)| format!("{f} ({n})"))
        .collect();
    let rows = [
        (
            "hand-written lines (src/, not src/generated/)",
            code.lines().to_string(),
        ),
        ("files", code.files.len().to_string()),
        (
            "operations with a handler of their own (src/actions.rs)",
            code.handlers.len().to_string(),
        ),
        (
            "operations named in hand-written code",
            code.named.len().to_string(),
        ),
        ("`[\"…\"]` sites", code.brackets.to_string()),
        ("`[\"…\"]` indexing a value", code.indexing.to_string()),
        (
            "largest module",
            code.largest(1)
                .first()
                .map_or("-".into(), |(f, n)| format!("{f} ({n})")),
        ),
        (
            "modules over 400 lines",
            if too_large.is_empty() {
                "none".into()
            } else {
                too_large.join(", ")
            },
        ),
    ];
    let _ = writeln!(out, "| figure | value |\n|---|---|");
    for (name, value) in rows {
        let _ = writeln!(out, "| {name} | {value} |");
    }
    let _ = writeln!(out, "\nLargest modules:");
    for (file, lines) in code.largest(5) {
        let _ = writeln!(out, "- {file}: {lines}");
    }
    let Some(groups) = groups else {
        let _ = writeln!(out, "\nThe spec declares no `x-sandbox`.");
        return out;
    };
    const KINDS: [&str; 7] = [
        "operations",
        "handler",
        "standard",
        "ledger",
        "action",
        "view",
        "batch",
    ];
    let _ = writeln!(
        out,
        "\nHow the spec's operations are served (`x-sandbox`):\n"
    );
    let _ = writeln!(out, "| group | {} | handler share |", KINDS.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(KINDS.len()));
    let mut total: BTreeMap<&str, usize> = BTreeMap::new();
    let row = |name: &str, counts: &BTreeMap<&str, usize>| {
        let cells: Vec<String> = KINDS
            .iter()
            .map(|k| counts.get(k).copied().unwrap_or(0).to_string())
            .collect();
        let ops = counts.get("operations").copied().unwrap_or(0).max(1);
        let share = 100.0 * counts.get("handler").copied().unwrap_or(0) as f64 / ops as f64;
        format!("| {name} | {} | {share:.0}% |", cells.join(" | "))
    };
    for (group, counts) in groups {
        let _ = writeln!(out, "{}", row(group, counts));
        for (kind, n) in counts {
            *total.entry(kind).or_default() += n;
        }
    }
    let _ = writeln!(out, "{}", row("**all**", &total));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_operations_named_and_the_handler_table() {
        let mut code = Code::default();
        let table = "match id { Id::PostUserLogin => login, Id::GetCards => x }";
        code.add("actions.rs", table);
        code.add(
            "x.rs",
            "OperationId::GetCards; carecloud_api::OperationId::GetStores; Id::x; Kind::Get",
        );
        let handlers: Vec<_> = code.handlers.iter().map(String::as_str).collect();
        assert_eq!(handlers, ["GetCards", "PostUserLogin"]);
        let named: Vec<_> = code.named.iter().map(String::as_str).collect();
        assert_eq!(named, ["GetCards", "GetStores", "PostUserLogin"]);
        assert_eq!(code.lines(), 2);
    }

    #[test]
    fn tells_indexing_from_path_literals() {
        let text = r#"body["card"]["id"]; f()["x"]; &["path"]; (["a"]); v[0]["y"]; ["a", "b"]; x["#;
        assert_eq!(brackets(text), (6, 4));
    }

    #[test]
    fn reports_the_largest_modules_and_those_over_the_limit() {
        let mut code = Code::default();
        code.add("big.rs", &"x\n".repeat(401));
        code.add("small.rs", "x\n");
        let report = report(Path::new("."), &code, None);
        assert!(
            report.contains("| largest module | big.rs (401) |"),
            "{report}"
        );
        assert!(
            report.contains("| modules over 400 lines | big.rs (401) |"),
            "{report}"
        );
        assert!(report.contains("declares no `x-sandbox`"), "{report}");
    }

    #[test]
    fn the_workspace_spec_declares_how_each_operation_is_served() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace");
        let groups = declared(root).expect("the spec checks").expect("declared");
        let points = &groups["points"];
        assert!(
            points["operations"] > 0 && !points.contains_key("handler"),
            "{points:?}"
        );
        let report = report(root, &Code::default(), Some(&groups));
        assert!(report.contains("| **all** |"), "{report}");
    }
}
