//! The sandbox's operations test builds every request body through the
//! constructors (`carecloud-sandbox/tests/generated/constructors.rs`): for
//! each type a request body reaches, a function that builds it from a case
//! file's JSON with `new(..)` (the required fields) and its `with_`
//! methods (the optional ones), fields the type does not know going to
//! `extra`; and `body(schema, json)`, which does that for a request body's
//! schema and checks the result against serde's reading of the same JSON.
//! So every case with a body exercises its type's constructor, and adding
//! an operation with a new body type needs no hand-written test code.
//!
//! The helpers the generated functions call (`Fields`, `check`) are
//! hand-written in `carecloud-sandbox/tests/support/construct.rs`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::objects::{Field, Object};
use crate::model::Api;
use crate::naming;

/// The items of the generated file.
pub(crate) fn generate<'a>(api: &Api, objects: impl Iterator<Item = &'a Object>) -> syn::File {
    let objects: BTreeMap<&str, &Object> = objects.map(|o| (o.name.as_str(), o)).collect();
    let bodies: BTreeSet<&str> = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_deref())
        .collect();
    // Every object a request body reaches, by name.
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<String> = bodies.iter().map(|b| naming::type_name(b)).collect();
    while let Some(name) = todo.pop() {
        let Some((name, object)) = objects.get_key_value(name.as_str()) else {
            continue;
        };
        if !reached.insert(name) {
            continue;
        }
        for field in object.fields() {
            todo.extend(mentioned(&field.ty).filter(|t| objects.contains_key(t.as_str())));
        }
    }
    let functions = reached.iter().map(|name| builder(objects[name], &objects));
    let schemas: Vec<&str> = bodies.iter().copied().collect();
    let arms = bodies.iter().map(|schema| {
        let build = build_fn(&naming::type_name(schema));
        quote! { #schema => check(value, #build), }
    });
    syn::parse_quote! {
        //! Every request body of the spec built through its type's
        //! constructor and `with_` methods from a case file's JSON (see
        //! carecloud-codegen's `generate/constructors.rs`).

        #![allow(clippy::all, clippy::pedantic, dead_code)]

        use carecloud_api::types;
        use serde_json::Value;

        use crate::construct::{Fields, check};

        /// The schema of every request body an operation sends.
        pub const SCHEMAS: &[&str] = &[#(#schemas),*];

        /// `value`, a request body of the schema `schema` as a case file
        /// writes it, built through the generated type's `new` and `with_`
        /// methods, checked against serde's reading of it, and written as
        /// JSON; `None` for a schema no operation sends.
        pub fn body(schema: &str, value: &Value) -> Option<Result<Value, String>> {
            Some(match schema {
                #(#arms)*
                _ => return None,
            })
        }

        #(#functions)*
    }
}

fn build_fn(type_name: &str) -> syn::Ident {
    format_ident!("build_{}", naming::method_name(type_name))
}

/// The identifiers a type's text mentions.
fn mentioned(ty: &str) -> impl Iterator<Item = String> + '_ {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// `T` of `Vec<T>`, as text.
fn vec_item(ty: &str) -> Option<&str> {
    ty.strip_prefix("Vec<")?.strip_suffix('>')
}

/// The Rust type `ty` (as the types files write it) as the test crate
/// names it.
fn outside(ty: &str) -> TokenStream {
    let Ok(mut ty) = syn::parse_str::<syn::Type>(ty) else {
        return quote!(());
    };
    syn::visit_mut::VisitMut::visit_type_mut(&mut Outside, &mut ty);
    quote!(#ty)
}

/// Paths of carecloud-api's types (`crate::wire::DateTime`, a bare
/// `Customer`) as `carecloud_api::types::...`.
struct Outside;

impl syn::visit_mut::VisitMut for Outside {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let first = names.first().map(String::as_str);
        let bare_type = names.len() == 1
            && first.is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
            && !matches!(first, Some("String" | "Vec" | "Option" | "Box"));
        if first == Some("crate") || bare_type {
            let Some(last) = path.segments.pop() else {
                return;
            };
            let last = last.into_value();
            *path = syn::parse_quote!(carecloud_api::types::#last);
        }
    }
}

/// The function building `object` from a JSON object's fields.
fn builder(object: &Object, objects: &BTreeMap<&str, &Object>) -> TokenStream {
    let name = format_ident!("{}", object.name);
    let build = build_fn(&object.name);
    let is_object = |ty: &str| objects.contains_key(ty);
    let required = object.required.iter().map(|field| {
        let wire = field.wire();
        match vec_item(&field.ty) {
            _ if is_object(&field.ty) => {
                let inner = build_fn(&field.ty);
                quote!(fields.object(#wire, #inner)?)
            }
            Some(item) if is_object(item) => {
                let inner = build_fn(item);
                quote!(fields.list(#wire, #inner)?)
            }
            _ => {
                let ty = outside(&field.ty);
                quote!(fields.value::<#ty>(#wire)?)
            }
        }
    });
    // An optional field, or (`list`) an optional array, set when present.
    let set = |field: &Field, list: bool| {
        let wire = field.wire();
        let setter = format_ident!("{}", field.setter);
        let value = match (is_object(&field.ty), list) {
            (true, false) => {
                let inner = build_fn(&field.ty);
                quote!(fields.optional_object(#wire, #inner)?)
            }
            (true, true) => {
                let inner = build_fn(&field.ty);
                quote!(fields.optional_list(#wire, #inner)?)
            }
            (false, false) => {
                let ty = outside(&field.ty);
                quote!(fields.optional_value::<#ty>(#wire)?)
            }
            (false, true) => {
                let ty = outside(&field.ty);
                quote!(fields.optional_value::<Vec<#ty>>(#wire)?)
            }
        };
        quote! {
            if let Some(value) = #value {
                out = out.#setter(value);
            }
        }
    };
    let optional = object.optional.iter().map(|field| set(field, false));
    let lists = object.lists.iter().map(|field| set(field, true));
    quote! {
        fn #build(fields: &mut Fields) -> Result<types::#name, String> {
            let mut out = types::#name::new(#(#required),*);
            #(#optional)*
            #(#lists)*
            out.extra = fields.rest().into();
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_named_as_the_test_crate_sees_them() {
        let text = |ty: &str| outside(ty).to_string().replace(' ', "");
        assert_eq!(
            text("crate::wire::DateTime"),
            "carecloud_api::types::DateTime"
        );
        assert_eq!(text("Option<String>"), "Option<String>");
        assert_eq!(text("Vec<Tag>"), "Vec<carecloud_api::types::Tag>");
        assert_eq!(text("::serde_json::Value"), "::serde_json::Value");
    }
}
