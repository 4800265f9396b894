//! The sandbox's schema registry (`carecloud-sandbox/schemas/src/generated/`,
//! a crate of its own so that it is compiled once, not again for the
//! sandbox's unit-test harness): for every schema an operation sends or
//! receives (its body, its success reply, its error replies, and every record
//! schema of the sandbox's resources), the generated type, handed to a
//! visitor by schema name. The sandbox parses request bodies and checks its
//! own replies with it, so that what it accepts and sends is what the
//! client's types describe, and tests decode payloads by schema name through
//! it; carecloud-api itself does not pay for it. Beside it, in the sandbox's
//! own folder, where each request body holds a password or a token
//! (`carecloud-sandbox/src/generated/secrets.rs`), so that the sandbox's
//! request log can leave them out.

use std::collections::BTreeSet;

use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::{self, Api};
use crate::naming;

pub(crate) fn generate(api: &Api) -> Vec<syn::Item> {
    let mut names: BTreeSet<&str> = api
        .operations
        .iter()
        .flat_map(|op| op.body.iter().chain(op.response.iter()))
        .chain(&api.sandbox.schemas)
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
        use crate::Visit;

        /// Calls `visitor` with the generated type of schema `name`; `None`
        /// if no operation sends or receives a schema of that name (as its
        /// body, its success reply or an error reply) and no resource of the
        /// sandbox's plan keeps records of it.
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

/// `secrets.rs`: for each request body schema, the paths of its fields that
/// are a `Password` or a `SecretToken` (whatever the nesting: objects,
/// arrays, maps, `$ref`s), and the names every such field has anywhere.
pub(crate) fn secrets(api: &Api) -> Vec<syn::Item> {
    let bodies: BTreeSet<&str> = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_deref())
        .collect();
    let arms = bodies.iter().filter_map(|name| {
        let paths = secret_paths(&api.document, name);
        if paths.is_empty() {
            return None;
        }
        let paths = paths.iter().map(|path| quote! { &[#(#path),*] });
        Some(quote! { #name => &[#(#paths),*], })
    });
    let schemas = api.document["components"]["schemas"]
        .as_object()
        .map(|schemas| schemas.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let names: BTreeSet<String> = schemas
        .iter()
        .flat_map(|name| secret_paths(&api.document, name))
        .filter_map(|path| path.into_iter().rev().find(|s| s != "[]" && s != "*"))
        .collect();
    let names = names.iter();
    let file: syn::File = syn::parse_quote! {
        /// Where the request body of schema `name` holds a password or a
        /// token: each a path of property names from the body's root, where
        /// `[]` is every item of an array and `*` every value of a map. Empty
        /// for a schema without one (or not a request body).
        pub(crate) fn secret_paths(name: &str) -> &'static [&'static [&'static str]] {
            match name {
                #(#arms)*
                _ => &[],
            }
        }

        /// Every property name that holds a password or a token in some
        /// schema of the spec (sorted), for bodies and queries that match no
        /// operation.
        pub(crate) const SECRET_FIELDS: &[&str] = &[#(#names),*];
    };
    file.items
}

/// The paths of the secrets in schema `name` of the merged `document`.
fn secret_paths(document: &Value, name: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut seen = vec![name.to_owned()];
    if let Some(schema) = document["components"]["schemas"].get(name) {
        walk(document, schema, &mut Vec::new(), &mut seen, &mut found);
    }
    found
}

/// Collects into `found` the secrets under `node`, at `path`; `seen` holds
/// the schemas being walked (a recursive schema is walked once).
fn walk(
    document: &Value,
    node: &Value,
    path: &mut Vec<String>,
    seen: &mut Vec<String>,
    found: &mut Vec<Vec<String>>,
) {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        if model::hand_written(name) == Some(SECRET_TYPE) {
            found.push(path.clone());
        } else if !seen.iter().any(|s| s == name)
            && let Some(schema) = document["components"]["schemas"].get(name)
        {
            seen.push(name.to_owned());
            walk(document, schema, path, seen, found);
            seen.pop();
        }
        return;
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (key, property) in properties {
            path.push(key.clone());
            walk(document, property, path, seen, found);
            path.pop();
        }
    }
    for (key, segment) in [("items", "[]"), ("additionalProperties", "*")] {
        if let Some(inner) = node.get(key).filter(|v| v.is_object()) {
            path.push(segment.to_owned());
            walk(document, inner, path, seen, found);
            path.pop();
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for inner in node
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(document, inner, path, seen, found);
        }
    }
}

/// The Rust type of the spec's `Password` and `SecretToken`.
const SECRET_TYPE: &str = "crate::wire::Secret";

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::secret_paths;

    #[test]
    fn secrets_are_found_through_refs_arrays_maps_and_recursion() {
        let document = json!({"components": {"schemas": {
            "Password": {"type": "string", "format": "password"},
            "SecretToken": {"type": "string"},
            "Login": {"type": "object", "properties": {
                "login": {"type": "string"},
                "password": {"$ref": "#/components/schemas/Password"},
            }},
            "Body": {"type": "object", "properties": {
                "users": {"type": "array", "items": {"$ref": "#/components/schemas/Login"}},
                "by_device": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/SecretToken"}},
                "parent": {"$ref": "#/components/schemas/Body"},
                "note": {"type": "string"},
            }},
        }}});
        assert_eq!(
            secret_paths(&document, "Body"),
            [vec!["users", "[]", "password"], vec!["by_device", "*"]]
        );
        assert_eq!(secret_paths(&document, "Login"), [vec!["password"]]);
        assert!(secret_paths(&document, "Password").is_empty());
        assert!(secret_paths(&document, "Missing").is_empty());
    }
}
