//! `cargo xtask fixture`: a synthetic spec folder at the real API's scale,
//! made of renamed copies of the checked-in groups.
//!
//! `components.yaml`, the interface documents, any other top-level document
//! and `groups/base.yaml` are copied byte for byte. Every other group is
//! replicated `copies` times; copy `k` is one group file `groups/area{k}.yaml`
//! merging renamed copies of all of them:
//!
//! * paths are prefixed (`/customers` → `/area3/customers`);
//! * operationIds, and the components the group files define, are suffixed
//!   (`getCustomers` → `getCustomersArea3`, `Customer` → `CustomerArea3`);
//! * tags are renamed (`Customers` → `Customers area 3`);
//! * `$ref`s follow: a reference into any replicated group file becomes a
//!   local `#/components/...` reference to the suffixed name, references into
//!   `../components.yaml` and `base.yaml` stay as they are;
//! * `x-carecloud-session` is dropped from the copies: a session role
//!   (login, logout, ...) belongs to one operation of an interface, and the
//!   copies are ordinary operations; so is `x-sandbox` (how the sandbox
//!   serves an operation: it names the originals' resources), so the copies
//!   have no sandbox behaviour.

use std::collections::BTreeSet;
use std::path::Path;

use carecloud_codegen::refs::join;
use serde_json::{Map, Value};

use crate::error::{Context, Error, Result};
use crate::spec::{self, CORE_GROUP, GROUPS_DIR, Group, OperationCounts, Spec};

/// The real API's operations per interface: enterprise 313, customer 280
/// (of 322 endpoints, 271 on both). Without `--copies`, the fixture has the
/// fewest copies that reach both.
pub const REAL_API: &[(&str, usize)] = &[("enterprise", 313), ("customer", 280)];

/// The operation extensions dropped from the copies.
const SESSION_KEY: &str = "x-carecloud-session";
const SANDBOX_KEY: &str = "x-sandbox";

/// Keys whose values are examples, not schema: their `$ref`s are data.
const EXAMPLE_KEYS: &[&str] = &["example", "examples"];

/// A file in the output folder marking it as a fixture this command wrote,
/// so that it may be replaced.
const MARKER: &str = ".xtask-fixture";

/// What [`write()`] produced.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// The feature groups written (`area1`, ...).
    pub groups: Vec<String>,
    /// The interfaces, in generation order.
    pub interfaces: Vec<String>,
    /// Operation counts of the whole fixture (base included).
    pub counts: OperationCounts,
}

/// The fewest copies (at least 2) with which the fixture made from
/// `spec_dir` has as many operations per interface as the real API.
pub fn default_copies(spec_dir: &Path) -> Result<usize> {
    let spec = Spec::read(spec_dir)?;
    let originals: Vec<Group> = spec.feature_groups().cloned().collect();
    if originals.is_empty() {
        crate::bail!(
            "{} has no group besides `{CORE_GROUP}` to replicate",
            spec_dir.display()
        );
    }
    let mut base = OperationCounts::default();
    if let Some(group) = spec.groups.iter().find(|g| g.name == CORE_GROUP) {
        base.add_document(&group.value, &spec.interfaces, &spec.interfaces);
    }
    let mut one = OperationCounts::default();
    one.add_document(
        &merged_copy(&originals, 1)?,
        &spec.interfaces,
        &spec.interfaces,
    );
    let mut copies = 2;
    for (interface, target) in REAL_API {
        let have = base.per_interface.get(*interface).copied().unwrap_or(0);
        let per_copy = one.per_interface.get(*interface).copied().unwrap_or(0);
        if per_copy > 0 && have < *target {
            copies = copies.max((target - have).div_ceil(per_copy));
        }
    }
    Ok(copies)
}

/// Writes the fixture made from the spec folder `spec_dir` into `out`
/// (created; a previous fixture there is replaced, any other content is
/// refused).
pub fn write(spec_dir: &Path, out: &Path, copies: usize) -> Result<Fixture> {
    if copies < 2 {
        crate::bail!(
            "--copies must be at least 2: with one copy, the schemas components.yaml shares between groups would each be used by one group, which carecloud-codegen rejects"
        );
    }
    let spec = Spec::read(spec_dir)?;
    let originals: Vec<Group> = spec.feature_groups().cloned().collect();
    if originals.is_empty() {
        crate::bail!(
            "{} has no group besides `{CORE_GROUP}` to replicate",
            spec_dir.display()
        );
    }
    prepare_out_dir(out)?;
    let copy = |from: &Path, to: &Path| {
        std::fs::copy(from, to)
            .map(drop)
            .context(|| format!("copying {} to {}", from.display(), to.display()))
    };
    for name in spec::spec_files(spec_dir)? {
        copy(&spec_dir.join(&name), &out.join(&name))?;
    }
    let groups_out = out.join(GROUPS_DIR);
    mkdir(&groups_out)?;
    let mut counts = OperationCounts::default();
    if let Some(base) = spec.groups.iter().find(|g| g.name == CORE_GROUP) {
        copy(
            &spec_dir.join(GROUPS_DIR).join(&base.file_name),
            &groups_out.join(&base.file_name),
        )?;
        counts.add_document(&base.value, &spec.interfaces, &spec.interfaces);
    }
    let mut groups = Vec::new();
    for k in 1..=copies {
        let doc = merged_copy(&originals, k)?;
        counts.add_document(&doc, &spec.interfaces, &spec.interfaces);
        let name = format!("area{k}");
        let path = groups_out.join(format!("{name}.yaml"));
        let text = serde_yaml_ng::to_string(&doc).context(|| format!("serializing {name}"))?;
        std::fs::write(&path, text).context(|| format!("writing {}", path.display()))?;
        groups.push(name);
    }
    Ok(Fixture {
        groups,
        interfaces: spec.interfaces,
        counts,
    })
}

/// Creates `out`, or empties it if it holds an earlier fixture.
fn prepare_out_dir(out: &Path) -> Result<()> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .context(|| format!("listing {}", out.display()))?
            .next()
            .is_none();
        if !empty {
            if !out.join(MARKER).is_file() {
                crate::bail!(
                    "{} exists and is not a fixture written by `cargo xtask fixture`; choose an empty or new folder",
                    out.display()
                );
            }
            std::fs::remove_dir_all(out).context(|| format!("removing {}", out.display()))?;
        }
    }
    mkdir(out)?;
    let marker = out.join(MARKER);
    std::fs::write(
        &marker,
        "written by `cargo xtask fixture`; replaced by the next run\n",
    )
    .context(|| format!("writing {}", marker.display()))
}

fn mkdir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))
}

/// Copy `k` of the replicated groups, merged into one group document.
pub fn merged_copy(groups: &[Group], k: usize) -> Result<Value> {
    let renamer = Renamer::new(groups, k);
    let mut tags = Vec::new();
    let mut paths: Vec<(String, Map<String, Value>)> = Vec::new();
    let mut components: Vec<(String, Map<String, Value>)> = Vec::new();
    for group in groups {
        let doc = &group.value;
        let from = format!("{GROUPS_DIR}/{}", group.file_name);
        let in_group = |what: String| Error::new(format!("{}: {what}", group.file_name));
        for tag in doc
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut tag = tag.clone();
            if let Some(Value::String(name)) = tag.get_mut("name") {
                *name = renamer.tag(name);
            }
            tags.push(tag);
        }
        for (template, item) in doc
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(item) = item.as_object() else {
                return Err(in_group(format!("path item `{template}` is not a mapping")));
            };
            let merged = entry(&mut paths, renamer.path(template));
            for (key, value) in item {
                let mut value = value.clone();
                renamer.rewrite_refs(&mut value, &from);
                if spec::METHODS.contains(&key.as_str()) {
                    renamer.operation(&mut value);
                    if merged.contains_key(key) {
                        return Err(in_group(format!(
                            "`{key} {template}` is defined by two groups"
                        )));
                    }
                }
                merged.entry(key.clone()).or_insert(value);
            }
        }
        for (kind, items) in doc
            .get("components")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let target = entry(&mut components, kind.clone());
            for (name, value) in items.as_object().into_iter().flatten() {
                let mut value = value.clone();
                renamer.rewrite_refs(&mut value, &from);
                if target.insert(renamer.component(name), value).is_some() {
                    return Err(in_group(format!(
                        "`components.{kind}.{name}` is defined by two groups"
                    )));
                }
            }
        }
    }
    let first = groups.first().map(|g| &g.value);
    let openapi = first
        .and_then(|d| d.get("openapi"))
        .cloned()
        .unwrap_or_else(|| Value::from("3.0.3"));
    let version = first
        .and_then(|d| d.pointer("/info/version"))
        .cloned()
        .unwrap_or_else(|| Value::from("v1.0"));
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let mut doc = Map::new();
    doc.insert("openapi".to_owned(), openapi);
    doc.insert(
        "info".to_owned(),
        serde_json::json!({
            "title": format!("CareCloud area {k} (synthetic: renamed copies of {})", names.join(", ")),
            "version": version,
        }),
    );
    doc.insert("tags".to_owned(), Value::Array(tags));
    doc.insert("paths".to_owned(), object(paths));
    if !components.is_empty() {
        doc.insert("components".to_owned(), object(components));
    }
    Ok(Value::Object(doc))
}

/// The map under `key` in an ordered list of maps, added empty if missing.
fn entry(list: &mut Vec<(String, Map<String, Value>)>, key: String) -> &mut Map<String, Value> {
    let at = match list.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            list.push((key, Map::new()));
            list.len() - 1
        }
    };
    &mut list[at].1
}

/// An ordered list of maps as one JSON object.
fn object(list: Vec<(String, Map<String, Value>)>) -> Value {
    Value::Object(
        list.into_iter()
            .map(|(k, v)| (k, Value::Object(v)))
            .collect(),
    )
}

/// The renaming rules of copy `k`.
#[derive(Clone, Debug)]
pub struct Renamer {
    k: usize,
    /// `Area{k}`.
    suffix: String,
    /// Spec-relative names of the replicated group files (`groups/cards.yaml`).
    files: BTreeSet<String>,
    /// The tags the replicated groups declare.
    tags: BTreeSet<String>,
}

impl Renamer {
    /// The rules of copy `k` of `groups`.
    pub fn new(groups: &[Group], k: usize) -> Self {
        let files = groups
            .iter()
            .map(|g| format!("{GROUPS_DIR}/{}", g.file_name))
            .collect();
        let tags = groups
            .iter()
            .filter_map(|g| g.value.get("tags").and_then(Value::as_array))
            .flatten()
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        Self {
            k,
            suffix: format!("Area{k}"),
            files,
            tags,
        }
    }

    /// `/customers` → `/area{k}/customers`.
    pub fn path(&self, template: &str) -> String {
        let sep = if template.starts_with('/') { "" } else { "/" };
        format!("/area{}{sep}{template}", self.k)
    }

    /// `Customers` → `Customers area {k}`.
    pub fn tag(&self, name: &str) -> String {
        format!("{name} area {}", self.k)
    }

    /// `Customer` → `CustomerArea{k}` (also operationIds: `getCustomers` →
    /// `getCustomersArea{k}`).
    pub fn component(&self, name: &str) -> String {
        format!("{name}{}", self.suffix)
    }

    /// Renames an operation's operationId and tags, and drops its session role.
    pub fn operation(&self, op: &mut Value) {
        let Some(op) = op.as_object_mut() else {
            return;
        };
        if let Some(Value::String(id)) = op.get_mut("operationId") {
            *id = self.component(id);
        }
        if let Some(Value::Array(tags)) = op.get_mut("tags") {
            for tag in tags {
                if let Value::String(name) = tag
                    && self.tags.contains(name.as_str())
                {
                    *name = self.tag(name);
                }
            }
        }
        op.remove(SESSION_KEY);
        op.remove(SANDBOX_KEY);
    }

    /// Rewrites every `$ref` (and discriminator mapping) in `value`, a part
    /// of the document whose spec-relative name is `from`.
    pub fn rewrite_refs(&self, value: &mut Value, from: &str) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    match (key.as_str(), &mut *child) {
                        ("$ref", Value::String(reference)) => {
                            *reference = self.reference(reference, from);
                        }
                        (k, _) if EXAMPLE_KEYS.contains(&k) => {}
                        ("discriminator", Value::Object(d)) => {
                            if let Some(Value::Object(mapping)) = d.get_mut("mapping") {
                                for target in mapping.values_mut() {
                                    if let Value::String(reference) = target {
                                        *reference = self.reference(reference, from);
                                    }
                                }
                            }
                        }
                        _ => self.rewrite_refs(child, from),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.rewrite_refs(v, from)),
            _ => {}
        }
    }

    /// One reference written in `from`: into a replicated group → local and
    /// suffixed; anywhere else (shared components, base) → unchanged.
    pub fn reference(&self, reference: &str, from: &str) -> String {
        let (file, fragment) = match reference.split_once('#') {
            Some((file, fragment)) => (file, fragment),
            None => (reference, ""),
        };
        let replicated =
            file.is_empty() || join(from, file).is_some_and(|f| self.files.contains(&f));
        if !replicated {
            return reference.to_owned();
        }
        format!("#{}", self.fragment(fragment))
    }

    /// `/components/schemas/Customer[/...]` → `/components/schemas/CustomerArea{k}[/...]`;
    /// other fragments unchanged.
    fn fragment(&self, fragment: &str) -> String {
        let mut parts: Vec<String> = fragment.split('/').map(str::to_owned).collect();
        // ["", "components", kind, name, ...]
        if parts.len() >= 4 && parts[0].is_empty() && parts[1] == "components" {
            parts[3] = self.component(&parts[3]);
        }
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, yaml: &str) -> Group {
        Group {
            name: name.to_owned(),
            file_name: format!("{name}.yaml"),
            value: serde_yaml_ng::from_str(yaml).unwrap(),
        }
    }

    const PETS: &str = r##"
openapi: 3.0.3
info: {title: pets, version: v9}
tags:
  - {name: Pets, description: The pets.}
paths:
  /pets/{pet_id}:
    get:
      operationId: getPet
      tags: [Pets]
      x-carecloud-session: login
      parameters:
        - $ref: '../components.yaml#/components/parameters/AcceptLanguage'
        - $ref: '#/components/parameters/PetIdPath'
      responses:
        '200':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PetResponse'}
              example: {$ref: '#/components/schemas/NotARef'}
        '400': {$ref: '../components.yaml#/components/responses/BadRequest'}
components:
  parameters:
    PetIdPath: {name: pet_id, in: path, required: true, schema: {type: string}}
  schemas:
    PetResponse:
      type: object
      properties:
        data: {$ref: '#/components/schemas/Pet'}
        owner: {$ref: 'owners.yaml#/components/schemas/Owner'}
        login: {$ref: 'base.yaml#/components/schemas/Login'}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Pet/properties/x'}]
      discriminator:
        propertyName: kind
        mapping: {owner: 'owners.yaml#/components/schemas/Owner'}
"##;

    const OWNERS: &str = r#"
openapi: 3.0.3
info: {title: owners, version: v9}
tags:
  - {name: Owners, description: The owners.}
paths:
  /pets/{pet_id}:
    put:
      operationId: putPetOwner
      x-interfaces: [enterprise]
      tags: [Owners]
      responses: {'204': {description: Done.}}
  /owners:
    get:
      operationId: getOwners
      tags: [Owners]
      responses:
        '200':
          description: Owners.
          content:
            application/json:
              schema: {$ref: './pets.yaml#/components/schemas/Pet'}
components:
  schemas:
    Owner: {type: object}
"#;

    fn copy() -> Value {
        merged_copy(&[group("pets", PETS), group("owners", OWNERS)], 7).unwrap()
    }

    #[test]
    fn names_are_prefixed_and_suffixed() {
        let doc = copy();
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/area7/pets/{pet_id}", "/area7/owners"]);
        let item = &doc["paths"]["/area7/pets/{pet_id}"];
        assert_eq!(item["get"]["operationId"], "getPetArea7");
        assert_eq!(item["put"]["operationId"], "putPetOwnerArea7");
        assert_eq!(
            item["put"]["x-interfaces"],
            serde_json::json!(["enterprise"])
        );
        assert_eq!(item["get"]["tags"], serde_json::json!(["Pets area 7"]));
        assert!(item["get"].get("x-carecloud-session").is_none());
        let tags: Vec<&Value> = doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| &t["name"])
            .collect();
        assert_eq!(tags, ["Pets area 7", "Owners area 7"]);
        assert_eq!(doc["tags"][0]["description"], "The pets.");
        let schemas: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["PetResponseArea7", "PetArea7", "OwnerArea7"]);
        assert!(
            doc["components"]["parameters"]
                .get("PetIdPathArea7")
                .is_some()
        );
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["info"]["version"], "v9");
    }

    #[test]
    fn refs_follow_the_renaming() {
        let doc = copy();
        let get = &doc["paths"]["/area7/pets/{pet_id}"]["get"];
        assert_eq!(
            get["parameters"],
            serde_json::json!([
                {"$ref": "../components.yaml#/components/parameters/AcceptLanguage"},
                {"$ref": "#/components/parameters/PetIdPathArea7"},
            ])
        );
        let content = &get["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            content["schema"]["$ref"],
            "#/components/schemas/PetResponseArea7"
        );
        assert_eq!(content["example"]["$ref"], "#/components/schemas/NotARef");
        assert_eq!(
            get["responses"]["400"]["$ref"],
            "../components.yaml#/components/responses/BadRequest"
        );
        let response = &doc["components"]["schemas"]["PetResponseArea7"]["properties"];
        assert_eq!(response["data"]["$ref"], "#/components/schemas/PetArea7");
        assert_eq!(response["owner"]["$ref"], "#/components/schemas/OwnerArea7");
        assert_eq!(
            response["login"]["$ref"],
            "base.yaml#/components/schemas/Login"
        );
        let pet = &doc["components"]["schemas"]["PetArea7"];
        assert_eq!(
            pet["oneOf"][0]["$ref"],
            "#/components/schemas/PetArea7/properties/x"
        );
        assert_eq!(
            pet["discriminator"]["mapping"]["owner"],
            "#/components/schemas/OwnerArea7"
        );
        let owners = &doc["paths"]["/area7/owners"]["get"]["responses"]["200"];
        assert_eq!(
            owners["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/PetArea7"
        );
    }

    #[test]
    fn duplicate_operations_are_reported() {
        let err = merged_copy(&[group("pets", PETS), group("again", PETS)], 1).unwrap_err();
        assert!(err.to_string().contains("defined by two groups"), "{err}");
    }

    #[test]
    fn writes_a_fixture_folder() {
        let dir = std::env::temp_dir().join(format!("xtask-fixture-test-{}", std::process::id()));
        let spec_dir = dir.join("spec");
        std::fs::create_dir_all(spec_dir.join("groups")).unwrap();
        std::fs::write(spec_dir.join("components.yaml"), "openapi: 3.0.3\n").unwrap();
        std::fs::write(
            spec_dir.join("enterprise.yaml"),
            "openapi: 3.0.3\npaths: {}\n",
        )
        .unwrap();
        std::fs::write(
            spec_dir.join("customer.yaml"),
            "openapi: 3.0.3\npaths: {}\n",
        )
        .unwrap();
        std::fs::write(
            spec_dir.join("groups/base.yaml"),
            "openapi: 3.0.3\npaths:\n  /t:\n    get: {operationId: getT, x-interfaces: [customer]}\n",
        )
        .unwrap();
        std::fs::write(spec_dir.join("groups/pets.yaml"), PETS).unwrap();
        std::fs::write(spec_dir.join("groups/owners.yaml"), OWNERS).unwrap();
        let out = dir.join("out");
        let fixture = write(&spec_dir, &out, 3).unwrap();
        assert_eq!(fixture.groups, ["area1", "area2", "area3"]);
        // base: 1 customer; each copy: getPet and getOwners on both, putPetOwner enterprise only.
        assert_eq!(fixture.counts.of("enterprise"), 9);
        assert_eq!(fixture.counts.of("customer"), 7);
        assert_eq!(fixture.counts.on_all, 6);
        let base = std::fs::read_to_string(out.join("groups/base.yaml")).unwrap();
        assert!(base.contains("getT"));
        let area2 = spec::parse_file(&out.join("groups/area2.yaml")).unwrap();
        assert!(area2["paths"].get("/area2/owners").is_some());
        assert!(!out.join("groups/pets.yaml").exists());
        // A second run replaces the fixture; a foreign folder is refused.
        write(&spec_dir, &out, 2).unwrap();
        assert!(!out.join("groups/area3.yaml").exists());
        assert!(write(&spec_dir, &spec_dir, 2).is_err());
        assert!(write(&spec_dir, &out, 1).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
