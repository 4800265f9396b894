//! The sandbox's plan (`carecloud-sandbox/src/generated/plan.rs`): every
//! declared resource and ledger, and how each operation is served, as
//! static values of the plan's types (`generated/decl.rs`, written from the
//! same source as the model's, [`crate::model::sandbox`]). The model's
//! `Debug` output is the Rust expression of each value.

use std::fmt::Debug;

use quote::format_ident;

use crate::error::{Error, Result};
use crate::model::sandbox::{Plan, Slice};

/// `value` as a Rust expression.
fn expression(file: &str, value: &impl Debug) -> Result<syn::Expr> {
    syn::parse_str(&format!("{value:?}")).map_err(|e| Error::Unparsable {
        file: file.to_owned(),
        message: e.to_string(),
    })
}

/// The sandbox's copy of the plan's types (`generated/decl.rs`).
pub(crate) fn types(banner: &str) -> String {
    use crate::model::sandbox::{SANDBOX_PRELUDE, SANDBOX_TYPES};
    format!("{banner}{SANDBOX_PRELUDE}{SANDBOX_TYPES}")
}

pub(crate) fn generate(plan: &Plan, file: &str) -> Result<Vec<syn::Item>> {
    let resources = expression(file, &Slice(plan.resources.clone()))?;
    let ledgers = expression(file, &Slice(plan.ledgers.clone()))?;
    let mut arms = Vec::new();
    for (variant, serve) in &plan.operations {
        let variant = format_ident!("{variant}");
        let serve = expression(file, serve)?;
        arms.push(quote::quote! { OperationId::#variant => #serve, });
    }
    let file: syn::File = syn::parse_quote! {
        use carecloud_api::OperationId;

        use crate::decl::*;

        /// Every declared resource (collection of records).
        pub(crate) static RESOURCES: &[Resource] = #resources;

        /// Every declared ledger.
        pub(crate) static LEDGERS: &[Ledger] = #ledgers;

        /// How the sandbox serves operation `id`.
        pub(crate) fn serve(id: OperationId) -> Serve {
            match id {
                #(#arms)*
                // Operations the spec gained after this plan was generated.
                _ => Serve::Handler,
            }
        }
    };
    Ok(file.items)
}
