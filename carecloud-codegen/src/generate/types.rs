//! The types: one typify run (through progenitor, without operations, so
//! without typify's struct builders) over every schema, whose structs
//! become `object!` invocations ([`objects`](super::objects): unknown
//! fields kept, optional arrays that remember whether they were there,
//! constructors and setters, `JsonSchema` behind the `schemars` feature);
//! the enum schemas become `open_enum!` invocations. Each type goes in the
//! file of the group that defines it, behind the features of the groups
//! that use it (one `#![cfg(..)]`, first in the invocation). The files are written as
//! text here (see [`Types::render`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ::progenitor::InterfaceStyle;
use serde_json::{Map, Value, json};

use super::objects::{self, Object};
use super::{cfg, progenitor};
use crate::error::{Error, Result};
use crate::model::Api;
use crate::naming;

/// The file of types defined in the shared components document.
pub(crate) const COMMON: &str = "common";

/// The generated types, by file stem (`common`, or a group's name).
pub(crate) struct Types {
    /// File stem → declarations, in a stable order.
    pub(crate) files: BTreeMap<String, Vec<Decl>>,
}

/// One generated type and the features that compile it.
pub(crate) struct Decl {
    /// The condition of its `#[cfg(..)]`, if it has one.
    pub(crate) cfg: Option<String>,
    /// What it is.
    pub(crate) kind: DeclKind,
}

/// A generated type.
pub(crate) enum DeclKind {
    /// A struct: `object!`.
    Object(Object),
    /// An enum schema: `open_enum!`.
    Enum(OpenEnum),
}

impl Decl {
    fn name(&self) -> &str {
        match &self.kind {
            DeclKind::Object(o) => &o.name,
            DeclKind::Enum(e) => &e.name,
        }
    }
}

impl Types {
    /// Every object type.
    pub(crate) fn objects(&self) -> impl Iterator<Item = &Object> {
        self.files.values().flatten().filter_map(|d| match &d.kind {
            DeclKind::Object(o) => Some(o),
            DeclKind::Enum(_) => None,
        })
    }

    /// The text of the file `stem`, after `banner`.
    pub(crate) fn render(&self, stem: &str, banner: &str) -> String {
        let mut out = String::from(banner);
        out.push_str("#[allow(unused_imports)]\nuse super::*;\n");
        for decl in self.files.get(stem).into_iter().flatten() {
            out.push('\n');
            let text = match &decl.kind {
                DeclKind::Object(o) => o.render(),
                DeclKind::Enum(e) => e.render(),
            };
            // The `cfg` goes first inside the invocation, which puts it on
            // the type and each of its impls (see `carecloud_api::wire`).
            match (&decl.cfg, text.split_once('\n')) {
                (Some(cfg), Some((opening, rest))) => {
                    let _ = write!(out, "{opening}\n    #![cfg({cfg})]\n{rest}");
                }
                _ => out.push_str(&text),
            }
        }
        out
    }
}

/// An enum schema: its known values, each a variant.
pub(crate) struct OpenEnum {
    name: String,
    docs: Vec<String>,
    integer: bool,
    /// (variant, value as written: `0` or `"ASC"`)
    variants: Vec<(String, String)>,
}

impl OpenEnum {
    fn render(&self) -> String {
        let mut out = String::from("crate::wire::open_enum! {\n");
        for line in &self.docs {
            let _ = writeln!(
                out,
                "    ///{}{line}",
                if line.is_empty() { "" } else { " " }
            );
        }
        let kind = if self.integer { "integer" } else { "string" };
        let _ = writeln!(out, "    pub enum {}: {kind} {{", self.name);
        for (variant, value) in &self.variants {
            let _ = writeln!(out, "        /// The value `{value}`.");
            let _ = writeln!(out, "        {variant} = {value},");
        }
        out.push_str("    }\n}\n");
        out
    }
}

pub(crate) fn generate(api: &Api) -> Result<Types> {
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "CareCloud types", "version": "v1.0"},
        "paths": {},
        "components": {"schemas": api.document.pointer("/components/schemas").cloned().unwrap_or(json!({}))},
    });
    keep_unknown_fields(&mut doc);
    let settings = progenitor::settings(api, InterfaceStyle::Positional);
    let tokens = progenitor::run("the spec's schemas", &doc, &settings)?;
    let nodes = schema_nodes(&api.document);
    let mut decls = Vec::new();
    for mut item in progenitor::module("types", tokens, "types")? {
        syn::visit_mut::VisitMut::visit_item_mut(&mut PreludePaths, &mut item);
        match item {
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                let schema = nodes.get(&name).ok_or_else(|| Error::Unsupported {
                    name: name.clone(),
                    message: "typify made it, but no schema of the spec has its name".to_owned(),
                })?;
                decls.push(Decl {
                    cfg: None,
                    kind: DeclKind::Object(Object::from_typify(&s, schema)?),
                });
            }
            // typify's conversion errors, used by its builders and its
            // constrained strings, neither of which the spec makes.
            syn::Item::Mod(m) if m.ident == "error" => {}
            // `impl From<&X> for X` and the like.
            syn::Item::Impl(_) => {}
            other => {
                let name = match &other {
                    syn::Item::Enum(e) => e.ident.to_string(),
                    syn::Item::Type(t) => t.ident.to_string(),
                    _ => "(an item)".to_owned(),
                };
                return Err(Error::Unsupported {
                    name,
                    message: "typify made an item that is not a struct (validation should have refused its schema)".to_owned(),
                });
            }
        }
    }
    decls.extend(enum_decls(&api.document));
    Ok(Types {
        files: place(api, decls),
    })
}

/// The Rust type names of the object schemas of `document` (named and
/// inline, named the way typify names them and validation predicts them)
/// and their schema nodes.
fn schema_nodes(document: &Value) -> BTreeMap<String, &Value> {
    fn walk<'a>(schema: &'a Value, rust: &str, out: &mut BTreeMap<String, &'a Value>) {
        if schema.get("properties").is_some() {
            out.insert(rust.to_owned(), schema);
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                walk(property, &naming::nested_type_name(rust, name), out);
            }
        }
        if let Some(items) = schema.get("items") {
            walk(items, &format!("{rust}Item"), out);
        }
        if let Some(additional @ Value::Object(_)) = schema.get("additionalProperties") {
            walk(additional, &format!("{rust}Value"), out);
        }
    }
    let mut out = BTreeMap::new();
    for (name, schema) in document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        walk(schema, &naming::type_name(name), &mut out);
    }
    out
}

/// Adds `additionalProperties: {}` to every object schema that has
/// properties and says nothing about others, so that the generated struct
/// keeps fields the server adds later (`extra`) and a read-modify-write
/// (`PUT` replaces the whole record) does not delete them.
fn keep_unknown_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("properties").is_some_and(Value::is_object)
                && !map.contains_key("additionalProperties")
            {
                map.insert("additionalProperties".to_owned(), Value::Object(Map::new()));
            }
            for (key, child) in map.iter_mut() {
                if key != "example" && key != "examples" {
                    keep_unknown_fields(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(keep_unknown_fields),
        _ => {}
    }
}

/// The std paths typify spells out in full, and the prelude names they have.
const PRELUDE: &[(&[&str], &str)] = &[
    (&["std", "option", "Option"], "Option"),
    (&["std", "string", "String"], "String"),
    (&["std", "vec", "Vec"], "Vec"),
    (&["std", "boxed", "Box"], "Box"),
    (&["std", "result", "Result"], "Result"),
];

/// Rewrites `::std::option::Option` (and the other prelude types) to the
/// prelude's name: shorter code, the same types. Validation keeps schemas
/// from taking these names.
struct PreludePaths;

impl syn::visit_mut::VisitMut for PreludePaths {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        if path.leading_colon.is_none() || path.segments.len() != 3 {
            return;
        }
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let Some((_, short)) = PRELUDE
            .iter()
            .find(|(long, _)| long.iter().zip(&names).all(|(a, b)| a == b))
        else {
            return;
        };
        let Some(last) = path.segments.pop() else {
            return;
        };
        let mut last = last.into_value();
        last.ident = syn::Ident::new(short, last.ident.span());
        path.leading_colon = None;
        path.segments.clear();
        path.segments.push(last);
    }
}

/// The `open_enum!` declarations of the enum schemas (see `carecloud_api::wire`).
fn enum_decls(document: &Value) -> Vec<Decl> {
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut out = Vec::new();
    for (name, schema) in schemas.into_iter().flatten() {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
        let names: Vec<String> = if integer {
            schema
                .get("x-enum-varnames")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        } else {
            values
                .iter()
                .map(|v| naming::variant_name(v.as_str().unwrap_or_default()))
                .collect()
        };
        let docs = schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or(name)
            .trim()
            .lines()
            .map(|l| l.trim_end().to_owned())
            .collect();
        let variants = values
            .iter()
            .zip(names)
            .map(|(value, variant)| {
                let value = match value {
                    Value::String(s) => format!("{s:?}"),
                    other => other.as_i64().unwrap_or_default().to_string(),
                };
                (variant, value)
            })
            .collect();
        out.push(Decl {
            cfg: None,
            kind: DeclKind::Enum(OpenEnum {
                name: naming::type_name(name),
                docs,
                integer,
                variants,
            }),
        });
    }
    out
}

/// Puts each type in the file of the schema it belongs to, behind the
/// features of the groups that use that schema. A type typify made for an
/// inline schema belongs to the (first) type that mentions it.
fn place(api: &Api, decls: Vec<Decl>) -> BTreeMap<String, Vec<Decl>> {
    // Rust type name → schema it belongs to.
    let mut owner: BTreeMap<String, String> = api
        .schemas
        .keys()
        .map(|name| (naming::type_name(name), name.clone()))
        .collect();
    let mentioned: Vec<(String, BTreeSet<String>)> = decls
        .iter()
        .map(|d| {
            let idents = match &d.kind {
                DeclKind::Object(o) => objects::mentioned_types(o),
                DeclKind::Enum(_) => BTreeSet::new(),
            };
            (d.name().to_owned(), idents)
        })
        .collect();
    let mut unplaced: Vec<String> = decls
        .iter()
        .map(|d| d.name().to_owned())
        .filter(|t| !owner.contains_key(t))
        .collect();
    while !unplaced.is_empty() {
        let before = unplaced.len();
        unplaced.retain(|ty| {
            let parent = mentioned.iter().find_map(|(of, idents)| {
                (of != ty && idents.contains(ty)).then(|| owner.get(of).cloned())?
            });
            match parent {
                Some(schema) => {
                    owner.insert(ty.clone(), schema);
                    false
                }
                None => true,
            }
        });
        if unplaced.len() == before {
            break;
        }
    }
    let mut files: BTreeMap<String, Vec<Decl>> = BTreeMap::new();
    for mut decl in decls {
        let schema = owner
            .get(decl.name())
            .and_then(|name| api.schemas.get(name));
        let file = schema
            .and_then(|s| s.home.clone())
            .unwrap_or_else(|| COMMON.to_owned());
        decl.cfg = schema.and_then(|s| cfg::types_condition(api, s));
        files.entry(file).or_default().push(decl);
    }
    files
}
