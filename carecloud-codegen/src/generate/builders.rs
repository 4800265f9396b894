//! The operations: one progenitor run (builder style) over every operation
//! once, whose builders are rewritten into lean ones. progenitor decides the
//! Rust type of every parameter, body and response; this module keeps those
//! and replaces the rest: a builder is a newtype around the runtime's
//! [`Call`](../../../carecloud_api/runtime/struct.Call.html), each setter
//! one line that hands its value to the call (which knows how the API wants
//! it on the wire), and `send()` a call into one shared, generic executor.
//! Each interface's client gets a method per operation it serves.

use std::collections::BTreeMap;

use ::progenitor::InterfaceStyle;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::{cfg, progenitor};
use crate::error::{Error, Result};
use crate::model::{Api, Location, Operation};
use crate::naming;

/// What progenitor generated for one operation: the Rust type of each
/// parameter (by builder method name) and of the success response.
struct Shape {
    params: BTreeMap<String, syn::Type>,
    response: syn::Type,
}

/// The operations' items, by group name.
pub(crate) fn generate(api: &Api) -> Result<BTreeMap<String, Vec<syn::Item>>> {
    let mut settings = progenitor::settings(api, InterfaceStyle::Builder);
    for name in api.schemas.keys() {
        settings.with_replacement(
            name,
            format!("{}::{}", progenitor::TYPES, naming::type_name(name)),
            [].into_iter(),
        );
    }
    let tokens = progenitor::run("the spec's operations", &api.document, &settings)?;
    let file = progenitor::parse("operations", tokens)?;
    let shapes = shapes(&progenitor::module(&file, "builder"));
    let mut groups: BTreeMap<String, Vec<syn::Item>> = BTreeMap::new();
    let mut arms: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for op in &api.operations {
        let name = naming::type_name(&op.operation_id);
        let shape = shapes.get(&name).ok_or_else(|| Error::Unparsable {
            file: "operations".to_owned(),
            message: format!(
                "progenitor generated no builder `{name}` for `{}`",
                op.operation_id
            ),
        })?;
        let items = groups.entry(op.group.clone()).or_default();
        items.extend(builder(api, op, shape));
        arms.entry(op.group.clone())
            .or_default()
            .push(invoke_arm(api, op, shape));
    }
    for (group, arms) in arms {
        groups.entry(group).or_default().push(syn::parse_quote! {
            /// Sends an operation of this group given by id, with JSON
            /// arguments (see [`crate::dynamic`]).
            #[cfg(feature = "dynamic")]
            pub(crate) async fn invoke(
                core: &crate::runtime::Core,
                id: crate::operation::OperationId,
                args: crate::dynamic::Args,
            ) -> crate::Result<crate::ResponseValue<::serde_json::Value>> {
                use crate::dynamic::{arg, respond, unknown};
                use crate::operation::OperationId;
                let op = id.operation();
                match id {
                    #(#arms)*
                    _ => Err(unknown(op)),
                }
            }
        });
    }
    for interface in &api.interfaces {
        for group in &api.groups {
            let methods: Vec<TokenStream> = api
                .operations
                .iter()
                .filter(|op| op.group == group.name && op.on(&interface.module))
                .map(client_method)
                .collect();
            if methods.is_empty() {
                continue;
            }
            let module = format_ident!("{}", interface.module);
            let doc = format!(
                "The {} operations of the `{}` group.",
                interface.module, group.name
            );
            let mut item: syn::Item = syn::parse_quote! {
                #[doc = #doc]
                impl crate::#module::Client {
                    #(#methods)*
                }
            };
            cfg::push(&mut item, cfg::interface(&interface.module));
            groups.entry(group.name.clone()).or_default().push(item);
        }
    }
    Ok(groups)
}

/// Reads progenitor's builder structs and their `send` return types.
fn shapes(items: &[syn::Item]) -> BTreeMap<String, Shape> {
    let mut params: BTreeMap<String, BTreeMap<String, syn::Type>> = BTreeMap::new();
    let mut responses: BTreeMap<String, syn::Type> = BTreeMap::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let ident = f.ident.as_ref()?.to_string();
                        (ident != "client").then(|| (ident, value_type(&f.ty)))
                    })
                    .collect();
                params.insert(s.ident.to_string(), fields);
            }
            syn::Item::Impl(imp) => {
                let Some(name) = self_ident(&imp.self_ty) else {
                    continue;
                };
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it
                        && f.sig.ident == "send"
                        && let syn::ReturnType::Type(_, ty) = &f.sig.output
                        && let Some(response) = response_type(ty)
                    {
                        responses.insert(name.clone(), response);
                    }
                }
            }
            _ => {}
        }
    }
    params
        .into_iter()
        .filter_map(|(name, params)| {
            let response = responses.remove(&name)?;
            Some((name, Shape { params, response }))
        })
        .collect()
}

fn self_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The `T` of a builder field `Result<T, String>` or `Result<Option<T>, String>`.
fn value_type(ty: &syn::Type) -> syn::Type {
    let inner = generic_arg(ty, "Result").unwrap_or_else(|| ty.clone());
    generic_arg(&inner, "Option").unwrap_or(inner)
}

/// The `T` of `Result<ResponseValue<T>, Error<E>>`.
fn response_type(ty: &syn::Type) -> Option<syn::Type> {
    generic_arg(&generic_arg(ty, "Result")?, "ResponseValue")
}

/// The first generic argument of a path type whose last segment is `name`.
fn generic_arg(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// `::std::string::String` → `String`, and so on: the prelude's names read
/// better in docs, and nothing in the generated modules shadows them.
fn tidy(ty: &syn::Type) -> TokenStream {
    let text = ty.to_token_stream().to_string();
    let text = text
        .replace(":: std :: string :: String", "String")
        .replace(":: std :: vec :: Vec", "Vec")
        .replace(":: std :: option :: Option", "Option")
        .replace(":: std :: num :: ", "::std::num::");
    text.parse().unwrap_or_else(|_| ty.to_token_stream())
}

/// The description of an operation in its docs.
fn operation_doc(op: &Operation) -> String {
    let mut doc = String::new();
    if let Some(summary) = &op.summary {
        doc.push_str(summary.trim_end_matches('.'));
        doc.push_str(".\n\n");
    }
    if let Some(description) = &op.description {
        doc.push_str(description);
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (`{}`), on the {} interface{}.",
        op.method.to_uppercase(),
        op.path,
        op.operation_id,
        op.interfaces.join(" and "),
        if op.interfaces.len() > 1 { "s" } else { "" }
    ));
    doc
}

fn builder(api: &Api, op: &Operation, shape: &Shape) -> Vec<syn::Item> {
    let name = format_ident!("{}", naming::type_name(&op.operation_id));
    let method = naming::method_name(&op.operation_id);
    let doc = format!(
        "{}\n\nMade by the client's `{method}()`: set the parameters, then `send()`.",
        operation_doc(op)
    );
    let mut setters = Vec::new();
    for param in &op.params {
        let setter = format_ident!("{}", naming::method_name(&param.name));
        let Some(ty) = shape.params.get(&setter.to_string()) else {
            continue;
        };
        let wire = &param.name;
        let (kind, place) = match param.location {
            Location::Path => ("path", "Path parameter"),
            Location::Query => ("query", "Query parameter"),
            Location::Header => ("header", "Header"),
        };
        let mut doc = param.description.clone().unwrap_or_default();
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!(
            "{place} `{wire}`{}{}.",
            if param.array {
                " (sent as `name[]=a&name[]=b`)"
            } else {
                ""
            },
            if param.required { ", required" } else { "" }
        ));
        let setter_tokens = match (param.array, generic_arg(ty, "Vec")) {
            (true, Some(item)) => {
                let item = tidy(&item);
                quote! {
                    #[doc = #doc]
                    pub fn #setter<I>(mut self, values: I) -> Self
                    where
                        I: IntoIterator,
                        I::Item: TryInto<#item>,
                    {
                        self.0.query_each::<#item, I>(#wire, values);
                        self
                    }
                }
            }
            _ => {
                let ty = tidy(ty);
                let call = format_ident!("{}", kind);
                quote! {
                    #[doc = #doc]
                    pub fn #setter<V: TryInto<#ty>>(mut self, value: V) -> Self {
                        self.0.#call::<#ty, V>(#wire, value);
                        self
                    }
                }
            }
        };
        setters.push(setter_tokens);
    }
    if op.body.is_some()
        && let Some(ty) = shape.params.get("body")
    {
        let ty = tidy(ty);
        setters.push(quote! {
            /// The request body.
            pub fn body<V: TryInto<#ty>>(mut self, value: V) -> Self {
                self.0.body::<#ty, V>(value);
                self
            }
        });
    }
    let response = tidy(&shape.response);
    let send_doc = format!(
        "Sends `{} {}` and decodes the reply.",
        op.method.to_uppercase(),
        op.path
    );
    let send = if response.to_string() == "()" {
        quote! {
            #[doc = #send_doc]
            pub fn send(self) -> impl ::std::future::Future<Output = crate::Result<crate::ResponseValue<()>>> + Send + 'a {
                self.0.send_empty()
            }
        }
    } else {
        quote! {
            #[doc = #send_doc]
            pub fn send(self) -> impl ::std::future::Future<Output = crate::Result<crate::ResponseValue<#response>>> + Send + 'a {
                self.0.send::<#response>()
            }
        }
    };
    let operation = format_ident!("{}", super::tables::static_name(op));
    let walk = walk_methods(op, &response);
    let mut items: Vec<syn::Item> = vec![
        syn::parse_quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            #[must_use = "a request is sent by `send().await`"]
            pub struct #name<'a>(crate::runtime::Call<'a>);
        },
        syn::parse_quote! {
            impl<'a> #name<'a> {
                /// What the runtime knows of the operation.
                pub const OPERATION: &'static crate::operation::Operation =
                    &crate::generated::operations::#operation;

                #(#setters)*

                #send

                #walk
            }
        },
    ];
    if let Some(attr) = cfg::operation(api, op) {
        for item in &mut items {
            cfg::push(item, attr.clone());
        }
    }
    items
}

/// `pages()` and `items()` of a list paged by `count`/`offset`.
fn walk_methods(op: &Operation, response: &TokenStream) -> TokenStream {
    let Some(list) = op.list.as_ref().filter(|l| l.paged) else {
        return TokenStream::new();
    };
    let field = format_ident!("{}", list.items);
    let total = if list.total_required {
        quote! { Some(page.data.total_items) }
    } else {
        quote! { page.data.total_items }
    };
    let pages_doc = format!(
        "Every page of the list: one request per page from the `offset` set \
         (or 0), `count` items each (the one set, or \
         [`DEFAULT_PAGE_SIZE`](crate::runtime::DEFAULT_PAGE_SIZE)), the other \
         parameters as set, until `data.total_items` `{}` have been read. An \
         error ends the stream. See [`Pages`](crate::runtime::Pages).",
        list.items
    );
    // An optional items array is `Option<Vec<_>>` (absent ≠ empty): read
    // through its slice accessor, taken whole with `unwrap_or_default`.
    let (len, take) = if list.items_required {
        (
            quote! { page.data.#field.len() },
            quote! { page.data.#field },
        )
    } else {
        (
            quote! { page.data.#field().len() },
            quote! { page.data.#field.unwrap_or_default() },
        )
    };
    let pages = quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> crate::runtime::Pages<'a, #response> {
            crate::runtime::Pages::new(self.0, |page| (#len, #total))
        }
    };
    let Some(item) = &list.item_schema else {
        return pages;
    };
    let item = format_ident!("{}", naming::type_name(item));
    let items_doc = format!(
        "Every one of the list's `{}`, page after page (see [`pages`](Self::pages)). \
         An error ends the stream. See [`Items`](crate::runtime::Items).",
        list.items
    );
    quote! {
        #pages

        #[doc = #items_doc]
        pub fn items(self) -> crate::runtime::Items<'a, #response, crate::types::#item> {
            crate::runtime::Items::new(self.pages(), |page| #take)
        }
    }
}

/// The `invoke` arm of an operation: its builder, each argument given to
/// the setter of that (wire) name, then `send()`.
fn invoke_arm(api: &Api, op: &Operation, shape: &Shape) -> TokenStream {
    let variant = format_ident!("{}", naming::type_name(&op.operation_id));
    let builder = format_ident!("{}", naming::type_name(&op.operation_id));
    let setters = op.params.iter().filter_map(|param| {
        let setter = format_ident!("{}", naming::method_name(&param.name));
        let ty = tidy(shape.params.get(&setter.to_string())?);
        let wire = &param.name;
        Some(quote! { #wire => builder.#setter(arg::<#ty>(op, &name, value)?), })
    });
    let body = (op.body.is_some() && shape.params.contains_key("body")).then(|| {
        let ty = tidy(&shape.params["body"]);
        quote! {
            if let Some(body) = args.body {
                builder = builder.body(arg::<#ty>(op, "body", body)?);
            }
        }
    });
    let attr = cfg::operation(api, op);
    quote! {
        #attr
        OperationId::#variant => {
            let mut builder = #builder(crate::runtime::Call::new(core, #builder::OPERATION));
            for (name, value) in args.params {
                builder = match name.as_str() {
                    #(#setters)*
                    _ => return Err(crate::dynamic::no_such_param(op, &name)),
                };
            }
            #body
            respond(builder.send().await?)
        }
    }
}

/// The client method that starts an operation's builder.
fn client_method(op: &Operation) -> TokenStream {
    let method = format_ident!("{}", naming::method_name(&op.operation_id));
    let builder = format_ident!("{}", naming::type_name(&op.operation_id));
    let summary = op
        .summary
        .as_deref()
        .unwrap_or(&op.operation_id)
        .trim_end_matches('.');
    let doc = format!(
        "{summary}: `{} {}`. Returns the [`{builder}`] builder.",
        op.method.to_uppercase(),
        op.path
    );
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> #builder<'_> {
            #builder(self.call(#builder::OPERATION))
        }
    }
}
