//! `carecloud-codegen diff` on fixture pairs: the small spec in
//! `tests/diff/base/` and, per case, a copy with a few edits (each case
//! lists them). Each case runs the binary (`--old base --new copy --format
//! json`), checks the check ids and levels it reports against the ones
//! docs/semver.md gives, and snapshots the whole report
//! (`tests/snapshots/diff__<case>.snap`; `cargo insta review`).
//!
//! Also: the exit status of the gate (0, 1 and 2, with a broken spec on
//! either side), accepted fingerprints, a version bump that covers a change,
//! fingerprints that do not move when another change is added, the same
//! bytes on every run, the markdown and text forms, and a git revision as
//! the old side, run from a folder inside the workspace.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

#[path = "diff/cases.rs"]
mod cases;

use cases::{Edit, SHOP, cases};

fn base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/base")
}

/// A scratch folder for `name`, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("diff")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// A copy of the base spec in `dir` with `edits` made.
fn spec_with(dir: &Path, edits: &[Edit]) -> PathBuf {
    cases::write_edited(&base(), dir, edits).expect("the edits apply");
    dir.to_owned()
}

fn codegen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_carecloud-codegen"))
        .arg("diff")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("carecloud-codegen runs")
}

fn diff(old: &Path, new: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--old",
        old.to_str().unwrap(),
        "--new",
        new.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    codegen(&args, Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
    serde_json::from_str(&stdout(output)).expect("the report is JSON")
}

/// (id, severity) of each change, sorted.
fn verdicts(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn each_fixture_pair_gets_the_verdict_of_the_policy() {
    for case in cases() {
        let (name, _, expected) = &case;
        let dir = scratch(name);
        cases::write_case(&base(), &dir, &case).expect("the case's spec");
        let output = diff(&base(), &dir, &["--format", "json"]);
        let report = json(&output);
        let mut expected: Vec<(String, String)> = expected
            .iter()
            .map(|(id, level)| ((*id).to_owned(), (*level).to_owned()))
            .collect();
        expected.sort();
        assert_eq!(
            verdicts(&report),
            expected,
            "case {name}:\n{}",
            stdout(&output)
        );
        for change in report["changes"].as_array().unwrap() {
            let id = change["id"].as_str().unwrap();
            assert!(
                carecloud_codegen::diff::checks::find(id).is_some(),
                "{id} is not in the catalogue"
            );
            assert_eq!(
                change["migration"].is_string(),
                change["severity"] == "major",
                "a major change, and only one, says how to migrate: {change}"
            );
            assert!(
                !change["rust_items"].as_array().unwrap().is_empty(),
                "{change}"
            );
            let breaks = change["breaks"].as_str();
            assert_eq!(
                breaks.is_some(),
                change["severity"] == "major",
                "a major change, and only one, says how it breaks: {change}"
            );
            assert!(
                matches!(breaks, None | Some("build" | "behaviour")),
                "{change}"
            );
        }
        let changes = report["changes"].as_array().unwrap();
        let worst = if changes.iter().any(|c| c["breaks"] == "build") {
            Value::from("build")
        } else if report["level"] == "major" {
            Value::from("behaviour")
        } else {
            Value::Null
        };
        assert_eq!(report["breaks"], worst, "case {name}");
        insta::assert_snapshot!(*name, stdout(&output));
    }
}

/// The `breaks` of the changes with check `id` between two edits of the base.
fn breaks_of(name: &str, old: &[Edit], new: &[Edit], id: &str) -> Vec<Value> {
    let old = spec_with(&scratch(&format!("{name}_old")), old);
    let new = spec_with(&scratch(&format!("{name}_new")), new);
    let report = json(&diff(&old, &new, &["--format", "json"]));
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .map(|c| c["breaks"].clone())
        .collect()
}

#[test]
fn a_reorder_breaks_the_build_only_when_a_place_changes_type() {
    // `new(name: String, price: i64)` → `new(price, name)`: the fixture
    // pair, the old call no longer compiles. With both strings it does.
    let price_string = (
        SHOP,
        "price: {type: integer, format: int64}",
        "price: {type: string}",
    );
    let reorder = (SHOP, "required: [name, price]", "required: [price, name]");
    assert_eq!(
        breaks_of(
            "reorder_props_moved",
            &[],
            &[reorder],
            "required-properties-reordered"
        ),
        [Value::from("build")]
    );
    assert_eq!(
        breaks_of(
            "reorder_props_same",
            &[price_string],
            &[price_string, reorder],
            "required-properties-reordered"
        ),
        [Value::from("behaviour")]
    );
    // Two string path arguments swapped compile (the fixture pair); a
    // string and an integer swapped do not.
    let widget_int = (
        SHOP,
        "        - {name: widget_id, in: path, required: true, schema: {type: string}}\n      responses:",
        "        - {name: widget_id, in: path, required: true, schema: {type: integer}}\n      responses:",
    );
    let swap = (
        SHOP,
        "  /shops/{shop_id}/widgets/{widget_id}:\n",
        "  /widgets/{widget_id}/shops/{shop_id}:\n",
    );
    assert_eq!(
        breaks_of(
            "reorder_path_same",
            &[],
            &[swap],
            "request-path-parameters-reordered"
        ),
        [Value::from("behaviour"), Value::from("behaviour")]
    );
    let both = breaks_of(
        "reorder_path_moved",
        &[widget_int],
        &[widget_int, swap],
        "request-path-parameters-reordered",
    );
    assert_eq!(both, [Value::from("build"), Value::from("behaviour")]);
}

#[test]
fn the_same_specs_give_the_same_bytes_and_no_change() {
    let output = diff(&base(), &base(), &["--format", "json"]);
    let report = json(&output);
    assert_eq!(report["changes"], Value::Array(vec![]));
    assert_eq!(report["level"], Value::Null);
    let dir = spec_with(&scratch("same_bytes"), &cases()[9].1);
    let first = diff(&base(), &dir, &["--format", "json"]);
    let second = diff(&base(), &dir, &["--format", "json"]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn a_fingerprint_does_not_move_when_another_change_is_added() {
    let cases = cases();
    let find = |name: &str| cases.iter().find(|c| c.0 == name).unwrap().1.clone();
    let alone = json(&diff(
        &base(),
        &spec_with(&scratch("fingerprint_alone"), &find("property_added")),
        &["--format", "json"],
    ));
    let mut edits = find("operation_removed");
    edits.extend(find("property_added"));
    edits.extend(find("documentation_only"));
    let together = json(&diff(
        &base(),
        &spec_with(&scratch("fingerprint_together"), &edits),
        &["--format", "json"],
    ));
    let fingerprint = alone["changes"][0]["fingerprint"].as_str().unwrap();
    let same = together["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "property-added")
        .unwrap();
    assert_eq!(same["fingerprint"].as_str(), Some(fingerprint));
    let all: Vec<&str> = together["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        all.len(),
        unique.len(),
        "fingerprints are distinct: {all:?}"
    );
}

#[test]
fn the_gate_exits_1_on_an_unaccepted_change_at_its_level() {
    let cases = cases();
    let edits = |name: &str| cases.iter().find(|c| c.0 == name).unwrap().1.clone();
    let major = spec_with(&scratch("gate_major"), &edits("property_removed"));
    let minor = spec_with(&scratch("gate_minor"), &edits("property_added"));

    let failed = diff(&base(), &major, &["--fail-on", "major"]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("property-removed"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(
        diff(&base(), &minor, &["--fail-on", "major"]).status.code(),
        Some(0)
    );
    assert_eq!(
        diff(&base(), &minor, &["--fail-on", "minor"]).status.code(),
        Some(1)
    );
    assert_eq!(
        diff(&base(), &base(), &["--fail-on", "patch"])
            .status
            .code(),
        Some(0)
    );

    // Accepted by fingerprint, with a reason.
    let report = json(&diff(&base(), &major, &["--format", "json"]));
    let fingerprint = report["changes"][0]["fingerprint"].as_str().unwrap();
    let accept = scratch("gate_accept").join("accepted.txt");
    std::fs::write(
        &accept,
        format!("# accepted\n{fingerprint}  size was never sent\n"),
    )
    .unwrap();
    let passed = diff(
        &base(),
        &major,
        &["--fail-on", "major", "--accept", accept.to_str().unwrap()],
    );
    assert_eq!(passed.status.code(), Some(0), "{}", stderr(&passed));
    assert!(
        stderr(&passed).contains("size was never sent"),
        "{}",
        stderr(&passed)
    );

    // An accept line without a reason is an error, not a pass.
    std::fs::write(&accept, format!("{fingerprint}\n")).unwrap();
    let bad = diff(
        &base(),
        &major,
        &["--fail-on", "major", "--accept", accept.to_str().unwrap()],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("needs a reason"), "{}", stderr(&bad));
}

#[test]
fn a_version_bump_that_covers_the_change_passes_the_gate() {
    let cases = cases();
    let edits = cases
        .iter()
        .find(|c| c.0 == "property_removed")
        .unwrap()
        .1
        .clone();
    let workspace = |name: &str, version: &str, edits: &[Edit]| {
        let dir = scratch(name);
        spec_with(&dir.join("spec"), edits);
        std::fs::write(
            dir.join("Cargo.toml"),
            format!("[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"{version}\"\n"),
        )
        .unwrap();
        dir
    };
    let old = workspace("bump_old", "0.1.0", &[]);
    let patch = workspace("bump_patch", "0.1.1", &edits);
    let minor = workspace("bump_minor", "0.2.0", &edits);
    let not_enough = diff(&old, &patch, &["--fail-on", "major"]);
    assert_eq!(not_enough.status.code(), Some(1), "{}", stderr(&not_enough));
    assert!(
        stderr(&not_enough).contains("to 0.2.0"),
        "{}",
        stderr(&not_enough)
    );
    let enough = diff(&old, &minor, &["--fail-on", "major"]);
    assert_eq!(enough.status.code(), Some(0), "{}", stderr(&enough));
    assert!(
        stderr(&enough).contains("from 0.1.0 to 0.2.0"),
        "{}",
        stderr(&enough)
    );
    let report = json(&diff(&old, &patch, &["--format", "json"]));
    assert_eq!(report["bump"], "minor");
    assert_eq!(report["version"]["to"], "0.2.0");
}

#[test]
fn a_broken_spec_on_either_side_exits_2_and_reports_no_changes() {
    let broken = spec_with(
        &scratch("broken"),
        &[(SHOP, "operationId: getWidgets", "operationId: getWidget")],
    );
    let unparsable = spec_with(&scratch("unparsable"), &[(SHOP, "paths:\n", "paths: [\n")]);
    for (old, new) in [
        (&base(), &broken),
        (&broken, &base()),
        (&base(), &unparsable),
        (&unparsable, &base()),
    ] {
        let output = diff(old, new, &["--fail-on", "major"]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(stdout(&output), "", "no report for a broken spec");
        assert!(
            stderr(&output).contains("spec/groups/shop.yaml"),
            "{}",
            stderr(&output)
        );
    }
    let missing = diff(&base(), &scratch("empty"), &[]);
    assert_eq!(missing.status.code(), Some(2));
    let usage = diff(&base(), &base(), &["--fail-on", "huge"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(stderr(&usage).contains("unknown level `huge`"));
}

#[test]
fn a_git_revision_is_read_from_a_folder_inside_the_workspace() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = codegen(&["--base", "HEAD", "--format", "json"], &here.join("src"));
    let report = json(&output);
    assert!(report["changes"].is_array());
    let unknown = codegen(&["--base", "no-such-revision-xyz"], &here.join("src"));
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no-such-revision-xyz"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn markdown_is_a_changelog_section_and_text_and_github_name_the_migration() {
    let cases = cases();
    let mut edits = cases
        .iter()
        .find(|c| c.0 == "property_removed")
        .unwrap()
        .1
        .clone();
    edits.extend(
        cases
            .iter()
            .find(|c| c.0 == "enum_value_added")
            .unwrap()
            .1
            .clone(),
    );
    edits.extend(
        cases
            .iter()
            .find(|c| c.0 == "documentation_only")
            .unwrap()
            .1
            .clone(),
    );
    let dir = spec_with(&scratch("markdown"), &edits);
    let markdown = stdout(&diff(&base(), &dir, &["--format", "markdown"]));
    let github = stdout(&diff(&base(), &dir, &["--format", "github"]));
    let text = stdout(&diff(&base(), &dir, &[]));
    insta::assert_snapshot!(
        "markdown",
        markdown
            .replace(&dir.display().to_string(), "NEW")
            .replace(&base().display().to_string(), "OLD")
    );
    // GitHub annotations: error/warning/notice by level, on the spec line
    // (of the old spec for what was removed).
    insta::assert_snapshot!("github", github);
    assert!(
        github.contains("::error file=spec/groups/shop.yaml,line=64,title=property-removed::"),
        "{github}"
    );
    insta::assert_snapshot!(
        "text",
        text.replace(&dir.display().to_string(), "NEW")
            .replace(&base().display().to_string(), "OLD")
    );
}
