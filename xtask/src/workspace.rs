//! The temporary workspace the build-cost measurements run in: the root
//! manifest reduced to the generator's crates, the lock file, those crates'
//! folders (without `target/`) and the chosen spec as `spec/`.
//!
//! Files are copied only when their content changed, so that their
//! modification times, and with them cargo's fingerprints, stay put between
//! runs.

use std::path::Path;

use crate::error::{Context, Result};

/// The crates copied into the temporary workspace: its members.
pub const MEMBERS: &[&str] = &["carecloud-api", "carecloud-derive", "carecloud-codegen"];

/// What the copy leaves out (besides `target` folders), relative to the
/// workspace: carecloud-api's generated code, which the codegen writes in
/// the copy.
const SKIPPED: &[&str] = &["carecloud-api/src/generated"];

/// Lays out (or brings up to date) the workspace copy of `root` in `ws`,
/// with `spec_dir` as its `spec/`.
pub fn prepare(root: &Path, ws: &Path, spec_dir: &Path) -> Result<()> {
    mkdir(ws)?;
    let manifest = root.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).context(|| format!("reading {}", manifest.display()))?;
    let reduced =
        reduce_manifest(&text, MEMBERS).context(|| format!("reducing {}", manifest.display()))?;
    write_if_changed(&ws.join("Cargo.toml"), reduced.as_bytes())?;
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        let bytes = std::fs::read(&lock).context(|| format!("reading {}", lock.display()))?;
        write_if_changed(&ws.join("Cargo.lock"), &bytes)?;
    }
    for member in MEMBERS {
        let from = root.join(member);
        if !from.is_dir() {
            crate::bail!(
                "{} is missing: the measured workspace needs it",
                from.display()
            );
        }
        sync_dir(&from, &ws.join(member), member)?;
    }
    sync_dir(spec_dir, &ws.join("spec"), "spec")
}

/// The root manifest with `members` and `default-members` of `[workspace]`
/// set to `members`, and `exclude` dropped.
pub fn reduce_manifest(text: &str, members: &[&str]) -> Result<String> {
    let list = members
        .iter()
        .map(|m| format!("\"{m}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = String::new();
    let mut table = String::new();
    let mut skipping_array = false;
    let mut found_members = false;
    for line in text.lines() {
        if skipping_array {
            skipping_array = !line.contains(']');
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            table = trimmed.trim_end().to_owned();
        }
        let key = trimmed
            .split_once('=')
            .map(|(k, _)| k.trim())
            .filter(|_| table == "[workspace]");
        match key {
            Some(key @ ("members" | "default-members" | "exclude")) => {
                let value = trimmed.split_once('=').map(|(_, v)| v).unwrap_or_default();
                skipping_array = value.contains('[') && !value.contains(']');
                if key != "exclude" {
                    found_members |= key == "members";
                    out.push_str(&format!("{key} = [{list}]\n"));
                }
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if !found_members {
        crate::bail!("no `members` in its [workspace] table");
    }
    Ok(out)
}

/// The `[profile...]` tables of a manifest, to give another workspace the
/// same build settings.
pub fn profiles(text: &str) -> String {
    let mut out = String::new();
    let mut in_profile = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_profile = trimmed.starts_with("[profile");
        }
        if in_profile {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Makes `to` a copy of `from` (recursively), writing only changed files and
/// removing what `from` no longer has; `name` is `from`'s path relative to
/// the workspace, matched against [`SKIPPED`].
pub fn sync_dir(from: &Path, to: &Path, name: &str) -> Result<()> {
    mkdir(to)?;
    let mut kept = Vec::new();
    let entries = std::fs::read_dir(from).context(|| format!("listing {}", from.display()))?;
    for entry in entries {
        let entry = entry.context(|| format!("listing {}", from.display()))?;
        let file_name = entry.file_name();
        let child = format!("{name}/{}", file_name.to_string_lossy());
        if skipped(&child) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            sync_dir(&path, &to.join(&file_name), &child)?;
        } else if path.is_file() {
            let bytes = std::fs::read(&path).context(|| format!("reading {}", path.display()))?;
            write_if_changed(&to.join(&file_name), &bytes)?;
        }
        kept.push(file_name);
    }
    let existing = std::fs::read_dir(to).context(|| format!("listing {}", to.display()))?;
    for entry in existing {
        let entry = entry.context(|| format!("listing {}", to.display()))?;
        let child = format!("{name}/{}", entry.file_name().to_string_lossy());
        if kept.contains(&entry.file_name()) || skipped(&child) {
            continue;
        }
        let path = entry.path();
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

/// Whether the workspace-relative `path` is left out of the copy (and left
/// alone in it): a `target` folder, or a [`SKIPPED`] path.
fn skipped(path: &str) -> bool {
    path.rsplit('/').next() == Some("target") || SKIPPED.contains(&path)
}

/// Writes `bytes` to `path` unless it already holds exactly them.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).context(|| format!("writing {}", path.display()))
}

fn mkdir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"[workspace]
resolver = "3"
members = ["a", "b", "xtask"]
exclude = ["tests/x"]
default-members = [
    "a",
    "b",
]

[workspace.dependencies]
members = "not the workspace key"

[profile.dev.package."*"]
debug = false
"#;

    #[test]
    fn reduces_the_workspace_members() {
        let reduced = reduce_manifest(MANIFEST, &["a", "c"]).unwrap();
        assert_eq!(
            reduced,
            r#"[workspace]
resolver = "3"
members = ["a", "c"]
default-members = ["a", "c"]

[workspace.dependencies]
members = "not the workspace key"

[profile.dev.package."*"]
debug = false
"#
        );
        assert!(reduce_manifest("[package]\nname = \"x\"\n", &["a"]).is_err());
    }

    #[test]
    fn extracts_profiles() {
        assert_eq!(
            profiles(MANIFEST),
            "[profile.dev.package.\"*\"]\ndebug = false\n"
        );
    }

    #[test]
    fn syncs_folders() {
        assert!(skipped("carecloud-api/target"));
        assert!(skipped("carecloud-api/src/generated"));
        assert!(!skipped("carecloud-api/src/lib.rs"));
        let dir = std::env::temp_dir().join(format!("xtask-sync-test-{}", std::process::id()));
        let (from, to) = (dir.join("from"), dir.join("to"));
        std::fs::create_dir_all(from.join("src")).unwrap();
        std::fs::create_dir_all(from.join("target")).unwrap();
        std::fs::write(from.join("src/lib.rs"), "x").unwrap();
        std::fs::write(from.join("target/big"), "x").unwrap();
        std::fs::create_dir_all(to.join("old")).unwrap();
        std::fs::write(to.join("stale.rs"), "x").unwrap();
        std::fs::create_dir_all(to.join("target")).unwrap();
        sync_dir(&from, &to, "crate").unwrap();
        assert!(to.join("src/lib.rs").is_file());
        assert!(!to.join("target/big").exists());
        assert!(to.join("target").is_dir(), "target folders are left alone");
        assert!(!to.join("old").exists());
        assert!(!to.join("stale.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
