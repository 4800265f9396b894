//! carecloud-dynamic's dispatch: one `invoke` per interface, matching an
//! `OperationId`'s group, then, in the group's function, the id to the arm
//! that calls that operation through the interface's client (the arms come
//! from `builders`). Only operations the
//! interface serves have an arm; any other id is an error naming the
//! interface. The code names carecloud-api by its public paths only.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::Result;
use crate::model::Api;
use crate::naming;
use crate::output::DYNAMIC_OUTPUT_DIR;

use super::render;

/// The dispatch files (path → text): `mod.rs` and one per interface.
pub(crate) fn generate(
    api: &Api,
    arms: &BTreeMap<String, TokenStream>,
    banner: &str,
) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let mut modules: Vec<syn::Item> = Vec::new();
    for interface in &api.interfaces {
        let module = format_ident!("{}", interface.module);
        let variant = format_ident!("{}", naming::type_name(&interface.module));
        let doc = format!(
            "Sends the operation `id` through a client of the {0} interface, with \
             the arguments `args`. Fails before sending when the {0} interface does \
             not serve the operation or an argument does not fit.",
            interface.module
        );
        // One function per group, each matching its own operations: a
        // single match over every operation would make one poll frame as
        // large as all arms' locals together in a debug build (unoptimized
        // code does not share stack slots between arms) and overflow a
        // thread's 2 MiB stack.
        let mut groups = Vec::new();
        let mut functions = Vec::new();
        for group in &api.groups {
            let served: Vec<&TokenStream> = api
                .operations
                .iter()
                .filter(|op| op.group == group.name && op.on(&interface.module))
                .filter_map(|op| arms.get(&op.operation_id))
                .collect();
            if served.is_empty() {
                continue;
            }
            let (name, function) = (&group.name, format_ident!("{}", group.name));
            groups.push(quote! { #name => #function(client, id, args).await, });
            let doc = format!("The operations of the `{name}` group.");
            functions.push(quote! {
                #[doc = #doc]
                async fn #function(
                    client: ::carecloud_api::#module::Client,
                    id: OperationId,
                    args: Args,
                ) -> Result<ResponseValue<Value>> {
                    let op = id.operation();
                    match id {
                        #(#served)*
                        _ => Err(not_served(op, Interface::#variant)),
                    }
                }
            });
        }
        let file: syn::File = syn::parse_quote! {
            use ::carecloud_api::{Interface, OperationId, ResponseValue, Result};
            use ::serde_json::Value;

            use crate::Args;
            use crate::take::{Taken, arg, no_such_param, not_served, respond};

            #[doc = #doc]
            pub(crate) async fn invoke(
                client: ::carecloud_api::#module::Client,
                id: OperationId,
                args: Args,
            ) -> Result<ResponseValue<Value>> {
                let op = id.operation();
                if !op.served_by(Interface::#variant) {
                    return Err(not_served(op, Interface::#variant));
                }
                match op.group {
                    #(#groups)*
                    _ => Err(not_served(op, Interface::#variant)),
                }
            }

            #(#functions)*
        };
        let path = format!("{DYNAMIC_OUTPUT_DIR}/{}.rs", interface.module);
        let text = render::file_with_attrs(banner, file);
        files.insert(path, text);
        let doc = format!("The dispatch of the {} interface.", interface.module);
        modules.push(syn::parse_quote! {
            #[doc = #doc]
            pub(crate) mod #module;
        });
    }
    let root = syn::File {
        shebang: None,
        attrs: vec![syn::parse_quote!(#![allow(clippy::all, clippy::pedantic)])],
        items: modules,
    };
    let path = format!("{DYNAMIC_OUTPUT_DIR}/mod.rs");
    let text = render::file_with_attrs(banner, root);
    files.insert(path, text);
    Ok(files)
}
