//! The two specs `diff` compares: a spec folder on disk, or `spec/` at a git
//! revision of the workspace; each validated into an [`Api`], with the
//! workspace version next to it when there is one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Api;
use crate::{INTERFACES, SPEC_DIR};

/// One side of a comparison.
#[derive(Clone, Debug)]
pub struct Spec {
    /// How reports name it: `HEAD`, `spec/`, a folder.
    pub label: String,
    /// The validated spec.
    pub api: Api,
    /// The workspace version (`[workspace.package] version`) beside the
    /// spec, if it has one.
    pub version: Option<String>,
    /// The text of each file, by its name in reports (`spec/groups/x.yaml`):
    /// where a change's line is looked up.
    pub texts: BTreeMap<String, String>,
}

/// The workspace holding `start`: the closest ancestor folder with a
/// `Cargo.toml` declaring `[workspace]` and a `spec/` folder.
pub fn find_workspace(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let is_workspace = manifest.lines().any(|l| l.trim() == "[workspace]");
        (is_workspace && dir.join(SPEC_DIR).is_dir()).then(|| dir.to_owned())
    })
}

/// The spec in `dir`: a workspace (with `spec/` inside) or a spec folder.
pub fn from_dir(dir: &Path) -> Result<Spec> {
    let label = dir.display().to_string();
    let inner = dir.join(SPEC_DIR);
    let (spec_dir, version) = if inner.is_dir() {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok();
        (inner, manifest.as_deref().and_then(workspace_version))
    } else {
        (dir.to_owned(), None)
    };
    let side = |source| Error::Spec {
        side: label.clone(),
        source: Box::new(source),
    };
    let sources = Sources::read(&spec_dir, SPEC_DIR, INTERFACES).map_err(side)?;
    let api = crate::validate::validate(&sources).map_err(side)?;
    Ok(Spec {
        label,
        api,
        version,
        texts: texts(&spec_dir),
    })
}

/// The texts of the spec files in `spec_dir` (the folder and `groups/`),
/// by their names in reports; files that cannot be read are left out (the
/// spec itself was read already).
fn texts(spec_dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for sub in ["", "groups/"] {
        let Ok(entries) = std::fs::read_dir(spec_dir.join(sub)) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.insert(format!("{SPEC_DIR}/{sub}{name}"), text);
            }
        }
    }
    out
}

/// `spec/` of the workspace at `root` as committed at `rev` (any revision
/// git understands: `HEAD`, `main`, `v0.1.0`, a hash).
pub fn from_rev(root: &Path, rev: &str) -> Result<Spec> {
    let side = |source| Error::Spec {
        side: rev.to_owned(),
        source: Box::new(source),
    };
    let listing = git(root, &["ls-tree", "-r", "--name-only", rev, "--", SPEC_DIR])?;
    let prefix = format!("{SPEC_DIR}/");
    let mut files = Vec::new();
    for path in listing.lines() {
        let Some(relative) = path.strip_prefix(&prefix) else {
            continue;
        };
        let text = git(root, &["show", &format!("{rev}:./{path}")])?;
        files.push((relative.to_owned(), text));
    }
    if files.is_empty() {
        return Err(side(Error::Git {
            args: format!("ls-tree {rev} -- {SPEC_DIR}"),
            message: format!("there is no {SPEC_DIR}/ at {rev}"),
        }));
    }
    let sources = Sources::from_named_texts(SPEC_DIR, &files, INTERFACES).map_err(side)?;
    let api = crate::validate::validate(&sources).map_err(side)?;
    let version = git(root, &["show", &format!("{rev}:./Cargo.toml")])
        .ok()
        .as_deref()
        .and_then(workspace_version);
    let texts = files
        .into_iter()
        .map(|(name, text)| (format!("{SPEC_DIR}/{name}"), text))
        .collect();
    Ok(Spec {
        label: rev.to_owned(),
        api,
        version,
        texts,
    })
}

/// Runs git in `dir`; its standard output, or an error with its message.
fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let failed = |message: String| Error::Git {
        args: args.join(" "),
        message,
    };
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| failed(e.to_string()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(failed(stderr.trim().to_owned()));
    }
    String::from_utf8(output.stdout).map_err(|e| failed(e.to_string()))
}

/// The `version` of `[workspace.package]` (or of `[package]`) in a manifest.
pub fn workspace_version(manifest: &str) -> Option<String> {
    let mut section = "";
    let mut found = None;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let Some(value) = line
            .strip_prefix("version")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
        else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match section {
            "[workspace.package]" => return Some(value),
            "[package]" => found = Some(value),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_version_is_read_from_its_section() {
        let manifest = "[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"0.3.1\"\n\n[workspace.dependencies]\nx = { version = \"1\" }\n";
        assert_eq!(workspace_version(manifest).as_deref(), Some("0.3.1"));
        assert_eq!(
            workspace_version("[package]\nname = \"a\"\nversion = \"1.2.0\"\n").as_deref(),
            Some("1.2.0")
        );
        assert_eq!(workspace_version("[dependencies]\nversion = \"1\"\n"), None);
    }

    #[test]
    fn the_workspace_is_found_from_a_folder_inside_it() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = find_workspace(&here.join("src")).expect("the workspace");
        assert!(root.join("spec/components.yaml").is_file());
        assert_eq!(root, here.parent().unwrap());
    }
}
