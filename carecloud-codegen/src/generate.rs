//! Steps 4–6: configure progenitor, generate tokens, and assemble the output
//! modules (shared types, one client module per interface).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::{Literal, TokenStream};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use quote::{ToTokens, format_ident, quote};
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::load::{Sources, SpecFile};
use crate::naming;
use crate::resolve::bundle;

/// Schemas that become hand-written Rust types instead of generated ones:
/// (schema name, Rust path, traits the Rust type implements).
const HAND_WRITTEN: &[(&str, &str, &[TypeImpl])] = &[
    (
        "DateTime",
        "crate::wire::DateTime",
        &[TypeImpl::Display, TypeImpl::FromStr, TypeImpl::Default],
    ),
    (
        "Date",
        "crate::wire::Date",
        &[TypeImpl::Display, TypeImpl::FromStr, TypeImpl::Default],
    ),
    ("Password", "crate::wire::Secret", &[]),
    ("SecretToken", "crate::wire::Secret", &[]),
    (
        "LooseString",
        "crate::wire::LooseString",
        &[TypeImpl::Display],
    ),
];

/// The hand-written Rust type a schema name is mapped onto, if any.
pub fn hand_written(schema: &str) -> Option<&'static str> {
    HAND_WRITTEN
        .iter()
        .find(|(name, ..)| *name == schema)
        .map(|(_, path, _)| *path)
}

/// Rust path of the runtime value every generated client carries
/// (progenitor's "inner type"); its hooks are implemented by hand.
const INNER_TYPE: &str = "crate::runtime::Runtime";

/// The generated files, by file name inside the output folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// File name (e.g. `enterprise.rs`) → full text.
    pub files: BTreeMap<String, String>,
}

/// One open enum to emit: schema name, Rust name, docs and variants.
struct EnumDef {
    name: String,
    doc: String,
    integer: bool,
    variants: Vec<(Value, String)>,
}

/// Runs the whole pipeline on validated sources.
pub fn generate(sources: &Sources) -> Result<Output> {
    crate::validate::validate(sources)?;
    let mut output = Output::default();
    let shared_names: Vec<String> = sources
        .shared
        .as_ref()
        .map(schema_names)
        .unwrap_or_default();

    // Shared types: progenitor on a document holding only the shared schemas.
    if let Some(shared) = &sources.shared {
        let enums = enums_of(shared);
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "CareCloud shared types", "version": "v1.0"},
            "paths": {},
            "components": {"schemas": shared.value.pointer("/components/schemas").cloned().unwrap_or(json!({}))},
        });
        keep_unknown_fields(&mut doc);
        let mut settings = base_settings();
        settings.with_interface(InterfaceStyle::Builder);
        replace_hand_written(&mut settings);
        replace_enums(&mut settings, &enums, "crate::types");
        let tokens = run_progenitor(&shared.name, &doc, &settings)?;
        let file = parse(&shared.name, tokens)?;
        let mut items = take_types_module(file);
        add_default_derives(&mut items);
        default_builder_extra(&mut items);
        items.extend(enum_items(&enums));
        let body = quote! { #(#items)* };
        output.files.insert(
            "types.rs".to_owned(),
            render("types.rs", &banner(&[&shared.name]), body)?,
        );
    }

    for interface in &sources.interfaces {
        let module = &interface.module;
        let enums = enums_of(&interface.doc);
        let mut doc = bundle(&interface.doc, sources);
        keep_unknown_fields(&mut doc);
        let mut settings = base_settings();
        settings
            .with_interface(InterfaceStyle::Builder)
            .with_inner_type(path_tokens(INNER_TYPE))
            .with_hooks(HooksMode::Expected);
        replace_hand_written(&mut settings);
        for name in &shared_names {
            if hand_written(name).is_none() {
                settings.with_replacement(
                    name,
                    format!("crate::types::{}", naming::type_name(name)),
                    [].into_iter(),
                );
            }
        }
        replace_enums(&mut settings, &enums, &format!("crate::{module}::types"));
        let tokens = run_progenitor(&interface.doc.name, &doc, &settings)?;
        let mut file = parse(&interface.doc.name, tokens)?;
        for item in &mut file.items {
            if let syn::Item::Mod(m) = item
                && m.ident == "types"
                && let Some((_, items)) = &mut m.content
            {
                add_default_derives(items);
                default_builder_extra(items);
            }
        }
        inject_into_types(&mut file, enum_items(&enums));
        let operations = operations_table(&interface.doc)?;
        let body = quote! { #file #operations };
        let mut names = vec![interface.doc.name.as_str()];
        names.extend(sources.shared.as_ref().map(|s| s.name.as_str()));
        let name = format!("{module}.rs");
        let text = render(&name, &banner(&names), body)?;
        output.files.insert(name, text);
    }

    output.files.insert("mod.rs".to_owned(), mod_file(sources)?);
    Ok(output)
}

fn base_settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings.with_derive("::schemars::JsonSchema");
    settings
}

fn replace_hand_written(settings: &mut GenerationSettings) {
    for (name, path, impls) in HAND_WRITTEN {
        settings.with_replacement(name, path, impls.iter().cloned());
    }
}

fn replace_enums(settings: &mut GenerationSettings, enums: &[EnumDef], module: &str) {
    for def in enums {
        let rust = naming::type_name(&def.name);
        let mut impls = vec![TypeImpl::Display, TypeImpl::FromStr];
        if !def.integer {
            impls.push(TypeImpl::FromStringIrrefutable);
        }
        settings.with_replacement(&def.name, format!("{module}::{rust}"), impls.into_iter());
    }
}

fn path_tokens(path: &str) -> TokenStream {
    path.parse().expect("constant Rust path")
}

/// Names of the component schemas a document defines.
fn schema_names(file: &SpecFile) -> Vec<String> {
    file.value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The named enum schemas of a document, which become open Rust enums.
fn enums_of(file: &SpecFile) -> Vec<EnumDef> {
    let Some(schemas) = file
        .value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return vec![];
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let values = schema.get("enum")?.as_array()?;
            let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
            let names: Vec<String> = if integer {
                schema
                    .get("x-enum-varnames")?
                    .as_array()?
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .collect()
            } else {
                values
                    .iter()
                    .map(|v| naming::variant_name(v.as_str().unwrap_or_default()))
                    .collect()
            };
            Some(EnumDef {
                name: name.clone(),
                doc: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or(name)
                    .trim()
                    .to_owned(),
                integer,
                variants: values.iter().cloned().zip(names).collect(),
            })
        })
        .collect()
}

/// `open_enum!` invocations for the enums (see `carecloud_api::wire`).
fn enum_items(enums: &[EnumDef]) -> Vec<syn::Item> {
    enums
        .iter()
        .map(|def| {
            let ident = format_ident!("{}", naming::type_name(&def.name));
            let doc = &def.doc;
            let kind = if def.integer {
                quote!(integer)
            } else {
                quote!(string)
            };
            let variants = def.variants.iter().map(|(value, name)| {
                let variant = format_ident!("{}", name);
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
            syn::parse_quote! {
                crate::wire::open_enum! {
                    #[doc = #doc]
                    pub enum #ident: #kind {
                        #(#variants)*
                    }
                }
            }
        })
        .collect()
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

/// Converts the document and runs progenitor, turning its errors and panics
/// into [`Error`]s naming the file.
fn run_progenitor(file: &str, doc: &Value, settings: &GenerationSettings) -> Result<TokenStream> {
    let spec: openapiv3::OpenAPI =
        serde_path_to_error::deserialize(doc).map_err(|e| Error::Progenitor {
            file: file.to_owned(),
            message: format!("at {}: {}", e.path(), e.inner()),
        })?;
    // progenitor panics on some shapes validation should have caught; the
    // payload becomes the error (the default hook also prints it to stderr).
    let result = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(settings).generate_tokens(&spec)
    }));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(Error::Progenitor {
            file: file.to_owned(),
            message: e.to_string(),
        }),
        Err(payload) => Err(Error::Panicked {
            file: file.to_owned(),
            message: payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned()),
        }),
    }
}

fn parse(file: &str, tokens: TokenStream) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| Error::Unparsable {
        file: file.to_owned(),
        message: e.to_string(),
    })
}

/// The items of progenitor's `pub mod types { ... }`.
fn take_types_module(file: syn::File) -> Vec<syn::Item> {
    file.items
        .into_iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.map(|(_, items)| items),
            _ => None,
        })
        .unwrap_or_default()
}

fn inject_into_types(file: &mut syn::File, extra: Vec<syn::Item>) {
    for item in &mut file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, items)) = &mut m.content
        {
            items.extend(extra);
            return;
        }
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
            [
                "::std::option::Option<",
                "::std::vec::Vec<",
                "::serde_json::Map<",
            ]
            .iter()
            .any(|prefix| ty.starts_with(prefix))
        });
        if !all_empty || s.fields.is_empty() {
            continue;
        }
        for attr in &mut s.attrs {
            if !attr.path().is_ident("derive") {
                continue;
            }
            let syn::Meta::List(list) = &mut attr.meta else {
                continue;
            };
            let current = list.tokens.to_string();
            if !current.split(',').any(|d| d.trim() == "Default") {
                let tokens = &list.tokens;
                list.tokens = quote! { #tokens, Default };
            }
        }
    }
}

/// In the type builders (`types::builder`), starts the `extra` map of unknown
/// fields empty. typify treats it like a required field, so a builder used
/// without `.extra(..)` would fail at `send()` with "no value supplied for
/// extra".
fn default_builder_extra(items: &mut [syn::Item]) {
    let Some(builders) = items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let is_default = imp
            .trait_
            .as_ref()
            .and_then(|(_, path, _)| path.segments.last())
            .is_some_and(|seg| seg.ident == "Default");
        if !is_default {
            continue;
        }
        for impl_item in &mut imp.items {
            let syn::ImplItem::Fn(f) = impl_item else {
                continue;
            };
            let Some(syn::Stmt::Expr(syn::Expr::Struct(body), None)) = f.block.stmts.last_mut()
            else {
                continue;
            };
            for field in &mut body.fields {
                if matches!(&field.member, syn::Member::Named(name) if name == "extra") {
                    field.expr = syn::parse_quote!(Ok(Default::default()));
                }
            }
        }
    }
}

/// `OPERATIONS`: every operation with its method, path and whether it needs
/// the interface's bearer token (from `security`, which progenitor ignores).
fn operations_table(doc: &SpecFile) -> Result<TokenStream> {
    let default_public = doc
        .value
        .get("security")
        .and_then(Value::as_array)
        .is_none_or(|list| is_public(list));
    let mut rows = Vec::new();
    for (template, item) in doc
        .value
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(operation_id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let public = match op.get("security").and_then(Value::as_array) {
                Some(list) => is_public(list),
                None => default_public,
            };
            let id = naming::method_name(operation_id);
            let method = method.to_uppercase();
            let auth = if public {
                quote!(Public)
            } else {
                quote!(Bearer)
            };
            rows.push(quote! {
                crate::operation::Operation {
                    id: #id,
                    operation_id: #operation_id,
                    method: #method,
                    path: #template,
                    auth: crate::operation::Auth::#auth,
                },
            });
        }
    }
    Ok(quote! {
        /// Every operation of this interface, in spec order, with the
        /// authentication it needs (taken from the spec's `security`).
        pub const OPERATIONS: &[crate::operation::Operation] = &[ #(#rows)* ];
    })
}

fn is_public(security: &[Value]) -> bool {
    security.is_empty()
        || security
            .iter()
            .any(|r| r.as_object().is_some_and(Map::is_empty))
}

fn banner(sources: &[&str]) -> String {
    format!(
        "// @generated by carecloud-codegen from {}.\n\
         // DO NOT EDIT: change the spec or the generator, then run `cargo run -p carecloud-codegen`.\n\n",
        sources.join(" and ")
    )
}

fn render(name: &str, banner: &str, body: TokenStream) -> Result<String> {
    let file = parse(name, body)?;
    Ok(format!("{banner}{}", prettyplease::unparse(&file)))
}

fn mod_file(sources: &Sources) -> Result<String> {
    let mut items = vec![];
    if sources.shared.is_some() {
        items.push(quote! {
            /// Types shared by both interfaces (generated from the shared components).
            pub mod types;
        });
    }
    for interface in &sources.interfaces {
        let module = format_ident!("{}", interface.module);
        let feature = &interface.module;
        let doc = format!("The {feature} interface: its client, builders and own types.");
        items.push(quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            pub mod #module;
        });
    }
    let names: Vec<&str> = sources.files().map(|f| f.name.as_str()).collect();
    let body = quote! {
        #![allow(missing_docs, unused_imports, unreachable_pub, rust_2018_idioms)]
        #![allow(clippy::all, clippy::pedantic)]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #(#items)*
    };
    render("mod.rs", &banner(&names), body)
}
