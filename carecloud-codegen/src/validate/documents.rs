//! The role of each document: interface documents hold no operations, the
//! components document holds only components, group documents are named as
//! modules and features, and no component is defined twice.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Checker;
use crate::json_path::JsonPath;
use crate::load::{GROUPS_DIR, SHARED_FILE, SpecFile};
use crate::model::RESERVED_FEATURES;
use crate::refs::COMPONENT_KINDS;

impl<'a> Checker<'a> {
    pub(super) fn documents(&mut self) {
        let sources = self.sources;
        for file in sources.files() {
            self.openapi_version(file);
            self.component_names(file);
        }
        for file in &sources.unplaced {
            self.problem(
                file,
                &JsonPath::root(),
                format!(
                    "not a document the generator knows: interfaces are {}, shared components go in {SHARED_FILE}, resource groups in {GROUPS_DIR}/<group>.yaml",
                    sources
                        .interfaces
                        .iter()
                        .map(|i| format!("{}.yaml", i.module))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            );
        }
        for interface in &sources.interfaces {
            self.interface_document(&interface.doc);
        }
        if let Some(shared) = &sources.shared {
            self.no_operations(shared, "the shared components document");
        }
        let mut tags: std::collections::BTreeMap<String, String> = Default::default();
        for group in &sources.groups {
            self.group_document(&group.name, &group.doc, &mut tags);
        }
    }

    fn openapi_version(&mut self, file: &SpecFile) {
        let root = JsonPath::root();
        let info = file.value.get("info");
        if info.is_none_or(|i| i.get("title").is_none() || i.get("version").is_none()) {
            let at = if info.is_some() {
                root.key("info")
            } else {
                root.clone()
            };
            self.problem(
                file,
                &at,
                "missing `info` with `title` and `version` (OpenAPI requires them)",
            );
        }
        match file.value.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0.") => {}
            Some(v) => self.problem(
                file,
                &root.key("openapi"),
                format!("OpenAPI {v} is not supported: progenitor reads OpenAPI 3.0.x only"),
            ),
            None => self.problem(file, &root, "missing `openapi: 3.0.x`"),
        }
    }

    /// Components are merged into one document: a name may be defined once
    /// per kind across all files.
    fn component_names(&mut self, file: &SpecFile) {
        for kind in COMPONENT_KINDS {
            let Some(items) = file
                .value
                .pointer(&format!("/components/{kind}"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for name in items.keys() {
                let key = ((*kind).to_owned(), name.clone());
                match self.components.get(&key) {
                    Some(first) => {
                        let message =
                            format!("`{name}` is also defined in {first}; define it once");
                        let path = JsonPath::root().key("components").key(kind).key(name);
                        self.problem(file, &path, message);
                    }
                    None => {
                        self.components.insert(key, file.name.clone());
                    }
                }
            }
        }
    }

    fn no_operations(&mut self, file: &SpecFile, what: &str) {
        if file
            .value
            .get("paths")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
        {
            self.problem(
                file,
                &JsonPath::root().key("paths"),
                format!("{what} holds no operations: write them in {GROUPS_DIR}/<group>.yaml (`x-interfaces` limits one to an interface)"),
            );
        }
    }

    fn interface_document(&mut self, file: &SpecFile) {
        self.no_operations(file, "an interface document");
        let root = JsonPath::root();
        if let Some(components) = file.value.get("components").and_then(Value::as_object) {
            for kind in components.keys().filter(|k| *k != "securitySchemes") {
                self.problem(
                    file,
                    &root.key("components").key(kind),
                    format!("an interface document defines only `securitySchemes`; put {kind} in {SHARED_FILE} or the group that uses them"),
                );
            }
        }
        if let Some(security) = file.value.get("security") {
            let schemes = self.schemes(file);
            self.security(file, security, &schemes, &root.key("security"));
        }
    }

    /// The security schemes a document defines.
    pub(super) fn schemes(&self, file: &'a SpecFile) -> BTreeSet<&'a str> {
        file.value
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    pub(super) fn security(
        &mut self,
        file: &SpecFile,
        security: &Value,
        schemes: &BTreeSet<&str>,
        path: &JsonPath,
    ) {
        let Some(list) = security.as_array() else {
            self.problem(file, path, "`security` must be a list");
            return;
        };
        for (i, requirement) in list.iter().enumerate() {
            for name in requirement.as_object().into_iter().flat_map(|m| m.keys()) {
                if !schemes.contains(name.as_str()) {
                    self.problem(
                        file,
                        &path.index(i),
                        format!("unknown security scheme `{name}`: define it under `components.securitySchemes` of this document"),
                    );
                }
            }
        }
    }

    fn group_document(
        &mut self,
        name: &str,
        file: &SpecFile,
        tags: &mut std::collections::BTreeMap<String, String>,
    ) {
        let root = JsonPath::root();
        let usable = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !usable {
            self.problem(
                file,
                &root,
                format!("group `{name}`: the file stem names a Rust module and a cargo feature; use lower-case ASCII letters, digits and `_`"),
            );
        } else if RESERVED_FEATURES.contains(&name) {
            self.problem(
                file,
                &root,
                format!("group `{name}`: `{name}` is already a cargo feature or module of carecloud-api; rename the file"),
            );
        }
        if file
            .value
            .get("paths")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty())
        {
            self.problem(
                file,
                &root.key("paths"),
                "a group without operations: add its operations or remove the file",
            );
        }
        if file.value.get("security").is_some() {
            self.problem(
                file,
                &root.key("security"),
                "a group does not set security: each interface document sets its scheme; an operation that needs no token says `security: []`",
            );
        }
        if let Some(components) = file.value.get("components").and_then(Value::as_object) {
            for kind in components.keys() {
                if !COMPONENT_KINDS.contains(&kind.as_str()) {
                    self.problem(
                        file,
                        &root.key("components").key(kind),
                        format!("a group defines only {}; `{kind}` cannot be shared with the other documents", COMPONENT_KINDS.join(", ")),
                    );
                }
            }
        }
        let Some(list) = file.value.get("tags").and_then(Value::as_array) else {
            self.problem(
                file,
                &root.key("tags"),
                "a group lists its tags (each with a `name` and a `description`): they say which group an operation belongs to",
            );
            return;
        };
        for (i, tag) in list.iter().enumerate() {
            let Some(tag_name) = tag.get("name").and_then(Value::as_str) else {
                self.problem(file, &root.key("tags").index(i), "tag without a `name`");
                continue;
            };
            if let Some(first) = tags.insert(tag_name.to_owned(), file.name.clone()) {
                self.problem(
                    file,
                    &root.key("tags").index(i),
                    format!(
                        "tag `{tag_name}` is also a tag of {first}: a tag belongs to one group"
                    ),
                );
            }
        }
    }
}
