//! The promise of docs/semver.md, checked: a schema this crate uses gains an
//! optional property (`PersonalInformation.preferred_store_id`) and an enum
//! it matches gains a value (`CustomerState` 3, `Suspended`), and the crate,
//! written with constructors, setters and `_` arms only, still compiles.
//! `carecloud-codegen diff` must call the change minor (`property-added`,
//! `enum-value-added`): its verdict is checked against the build.
//!
//! The test lays out a copy of the workspace under
//! `<target>/evolution/ws/` (carecloud-api, carecloud-derive, the root
//! manifest reduced to those two, `spec/` with the two additions, and this
//! crate), regenerates carecloud-api there with carecloud-codegen (built in
//! the workspace), and builds the copy of this crate with the same lock file
//! and target folder as this test: the dependencies are already built, so
//! the run costs carecloud-derive, carecloud-api and this crate, not a cold
//! build. Files are copied only when their content changed, so a second run
//! rebuilds what the regeneration touched.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The property added to `PersonalInformation`, after its `properties:`.
const NEW_PROPERTY: &str = "        preferred_store_id:
          type: string
          description: The store the customer shops at most (added by the evolution test).
";

#[test]
fn an_added_field_and_enum_value_break_nothing() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| here.join("target"));
    let ws = target.join("evolution").join("ws");

    let manifest = read(&root.join("Cargo.toml"));
    write_if_changed(&ws.join("Cargo.toml"), &reduced(&manifest));
    for (dir, skip) in [
        ("carecloud-api", &["examples"][..]),
        ("carecloud-derive", &["tests", "target"][..]),
        ("spec", &[][..]),
    ] {
        copy_dir(&root.join(dir), &ws.join(dir), skip);
    }
    let downstream = ws.join("tests/downstream-customer");
    for file in ["Cargo.toml", "Cargo.lock"] {
        write_if_changed(&downstream.join(file), &read(&here.join(file)));
    }
    copy_dir(&here.join("src"), &downstream.join("src"), &[]);

    let spec = ws.join("spec/groups/customers.yaml");
    let text = read(&spec);
    let text = insert_after(
        &text,
        "    PersonalInformation:",
        "      properties:\n",
        NEW_PROPERTY,
    );
    let text = insert_after(
        &text,
        "    CustomerState:",
        "        - 2\n",
        "        - 3\n",
    );
    let text = insert_after(
        &text,
        "    CustomerState:",
        "        - NonActive\n",
        "        - Suspended\n",
    );
    write_if_changed(&spec, &text);

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let _ = run(Command::new(&cargo)
        .args(["run", "-q", "-p", "carecloud-codegen", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .args(["--", "generate", "--root"])
        .arg(&ws));
    let types = read(&ws.join("carecloud-api/src/generated/types/customers.rs"));
    assert!(
        types.contains("preferred_store_id: String => with_preferred_store_id")
            && types.contains("Suspended = 3"),
        "the regenerated types lack the additions"
    );

    // What `carecloud-codegen diff` says of the change: minor, from the two
    // checks of docs/semver.md that the build below proves.
    let report = run(Command::new(&cargo)
        .args(["run", "-q", "-p", "carecloud-codegen", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .args(["--", "diff", "--format", "json", "--old"])
        .arg(&root)
        .arg("--new")
        .arg(&ws));
    let report: serde_json::Value = serde_json::from_str(&report).expect("the report is JSON");
    let mut verdicts: Vec<String> = report["changes"]
        .as_array()
        .expect("a list of changes")
        .iter()
        .map(|c| format!("{} {} {}", c["severity"], c["id"], c["rust_items"]))
        .collect();
    verdicts.sort();
    assert_eq!(
        verdicts,
        [
            r#""minor" "enum-value-added" ["types::CustomerState::Suspended"]"#,
            r#""minor" "property-added" ["types::PersonalInformation::preferred_store_id","types::PersonalInformation::with_preferred_store_id"]"#,
        ],
        "the report on the evolution"
    );
    assert_eq!(report["level"], "minor");

    // `--tests`: the dev-dependencies too, as this test's own build has
    // them, so that every dependency is the one already built.
    let _ = run(Command::new(&cargo)
        .args(["build", "--tests", "--manifest-path"])
        .arg(downstream.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Copies `from` into `to` (files whose content changed only), leaving out
/// the entries named in `skip` at the top.
fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if skip.contains(&name) {
            continue;
        }
        if path.is_dir() {
            copy_dir(&path, &to.join(name), &[]);
        } else {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let target = to.join(name);
            if std::fs::read(&target).ok() != Some(bytes.clone()) {
                std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
                std::fs::write(&target, bytes)
                    .unwrap_or_else(|e| panic!("{}: {e}", target.display()));
            }
        }
    }
}

/// The workspace manifest with carecloud-api and carecloud-derive as its
/// only members.
fn reduced(manifest: &str) -> String {
    let mut out = String::new();
    let mut replaced = 0;
    for line in manifest.lines() {
        if line.starts_with("members = ") || line.starts_with("default-members = ") {
            let key = line.split(" = ").next().unwrap_or_default();
            out.push_str(&format!(
                "{key} = [\"carecloud-api\", \"carecloud-derive\"]\n"
            ));
            replaced += 1;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert_eq!(
        replaced, 2,
        "the workspace manifest has one-line `members` and `default-members`"
    );
    out
}

/// `text` with `insert` after the first line `line` that follows `anchor`.
fn insert_after(text: &str, anchor: &str, line: &str, insert: &str) -> String {
    let start = text
        .find(anchor)
        .unwrap_or_else(|| panic!("spec/groups/customers.yaml has no `{anchor}`"));
    let at = text[start..]
        .find(line)
        .map(|i| start + i + line.len())
        .unwrap_or_else(|| panic!("no {line:?} after `{anchor}`"));
    format!("{}{insert}{}", &text[..at], &text[at..])
}

/// Runs `command`, which must succeed; its standard output.
fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("running {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
