//! Every `$ref` resolves, points into a document that may be referenced, and
//! stands alone (OpenAPI 3.0 ignores keywords beside a `$ref`).

use serde_json::Value;

use super::Checker;
use crate::json_path::JsonPath;
use crate::load::{GROUPS_DIR, SHARED_FILE, SpecFile};
use crate::refs::{COMPONENT_KINDS, component, join, split_ref};

/// Keywords tolerated beside a `$ref`: documentation only, they do not change
/// the generated type (a `nullable` beside the `$ref` of a required property
/// would, and is reported).
const REF_SIBLINGS: &[&str] = &[
    "$ref",
    "description",
    "readOnly",
    "writeOnly",
    "deprecated",
    "nullable",
    "example",
];

impl<'a> Checker<'a> {
    pub(super) fn references(&mut self, file: &'a SpecFile, node: &'a Value, path: &JsonPath) {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    let ref_path = path.key("$ref");
                    match reference.as_str() {
                        None => self.problem(file, &ref_path, "`$ref` must be a string"),
                        Some(r) => {
                            if let Some(message) = self.reference_problem(file, r) {
                                self.problem(file, &ref_path, message);
                            }
                        }
                    }
                    let extra: Vec<&str> = map
                        .keys()
                        .map(String::as_str)
                        .filter(|k| !REF_SIBLINGS.contains(k))
                        .collect();
                    if !extra.is_empty() {
                        self.problem(
                            file,
                            path,
                            format!(
                                "keywords beside `$ref` are ignored by OpenAPI 3.0 tools (only documentation keywords may stand there): {}; put them on the referenced schema",
                                extra.join(", ")
                            ),
                        );
                    }
                }
                for (k, v) in map {
                    if k != "example" && k != "examples" {
                        self.references(file, v, &path.key(k));
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.references(file, v, &path.index(i));
                }
            }
            _ => {}
        }
    }

    fn reference_problem(&self, file: &SpecFile, r: &str) -> Option<String> {
        let (target, fragment) = split_ref(r);
        let kind = component(fragment).map(|(kind, _)| kind);
        if let Some(target) = target {
            let Some(joined) = join(&file.ref_name, target) else {
                return Some(format!("`{r}` points outside the spec folder"));
            };
            if joined == file.ref_name {
                return Some(format!(
                    "`{r}` names this document by its file name; write it as `#{fragment}`"
                ));
            }
            let Some(target_file) = self.sources.file(&joined) else {
                return Some(format!(
                    "`{r}` names `{joined}`, which is not a spec document ({SHARED_FILE} or {GROUPS_DIR}/<group>.yaml)"
                ));
            };
            let referable = target_file.ref_name == SHARED_FILE
                || self.sources.groups.iter().any(|g| g.doc.ref_name == joined);
            if !referable {
                return Some(format!(
                    "`{r}`: only {SHARED_FILE} and the group documents may be referenced"
                ));
            }
            if file.ref_name == SHARED_FILE && joined != SHARED_FILE {
                return Some(format!(
                    "`{r}`: {SHARED_FILE} holds what several groups share and must not depend on one group; move the component here"
                ));
            }
            if let Some(kind) = kind
                && !COMPONENT_KINDS.contains(&kind)
            {
                return Some(format!(
                    "`{r}`: only {} are merged from other documents, not `{kind}`; define it in this document",
                    COMPONENT_KINDS.join(", ")
                ));
            }
        }
        if kind.is_none() {
            return Some(format!(
                "`{r}` must point at a component (`#/components/<kind>/<name>`)"
            ));
        }
        if self.resolve_static(file, r).is_none() {
            return Some(format!("`{r}` does not resolve"));
        }
        None
    }

    fn resolve_static(&self, file: &SpecFile, r: &str) -> Option<()> {
        let (target, fragment) = split_ref(r);
        let target = match target {
            None => file,
            Some(t) => self.sources.file(&join(&file.ref_name, t)?)?,
        };
        target.value.pointer(fragment).map(|_| ())
    }
}
