//! The operation tables: `OperationId` (every operation of the spec),
//! an [`Operation`](../../../carecloud_api/operation/struct.Operation.html)
//! static per operation with the facts the runtime and the sandbox use, and
//! each interface's list, each entry behind the features that compile its
//! operation (its group's and an interface serving it).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::cfg;
use crate::model::{Api, Location, Operation};
use crate::naming;

/// The static holding `op`'s facts (`GET_CUSTOMERS`).
pub(crate) fn static_name(op: &Operation) -> String {
    naming::method_name(&op.operation_id).to_uppercase()
}

/// The items of `operations.rs`.
pub(crate) fn generate(api: &Api) -> Vec<syn::Item> {
    let variants = api.operations.iter().map(|op| {
        let variant = format_ident!("{}", naming::type_name(&op.operation_id));
        let doc = format!(
            "`{}`: `{} {}`.",
            op.operation_id,
            op.method.to_uppercase(),
            op.path
        );
        let attr = cfg::compiled(op, None);
        quote! { #[doc = #doc] #attr #variant, }
    });
    let lookups = api.operations.iter().map(|op| {
        let variant = format_ident!("{}", naming::type_name(&op.operation_id));
        let name = format_ident!("{}", static_name(op));
        let attr = cfg::compiled(op, None);
        quote! { #attr OperationId::#variant => &#name, }
    });
    let statics = api.operations.iter().map(|op| {
        let name = format_ident!("{}", static_name(op));
        let doc = format!("`{}`.", op.operation_id);
        let value = operation_table_entry(api, op);
        let attr = cfg::compiled(op, None);
        quote! {
            #[doc = #doc]
            #attr
            pub static #name: Operation = #value;
        }
    });
    let lists = api.interfaces.iter().map(|interface| {
        let list = format_ident!("{}", interface.module.to_uppercase());
        let doc = format!(
            "Every operation of the {} interface this build compiles (its groups' features), in spec order.",
            interface.module
        );
        let entries = api
            .operations
            .iter()
            .filter(|op| op.on(&interface.module))
            .map(|op| {
                let name = format_ident!("{}", static_name(op));
                let attr = cfg::compiled(op, Some(&interface.module));
                quote!(#attr &#name)
            });
        quote! {
            #[doc = #doc]
            pub static #list: &[&Operation] = &[#(#entries),*];
        }
    });
    let file: syn::File = syn::parse_quote! {
        use crate::operation::{Auth, List, Method, Operation, Param, SessionRole};

        /// Every operation this build compiles (each with its group's feature
        /// and an interface serving it).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum OperationId {
            #(#variants)*
        }

        impl OperationId {
            /// What the runtime knows of the operation.
            pub fn operation(self) -> &'static Operation {
                match self {
                    #(#lookups)*
                }
            }
        }

        #(#statics)*

        #(#lists)*
    };
    file.items
}

/// The `Operation` value describing `op` (see `carecloud_api::operation`).
fn operation_table_entry(api: &Api, op: &Operation) -> TokenStream {
    let id = format_ident!("{}", naming::type_name(&op.operation_id));
    let name = naming::method_name(&op.operation_id);
    let operation_id = &op.operation_id;
    let group = &op.group;
    let method = format_ident!("{}", capitalized(&op.method));
    let path = &op.path;
    // Public on every interface it is served on, or on none.
    let public = api
        .interfaces
        .iter()
        .filter(|i| op.on(&i.module))
        .all(|i| op.is_public(i));
    let auth = if public {
        quote!(Public)
    } else {
        quote!(Bearer)
    };
    let session = match op.session {
        Some(role) => {
            let variant = format_ident!("{}", role.variant());
            quote!(Some(SessionRole::#variant))
        }
        None => quote!(None),
    };
    let params = op.params.iter().map(|p| {
        let name = &p.name;
        let mut param = match p.location {
            Location::Path => quote!(Param::path(#name)),
            Location::Query => quote!(Param::query(#name)),
            Location::Header => quote!(Param::header(#name)),
        };
        if p.required && p.location != Location::Path {
            param = quote!(#param.required());
        }
        if p.array {
            param = quote!(#param.array());
        }
        param
    });
    let list = match &op.list {
        Some(list) => {
            let items = &list.items;
            let paged = list.paged;
            quote!(Some(List { items: #items, paged: #paged }))
        }
        None => quote!(None),
    };
    let body_required = op.body_required;
    let body = match &op.body {
        Some(b) => quote!(Some(#b)),
        None => quote!(None),
    };
    let response = match &op.response {
        Some(r) => quote!(Some(#r)),
        None => quote!(None),
    };
    let enterprise = op.on("enterprise");
    let customer = op.on("customer");
    quote! {
        Operation {
            id: OperationId::#id,
            name: #name,
            operation_id: #operation_id,
            method: Method::#method,
            path: #path,
            group: #group,
            auth: Auth::#auth,
            enterprise: #enterprise,
            customer: #customer,
            session: #session,
            params: &[#(#params),*],
            body: #body,
            body_required: #body_required,
            response: #response,
            list: #list,
        }
    }
}

fn capitalized(method: &str) -> String {
    let mut chars = method.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.map(|c| c.to_ascii_lowercase()))
            .collect(),
        None => String::new(),
    }
}
