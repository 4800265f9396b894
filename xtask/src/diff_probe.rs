//! `cargo xtask diff-probe [--pair NAME]...`: the soundness probe of
//! `carecloud-codegen diff`, on its fixture pairs
//! (`carecloud-codegen/tests/diff/cases.rs`).
//!
//! For each pair, the report's verdict is compared with the compiler's: a
//! crate written against the API generated from the old side (every
//! operation of its groups called with every setter, every type built with
//! `new` and `with_*` and read field by field, every enum matched with a
//! wildcard: `carecloud_codegen::diff::probe`) must fail to compile against
//! the API generated from the new side exactly when the report says a major
//! change breaks the build. A report whose majors all break behaviour only
//! claims that the old code still compiles (and then does something else),
//! so its probe must compile, as for a minor or patch report; what the
//! changed behaviour is, the probe does not run (the check's message and
//! migration say it).
//!
//! The fixture specs are small groups on their own; the hand-written part
//! of carecloud-api needs the real spec's base types, so each side is
//! generated from the workspace's `spec/` with the fixture's groups added
//! (its shared schemas that the real `components.yaml` lacks move into the
//! group that uses them). Everything is checked in one temporary workspace,
//! `target/diff-probe/ws`: one copy of carecloud-api per side, renamed
//! (`probe-api-<pair>`, library still `carecloud_api`), one probe crate per
//! pair, and carecloud-derive once, with the workspace's lock file; one
//! `cargo check --keep-going` builds them all, so the registry dependencies
//! compile once, and files are rewritten only when they change, so a second
//! run checks only what changed.

#[path = "../../carecloud-codegen/tests/diff/cases.rs"]
mod cases;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use carecloud_codegen::diff::checks::Breaks;
use serde_json::Value;

use crate::error::{Context, Result};
use crate::workspace::{reduce_manifest, sync_dir, write_if_changed};

/// The fixture spec the pairs edit, relative to the workspace.
const FIXTURE_BASE: &str = "carecloud-codegen/tests/diff/base";

/// The name the old side goes by in the temporary workspace.
const OLD: &str = "base";

/// One pair's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The pair's name.
    pub pair: String,
    /// The report's highest level (`none`: no change).
    pub verdict: String,
    /// When the verdict is major: whether the report says it breaks the
    /// build (a major change does) or, compiling still, behaviour only.
    pub breaks: Option<Breaks>,
    /// Whether the probe compiled against the new side's crate.
    pub compiled: bool,
    /// The first compiler errors, when it did not.
    pub errors: Vec<String>,
}

impl Outcome {
    /// Whether the compiler agrees with the report: the probe failed to
    /// compile exactly when the report says the build breaks.
    pub fn agrees(&self) -> bool {
        self.compiled != (self.breaks == Some(Breaks::Build))
    }
}

/// The names of the fixture pairs, in order.
pub fn pair_names() -> Vec<&'static str> {
    cases::cases().iter().map(|c| c.0).collect()
}

/// Runs the probe on `pairs` (all when empty); the outcomes in pair order.
pub fn run(root: &Path, pairs: &[String]) -> Result<Vec<Outcome>> {
    let all = cases::cases();
    for pair in pairs {
        if !all.iter().any(|c| c.0 == pair) {
            crate::bail!(
                "no fixture pair `{pair}`; the pairs are: {}",
                pair_names().join(", ")
            );
        }
    }
    let selected: Vec<&cases::Case> = all
        .iter()
        .filter(|c| pairs.is_empty() || pairs.iter().any(|p| p == c.0))
        .collect();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let work = target.join("diff-probe");
    let ws = work.join("ws");
    let fixture_base = root.join(FIXTURE_BASE);
    let real = read_spec(&root.join(carecloud_codegen::SPEC_DIR))?;

    let old_side = side(&fixture_base)?;
    let groups: Vec<String> = old_side.api.groups.iter().map(|g| g.name.clone()).collect();
    let old_output = generate(&real, &fixture_base, OLD)?;
    write_crate(root, &ws, OLD, &old_output)?;
    let probe = carecloud_codegen::diff::probe::source(&old_output, &groups)
        .context(|| "writing the probe".to_owned())?;

    let mut members = vec!["carecloud-derive".to_owned()];
    let mut checked = vec![OLD.to_owned()];
    write_probe(&ws, OLD, &groups, &probe)?;
    let mut verdicts = BTreeMap::new();
    let mut missing_features = BTreeSet::new();
    for case in &selected {
        let name = case.0;
        let new_dir = work.join("fixtures").join(name);
        cases::write_case(&fixture_base, &new_dir, case).map_err(crate::error::Error::new)?;
        let report = carecloud_codegen::diff::compare(&old_side.api, &side(&new_dir)?.api);
        let verdict = report.level().map_or("none", |l| l.name()).to_owned();
        verdicts.insert(name.to_owned(), (verdict, report.breaks()));
        let output = generate(&real, &new_dir, name)?;
        write_crate(root, &ws, name, &output)?;
        write_probe(&ws, name, &groups, &probe)?;
        if groups.iter().all(|g| output.features.contains(g)) {
            checked.push(name.to_owned());
        } else {
            // A group's feature is gone: the probe's dependency cannot even
            // be declared, so it does not compile.
            missing_features.insert(name.to_owned());
        }
    }
    for name in &checked {
        members.push(format!("api/{name}"));
        members.push(format!("probe/{name}"));
    }
    for name in &missing_features {
        members.push(format!("api/{name}"));
    }
    write_workspace(root, &ws, &members)?;
    let results = check(&ws, &target, &checked, &work.join("check.log"))?;

    let old = results.get(OLD).cloned().unwrap_or_default();
    if !old.compiled {
        crate::bail!(
            "the probe does not compile against the crate it was written from (a probe bug); \
             see {}:\n{}",
            work.join("check.log").display(),
            old.errors.join("\n")
        );
    }
    let mut outcomes = Vec::new();
    for case in &selected {
        let name = case.0;
        let result = results.get(name).cloned().unwrap_or_default();
        let mut errors = result.errors;
        if missing_features.contains(name) {
            errors.push("a feature of the probed groups is gone from the new crate".to_owned());
        }
        let (verdict, breaks) = verdicts.get(name).cloned().unwrap_or_default();
        outcomes.push(Outcome {
            pair: name.to_owned(),
            verdict,
            breaks,
            compiled: result.compiled,
            errors,
        });
    }
    Ok(outcomes)
}

/// The table `cargo xtask diff-probe` prints, with the total.
pub fn table(outcomes: &[Outcome]) -> String {
    let yes = |b: bool| if b { "yes" } else { "no" };
    let width = outcomes
        .iter()
        .map(|o| o.pair.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "{:width$}  {:7}  {:9}  {:8}  agree\n",
        "pair", "verdict", "breaks", "compiled"
    );
    for o in outcomes {
        out.push_str(&format!(
            "{:width$}  {:7}  {:9}  {:8}  {}\n",
            o.pair,
            o.verdict,
            o.breaks.map_or("-", Breaks::name),
            yes(o.compiled),
            yes(o.agrees())
        ));
        if !o.agrees() {
            for error in o.errors.iter().take(3) {
                out.push_str(&format!("    {error}\n"));
            }
            out.push_str(if o.compiled {
                "    (compiled, yet the report says a change breaks the build)\n"
            } else {
                "    (the report says the old code still compiles)\n"
            });
        }
    }
    let agree = outcomes.iter().filter(|o| o.agrees()).count();
    out.push_str(&format!("{agree} of {} agree\n", outcomes.len()));
    out
}

/// One spec folder, validated.
fn side(dir: &Path) -> Result<carecloud_codegen::diff::input::Spec> {
    carecloud_codegen::diff::input::from_dir(dir).context(|| format!("reading {}", dir.display()))
}

/// The files of a spec folder (`components.yaml`, `groups/x.yaml`) and their text.
fn read_spec(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for sub in ["", "groups/"] {
        let folder = dir.join(sub);
        let entries =
            std::fs::read_dir(&folder).context(|| format!("listing {}", folder.display()))?;
        for entry in entries {
            let path = entry
                .context(|| format!("listing {}", folder.display()))?
                .path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if path.is_file() && (name.ends_with(".yaml") || name.ends_with(".json")) {
                let text = std::fs::read_to_string(&path)
                    .context(|| format!("reading {}", path.display()))?;
                files.insert(format!("{sub}{name}"), text);
            }
        }
    }
    Ok(files)
}

/// carecloud-api generated from the real spec plus the fixture's groups.
fn generate(
    real: &BTreeMap<String, String>,
    fixture: &Path,
    name: &str,
) -> Result<carecloud_codegen::Output> {
    let files = merged(real, &read_spec(fixture)?)
        .context(|| format!("adding the fixture {} to spec/", fixture.display()))?;
    let files: Vec<(String, String)> = files.into_iter().collect();
    let sources = carecloud_codegen::Sources::from_named_texts(
        carecloud_codegen::SPEC_DIR,
        &files,
        carecloud_codegen::INTERFACES,
    )
    .context(|| format!("the spec with the fixture `{name}`"))?;
    carecloud_codegen::generate(&sources)
        .context(|| format!("generating carecloud-api with the fixture `{name}`"))
}

/// The real spec with the fixture's group documents added. The fixture's
/// shared schemas that the real `components.yaml` lacks move into the first
/// group document that uses them (the real spec keeps a schema there when
/// one group uses it), and the references to them follow.
fn merged(
    real: &BTreeMap<String, String>,
    fixture: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let yaml = |name: &str, text: &str| -> Result<Value> {
        serde_yaml_ng::from_str(text).context(|| format!("parsing {name}"))
    };
    let schemas = |doc: &Value| -> serde_json::Map<String, Value> {
        doc.pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let real_shared = schemas(&yaml("components.yaml", &real["components.yaml"])?);
    let fixture_shared = match fixture.get("components.yaml") {
        Some(text) => schemas(&yaml("components.yaml", text)?),
        None => Default::default(),
    };
    let mut groups = BTreeMap::new();
    for (name, text) in fixture.iter().filter(|(n, _)| n.starts_with("groups/")) {
        if real.contains_key(name) {
            crate::bail!("the fixture's {name} has the name of a real group");
        }
        groups.insert(name.clone(), yaml(name, text)?);
    }
    let shared_ref = |schema: &str| format!("../components.yaml#/components/schemas/{schema}");
    let mut homes = BTreeMap::new();
    for (schema, _) in fixture_shared
        .iter()
        .filter(|(s, _)| !real_shared.contains_key(*s))
    {
        let wanted = Value::String(shared_ref(schema));
        if let Some(home) = groups
            .iter()
            .find(|(_, doc)| mentions(doc, &wanted))
            .map(|(n, _)| n)
        {
            homes.insert(schema.clone(), home.clone());
        }
    }
    let local = |home: &str, from: &str, schema: &str| {
        if home == from {
            format!("#/components/schemas/{schema}")
        } else {
            let file = home.trim_start_matches("groups/");
            format!("{file}#/components/schemas/{schema}")
        }
    };
    for (from, doc) in groups.iter_mut() {
        for (schema, home) in &homes {
            replace_refs(doc, &shared_ref(schema), &local(home, from, schema));
        }
    }
    for (schema, home) in &homes {
        let mut moved = fixture_shared[schema].clone();
        for (other, other_home) in &homes {
            replace_refs(
                &mut moved,
                &format!("#/components/schemas/{other}"),
                &local(other_home, home, other),
            );
        }
        for shared in real_shared.keys() {
            replace_refs(
                &mut moved,
                &format!("#/components/schemas/{shared}"),
                &shared_ref(shared),
            );
        }
        let doc = groups.get_mut(home).expect("a home is a group");
        let map = doc
            .as_object_mut()
            .and_then(|d| {
                d.entry("components")
                    .or_insert_with(|| Value::Object(Default::default()))
                    .as_object_mut()
            })
            .and_then(|c| {
                c.entry("schemas")
                    .or_insert_with(|| Value::Object(Default::default()))
                    .as_object_mut()
            });
        match map {
            Some(map) => {
                map.insert(schema.clone(), moved);
            }
            None => crate::bail!("{home} is not a mapping with `components`"),
        }
    }
    let mut out = real.clone();
    for (name, doc) in groups {
        // JSON is YAML: the loader reads it under the .yaml name.
        let text = serde_json::to_string_pretty(&doc).context(|| format!("writing {name}"))?;
        out.insert(name, text);
    }
    Ok(out)
}

/// Whether `value` holds `wanted` anywhere.
fn mentions(value: &Value, wanted: &Value) -> bool {
    value == wanted
        || match value {
            Value::Array(items) => items.iter().any(|v| mentions(v, wanted)),
            Value::Object(map) => map.values().any(|v| mentions(v, wanted)),
            _ => false,
        }
}

/// Replaces every `$ref: from` in `value` with `$ref: to`.
fn replace_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| replace_refs(v, from, to)),
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref" && v.as_str() == Some(from) {
                    *v = Value::String(to.to_owned());
                } else {
                    replace_refs(v, from, to);
                }
            }
        }
        _ => {}
    }
}

/// `ws/api/<name>`: carecloud-api, renamed `probe-api-<name>` (its library
/// still `carecloud_api`), with `output`'s generated code and features.
fn write_crate(
    root: &Path,
    ws: &Path,
    name: &str,
    output: &carecloud_codegen::Output,
) -> Result<()> {
    let dir = ws.join("api").join(name);
    sync_dir(&root.join("carecloud-api"), &dir, "carecloud-api")?;
    let manifest_path = root.join(carecloud_codegen::output::MANIFEST);
    let manifest = std::fs::read_to_string(&manifest_path)
        .context(|| format!("reading {}", manifest_path.display()))?;
    let manifest =
        carecloud_codegen::output::with_features(&manifest, &output.features, &manifest_path)
            .context(|| format!("the features of {}", manifest_path.display()))?;
    let package = format!("name = \"{}\"", package_name("probe-api", name));
    let renamed = manifest.replacen("name = \"carecloud-api\"", &package, 1);
    if renamed == manifest {
        crate::bail!(
            "{} has no `name = \"carecloud-api\"`",
            manifest_path.display()
        );
    }
    let renamed = renamed.replacen(
        "\n[features]",
        "\n[lib]\nname = \"carecloud_api\"\n\n[features]",
        1,
    );
    write_if_changed(&dir.join("Cargo.toml"), renamed.as_bytes())?;

    let generated = dir.join("src/generated");
    let prefix = format!("{}/", carecloud_codegen::output::OUTPUT_DIR);
    let mut kept = BTreeSet::new();
    for (path, text) in &output.files {
        let Some(relative) = path.strip_prefix(&prefix) else {
            continue;
        };
        let target = generated.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).context(|| format!("creating {}", parent.display()))?;
        }
        write_if_changed(&target, text.as_bytes())?;
        kept.insert(target);
    }
    remove_others(&generated, &kept)
}

/// Removes the files under `dir` that are not in `kept`.
fn remove_others(dir: &Path, kept: &BTreeSet<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .context(|| format!("listing {}", dir.display()))?
            .path();
        if path.is_dir() {
            remove_others(&path, kept)?;
        } else if !kept.contains(&path) {
            std::fs::remove_file(&path).context(|| format!("removing {}", path.display()))?;
        }
    }
    Ok(())
}

/// `ws/probe/<name>`: the probe crate, on the crate `ws/api/<name>` with the
/// interfaces and the probed groups' features.
fn write_probe(ws: &Path, name: &str, groups: &[String], source: &str) -> Result<()> {
    let dir = ws.join("probe").join(name);
    std::fs::create_dir_all(dir.join("src")).context(|| format!("creating {}", dir.display()))?;
    let mut features = vec!["\"enterprise\"".to_owned(), "\"customer\"".to_owned()];
    features.extend(groups.iter().map(|g| format!("\"{g}\"")));
    let manifest = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ncarecloud-api = {{ package = \"{}\", path = \"../../api/{name}\", \
         default-features = false, features = [{}] }}\nserde_json.workspace = true\n",
        package_name("probe", name),
        package_name("probe-api", name),
        features.join(", ")
    );
    write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    write_if_changed(&dir.join("src/lib.rs"), source.as_bytes())
}

fn package_name(prefix: &str, pair: &str) -> String {
    format!("{prefix}-{}", pair.replace('_', "-"))
}

/// The workspace manifest (the root one with `members`), the lock file and
/// carecloud-derive.
fn write_workspace(root: &Path, ws: &Path, members: &[String]) -> Result<()> {
    let manifest = root.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).context(|| format!("reading {}", manifest.display()))?;
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    let reduced =
        reduce_manifest(&text, &members).context(|| format!("reducing {}", manifest.display()))?;
    write_if_changed(&ws.join("Cargo.toml"), reduced.as_bytes())?;
    let lock = root.join("Cargo.lock");
    let bytes = std::fs::read(&lock).context(|| format!("reading {}", lock.display()))?;
    write_if_changed(&ws.join("Cargo.lock"), &bytes)?;
    sync_dir(
        &root.join("carecloud-derive"),
        &ws.join("carecloud-derive"),
        "carecloud-derive",
    )
}

/// What `cargo check` said of one probe crate.
#[derive(Clone, Debug, Default)]
struct Checked {
    compiled: bool,
    errors: Vec<String>,
}

/// Checks the probe crates of `names` in one `cargo check --keep-going`.
fn check(
    ws: &Path,
    target: &Path,
    names: &[String],
    log: &Path,
) -> Result<BTreeMap<String, Checked>> {
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .current_dir(ws)
        .args(["check", "--keep-going", "--message-format", "json"])
        .arg("--target-dir")
        .arg(target);
    for name in names {
        cargo.args(["-p", &package_name("probe", name)]);
    }
    let output = crate::process::spawn(&mut cargo, "checking the probe crates")?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    std::fs::write(log, &text).context(|| format!("writing {}", log.display()))?;
    let mut results: BTreeMap<String, Checked> = BTreeMap::new();
    let mut seen_any = false;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        seen_any = true;
        let manifest = message["manifest_path"].as_str().unwrap_or_default();
        let Some((kind, name)) = crate_of(ws, manifest) else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-artifact") if kind == "probe" => {
                results.entry(name).or_default().compiled = true;
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let first = message["message"]["rendered"]
                    .as_str()
                    .unwrap_or_default()
                    .lines()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" | ");
                let prefix = if kind == "api" {
                    "the new crate itself: "
                } else {
                    ""
                };
                results
                    .entry(name)
                    .or_default()
                    .errors
                    .push(format!("{prefix}{first}"));
            }
            _ => {}
        }
    }
    if !seen_any {
        return Err(crate::process::failure(
            "checking the probe crates",
            &output,
            log,
        ));
    }
    Ok(results)
}

/// (`api` or `probe`, pair) of a crate in the temporary workspace.
fn crate_of(ws: &Path, manifest: &str) -> Option<(String, String)> {
    let relative = Path::new(manifest).strip_prefix(ws).ok()?;
    let mut parts = relative.iter().map(|p| p.to_string_lossy().into_owned());
    let kind = parts.next()?;
    let name = parts.next()?;
    (kind == "api" || kind == "probe").then_some((kind, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(verdict: &str, breaks: Option<Breaks>, compiled: bool) -> Outcome {
        Outcome {
            pair: "p".to_owned(),
            verdict: verdict.to_owned(),
            breaks,
            compiled,
            errors: Vec::new(),
        }
    }

    #[test]
    fn the_probe_fails_to_compile_exactly_when_the_report_says_the_build_breaks() {
        let build = Some(Breaks::Build);
        let behaviour = Some(Breaks::Behaviour);
        assert!(outcome("major", build, false).agrees());
        assert!(!outcome("major", build, true).agrees());
        // Behaviour only: the report claims the old code still compiles.
        assert!(outcome("major", behaviour, true).agrees());
        assert!(!outcome("major", behaviour, false).agrees());
        assert!(outcome("minor", None, true).agrees());
        assert!(!outcome("patch", None, false).agrees());
        let table = table(&[outcome("major", behaviour, false)]);
        assert!(
            table.contains("the report says the old code still compiles")
                && table.ends_with("0 of 1 agree\n"),
            "{table}"
        );
    }
}
