//! The sandbox's schema registry (`carecloud-sandbox/src/generated/`): for
//! every schema an operation sends or receives (and every record schema of
//! the sandbox's resources), a round trip of a JSON value
//! through its generated type. The sandbox parses request bodies and checks
//! its own replies with it, so that what it accepts and sends is what the
//! client's types describe; carecloud-api itself does not pay for it.

use std::collections::BTreeSet;

use quote::{format_ident, quote};

use crate::model::Api;
use crate::naming;

pub(crate) fn generate(api: &Api) -> Vec<syn::Item> {
    let names: BTreeSet<&str> = api
        .operations
        .iter()
        .flat_map(|op| op.body.iter().chain(op.response.iter()))
        .chain(&api.sandbox.schemas)
        .map(String::as_str)
        .collect();
    let arms = names.iter().map(|name| {
        let ty = format_ident!("{}", naming::type_name(name));
        quote! { #name => round_trip::<carecloud_api::types::#ty>(value), }
    });
    let file: syn::File = syn::parse_quote! {
        use serde_json::Value;

        /// `value` read as the generated type of schema `name` and written back
        /// (unknown fields kept, absent optional ones dropped); `None` if no
        /// operation sends or receives a schema of that name and no resource
        /// of the sandbox's plan keeps records of it. The error names
        /// where the value does not fit.
        pub(crate) fn round_trip_as(name: &str, value: Value) -> Option<Result<Value, String>> {
            Some(match name {
                #(#arms)*
                _ => return None,
            })
        }

        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> Result<Value, String> {
            let typed: T = serde_path_to_error::deserialize(value)
                .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
            serde_json::to_value(&typed).map_err(|e| e.to_string())
        }
    };
    file.items
}
