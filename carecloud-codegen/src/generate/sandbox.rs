//! The sandbox's schema registry (`carecloud-sandbox/src/generated/`): for
//! every schema an operation sends or receives (its body, its success reply,
//! its error replies), the generated type, handed to a visitor by schema
//! name. The sandbox parses request bodies and checks its own replies with
//! it, so that what it accepts and sends is what the client's types
//! describe, and tests decode payloads by schema name through it;
//! carecloud-api itself does not pay for it.

use std::collections::BTreeSet;

use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::Api;
use crate::naming;

pub(crate) fn generate(api: &Api) -> Vec<syn::Item> {
    let mut names: BTreeSet<&str> = api
        .operations
        .iter()
        .flat_map(|op| op.body.iter().chain(op.response.iter()))
        .map(String::as_str)
        .collect();
    names.extend(reply_schemas(&api.document));
    let arms = names
        .iter()
        .filter(|name| api.schemas.contains_key(**name))
        .map(|name| {
            let ty = format_ident!("{}", naming::type_name(name));
            quote! { #name => visitor.visit::<carecloud_api::types::#ty>(), }
        });
    let file: syn::File = syn::parse_quote! {
        use crate::schemas::Visit;

        /// Calls `visitor` with the generated type of schema `name`; `None`
        /// if no operation sends or receives a schema of that name (as its
        /// body, its success reply or an error reply).
        pub(crate) fn with_type<V: Visit>(name: &str, visitor: V) -> Option<V::Output> {
            Some(match name {
                #(#arms)*
                _ => return None,
            })
        }
    };
    file.items
}

/// The named schemas of every reply of every operation in the merged
/// `document` (the error envelope included), through
/// `#/components/responses/...` references.
fn reply_schemas(document: &Value) -> BTreeSet<&str> {
    let responses = document.pointer("/components/responses");
    let operations = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values());
    operations
        .filter_map(|op| op.get("responses").and_then(Value::as_object))
        .flat_map(|replies| replies.values())
        .filter_map(|reply| match reply.get("$ref").and_then(Value::as_str) {
            Some(target) => target
                .strip_prefix("#/components/responses/")
                .and_then(|name| responses?.get(name)),
            None => Some(reply),
        })
        .filter_map(|reply| reply.pointer("/content/application~1json/schema/$ref"))
        .filter_map(Value::as_str)
        .filter_map(|target| target.strip_prefix("#/components/schemas/"))
        .collect()
}
