//! Step 3: check the documents against every rule the generated client relies
//! on, before progenitor sees them. progenitor panics on several shapes and
//! silently mishandles others; each is reported here as a [`Problem`] naming
//! the file and JSON path, and all problems are reported at once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{Error, Problem, Result};
use crate::generate::hand_written;
use crate::json_path::JsonPath;
use crate::load::{SHARED_FILE, Sources, SpecFile};
use crate::naming;
use crate::resolve::{COMPONENT_KINDS, split_ref};

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

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The values of `type` in OpenAPI 3.0 (progenitor panics on any other).
const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];

/// Methods progenitor generates on every `Client`: an operation whose
/// method name is one of these does not compile.
const CLIENT_METHODS: &[&str] = &["new", "new_with_client"];

/// Methods progenitor generates on every operation builder: a parameter
/// whose builder method is one of these does not compile.
const BUILDER_METHODS: &[&str] = &["new", "send"];

/// Validates all documents; `Err(Error::Invalid)` lists every problem found.
pub fn validate(sources: &Sources) -> Result<()> {
    let mut v = Validator {
        sources,
        problems: Vec::new(),
        error_schema: None,
        rust_names: BTreeMap::new(),
    };
    for file in sources.files() {
        v.document(file);
    }
    v.placement();
    if v.problems.is_empty() {
        Ok(())
    } else {
        v.problems.sort();
        v.problems.dedup();
        Err(Error::Invalid(v.problems))
    }
}

/// Where an operation sits: its path template, method and path item.
#[derive(Clone, Copy)]
struct OpSite<'a, 'p> {
    template: &'p str,
    method: &'p str,
    item: &'a Map<String, Value>,
    item_path: &'p JsonPath,
    path: &'p JsonPath,
}

struct Validator<'a> {
    sources: &'a Sources,
    problems: Vec<Problem>,
    /// The error schema seen first: (name, where it was seen).
    error_schema: Option<(String, String)>,
    /// Rust type name → where the schema that takes it was defined.
    rust_names: BTreeMap<String, String>,
}

impl<'a> Validator<'a> {
    fn problem(&mut self, file: &SpecFile, path: &JsonPath, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.name.clone(),
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Finds the document a `$ref` written in `from` points into.
    fn target_file(&self, from: &'a SpecFile, file: Option<&str>) -> Option<&'a SpecFile> {
        match file {
            // A reference naming its own file is reported, but still followed
            // so that what it points to does not also look unused.
            None => Some(from),
            Some(name) if name == from.ref_name => Some(from),
            Some(name) => self
                .sources
                .shared
                .as_ref()
                .filter(|shared| shared.ref_name == name && from.ref_name != name),
        }
    }

    /// Resolves a `$ref` (one hop) to the file and node it names.
    fn resolve(&self, from: &'a SpecFile, reference: &str) -> Option<(&'a SpecFile, &'a Value)> {
        let (file, fragment) = split_ref(reference);
        let target = self.target_file(from, file)?;
        let node = target.value.pointer(fragment)?;
        Some((target, node))
    }

    /// Follows `$ref`s until a non-reference node (at most 16 hops); returns
    /// that node with its file and path (`path` is where `node` sits), so
    /// that problems inside a referenced component name where it is defined.
    fn deref(
        &self,
        from: &'a SpecFile,
        node: &'a Value,
        path: &JsonPath,
    ) -> Option<(&'a SpecFile, &'a Value, JsonPath)> {
        let (mut file, mut node, mut path) = (from, node, path.clone());
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    (file, node) = self.resolve(file, r)?;
                    path = JsonPath::from_pointer(split_ref(r).1);
                }
                None => return Some((file, node, path)),
            }
        }
        None
    }

    fn document(&mut self, file: &'a SpecFile) {
        let root = JsonPath::root();
        match file.value.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0.") => {}
            Some(v) => self.problem(
                file,
                &root.key("openapi"),
                format!("OpenAPI {v} is not supported: progenitor reads OpenAPI 3.0.x only"),
            ),
            None => self.problem(file, &root, "missing `openapi: 3.0.x`"),
        }
        self.references(file, &file.value, &root);
        let is_shared = self
            .sources
            .shared
            .as_ref()
            .is_some_and(|s| std::ptr::eq(s, file));
        if is_shared {
            for kind in COMPONENT_KINDS {
                for interface in &self.sources.interfaces {
                    if let Some(items) = interface
                        .doc
                        .value
                        .pointer(&format!("/components/{kind}"))
                        .and_then(Value::as_object)
                    {
                        for name in items.keys() {
                            if file
                                .value
                                .pointer(&format!("/components/{kind}/{name}"))
                                .is_some()
                            {
                                let path = root.key("components").key(kind).key(name);
                                self.problem(
                                    &interface.doc,
                                    &path,
                                    format!(
                                        "`{name}` is also defined in {SHARED_FILE}; define it once"
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
        if let Some(schemas) = file
            .value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                let path = root.key("components").key("schemas").key(name);
                self.named_schema(file, name, schema, &path);
            }
        }
        if let Some(paths) = file.value.get("paths").and_then(Value::as_object) {
            let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
            for (template, item) in paths {
                let item_path = root.key("paths").key(template);
                if item.get("$ref").is_some() {
                    self.problem(
                        file,
                        &item_path,
                        "path items given by `$ref` are not supported",
                    );
                    continue;
                }
                let Some(item) = item.as_object() else {
                    continue;
                };
                for (method, op) in item {
                    if method == "parameters" {
                        continue;
                    }
                    let op_path = item_path.key(method);
                    if !METHODS.contains(&method.as_str()) {
                        if !method.starts_with("x-")
                            && !["summary", "description", "servers"].contains(&method.as_str())
                        {
                            self.problem(
                                file,
                                &op_path,
                                format!("unknown key `{method}` in a path item"),
                            );
                        }
                        continue;
                    }
                    let at = OpSite {
                        template,
                        method,
                        item,
                        item_path: &item_path,
                        path: &op_path,
                    };
                    self.operation(file, &at, op, &mut operation_ids);
                }
            }
        }
        let schemes: BTreeSet<&str> = file
            .value
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if let Some(security) = file.value.get("security") {
            self.security(file, security, &schemes, &root.key("security"));
        }
    }

    /// Every `$ref` must resolve, point into this file or the shared one,
    /// and stand alone (OpenAPI 3.0 ignores keywords beside a `$ref`).
    fn references(&mut self, file: &'a SpecFile, node: &'a Value, path: &JsonPath) {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    let ref_path = path.key("$ref");
                    match reference.as_str() {
                        None => self.problem(file, &ref_path, "`$ref` must be a string"),
                        Some(r) => {
                            let (target, fragment) = split_ref(r);
                            let kind = fragment
                                .strip_prefix("/components/")
                                .and_then(|rest| rest.split('/').next())
                                .unwrap_or_default();
                            if target == Some(file.ref_name.as_str()) {
                                self.problem(
                                    file,
                                    &ref_path,
                                    format!("`{r}` names this document by its file name; write it as `#{fragment}`"),
                                );
                            } else if self.target_file(file, target).is_none() {
                                self.problem(
                                    file,
                                    &ref_path,
                                    format!("`{r}` points outside this document and {SHARED_FILE}"),
                                );
                            } else if !fragment.starts_with("/components/") {
                                self.problem(
                                    file,
                                    &ref_path,
                                    format!("`{r}` must point into `components`"),
                                );
                            } else if target.is_some() && !COMPONENT_KINDS.contains(&kind) {
                                self.problem(
                                    file,
                                    &ref_path,
                                    format!(
                                        "`{r}`: only {} are copied from {SHARED_FILE} into the interfaces, not `{kind}`; define it in this document",
                                        COMPONENT_KINDS.join(", ")
                                    ),
                                );
                            } else if self.resolve(file, r).is_none() {
                                self.problem(file, &ref_path, format!("`{r}` does not resolve"));
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

    fn claim_rust_name(&mut self, file: &SpecFile, path: &JsonPath, rust: String) {
        let here = format!("{} {}", file.name, path);
        match self.rust_names.get(&rust) {
            Some(first) if *first != here => {
                let first = first.clone();
                self.problem(
                    file,
                    path,
                    format!(
                        "becomes the Rust type `{rust}`, which {first} already becomes; rename one"
                    ),
                );
            }
            Some(_) => {}
            None => {
                self.rust_names.insert(rust, here);
            }
        }
    }

    fn named_schema(&mut self, file: &'a SpecFile, name: &str, schema: &'a Value, path: &JsonPath) {
        let rust = naming::type_name(name);
        if !name.chars().all(|c| c.is_ascii_alphanumeric())
            || !name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            self.problem(
                file,
                path,
                format!(
                    "schema names must be PascalCase letters and digits (would become `{rust}`)"
                ),
            );
        }
        self.claim_rust_name(file, path, rust.clone());
        if let Some(expected) = hand_written(name) {
            if schema.get("enum").is_some() || schema.get("properties").is_some() {
                self.problem(
                    file,
                    path,
                    format!("`{name}` is mapped onto the hand-written `{}`; keep it a plain scalar schema", expected),
                );
            }
            return;
        }
        if let Some(values) = schema.get("enum") {
            self.named_enum(file, schema, values, path);
            return;
        }
        self.schema(file, schema, path, &rust);
    }

    fn named_enum(&mut self, file: &SpecFile, schema: &Value, values: &Value, path: &JsonPath) {
        let Some(values) = values.as_array().filter(|v| !v.is_empty()) else {
            self.problem(file, &path.key("enum"), "`enum` must be a non-empty list");
            return;
        };
        let kind = schema.get("type").and_then(Value::as_str);
        let names: Vec<String> = match kind {
            Some("integer") => {
                if let Some(v) = values.iter().find(|v| !v.is_i64()) {
                    self.problem(
                        file,
                        &path.key("enum"),
                        format!("integer enum has the non-integer value {v}"),
                    );
                    return;
                }
                let Some(names) = schema.get("x-enum-varnames").and_then(Value::as_array) else {
                    self.problem(
                        file,
                        path,
                        "an integer enum needs `x-enum-varnames` (one PascalCase name per value) to become a Rust enum",
                    );
                    return;
                };
                if names.len() != values.len() {
                    self.problem(
                        file,
                        &path.key("x-enum-varnames"),
                        format!("has {} names for {} values", names.len(), values.len()),
                    );
                    return;
                }
                names
                    .iter()
                    .map(|n| n.as_str().unwrap_or_default().to_owned())
                    .collect()
            }
            Some("string") => {
                if let Some(v) = values.iter().find(|v| !v.is_string()) {
                    self.problem(
                        file,
                        &path.key("enum"),
                        format!("string enum has the non-string value {v}"),
                    );
                    return;
                }
                values
                    .iter()
                    .map(|v| naming::variant_name(v.as_str().unwrap_or_default()))
                    .collect()
            }
            _ => {
                self.problem(
                    file,
                    path,
                    "an enum must have `type: integer` or `type: string`",
                );
                return;
            }
        };
        let integer = kind == Some("integer");
        let mut seen = BTreeSet::new();
        for (i, name) in names.iter().enumerate() {
            if !naming::is_pascal_ident(name) {
                // A string enum's names come from its values: point at the value.
                let (at, message) = if integer {
                    let at = path.key("x-enum-varnames").index(i);
                    if name == "Unknown" {
                        (at, "`Unknown` is reserved for the variant holding values the client does not know; choose another name".to_owned())
                    } else {
                        (
                            at,
                            format!(
                                "`{name}` is not a usable variant name; use PascalCase ASCII letters and digits"
                            ),
                        )
                    }
                } else {
                    let (at, value) = (path.key("enum").index(i), &values[i]);
                    if name == "Unknown" {
                        (
                            at,
                            format!(
                                "the value {value} becomes the variant `Unknown`, which is reserved for values the client does not know; leave the value out (open enums keep unknown values anyway)"
                            ),
                        )
                    } else {
                        (
                            at,
                            format!(
                                "the value {value} becomes the variant `{name}`, which is not a Rust identifier of ASCII letters and digits; make the schema a plain string and list the values in its description"
                            ),
                        )
                    }
                };
                self.problem(file, &at, message);
            } else if !seen.insert(name) {
                self.problem(
                    file,
                    &path.key("enum").index(i),
                    format!("two values become the variant `{name}`"),
                );
            }
        }
    }

    /// Checks a schema (named or inline) and the inline schemas inside it.
    fn schema(&mut self, file: &'a SpecFile, schema: &'a Value, path: &JsonPath, rust: &str) {
        let Some(map) = schema.as_object() else {
            if !schema.is_boolean() {
                self.problem(file, path, "a schema must be a mapping");
            }
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        match map.get("type") {
            None => {}
            Some(Value::String(t)) if TYPES.contains(&t.as_str()) => {}
            Some(Value::Array(_)) => self.problem(
                file,
                &path.key("type"),
                "`type` must be one type name in OpenAPI 3.0 (a list is OpenAPI 3.1); for a value that may be null write the type and `nullable: true`",
            ),
            Some(other) => self.problem(
                file,
                &path.key("type"),
                format!("unknown type {other}; use one of {}", TYPES.join(", ")),
            ),
        }
        if map.contains_key("enum") {
            self.problem(
                file,
                &path.key("enum"),
                "inline enum: define it as a named schema under components/schemas so it becomes an open Rust enum",
            );
        }
        for keyword in ["allOf", "anyOf", "oneOf", "not"] {
            if map.contains_key(keyword) {
                self.problem(
                    file,
                    &path.key(keyword),
                    format!("`{keyword}` is not supported by this generator (typify mishandles it); spell the schema out"),
                );
            }
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            self.problem(
                file,
                &path.key("additionalProperties"),
                "`additionalProperties: false` would reject fields the server adds later; remove it",
            );
        }
        match map.get("format").and_then(Value::as_str) {
            Some("password") => self.problem(
                file,
                &path.key("format"),
                "`format: password` outside the `Password` schema: use `$ref: Password` so the value is redacted",
            ),
            Some(format @ ("date-time" | "date")) => {
                let (chrono, schema) = if format == "date" {
                    ("NaiveDate", "Date")
                } else {
                    ("DateTime<Utc>", "DateTime")
                };
                self.problem(
                    file,
                    &path.key("format"),
                    format!("`format: {format}` makes typify use chrono's `{chrono}`, which carecloud-api cannot (de)serialize and which would reject CareCloud's project-local values; use `$ref` to the `{schema}` schema instead"),
                );
            }
            Some("uuid") => self.problem(
                file,
                &path.key("format"),
                "`format: uuid` makes typify use `uuid::Uuid`, which carecloud-api does not depend on; remove the format (the value stays a string)",
            ),
            _ => {}
        }
        if map.contains_key("default") {
            self.problem(
                file,
                &path.key("default"),
                "`default` changes generated types; describe the server default in prose instead",
            );
        }
        if let Some(Value::Object(properties)) = map.get("properties") {
            let required = map.get("required").and_then(Value::as_array);
            for name in required.into_iter().flatten().filter_map(Value::as_str) {
                if !properties.contains_key(name) {
                    self.problem(
                        file,
                        &path.key("required"),
                        format!("`{name}` is required but not a property"),
                    );
                }
            }
            for (name, property) in properties {
                if naming::method_name(name) == "extra" {
                    self.problem(
                        file,
                        &path.key("properties").key(name),
                        format!("property `{name}` would become the field `extra`, which the generated struct already uses to keep unknown fields (two fields of one name do not compile); rename the unknown-fields map in the generator first"),
                    );
                }
                let is_required = required.into_iter().flatten().any(|r| r == name);
                if is_required
                    && property.get("$ref").is_some()
                    && property.get("nullable") == Some(&Value::Bool(true))
                {
                    self.problem(
                        file,
                        &path.key("properties").key(name),
                        "a required property whose value may be null: `nullable` beside `$ref` is ignored, so a null would fail to parse; make it optional",
                    );
                }
                let nested = naming::nested_type_name(rust, name);
                self.inline(file, property, &path.key("properties").key(name), &nested);
            }
        }
        if let Some(items) = map.get("items") {
            self.inline(file, items, &path.key("items"), &format!("{rust}Item"));
        }
        if let Some(additional @ Value::Object(_)) = map.get("additionalProperties") {
            self.schema(
                file,
                additional,
                &path.key("additionalProperties"),
                &format!("{rust}Value"),
            );
        }
    }

    /// An inline schema: one that defines an object becomes a Rust type of
    /// its own, whose predicted name must not clash with another.
    fn inline(&mut self, file: &'a SpecFile, schema: &'a Value, path: &JsonPath, rust: &str) {
        if schema.get("properties").is_some() {
            self.claim_rust_name(file, path, rust.to_owned());
        }
        self.schema(file, schema, path, rust);
    }

    fn operation(
        &mut self,
        file: &'a SpecFile,
        at: &OpSite<'a, '_>,
        op: &'a Value,
        operation_ids: &mut BTreeMap<String, String>,
    ) {
        let OpSite {
            template,
            method,
            item,
            item_path,
            path,
        } = *at;
        match op.get("operationId").and_then(Value::as_str) {
            None => self.problem(
                file,
                path,
                "missing `operationId`: it names the generated method",
            ),
            Some(id) => {
                if !id.starts_with(|c: char| c.is_ascii_lowercase())
                    || !id.chars().all(|c| c.is_ascii_alphanumeric())
                {
                    self.problem(
                        file,
                        &path.key("operationId"),
                        format!("`{id}` is not camelCase letters and digits"),
                    );
                }
                let method_name = naming::method_name(id);
                if CLIENT_METHODS.contains(&method_name.as_str()) {
                    self.problem(
                        file,
                        &path.key("operationId"),
                        format!("`{id}` becomes the method `{method_name}`, which progenitor already generates on every `Client` (two methods of one name do not compile); choose another operationId"),
                    );
                }
                if let Some(first) = operation_ids.insert(method_name.clone(), path.to_string()) {
                    self.problem(
                        file,
                        &path.key("operationId"),
                        format!("`{id}` becomes the method `{method_name}`, as the operation at {first} does; operationIds must be unique"),
                    );
                }
            }
        }
        // Parameters: path-level ones, overridden by operation-level ones.
        let mut params: BTreeMap<(String, String), JsonPath> = BTreeMap::new();
        let lists = [
            (item.get("parameters"), item_path.key("parameters")),
            (op.get("parameters"), path.key("parameters")),
        ];
        for (list, list_path) in lists {
            let Some(list) = list.and_then(Value::as_array) else {
                continue;
            };
            for (i, param) in list.iter().enumerate() {
                let use_path = list_path.index(i);
                // Problems of the parameter itself name where it is defined
                // (maybe in the shared file); those of its use name the operation.
                let Some((p_file, param, p_path)) = self.deref(file, param, &use_path) else {
                    continue;
                };
                let Some(name) = param.get("name").and_then(Value::as_str) else {
                    self.problem(p_file, &p_path, "parameter has no `name`");
                    continue;
                };
                let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
                match location {
                    "path" => {
                        if param.get("required") != Some(&Value::Bool(true)) {
                            self.problem(
                                p_file,
                                &p_path,
                                format!("path parameter `{name}` must have `required: true`"),
                            );
                        }
                        if !template.contains(&format!("{{{name}}}")) {
                            self.problem(
                                file,
                                &use_path,
                                format!("path parameter `{name}` does not appear in `{template}`"),
                            );
                        }
                    }
                    "query" => {
                        if let Some(style) = param
                            .get("style")
                            .and_then(Value::as_str)
                            .filter(|s| *s != "form")
                        {
                            self.problem(
                                p_file,
                                &p_path,
                                format!("query style `{style}` is not supported; use `form`"),
                            );
                        }
                    }
                    "header" => {}
                    "cookie" => self.problem(
                        p_file,
                        &p_path,
                        format!("cookie parameter `{name}` is not supported"),
                    ),
                    other => self.problem(
                        p_file,
                        &p_path,
                        format!("unknown parameter location `{other}`"),
                    ),
                }
                let builder_method = naming::method_name(name);
                if BUILDER_METHODS.contains(&builder_method.as_str()) {
                    self.problem(
                        p_file,
                        &p_path,
                        format!("parameter `{name}` would get the builder method `{builder_method}`, which every operation builder already has (two methods of one name do not compile); rename the parameter in the generator first"),
                    );
                }
                if param.get("content").is_some() {
                    self.problem(
                        p_file,
                        &p_path,
                        format!("parameter `{name}` uses `content`; give it a `schema`"),
                    );
                } else if let Some(schema) = param.get("schema") {
                    let s_path = p_path.key("schema");
                    if self
                        .deref(p_file, schema, &s_path)
                        .is_some_and(|(_, s, _)| s.get("properties").is_some())
                    {
                        self.problem(
                            p_file,
                            &s_path,
                            format!("parameter `{name}` has an object schema, which progenitor cannot generate (it panics); make each field a parameter of its own"),
                        );
                    }
                    self.schema(p_file, schema, &s_path, "Parameter");
                } else {
                    self.problem(
                        p_file,
                        &p_path,
                        format!("parameter `{name}` has no `schema`"),
                    );
                }
                params.insert((location.to_owned(), name.to_owned()), use_path);
            }
        }
        let has_body = op.get("requestBody").is_some();
        let mut rust_params: BTreeMap<String, &JsonPath> = BTreeMap::new();
        for ((_, name), p_path) in &params {
            let builder_method = naming::method_name(name);
            if has_body && ["body", "body_map"].contains(&builder_method.as_str()) {
                let message = format!(
                    "parameter `{name}` would get the builder method `{builder_method}`, which the request body already takes (two methods of one name do not compile)"
                );
                self.problem(file, p_path, message);
            }
            if let Some(first) = rust_params.insert(builder_method, p_path) {
                let message = format!(
                    "parameter `{name}` gets the same builder method as the one at {first}"
                );
                self.problem(file, p_path, message);
            }
        }
        for segment in template.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}');
            if !params.contains_key(&("path".to_owned(), name.to_owned())) {
                self.problem(
                    file,
                    path,
                    format!("`{{{name}}}` in the path has no path parameter"),
                );
            }
        }
        if let Some(body) = op.get("requestBody") {
            let body_path = path.key("requestBody");
            if method == "get" {
                self.problem(
                    file,
                    &body_path,
                    "a GET operation cannot have a request body",
                );
            }
            if let Some((b_file, body, b_path)) = self.deref(file, body, &body_path) {
                self.content(b_file, body, &b_path, "request body");
            }
        }
        if let Some(security) = op.get("security") {
            let schemes: BTreeSet<&str> = file
                .value
                .pointer("/components/securitySchemes")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            self.security(file, security, &schemes, &path.key("security"));
        }
        self.responses(file, op, &path.key("responses"));
    }

    /// A request body or response content: JSON only, one named schema.
    /// Returns the schema's `$ref`, if it has content.
    fn content(
        &mut self,
        file: &'a SpecFile,
        holder: &'a Value,
        path: &JsonPath,
        what: &str,
    ) -> Option<String> {
        let content = holder.get("content").and_then(Value::as_object)?;
        let c_path = path.key("content");
        let media: Vec<&String> = content.keys().collect();
        if media.len() != 1 || media[0] != "application/json" {
            let list = media
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            self.problem(
                file,
                &c_path,
                format!(
                    "{what} must have exactly one media type, application/json (found: {list})"
                ),
            );
            return None;
        }
        let mt = &content["application/json"];
        let mt_path = c_path.key("application/json");
        if mt.get("encoding").is_some() {
            self.problem(
                file,
                &mt_path.key("encoding"),
                "`encoding` is not supported",
            );
        }
        match mt
            .get("schema")
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
        {
            Some(r) if r.contains("/components/schemas/") => {
                Some(r.rsplit('/').next().unwrap_or(r).to_owned())
            }
            _ => {
                self.problem(
                    file,
                    &mt_path.key("schema"),
                    format!("the {what} schema must be a `$ref` to a named schema, so that both interfaces share one Rust type"),
                );
                None
            }
        }
    }

    fn responses(&mut self, file: &'a SpecFile, op: &'a Value, path: &JsonPath) {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            self.problem(file, path, "missing `responses`");
            return;
        };
        let mut success: Vec<(String, Option<String>)> = Vec::new();
        for (code, response) in responses {
            let r_path = path.key(code);
            let status: Option<u16> = code.parse().ok().filter(|c| (100..600).contains(c));
            let Some(status) = status else {
                self.problem(file, &r_path, format!("status `{code}`: list explicit status codes (ranges and `default` are not supported)"));
                continue;
            };
            // Problems inside the response name where it is defined.
            let Some((d_file, response, d_path)) = self.deref(file, response, &r_path) else {
                continue;
            };
            if !response.get("description").is_some_and(Value::is_string) {
                self.problem(
                    d_file,
                    &d_path,
                    "a response needs a `description` (OpenAPI requires it)",
                );
            }
            let schema = self.content(d_file, response, &d_path, &format!("{code} response"));
            if (200..300).contains(&status) {
                success.push((code.clone(), schema));
            } else if status >= 400 {
                match schema {
                    None if response.get("content").is_none() => self.problem(
                        d_file,
                        &d_path,
                        "error responses need the error schema as application/json content: the client has one error type",
                    ),
                    None => {}
                    Some(name) => match &self.error_schema {
                        None => self.error_schema = Some((name, format!("{} {}", file.name, r_path))),
                        Some((first, at)) if *first != name => {
                            let message = format!(
                                "error schema `{name}` differs from `{first}` used at {at}; every error response must use one schema"
                            );
                            self.problem(file, &r_path, message);
                        }
                        Some(_) => {}
                    },
                }
            }
        }
        let distinct: BTreeSet<&Option<String>> = success.iter().map(|(_, s)| s).collect();
        if success.is_empty() {
            self.problem(
                file,
                path,
                "no 2xx response: the operation needs a success response",
            );
        } else if distinct.len() > 1 {
            let list = success
                .iter()
                .map(|(c, s)| format!("{c} → {}", s.as_deref().unwrap_or("no body")))
                .collect::<Vec<_>>()
                .join(", ");
            self.problem(
                file,
                path,
                format!("success responses have different types ({list}); the client needs one"),
            );
        }
    }

    fn security(
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

    /// Shared schemas must be used by more than one interface, and every
    /// schema must be used: the file a schema lives in decides its module.
    fn placement(&mut self) {
        let mut used_by: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for interface in &self.sources.interfaces {
            let mut seen = BTreeSet::new();
            if let Some(paths) = interface.doc.value.get("paths") {
                self.reach(&interface.doc, paths, &mut seen);
            }
            for key in seen {
                used_by
                    .entry(key)
                    .or_default()
                    .insert(interface.module.clone());
            }
        }
        let many = self.sources.interfaces.len() > 1;
        for file in self.sources.files() {
            let Some(schemas) = file
                .value
                .pointer("/components/schemas")
                .and_then(Value::as_object)
            else {
                continue;
            };
            let is_shared = file.ref_name == SHARED_FILE;
            for name in schemas.keys() {
                let path = JsonPath::root().key("components").key("schemas").key(name);
                let users = used_by.get(&(file.ref_name.clone(), name.clone()));
                match users {
                    None => self.problem(
                        file,
                        &path,
                        format!("schema `{name}` is not used by any operation; remove it"),
                    ),
                    Some(users) if is_shared && many && users.len() == 1 => {
                        let only = users.iter().next().cloned().unwrap_or_default();
                        self.problem(
                            file,
                            &path,
                            format!("schema `{name}` is used only by {only}.yaml; move it there so it lands in that interface's module"),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }

    /// Collects the (file, schema name) pairs reachable from `node`.
    fn reach(&self, file: &'a SpecFile, node: &'a Value, seen: &mut BTreeSet<(String, String)>) {
        match node {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str)
                    && let Some((target, value)) = self.resolve(file, r)
                {
                    let (_, fragment) = split_ref(r);
                    if let Some(name) = fragment.strip_prefix("/components/schemas/")
                        && !seen.insert((target.ref_name.clone(), name.to_owned()))
                    {
                        return;
                    }
                    self.reach(target, value, seen);
                }
                for (k, v) in map {
                    if k != "example" && k != "examples" {
                        self.reach(file, v, seen);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.reach(file, v, seen)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal valid interface: one GET with a named success and error schema.
    const VALID: &str = "openapi: 3.0.3
info: {title: T, version: v1.0}
paths:
  /widgets:
    get:
      operationId: getWidgets
      responses:
        '200':
          description: OK.
          content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
        '400':
          description: Bad.
          content: {application/json: {schema: {$ref: '#/components/schemas/ErrorEnvelope'}}}
components:
  schemas:
    Widget:
      type: object
      properties:
        name: {type: string}
    ErrorEnvelope:
      type: object
      properties:
        error: {type: string}
";

    /// `VALID` with `old` replaced by `new` (which must occur).
    fn valid_with(old: &str, new: &str) -> String {
        assert!(VALID.contains(old), "{old}");
        VALID.replacen(old, new, 1)
    }

    fn problems(shared: Option<&str>, doc: &str) -> Vec<Problem> {
        let sources = Sources::from_texts(shared, &[("enterprise", doc)]).expect("YAML parses");
        match validate(&sources) {
            Ok(()) => vec![],
            Err(Error::Invalid(problems)) => problems,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    /// Asserts exactly one problem, in `file` at `path`, mentioning `text`.
    #[track_caller]
    fn assert_one(problems: &[Problem], file: &str, path: &str, text: &str) {
        assert_eq!(problems.len(), 1, "{problems:#?}");
        let p = &problems[0];
        assert_eq!((p.file.as_str(), p.path.as_str()), (file, path), "{p}");
        assert!(p.message.contains(text), "{p}");
    }

    const PROPERTY: &str = "        name: {type: string}\n";
    const RESPONSES: &str = "      responses:\n";

    fn with_param(param: &str) -> String {
        valid_with(
            RESPONSES,
            &format!("      parameters:\n        - {param}\n{RESPONSES}"),
        )
    }

    #[test]
    fn the_minimal_document_is_valid() {
        assert_eq!(problems(None, VALID), vec![]);
    }

    #[test]
    fn type_must_be_one_openapi_3_0_type() {
        let doc = valid_with(PROPERTY, "        name: {type: [string, 'null']}\n");
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.components.schemas.Widget.properties.name.type",
            "nullable: true",
        );
        let doc = valid_with(PROPERTY, "        name: {type: strnig}\n");
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.components.schemas.Widget.properties.name.type",
            "unknown type \"strnig\"",
        );
    }

    #[test]
    fn chrono_and_uuid_formats_are_rejected() {
        for (format, text) in [
            ("date-time", "`DateTime` schema"),
            ("date", "`Date` schema"),
            ("uuid", "uuid::Uuid"),
        ] {
            let doc = valid_with(
                PROPERTY,
                &format!("        name: {{type: string, format: {format}}}\n"),
            );
            let p = problems(None, &doc);
            assert_one(
                &p,
                "enterprise.yaml",
                "$.components.schemas.Widget.properties.name.format",
                text,
            );
        }
    }

    #[test]
    fn a_property_named_extra_clashes_with_the_unknown_fields_map() {
        let doc = valid_with(PROPERTY, "        Extra: {type: string}\n");
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.components.schemas.Widget.properties.Extra",
            "field `extra`",
        );
    }

    #[test]
    fn object_parameters_are_rejected() {
        let inline = with_param(
            "{name: filter, in: query, schema: {type: object, properties: {a: {type: string}}}}",
        );
        let p = problems(None, &inline);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.paths['/widgets'].get.parameters[0].schema",
            "object schema",
        );
        let named =
            with_param("{name: filter, in: query, schema: {$ref: '#/components/schemas/Widget'}}");
        let p = problems(None, &named);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.paths['/widgets'].get.parameters[0].schema",
            "object schema",
        );
    }

    #[test]
    fn shared_refs_only_reach_the_kinds_that_are_bundled() {
        let shared = "openapi: 3.0.3
components:
  requestBodies:
    WidgetBody:
      content: {application/json: {schema: {$ref: 'enterprise.yaml#/components/schemas/Widget'}}}
";
        let doc = valid_with(
            "    get:\n      operationId: getWidgets\n",
            "    post:\n      operationId: postWidget\n      requestBody: {$ref: 'components.yaml#/components/requestBodies/WidgetBody'}\n",
        );
        let p = problems(Some(shared), &doc);
        let p: Vec<_> = p
            .into_iter()
            .filter(|p| p.file == "enterprise.yaml")
            .collect();
        assert_one(
            &p,
            "enterprise.yaml",
            "$.paths['/widgets'].post.requestBody['$ref']",
            "not `requestBodies`",
        );
    }

    #[test]
    fn a_ref_naming_its_own_file_is_reported_as_such() {
        let doc = valid_with(
            "$ref: '#/components/schemas/Widget'",
            "$ref: 'enterprise.yaml#/components/schemas/Widget'",
        );
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.paths['/widgets'].get.responses['200'].content['application/json'].schema['$ref']",
            "write it as `#/components/schemas/Widget`",
        );
    }

    #[test]
    fn operation_ids_must_not_become_client_constructors() {
        for id in ["new", "newWithClient"] {
            let doc = valid_with("getWidgets", id);
            let p = problems(None, &doc);
            assert_one(
                &p,
                "enterprise.yaml",
                "$.paths['/widgets'].get.operationId",
                "every `Client`",
            );
        }
    }

    #[test]
    fn parameters_must_not_take_builder_method_names() {
        for name in ["send", "new"] {
            let doc = with_param(&format!(
                "{{name: {name}, in: query, schema: {{type: string}}}}"
            ));
            let p = problems(None, &doc);
            assert_one(
                &p,
                "enterprise.yaml",
                "$.paths['/widgets'].get.parameters[0]",
                "every operation builder",
            );
        }
        let doc = with_param("{name: body, in: query, schema: {type: string}}");
        assert_eq!(
            problems(None, &doc),
            vec![],
            "`body` is free without a request body"
        );
        let doc = doc.replacen(
            "    get:\n      operationId: getWidgets\n",
            "    post:\n      operationId: postWidget\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}\n",
            1,
        );
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.paths['/widgets'].post.parameters[0]",
            "request body already takes",
        );
    }

    #[test]
    fn an_unknown_security_scheme_says_where_to_define_it() {
        let doc = valid_with("paths:\n", "security:\n  - apiKey: []\npaths:\n");
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.security[0]",
            "define it under `components.securitySchemes`",
        );
    }

    #[test]
    fn responses_need_a_description() {
        let doc = valid_with("          description: OK.\n", "");
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.paths['/widgets'].get.responses['200']",
            "`description`",
        );
    }

    #[test]
    fn parameters_need_a_name() {
        let doc = with_param("{in: query, schema: {type: string}}");
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.paths['/widgets'].get.parameters[0]",
            "no `name`",
        );
    }

    #[test]
    fn string_enum_variant_problems_point_at_the_value() {
        let doc = valid_with(
            PROPERTY,
            "        colour: {$ref: '#/components/schemas/Colour'}\n",
        ) + "    Colour: {type: string, enum: [red, unknown, \"ü\"]}\n";
        let p = problems(None, &doc);
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(p[0].path, "$.components.schemas.Colour.enum[1]");
        assert!(p[0].message.contains("reserved"), "{}", p[0]);
        assert_eq!(p[1].path, "$.components.schemas.Colour.enum[2]");
        assert!(
            p[1].message
                .contains("the value \"ü\" becomes the variant `Ü`"),
            "{}",
            p[1]
        );
        let doc = valid_with(
            PROPERTY,
            "        level: {$ref: '#/components/schemas/Level'}\n",
        ) + "    Level: {type: integer, enum: [1, 2], x-enum-varnames: [Low, Unknown]}\n";
        let p = problems(None, &doc);
        assert_one(
            &p,
            "enterprise.yaml",
            "$.components.schemas.Level['x-enum-varnames'][1]",
            "reserved",
        );
    }

    #[test]
    fn problems_inside_shared_components_name_their_definition() {
        let shared = "openapi: 3.0.3
components:
  parameters:
    Sort: {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
  responses:
    Bad:
      description: Bad.
      content: {application/json: {schema: {type: object}}}
";
        let doc = with_param("$ref: 'components.yaml#/components/parameters/Sort'").replacen(
            "        '400':\n          description: Bad.\n          content: {application/json: {schema: {$ref: '#/components/schemas/ErrorEnvelope'}}}\n",
            "        '400': {$ref: 'components.yaml#/components/responses/Bad'}\n",
            1,
        );
        let p: Vec<_> = problems(Some(shared), &doc)
            .into_iter()
            .filter(|p| !p.message.contains("not used by any operation"))
            .collect();
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(
            (p[0].file.as_str(), p[0].path.as_str()),
            (
                "components.yaml",
                "$.components.parameters.Sort.schema.enum"
            )
        );
        assert_eq!(
            (p[1].file.as_str(), p[1].path.as_str()),
            (
                "components.yaml",
                "$.components.responses.Bad.content['application/json'].schema"
            )
        );
    }
}
