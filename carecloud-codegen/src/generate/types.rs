//! The types: one typify run (through progenitor, without operations, so
//! without typify's struct builders) over every schema, then post-processed:
//! unknown fields kept, optional arrays that remember whether they were
//! there (`presence`), `Default` where it makes sense, `JsonSchema` behind
//! the `schemars` feature, open enums, and every type put in the file of the
//! group that defines it behind the features of the groups that use it.

use std::collections::{BTreeMap, BTreeSet};

use ::progenitor::InterfaceStyle;
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};
use serde_json::{Map, Value, json};

use super::cfg;
use super::progenitor;
use crate::error::Result;
use crate::model::Api;
use crate::naming;

/// The file of types defined in the shared components document.
pub(crate) const COMMON: &str = "common";

/// The generated types, by file stem (`common`, or a group's name).
pub(crate) struct Types {
    /// File stem → items, in a stable order.
    pub(crate) files: BTreeMap<String, Vec<syn::Item>>,
    /// typify's `error` module (conversion errors), if it emitted one.
    pub(crate) error_module: Option<syn::Item>,
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
    let file = progenitor::parse("types", tokens)?;
    let mut items = progenitor::module(&file, "types");
    let error_module = items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(m) if m.ident == "error"))
        .map(|i| items.remove(i))
        // typify's conversion errors are used by its builders and constrained
        // strings; without either, the module is dead weight.
        .filter(|_| {
            items
                .iter()
                .any(|item| mentions(item).contains("ConversionError"))
        });
    for item in &mut items {
        syn::visit_mut::VisitMut::visit_item_mut(&mut PreludePaths, item);
    }
    add_default_derives(&mut items);
    derive_json_schema_behind_feature(&mut items);
    let mut written = Vec::with_capacity(items.len() * 3);
    for mut item in items {
        let lists = super::presence::keep_presence(&mut item);
        let impls = super::serde_impls::rewrite(&mut item);
        let accessors = super::presence::accessors(&item, &lists);
        written.push(item);
        written.extend(impls.into_iter().flatten());
        written.extend(accessors);
    }
    let mut items = written;
    items.extend(enum_items(&api.document));
    Ok(Types {
        files: place(api, items),
        error_module,
    })
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

/// Derives `Default` on structs whose fields all have an empty value
/// (`Option`, `Vec`, the `extra` map of unknown fields). typify stops
/// deriving it once a struct keeps unknown fields; users need it for
/// `Struct { field, ..Default::default() }`.
fn add_default_derives(items: &mut [syn::Item]) {
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let all_empty = s.fields.iter().all(|f| {
            let ty = f.ty.to_token_stream().to_string().replace(' ', "");
            ["Option<", "Vec<", "::serde_json::Map<"]
                .iter()
                .any(|prefix| ty.starts_with(prefix))
        });
        if !all_empty || s.fields.is_empty() {
            continue;
        }
        for attr in &mut s.attrs {
            let syn::Meta::List(list) = &mut attr.meta else {
                continue;
            };
            if !list.path.is_ident("derive") {
                continue;
            }
            let current = list.tokens.to_string();
            if !current.split(',').any(|d| d.trim() == "Default") {
                let tokens = &list.tokens;
                list.tokens = quote! { #tokens, Default };
            }
        }
    }
}

/// `#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]` on
/// every generated struct and enum: most users never ask for a JSON Schema,
/// and the derive is a large share of the crate's code.
fn derive_json_schema_behind_feature(items: &mut [syn::Item]) {
    let attr: syn::Attribute =
        syn::parse_quote!(#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]);
    for item in items.iter_mut() {
        let attrs = match item {
            syn::Item::Struct(s) => &mut s.attrs,
            syn::Item::Enum(e) => &mut e.attrs,
            _ => continue,
        };
        let at = attrs
            .iter()
            .position(|a| a.path().is_ident("derive"))
            .map_or(attrs.len(), |i| i + 1);
        attrs.insert(at, attr.clone());
    }
}

/// `open_enum!` invocations for the enum schemas (see `carecloud_api::wire`).
fn enum_items(document: &Value) -> Vec<syn::Item> {
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
        let ident = format_ident!("{}", naming::type_name(name));
        let doc = schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or(name)
            .trim();
        let kind = if integer {
            quote!(integer)
        } else {
            quote!(string)
        };
        let variants = values.iter().zip(&names).map(|(value, variant)| {
            let variant = format_ident!("{}", variant);
            let (lit, text) = match value {
                Value::String(s) => (Literal::string(s), format!("`\"{s}\"`")),
                other => {
                    let n = other.as_i64().unwrap_or_default();
                    (Literal::i64_unsuffixed(n), format!("`{n}`"))
                }
            };
            let vdoc = format!("The value {text}.");
            quote! { #[doc = #vdoc] #variant = #lit, }
        });
        out.push(syn::parse_quote! {
            crate::wire::open_enum! {
                #[doc = #doc]
                pub enum #ident: #kind {
                    #(#variants)*
                }
            }
        });
    }
    out
}

/// The type an item defines or implements something for.
fn type_of(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        syn::Item::Macro(m) => {
            // open_enum! { #[doc = ..] pub enum Name: kind { .. } }
            let mut tokens = m.mac.tokens.clone().into_iter();
            while let Some(token) = tokens.next() {
                if let proc_macro2::TokenTree::Ident(i) = &token
                    && i == "enum"
                {
                    return tokens.next().map(|t| t.to_string());
                }
            }
            None
        }
        _ => None,
    }
}

/// The identifiers an item's tokens mention.
fn mentions(item: &syn::Item) -> BTreeSet<String> {
    fn walk(tokens: TokenStream, out: &mut BTreeSet<String>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(i) => {
                    out.insert(i.to_string());
                }
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(item.to_token_stream(), &mut out);
    out
}

/// Puts each item in the file of the schema it belongs to, behind the
/// features of the groups that use that schema. A type typify made for an
/// inline schema belongs to the (first) type that mentions it.
fn place(api: &Api, items: Vec<syn::Item>) -> BTreeMap<String, Vec<syn::Item>> {
    // Rust type name → schema it belongs to.
    let mut owner: BTreeMap<String, String> = api
        .schemas
        .keys()
        .map(|name| (naming::type_name(name), name.clone()))
        .collect();
    let defined: Vec<String> = items.iter().filter_map(type_of).collect();
    let mut unplaced: Vec<&String> = defined.iter().filter(|t| !owner.contains_key(*t)).collect();
    let mentioned: Vec<(Option<String>, BTreeSet<String>)> =
        items.iter().map(|i| (type_of(i), mentions(i))).collect();
    while !unplaced.is_empty() {
        let before = unplaced.len();
        unplaced.retain(|ty| {
            let parent = mentioned.iter().find_map(|(of, idents)| {
                let of = of.as_ref()?;
                (of != *ty && idents.contains(*ty)).then(|| owner.get(of).cloned())?
            });
            match parent {
                Some(schema) => {
                    owner.insert((*ty).clone(), schema);
                    false
                }
                None => true,
            }
        });
        if unplaced.len() == before {
            break;
        }
    }
    let mut files: BTreeMap<String, Vec<syn::Item>> = BTreeMap::new();
    for mut item in items {
        let schema = type_of(&item)
            .and_then(|t| owner.get(&t))
            .and_then(|name| api.schemas.get(name));
        let file = schema
            .and_then(|s| s.home.clone())
            .unwrap_or_else(|| COMMON.to_owned());
        if let Some(schema) = schema
            && let Some(attr) = cfg::types(api, schema)
        {
            cfg::push(&mut item, attr);
        }
        files.entry(file).or_default().push(item);
    }
    files
}
