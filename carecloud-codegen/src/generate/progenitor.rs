//! Running progenitor (and typify, inside it) on a document, with its errors
//! and panics turned into [`Error`]s naming the file.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TypeImpl};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Api, HAND_WRITTEN};
use crate::naming;

/// Where every generated type lives.
pub(crate) const TYPES: &str = "crate::types";

/// Settings shared by both runs: hand-written value types replace their
/// schemas, and open enums (emitted by us) replace the enum schemas.
pub(crate) fn settings(api: &Api, interface: InterfaceStyle) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings.with_interface(interface);
    for (name, path) in HAND_WRITTEN {
        let impls: &[TypeImpl] = match *name {
            "DateTime" | "Date" => &[TypeImpl::Display, TypeImpl::FromStr, TypeImpl::Default],
            "LooseString" => &[TypeImpl::Display],
            _ => &[],
        };
        settings.with_replacement(name, path, impls.iter().cloned());
    }
    for (name, integer) in enums(&api.document) {
        let mut impls = vec![TypeImpl::Display, TypeImpl::FromStr];
        if !integer {
            impls.push(TypeImpl::FromStringIrrefutable);
        }
        settings.with_replacement(
            &name,
            format!("{TYPES}::{}", naming::type_name(&name)),
            impls.into_iter(),
        );
    }
    settings
}

/// The named enum schemas of a document: (name, whether integer).
pub(crate) fn enums(document: &Value) -> Vec<(String, bool)> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| schema.get("enum").is_some())
        .map(|(name, schema)| {
            let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
            (name.clone(), integer)
        })
        .collect()
}

/// Converts the document and runs progenitor, turning its errors and panics
/// into [`Error`]s naming `file`.
pub(crate) fn run(file: &str, doc: &Value, settings: &GenerationSettings) -> Result<TokenStream> {
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

/// The items of the module `name` of progenitor's output, parsed alone
/// (see [`module_tokens`]). No such module gives no items.
pub(crate) fn module(file: &str, tokens: TokenStream, name: &str) -> Result<Vec<syn::Item>> {
    match module_tokens(tokens, name) {
        Some(tokens) => parse(file, tokens).map(|module| module.items),
        None => Ok(Vec::new()),
    }
}

/// The body of the module `name` of progenitor's output (`mod name { .. }`
/// at its top level), found without parsing: what is needed is read from
/// one module, and parsing all of the output would cost several times as
/// much (most of it is the client's methods).
pub(crate) fn module_tokens(tokens: TokenStream, name: &str) -> Option<TokenStream> {
    let mut previous: [Option<TokenTree>; 2] = [None, None];
    for tree in tokens {
        if let (Some(TokenTree::Ident(keyword)), Some(TokenTree::Ident(ident))) =
            (&previous[0], &previous[1])
            && let TokenTree::Group(body) = &tree
            && keyword == "mod"
            && ident == name
            && body.delimiter() == Delimiter::Brace
        {
            return Some(body.stream());
        }
        previous = [previous[1].take(), Some(tree)];
    }
    None
}

/// Parses generated tokens.
pub(crate) fn parse(file: &str, tokens: TokenStream) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| Error::Unparsable {
        file: file.to_owned(),
        message: e.to_string(),
    })
}
