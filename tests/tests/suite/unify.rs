//! Switching between the README's commands (`cargo test --workspace`,
//! `cargo run --example quickstart`, `cargo run -p carecloud-cli`) must not
//! rebuild carecloud-api: every crate it is built from has to get the same
//! features in each. `workspace-hack/` asks for the union; this test asks
//! cargo how it resolves each command and names any crate whose features
//! drift apart (then add them to `workspace-hack/Cargo.toml`).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use carecloud_tests::workspace_root;

/// `(name, version)` → features, as `cargo tree` resolves them for `args`.
type Resolved = BTreeMap<(String, String), BTreeSet<String>>;

/// `(name, version)` → each feature set `cargo tree` prints for it under
/// `args`: one per side (proc-macros and build scripts, everything else)
/// whose features differ, each of them a build of its own.
type Occurrences = BTreeMap<(String, String), BTreeSet<BTreeSet<String>>>;

fn occurrences(args: &[&str]) -> Occurrences {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "tree",
            "--locked",
            "--prefix",
            "none",
            "--format",
            "{p} [{f}]",
        ])
        .args(args)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut found = Occurrences::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        // `name vX.Y.Z (source)? (proc-macro)? [f1,f2] (*)?`
        let Some((head, rest)) = line.split_once(" [") else {
            continue;
        };
        let Some((features, _)) = rest.split_once(']') else {
            continue;
        };
        let mut words = head.split(' ');
        let (Some(name), Some(version)) = (words.next(), words.next()) else {
            continue;
        };
        found
            .entry((name.to_owned(), version.to_owned()))
            .or_default()
            .insert(
                features
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
    }
    found
}

fn resolve(args: &[&str]) -> Resolved {
    occurrences(args)
        .into_iter()
        .map(|(key, sets)| (key, sets.into_iter().flatten().collect()))
        .collect()
}

/// The crates carecloud-api is built from, carecloud-api included.
fn api_closure(workspace: &Resolved) -> BTreeSet<(String, String)> {
    let features = workspace
        .iter()
        .find(|((name, _), _)| name == "carecloud-api")
        .map(|(_, f)| f.iter().cloned().collect::<Vec<_>>().join(","))
        .expect("the workspace builds carecloud-api");
    let closure = resolve(&[
        "-p",
        "carecloud-api",
        "-e",
        "normal,build",
        "--features",
        &features,
    ]);
    closure.into_keys().collect()
}

/// Every crate of carecloud-api's build whose features differ between the
/// workspace's test build and `args`.
fn drift(args: &[&str]) -> Vec<String> {
    let workspace = resolve(&["--workspace", "-e", "normal,build,dev"]);
    let closure = api_closure(&workspace);
    differences(&workspace, &closure, &resolve(args))
}

/// The crates of `closure` whose features differ between `workspace` and
/// `one`.
fn differences(
    workspace: &Resolved,
    closure: &BTreeSet<(String, String)>,
    one: &Resolved,
) -> Vec<String> {
    closure
        .iter()
        .filter_map(|key| {
            let (ws, here) = (workspace.get(key)?, one.get(key)?);
            (ws != here).then(|| {
                format!(
                    "{} {}: the workspace also has {:?}, this command also has {:?}",
                    key.0,
                    key.1,
                    ws.difference(here).collect::<Vec<_>>(),
                    here.difference(ws).collect::<Vec<_>>(),
                )
            })
        })
        .collect()
}

#[test]
fn the_cli_builds_carecloud_api_as_the_tests_do() {
    let drift = drift(&["-p", "carecloud-cli", "-e", "normal,build"]);
    assert!(
        drift.is_empty(),
        "`cargo run -p carecloud-cli` would rebuild carecloud-api; add these features to \
         workspace-hack/Cargo.toml:\n{}",
        drift.join("\n")
    );
}

/// The binary itself: `cargo test --workspace` builds it for the CLI's
/// tests, and `cargo run -p carecloud-cli` must not build it again, so
/// every crate it is built from (clap and toml included, which are not in
/// carecloud-api's build) gets the same features in both.
#[test]
fn the_cli_binary_builds_as_in_the_tests() {
    let workspace = resolve(&["--workspace", "-e", "normal,build,dev"]);
    let cli = resolve(&["-p", "carecloud-cli", "-e", "normal,build"]);
    let closure: BTreeSet<_> = cli.keys().cloned().collect();
    assert!(
        closure.iter().any(|(name, _)| name == "clap"),
        "the CLI is built with clap: {closure:?}"
    );
    let drift = differences(&workspace, &closure, &cli);
    assert!(
        drift.is_empty(),
        "`cargo run -p carecloud-cli` would rebuild the binary; give carecloud-cli/Cargo.toml's \
         dependencies these features:\n{}",
        drift.join("\n")
    );
}

#[test]
fn the_examples_build_carecloud_api_as_the_tests_do() {
    let drift = drift(&["-p", "carecloud-examples", "-e", "normal,build,dev"]);
    assert!(
        drift.is_empty(),
        "`cargo run --example quickstart` would rebuild carecloud-api; add these features to \
         workspace-hack/Cargo.toml:\n{}",
        drift.join("\n")
    );
}

/// cargo resolves the features of what proc-macros and build scripts use
/// apart from the rest; a crate that gets other features on each side is
/// compiled twice, and so is everything built on it (syn's two majors,
/// serde_json and indexmap took typify-impl, schemars, regress, insta and
/// prettyplease with them: 374 units instead of 352). `workspace-hack/`
/// asks both sides for the same features.
#[test]
fn the_test_build_compiles_each_dependency_once() {
    let twice: Vec<String> = occurrences(&["--workspace", "-e", "normal,build,dev"])
        .into_iter()
        .filter(|(_, sets)| sets.len() > 1)
        .map(|((name, version), sets)| format!("{name} {version}: {sets:?}"))
        .collect();
    assert!(
        twice.is_empty(),
        "`cargo test --workspace` compiles these twice, with other features for proc-macros and \
         build scripts; give both sides the union (workspace-hack/Cargo.toml, `[dependencies]` \
         and `[build-dependencies]`):\n{}",
        twice.join("\n")
    );
}
