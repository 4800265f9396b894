//! Checks on the named schemas (the types in `carecloud_api::types`):
//! schemas added, removed or renamed, the groups compiling them, their
//! properties (recursing into inline objects, which become nested types) and
//! enum values.

use serde_json::{Map, Value};

use super::checks::Breaks;
use super::operations::shape;
use super::rust;
use super::{Change, Severity, deprecated, escape, json, text};
use crate::model::{Api, hand_written};
use crate::naming::{nested_type_name, type_name, variant_name};

/// Adds the changes between the schemas of `old` and `new`.
pub fn compare(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let (old_all, new_all) = (named(old), named(new));
    let removed: Vec<&String> = old_all
        .keys()
        .filter(|n| !new_all.contains_key(*n))
        .collect();
    let mut added: Vec<&String> = new_all
        .keys()
        .filter(|n| !old_all.contains_key(*n))
        .collect();
    for name in removed {
        let renamed = added
            .iter()
            .position(|a| new_all.get(*a) == old_all.get(name));
        let site = Site::new(old, name);
        match renamed {
            Some(i) => {
                let to = added.remove(i);
                let mut change = Site::new(new, to).change(
                    "schema-renamed",
                    Severity::Major,
                    ("", ""),
                    format!("schema `{name}` renamed `{to}`"),
                    Some(format!(
                        "write `types::{}` where you wrote `types::{}`",
                        type_name(to),
                        type_name(name)
                    )),
                    vec![rust::ty(&type_name(name)), rust::ty(&type_name(to))],
                );
                change.subject = format!("{name} -> {to}");
                out.push(change);
            }
            None => out.push(site.change(
                "schema-removed",
                Severity::Major,
                ("", ""),
                format!("schema `{name}` removed"),
                Some(format!("stop naming `types::{}`", type_name(name))),
                vec![rust::ty(&type_name(name))],
            )),
        }
    }
    for name in added {
        out.push(Site::new(new, name).change(
            "schema-added",
            Severity::Minor,
            ("", ""),
            format!("new schema `{name}`"),
            None,
            vec![rust::ty(&type_name(name))],
        ));
    }
    for (name, before) in &old_all {
        let Some(after) = new_all.get(name) else {
            continue;
        };
        let site = Site::new(new, name);
        groups(old, new, name, &site, out);
        site.schema(&type_name(name), "", before, after, out);
    }
}

/// The generated (not hand-written) schemas of the merged document.
fn named(api: &Api) -> Map<String, Value> {
    api.document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(name, _)| hand_written(name).is_none())
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// A schema used by more or fewer groups: compiled with more or fewer features.
fn groups(old: &Api, new: &Api, name: &str, site: &Site<'_>, out: &mut Vec<Change>) {
    let (Some(before), Some(after)) = (old.schemas.get(name), new.schemas.get(name)) else {
        return;
    };
    let ty = rust::ty(&type_name(name));
    for group in after.used_by.difference(&before.used_by) {
        out.push(site.change(
            "schema-group-added",
            Severity::Minor,
            ("", &format!("group {group}")),
            format!("`{name}` is now used by group `{group}` (compiled with its feature)"),
            None,
            vec![ty.clone()],
        ));
    }
    for group in before.used_by.difference(&after.used_by) {
        let keep: Vec<String> = after.used_by.iter().map(|g| format!("`{g}`")).collect();
        out.push(site.change(
            "schema-group-removed",
            Severity::Major,
            ("", &format!("group {group}")),
            format!("`{name}` is no longer used by group `{group}`"),
            Some(if keep.is_empty() {
                format!("stop naming `{ty}` with the `{group}` feature alone")
            } else {
                format!(
                    "enable {} to keep `{ty}` (it no longer comes with `{group}`)",
                    keep.join(" or ")
                )
            }),
            vec![ty.clone()],
        ));
    }
}

/// Where a named schema is, for the changes found in it.
struct Site<'a> {
    name: &'a str,
    group: String,
    /// `spec/groups/stores.yaml#/components/schemas/Store`.
    pointer: String,
}

impl<'a> Site<'a> {
    fn new(api: &Api, name: &'a str) -> Self {
        let home = api.schemas.get(name).and_then(|s| s.home.clone());
        let file = home
            .as_deref()
            .and_then(|g| api.group(g))
            .map(|g| g.file.clone())
            .unwrap_or_else(|| format!("{}/{}", crate::SPEC_DIR, crate::load::SHARED_FILE));
        Site {
            name,
            group: home.unwrap_or_else(|| "common".to_owned()),
            pointer: format!("{file}#/components/schemas/{}", escape(name)),
        }
    }

    /// A change at `place.0` (a pointer below the schema) about `place.1`
    /// (what the fingerprint names; by default the pointer's keys).
    fn change(
        &self,
        id: &'static str,
        severity: Severity,
        (suffix, detail): (&str, &str),
        message: String,
        migration: Option<String>,
        rust_items: Vec<String>,
    ) -> Change {
        let detail = if detail.is_empty() {
            suffix.trim_start_matches('/').replace('/', ".")
        } else {
            detail.to_owned()
        };
        Change {
            id,
            severity,
            breaks: None,
            group: self.group.clone(),
            operation: None,
            schema: Some(self.name.to_owned()),
            spec_pointer: format!("{}{suffix}", self.pointer),
            rust_items,
            message,
            migration,
            subject: if detail.is_empty() {
                self.name.to_owned()
            } else {
                format!("{} {detail}", self.name)
            },
        }
    }

    /// Compares a schema's two versions; `ty` is its Rust type, `at` its
    /// pointer below the named schema.
    fn schema(&self, ty: &str, at: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
        let (old_kind, new_kind) = (kind(before), kind(after));
        if old_kind != new_kind {
            out.push(self.change(
                "schema-type-changed",
                Severity::Major,
                (at, ""),
                format!("`{ty}` changed from {old_kind} to {new_kind}"),
                Some(format!(
                    "rewrite the code using `types::{ty}` for its new shape"
                )),
                vec![rust::ty(ty)],
            ));
            return;
        }
        self.docs(&rust::ty(ty), at, before, after, out);
        if new_kind.ends_with(" enum") {
            self.enumeration(ty, at, before, after, out);
        } else if new_kind == "object" {
            self.object(ty, at, before, after, out);
        }
    }

    /// Description, example and string format: documentation only.
    fn docs(&self, item: &str, at: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
        for key in ["description", "example", "format", "title"] {
            let (a, b) = (before.get(key), after.get(key));
            if a == b || (key == "format" && text(after, "type") != Some("string")) {
                continue;
            }
            let what = if at.is_empty() {
                format!("`{}`", self.name)
            } else {
                format!("`{}{}`", self.name, at.replace("/properties/", "."))
            };
            out.push(self.change(
                "description-changed",
                Severity::Patch,
                (&format!("{at}/{key}"), ""),
                format!("{what}: {key} changed"),
                None,
                vec![item.to_owned()],
            ));
        }
    }

    fn enumeration(
        &self,
        ty: &str,
        at: &str,
        before: &Value,
        after: &Value,
        out: &mut Vec<Change>,
    ) {
        let (old, new) = (variants(before), variants(after));
        for (i, (value, variant)) in new.iter().enumerate() {
            let place = format!("{at}/enum/{i}");
            let detail = format!("{at} enum {}", json(value));
            let place = (place.as_str(), detail.as_str());
            match old.iter().find(|(v, _)| v == value) {
                None => out.push(self.change(
                    "enum-value-added",
                    Severity::Minor,
                    place,
                    format!("`{ty}`: new value {} (`{variant}`)", json(value)),
                    None,
                    vec![format!("types::{ty}::{variant}")],
                )),
                Some((_, was)) if was != variant => out.push(self.change(
                    "enum-variant-renamed",
                    Severity::Major,
                    place,
                    format!(
                        "`{ty}`: value {} renamed `{was}` → `{variant}`",
                        json(value)
                    ),
                    Some(format!(
                        "write `{ty}::{variant}` where you wrote `{ty}::{was}`"
                    )),
                    vec![
                        format!("types::{ty}::{was}"),
                        format!("types::{ty}::{variant}"),
                    ],
                )),
                Some(_) => {}
            }
        }
        for (i, (value, variant)) in old.iter().enumerate() {
            let place = format!("{at}/enum/{i}");
            let detail = format!("{at} enum {}", json(value));
            let place = (place.as_str(), detail.as_str());
            if !new.iter().any(|(v, _)| v == value) {
                out.push(self.change(
                    "enum-value-removed",
                    Severity::Major,
                    place,
                    format!("`{ty}`: value {} (`{variant}`) removed", json(value)),
                    Some(format!(
                        "drop the `{ty}::{variant}` arms and values: the value now reads as `{ty}::Unknown(..)`"
                    )),
                    vec![format!("types::{ty}::{variant}")],
                ));
            }
        }
    }

    fn object(&self, ty: &str, at: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
        let empty = Map::new();
        let props = |s: &'_ Value| -> Map<String, Value> {
            s.get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty)
                .clone()
        };
        let required = |s: &Value| -> Vec<String> {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let (old_props, new_props) = (props(before), props(after));
        let (old_req, new_req) = (required(before), required(after));
        let new_fn = format!("types::{ty}::new");
        for name in new_props.keys() {
            if old_props.contains_key(name) {
                continue;
            }
            let at = format!("{at}/properties/{}", escape(name));
            let field = rust::field_path(ty, name);
            out.push(if new_req.contains(name) {
                self.change(
                    "required-property-added",
                    Severity::Major,
                    (&at, ""),
                    format!("`{ty}`: new required property `{name}`"),
                    Some(format!("pass `{}` to `{ty}::new(..)`", rust::field(name))),
                    vec![new_fn.clone(), field],
                )
            } else {
                self.change(
                    "property-added",
                    Severity::Minor,
                    (&at, ""),
                    format!("`{ty}`: new optional property `{name}`"),
                    None,
                    vec![field, rust::with_setter(ty, name)],
                )
            });
        }
        for name in old_props.keys() {
            if new_props.contains_key(name) {
                continue;
            }
            let field = rust::field_path(ty, name);
            let at = format!("{at}/properties/{}", escape(name));
            out.push(self.change(
                "property-removed",
                Severity::Major,
                (&at, ""),
                format!("`{ty}`: property `{name}` removed"),
                Some(format!(
                    "stop reading and setting `{ty}::{}` (the value, if the server still sends it, is in `extra`)",
                    rust::field(name)
                )),
                vec![field],
            ));
        }
        for (name, after) in &new_props {
            let Some(before) = old_props.get(name) else {
                continue;
            };
            let (was_required, is_required) = (old_req.contains(name), new_req.contains(name));
            self.property(
                ty,
                at,
                name,
                (before, was_required),
                (after, is_required),
                out,
            );
        }
        let common_old: Vec<&String> = old_req.iter().filter(|n| new_req.contains(n)).collect();
        let common_new: Vec<&String> = new_req.iter().filter(|n| old_req.contains(n)).collect();
        if common_old != common_new {
            // `new(..)`'s arguments are positional: the old call compiles
            // exactly when each place takes the type it took before (an
            // inline object is a type of its own, named after the property).
            let place_type = |props: &Map<String, Value>, name: &str| {
                let schema = props.get(name).unwrap_or(&Value::Null);
                let nullable = schema.get("nullable") == Some(&Value::Bool(true));
                let shape = shape(schema);
                let own = shape.contains("object").then(|| name.to_owned());
                (shape, nullable, own)
            };
            let moved = common_old
                .iter()
                .zip(&common_new)
                .any(|(o, n)| place_type(&old_props, o) != place_type(&new_props, n));
            let mut change = self.change(
                "required-properties-reordered",
                Severity::Major,
                (&format!("{at}/required"), ""),
                format!("`{ty}`: the required properties are reordered"),
                Some(format!(
                    "pass the arguments of `{ty}::new(..)` in the new order: {}",
                    new_req
                        .iter()
                        .map(|n| rust::field(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                vec![new_fn],
            );
            change.breaks = Some(if moved {
                Breaks::Build
            } else {
                Breaks::Behaviour
            });
            out.push(change);
        }
    }

    fn property(
        &self,
        ty: &str,
        at: &str,
        name: &str,
        (before, was_required): (&Value, bool),
        (after, is_required): (&Value, bool),
        out: &mut Vec<Change>,
    ) {
        let at = format!("{at}/properties/{}", escape(name));
        let field = rust::field(name);
        let field_path = rust::field_path(ty, name);
        let (old_shape, new_shape) = (shape(before), shape(after));
        if old_shape != new_shape {
            out.push(self.change(
                "property-type-changed",
                Severity::Major,
                (&at, ""),
                format!("`{ty}::{field}` changed type from {old_shape} to {new_shape}"),
                Some(format!("read and set `{ty}::{field}` as {new_shape}")),
                vec![field_path.clone()],
            ));
        }
        match (was_required, is_required) {
            (false, true) => out.push(self.change(
                "property-became-required",
                Severity::Major,
                (&at, ""),
                format!("`{ty}::{field}` became required"),
                Some(format!(
                    "pass `{field}` to `{ty}::new(..)` instead of `with_{}`; it is no longer an `Option`",
                    field.trim_end_matches('_')
                )),
                vec![format!("types::{ty}::new"), field_path.clone()],
            )),
            (true, false) => out.push(self.change(
                "property-became-optional",
                Severity::Major,
                (&at, ""),
                format!("`{ty}::{field}` became optional"),
                Some(format!(
                    "drop `{field}` from `{ty}::new(..)` (set it with `with_{}`); read it as an `Option`",
                    field.trim_end_matches('_')
                )),
                vec![format!("types::{ty}::new"), field_path.clone()],
            )),
            _ => {}
        }
        let nullable = |v: &Value| v.get("nullable") == Some(&Value::Bool(true));
        if nullable(before) != nullable(after) {
            let now = if nullable(after) {
                "became nullable"
            } else {
                "is no longer nullable"
            };
            let (severity, migration) = if was_required && is_required {
                (
                    Severity::Major,
                    Some(if nullable(after) {
                        format!("read `{ty}::{field}` as an `Option`")
                    } else {
                        format!("read `{ty}::{field}` as a plain value, not an `Option`")
                    }),
                )
            } else {
                (Severity::Patch, None)
            };
            out.push(self.change(
                "property-nullable-changed",
                severity,
                (&format!("{at}/nullable"), ""),
                format!("`{ty}::{field}` {now}"),
                migration,
                vec![field_path.clone()],
            ));
        }
        if deprecated(after) && !deprecated(before) {
            out.push(self.change(
                "property-deprecated",
                Severity::Patch,
                (&at, ""),
                format!("`{ty}::{field}` deprecated"),
                None,
                vec![field_path.clone()],
            ));
        }
        if old_shape == new_shape {
            match new_shape.as_str() {
                "object" => {
                    let nested = nested_type_name(ty, name);
                    self.schema(&nested, &at, before, after, out);
                }
                "[object]" => {
                    let nested = format!("{}Item", nested_type_name(ty, name));
                    let items = |v: &'_ Value| v.get("items").cloned().unwrap_or(Value::Null);
                    self.schema(
                        &nested,
                        &format!("{at}/items"),
                        &items(before),
                        &items(after),
                        out,
                    );
                }
                _ => self.docs(&field_path, &at, before, after, out),
            }
        }
    }
}

/// `string enum`, `integer enum`, `object`, or the schema's shape (`string`).
fn kind(schema: &Value) -> String {
    if schema.get("enum").is_some() {
        format!("{} enum", text(schema, "type").unwrap_or("string"))
    } else if schema.get("properties").is_some() || text(schema, "type") == Some("object") {
        "object".to_owned()
    } else {
        shape(schema)
    }
}

/// Each enum value with the variant it becomes.
fn variants(schema: &Value) -> Vec<(Value, String)> {
    let names = schema.get("x-enum-varnames").and_then(Value::as_array);
    schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, value)| {
            let variant = names
                .and_then(|n| n.get(i))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| match value {
                    Value::String(s) => variant_name(s),
                    other => variant_name(&other.to_string()),
                });
            (value.clone(), variant)
        })
        .collect()
}
