//! The `#[cfg(...)]` attributes that tie generated items to cargo features:
//! a group's operations compile with its feature and an interface serving
//! them; a type compiles with any group that uses it (the core group counts
//! as "any interface").
//!
//! What only the resource groups use also carries `not(test)`: carecloud-api's
//! unit tests exercise the hand-written runtime (auth, retries, errors, wire
//! types), which needs the base group alone, so `cargo test` compiles the
//! groups' generated code once (the library) instead of twice (the library
//! and its unit-test harness, which took 26.5 s of CPU with them and 6.7 s
//! without). Rustdoc leaves
//! `test` out of its feature badges. The groups' code is tested through the
//! library, by the sandbox's, the CLI's and the workspace's tests.

use quote::quote;

use crate::model::{Api, CORE_GROUP, Operation, Schema};

/// The features that switch on what group `name` needs.
fn group_features<'a>(api: &'a Api, name: &'a str) -> Vec<&'a str> {
    if name == CORE_GROUP {
        api.interfaces.iter().map(|i| i.module.as_str()).collect()
    } else {
        vec![name]
    }
}

fn any(features: &[&str]) -> proc_macro2::TokenStream {
    match features {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    }
}

/// The condition of a type's `#[cfg(..)]`, as written in the generated
/// file (one line): the features of the groups that use it, where the base
/// group counts as the interfaces whose base operations use it.
pub(crate) fn types_condition(api: &Api, schema: &Schema) -> Option<String> {
    let features = type_features(api, schema);
    let condition = match features.as_slice() {
        [] => return None,
        [one] => format!("feature = {one:?}"),
        many => format!(
            "any({})",
            many.iter()
                .map(|f| format!("feature = {f:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(if schema.used_by.iter().any(|g| g == CORE_GROUP) {
        condition
    } else {
        format!("all({condition}, not(test))")
    })
}

fn type_features<'a>(api: &'a Api, schema: &'a Schema) -> Vec<&'a str> {
    let mut features: Vec<&str> = schema
        .used_by
        .iter()
        .flat_map(|g| {
            if g == CORE_GROUP {
                schema.base_interfaces.iter().map(String::as_str).collect()
            } else {
                group_features(api, g)
            }
        })
        .collect();
    features.sort_unstable();
    features.dedup();
    features
}

/// The cfg of group `name`'s operations module: its feature and an
/// interface (and, but for the base group, not carecloud-api's unit tests).
pub(crate) fn group_module(api: &Api, name: &str) -> syn::Attribute {
    let interfaces: Vec<&str> = api.interfaces.iter().map(|i| i.module.as_str()).collect();
    let interfaces = any(&interfaces);
    if name == CORE_GROUP {
        syn::parse_quote!(#[cfg(#interfaces)])
    } else {
        syn::parse_quote!(#[cfg(all(feature = #name, #interfaces, not(test)))])
    }
}

/// The cfg of an operation's builder inside its group's module, when not
/// every interface serves it.
pub(crate) fn operation(api: &Api, op: &Operation) -> Option<syn::Attribute> {
    if op.interfaces.len() == api.interfaces.len() {
        return None;
    }
    let features: Vec<&str> = op.interfaces.iter().map(String::as_str).collect();
    let condition = any(&features);
    Some(syn::parse_quote!(#[cfg(#condition)]))
}

/// When `op` is compiled: its group's feature (none for the base group) and
/// an interface serving it; with `interface`, that interface.
pub(crate) fn compiled(op: &Operation, interface: Option<&str>) -> syn::Attribute {
    let interfaces: Vec<&str> = match interface {
        Some(one) => vec![one],
        None => op.interfaces.iter().map(String::as_str).collect(),
    };
    let interfaces = any(&interfaces);
    if op.group == CORE_GROUP {
        syn::parse_quote!(#[cfg(#interfaces)])
    } else {
        let group = &op.group;
        syn::parse_quote!(#[cfg(all(feature = #group, #interfaces))])
    }
}

/// The cfg of interface `module`'s items.
pub(crate) fn interface(module: &str) -> syn::Attribute {
    syn::parse_quote!(#[cfg(feature = #module)])
}

/// Adds `attr` to an item's attributes.
pub(crate) fn push(item: &mut syn::Item, attr: syn::Attribute) {
    let attrs = match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        _ => return,
    };
    let after_docs = attrs
        .iter()
        .position(|a| !a.path().is_ident("doc"))
        .unwrap_or(attrs.len());
    attrs.insert(after_docs, attr);
}
