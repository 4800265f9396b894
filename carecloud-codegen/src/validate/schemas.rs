//! Schemas: OpenAPI 3.0 types only, the shapes progenitor and typify handle,
//! named enums that become open Rust enums, and Rust type names that do not
//! clash.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Checker;
use crate::json_path::JsonPath;
use crate::load::SpecFile;
use crate::model::hand_written;
use crate::naming;

/// Names the generated code uses from the standard prelude: a schema must
/// not shadow them.
const PRELUDE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Clone",
    "Debug", "Copy", "Send", "Sync", "Sized", "Iterator", "Into", "From", "TryInto", "TryFrom",
];

/// The values of `type` in OpenAPI 3.0 (progenitor panics on any other).
const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];

impl<'a> Checker<'a> {
    /// Checks the named schemas a document defines.
    pub(super) fn named_schemas(&mut self, file: &'a SpecFile) {
        let Some(schemas) = file
            .value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        for (name, schema) in schemas {
            let path = JsonPath::root().key("components").key("schemas").key(name);
            self.named_schema(file, name, schema, &path);
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
        if PRELUDE_NAMES.contains(&rust.as_str()) {
            self.problem(
                file,
                path,
                format!("`{name}` would become the Rust type `{rust}`, which the generated code uses from the standard prelude; rename the schema"),
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
    pub(super) fn schema(
        &mut self,
        file: &'a SpecFile,
        schema: &'a Value,
        path: &JsonPath,
        rust: &str,
    ) {
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
}
