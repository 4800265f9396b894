//! The operations: one progenitor run (builder style) over every operation
//! once, read for the Rust type of every parameter, body and response; the
//! rest is written here. For each operation:
//!
//! * each interface's client gets a method taking the operation's required
//!   parameters (path ones in path order, then query and header ones in the
//!   spec's order) and its body when the body is required:
//!   `client.put_customer(customer_id, body)`. A missing one does not
//!   compile;
//! * the method returns the operation's builder, which owns its request
//!   (the runtime's `Call`, holding a clone of the client), so it and its
//!   `send()` future can move to another task. Optional parameters are
//!   setters taking plain values (`count(10)`, `sort_field("name")`), each
//!   one line that hands the value, in wire form, to the call;
//! * `send()` is a call into one shared, generic executor; a paged list
//!   also gets `pages()` and `items()`;
//! * carecloud-dynamic's dispatch arm takes the same arguments from JSON,
//!   through the same method and setters (see the `dynamic` module).

use std::collections::BTreeMap;

use ::progenitor::InterfaceStyle;
use proc_macro2::{Delimiter, Group, Literal, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};

use super::objects::generic_arg;
use super::{cfg, progenitor};
use crate::error::{Error, Result};
use crate::model::{Api, Location, Operation, Param};
use crate::naming;

/// What progenitor generated for one operation: the Rust type of each
/// parameter (by builder method name) and of the success response.
struct Shape {
    params: BTreeMap<String, syn::Type>,
    response: syn::Type,
}

/// How a parameter's value is taken (the type of its argument or setter)
/// and turned into text.
#[derive(Clone, Debug)]
enum Kind {
    /// `impl Into<String>`.
    Text,
    /// `impl Integer`, checked against `min..=max` before sending.
    Integer(i128, i128),
    /// `bool`.
    Bool,
    /// `impl Into<f64>`.
    Number,
    /// `impl Into<T>`, sent as its `Display` (the open enums).
    Typed(TokenStream),
    /// `impl IntoIterator` of one of the above (not `Integer`).
    Array(Box<Kind>),
}

impl Kind {
    fn of(ty: &syn::Type) -> Kind {
        if let Some(item) = generic_arg(ty, "Vec") {
            return Kind::Array(Box::new(Kind::of(&item)));
        }
        let last = match ty {
            syn::Type::Path(p) if p.qself.is_none() => p
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let unsigned = |max: u64| Kind::Integer(0, i128::from(max));
        let signed = |min: i64, max: i64| Kind::Integer(i128::from(min), i128::from(max));
        match last.as_str() {
            "String" => Kind::Text,
            "bool" => Kind::Bool,
            "f64" | "f32" => Kind::Number,
            "u8" => unsigned(u8::MAX.into()),
            "u16" => unsigned(u16::MAX.into()),
            "u32" => unsigned(u32::MAX.into()),
            "u64" => unsigned(u64::MAX),
            "NonZeroU8" => Kind::Integer(1, u8::MAX.into()),
            "NonZeroU16" => Kind::Integer(1, u16::MAX.into()),
            "NonZeroU32" => Kind::Integer(1, u32::MAX.into()),
            "NonZeroU64" => Kind::Integer(1, u64::MAX.into()),
            "i8" => signed(i8::MIN.into(), i8::MAX.into()),
            "i16" => signed(i16::MIN.into(), i16::MAX.into()),
            "i32" => signed(i32::MIN.into(), i32::MAX.into()),
            "i64" => signed(i64::MIN, i64::MAX),
            _ => Kind::Typed(tidy(ty)),
        }
    }

    /// The type of the argument or setter parameter.
    fn arg_type(&self) -> TokenStream {
        match self {
            Kind::Text => quote!(impl Into<String>),
            Kind::Integer(..) => quote!(impl crate::runtime::Integer),
            Kind::Bool => quote!(bool),
            Kind::Number => quote!(impl Into<f64>),
            Kind::Typed(ty) => quote!(impl Into<#ty>),
            Kind::Array(item) => match &**item {
                Kind::Bool => quote!(impl IntoIterator<Item = bool>),
                Kind::Text => quote!(impl IntoIterator<Item: Into<String>>),
                Kind::Number => quote!(impl IntoIterator<Item: Into<f64>>),
                Kind::Typed(ty) => quote!(impl IntoIterator<Item: Into<#ty>>),
                Kind::Integer(..) | Kind::Array(_) => quote!(()),
            },
        }
    }

    /// The type carecloud-dynamic reads a JSON argument as.
    fn json_type(&self) -> TokenStream {
        match self {
            Kind::Text => quote!(String),
            Kind::Integer(..) => quote!(i128),
            Kind::Bool => quote!(bool),
            Kind::Number => quote!(f64),
            Kind::Typed(ty) => ty.clone(),
            Kind::Array(item) => {
                let item = item.json_type();
                quote!(Vec<#item>)
            }
        }
    }

    /// `value` (of [`arg_type`](Self::arg_type)) as the text sent.
    fn text(&self, value: &TokenStream) -> TokenStream {
        match self {
            Kind::Text => quote!(#value.into()),
            Kind::Bool => quote!(#value.to_string()),
            Kind::Number => quote!(Into::<f64>::into(#value).to_string()),
            Kind::Typed(ty) => quote!(Into::<#ty>::into(#value).to_string()),
            Kind::Integer(..) | Kind::Array(_) => quote!(()),
        }
    }

    /// The statement handing `value` (named `param`'s Rust name, taken by
    /// `setter`) to the call `target`.
    fn set(&self, target: &TokenStream, param: &Param, setter: &str) -> Result<TokenStream> {
        let wire = &param.name;
        let value = format_ident!("{}", naming::method_name(&param.name)).to_token_stream();
        let unsupported = |what: &str| {
            Err(Error::Unsupported {
                name: setter.to_owned(),
                message: format!("parameter `{wire}`: {what} is not supported"),
            })
        };
        Ok(match (self, param.location) {
            (Kind::Integer(min, max), location) => {
                let location = match location {
                    Location::Path => quote!(Path),
                    Location::Query => quote!(Query),
                    Location::Header => quote!(Header),
                };
                let (min, max) = (
                    Literal::i128_unsuffixed(*min),
                    Literal::i128_unsuffixed(*max),
                );
                quote! {
                    #target.integer(
                        crate::operation::Location::#location,
                        #wire,
                        #setter,
                        crate::runtime::whole(#value),
                        crate::runtime::Range::new(#min, #max),
                    );
                }
            }
            (Kind::Array(item), Location::Query) => {
                if matches!(**item, Kind::Integer(..) | Kind::Array(_)) {
                    return unsupported("an array of that type");
                }
                let each = item.text(&quote!(v));
                quote! { #target.query_each(#wire, #value.into_iter().map(|v| #each).collect()); }
            }
            (Kind::Array(_), _) => return unsupported("an array outside the query"),
            (kind, location) => {
                let method = match location {
                    Location::Path => quote!(path),
                    Location::Query => quote!(query),
                    Location::Header => quote!(header),
                };
                let text = kind.text(&value);
                quote! { #target.#method(#wire, #text); }
            }
        })
    }
}

/// What [`generate`] makes.
pub(crate) struct Builders {
    /// carecloud-api's items, by group name.
    pub(crate) groups: BTreeMap<String, Vec<syn::Item>>,
    /// carecloud-dynamic's dispatch arm of each operation, by operationId.
    pub(crate) arms: BTreeMap<String, TokenStream>,
}

/// The operations' items.
pub(crate) fn generate(api: &Api) -> Result<Builders> {
    let mut settings = progenitor::settings(api, InterfaceStyle::Builder);
    for name in api.schemas.keys() {
        settings.with_replacement(
            name,
            format!("{}::{}", progenitor::TYPES, naming::type_name(name)),
            [].into_iter(),
        );
    }
    let tokens = progenitor::run("the spec's operations", &api.document, &settings)?;
    let module = progenitor::module_tokens(tokens, "builder").unwrap_or_default();
    let file = progenitor::parse("operations", without_method_bodies(module))?;
    let shapes = shapes(&file.items);
    let mut groups: BTreeMap<String, Vec<syn::Item>> = BTreeMap::new();
    let mut arms: BTreeMap<String, TokenStream> = BTreeMap::new();
    let mut methods: BTreeMap<String, TokenStream> = BTreeMap::new();
    for op in &api.operations {
        let name = naming::type_name(&op.operation_id);
        let shape = shapes.get(&name).ok_or_else(|| Error::Unparsable {
            file: "operations".to_owned(),
            message: format!(
                "progenitor generated no builder `{name}` for `{}`",
                op.operation_id
            ),
        })?;
        let op = Op::new(op, shape);
        let items = groups.entry(op.op.group.clone()).or_default();
        items.extend(op.builder(api)?);
        arms.insert(op.op.operation_id.clone(), op.dispatch_arm());
        methods.insert(op.op.operation_id.clone(), op.client_method());
    }
    for interface in &api.interfaces {
        for group in &api.groups {
            let methods: Vec<&TokenStream> = api
                .operations
                .iter()
                .filter(|op| op.group == group.name && op.on(&interface.module))
                .filter_map(|op| methods.get(&op.operation_id))
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
    Ok(Builders { groups, arms })
}

/// A Rust type as code outside carecloud-api names it
/// (`crate::types::Gender` → `::carecloud_api::types::Gender`).
fn outside(ty: &TokenStream) -> TokenStream {
    let text = ty.to_string().replace("crate ::", ":: carecloud_api ::");
    text.parse().unwrap_or_else(|_| ty.clone())
}

/// One parameter with what progenitor made of it.
struct Typed<'a> {
    param: &'a Param,
    kind: Kind,
    /// Its Rust name: the argument or setter (`accept_language`).
    rust: syn::Ident,
}

/// One operation, ready to be written.
struct Op<'a> {
    op: &'a Operation,
    /// The builder (and variant) name (`GetCustomers`).
    name: syn::Ident,
    /// The client method (`get_customers`).
    method: syn::Ident,
    /// The arguments of the client method, in order.
    required: Vec<Typed<'a>>,
    /// The setters.
    optional: Vec<Typed<'a>>,
    /// The body's type, if the operation takes one.
    body: Option<TokenStream>,
    response: TokenStream,
}

impl<'a> Op<'a> {
    fn new(op: &'a Operation, shape: &Shape) -> Self {
        let mut required = Vec::new();
        let mut optional = Vec::new();
        for param in &op.params {
            let rust = naming::method_name(&param.name);
            let Some(ty) = shape.params.get(&rust) else {
                continue;
            };
            let typed = Typed {
                param,
                kind: Kind::of(ty),
                rust: format_ident!("{rust}"),
            };
            if param.required || param.location == Location::Path {
                required.push(typed);
            } else {
                optional.push(typed);
            }
        }
        // Path parameters in the order the path names them, then the
        // others in the spec's order (a stable sort keeps it).
        let position = |t: &Typed<'_>| match t.param.location {
            Location::Path => op
                .path
                .find(&format!("{{{}}}", t.param.name))
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        required.sort_by_key(|t| position(t));
        let body = match (&op.body, shape.params.get("body")) {
            (Some(_), Some(ty)) => Some(tidy(ty)),
            _ => None,
        };
        Op {
            op,
            name: format_ident!("{}", naming::type_name(&op.operation_id)),
            method: format_ident!("{}", naming::method_name(&op.operation_id)),
            required,
            optional,
            body,
            response: tidy(&shape.response),
        }
    }

    /// The body, when it is an argument.
    fn body_argument(&self) -> Option<&TokenStream> {
        self.body.as_ref().filter(|_| self.op.body_required)
    }

    /// `get_customer(customer_id)`, as the docs show the call.
    fn call_text(&self) -> String {
        let mut args: Vec<String> = self.required.iter().map(|t| t.rust.to_string()).collect();
        if self.body_argument().is_some() {
            args.push("body".to_owned());
        }
        format!("{}({})", self.method, args.join(", "))
    }

    /// `:` and a list of the client method's arguments with their
    /// descriptions, or `.` when it takes none.
    fn arguments_doc(&self) -> String {
        if self.required.is_empty() && self.body_argument().is_none() {
            return ". ".to_owned();
        }
        let mut doc = ":\n\n".to_owned();
        for typed in &self.required {
            let description = typed
                .param
                .description
                .as_deref()
                .unwrap_or("(no description)");
            doc.push_str(&format!("- `{}`: {description}\n", typed.rust));
        }
        if let (Some(_), Some(schema)) = (self.body_argument(), &self.op.body) {
            doc.push_str(&format!(
                "- `body`: the request body, a [`{0}`](crate::types::{0}).\n",
                naming::type_name(schema)
            ));
        }
        doc.push('\n');
        doc
    }

    /// The parameters of the client method (and of the builder's `new`).
    fn arguments(&self) -> Vec<TokenStream> {
        let mut out: Vec<TokenStream> = self
            .required
            .iter()
            .map(|t| {
                let (rust, ty) = (&t.rust, t.kind.arg_type());
                quote!(#rust: #ty)
            })
            .collect();
        if let Some(body) = self.body_argument() {
            out.push(quote!(body: #body));
        }
        out
    }

    /// The names of [`arguments`](Self::arguments).
    fn argument_names(&self) -> Vec<TokenStream> {
        let mut out: Vec<TokenStream> = self
            .required
            .iter()
            .map(|t| t.rust.to_token_stream())
            .collect();
        if self.body_argument().is_some() {
            out.push(quote!(body));
        }
        out
    }

    fn builder(&self, api: &Api) -> Result<Vec<syn::Item>> {
        let op = self.op;
        let name = &self.name;
        let doc = format!(
            "{}\n\nMade by the client's `{}`{}Set the optional parameters, then `send()`. \
             It owns its request, so it (and its `send()` future) can move to another task.",
            operation_doc(op),
            self.call_text(),
            self.arguments_doc()
        );
        let call = quote!(__call);
        let mut sets = Vec::new();
        for typed in &self.required {
            sets.push(
                typed
                    .kind
                    .set(&call, typed.param, &typed.rust.to_string())?,
            );
        }
        if self.body_argument().is_some() {
            sets.push(quote! { #call.body(&body); });
        }
        let arguments = self.arguments();
        let new = if sets.is_empty() {
            quote! {
                fn new(#call: crate::runtime::Call) -> Self {
                    Self(#call)
                }
            }
        } else {
            quote! {
                fn new(mut #call: crate::runtime::Call, #(#arguments),*) -> Self {
                    #(#sets)*
                    Self(#call)
                }
            }
        };
        let mut setters = Vec::new();
        for typed in &self.optional {
            let param = typed.param;
            let place = match param.location {
                Location::Path => "Path parameter",
                Location::Query => "Query parameter",
                Location::Header => "Header",
            };
            let mut doc = param.description.clone().unwrap_or_default();
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(&format!(
                "{place} `{}`{}.",
                param.name,
                if param.array {
                    " (sent as `name[]=a&name[]=b`)"
                } else {
                    ""
                }
            ));
            let rust = &typed.rust;
            let ty = typed.kind.arg_type();
            let set = typed.kind.set(&quote!(self.0), param, &rust.to_string())?;
            setters.push(quote! {
                #[doc = #doc]
                pub fn #rust(mut self, #rust: #ty) -> Self {
                    #set
                    self
                }
            });
        }
        if let Some(body) = self.body.as_ref().filter(|_| !op.body_required) {
            setters.push(quote! {
                /// The request body.
                pub fn body(mut self, body: #body) -> Self {
                    self.0.body(&body);
                    self
                }
            });
        }
        let response = &self.response;
        let send_doc = format!(
            "Sends `{} {}` and decodes the reply. The future owns the request \
             (it is `Send + 'static`: `tokio::spawn` takes it).",
            op.method.to_uppercase(),
            op.path
        );
        let send = if response.to_string() == "()" {
            quote! {
                #[doc = #send_doc]
                pub fn send(self) -> impl ::std::future::Future<Output = crate::Result<crate::ResponseValue<()>>> + Send + 'static {
                    self.0.send_empty()
                }
            }
        } else {
            quote! {
                #[doc = #send_doc]
                pub fn send(self) -> impl ::std::future::Future<Output = crate::Result<crate::ResponseValue<#response>>> + Send + 'static {
                    self.0.send::<#response>()
                }
            }
        };
        let operation = format_ident!("{}", super::tables::static_name(op));
        let walk = walk_methods(op, response);
        let mut items: Vec<syn::Item> = vec![
            syn::parse_quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                #[must_use = "a request is sent by `send().await`"]
                pub struct #name(crate::runtime::Call);
            },
            syn::parse_quote! {
                impl #name {
                    /// What the runtime knows of the operation.
                    pub const OPERATION: &'static crate::operation::Operation =
                        &crate::generated::operations::#operation;

                    #new

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
        Ok(items)
    }

    /// The arm of carecloud-dynamic's dispatch: the client method's
    /// arguments and the setters, each taken from the JSON argument of that
    /// (wire) name, then `send()`. Through carecloud-api's public API only
    /// (`client.get_purchase(purchase_id)`, the setters, `.body(..)`).
    fn dispatch_arm(&self) -> TokenStream {
        let (name, method) = (&self.name, &self.method);
        let mut taken: Vec<TokenStream> = self
            .required
            .iter()
            .map(|t| {
                let (wire, ty) = (&t.param.name, outside(&t.kind.json_type()));
                quote!(taken.param::<#ty>(#wire)?)
            })
            .collect();
        if let Some(body) = self.body_argument() {
            let body = outside(body);
            taken.push(quote!(taken.required_body::<#body>()?));
        }
        let optional_body = self
            .body
            .as_ref()
            .filter(|_| !self.op.body_required)
            .map(|body| {
                let body = outside(body);
                quote! {
                    if let Some(body) = taken.body::<#body>()? {
                        builder = builder.body(body);
                    }
                }
            });
        let setters: Vec<TokenStream> = self
            .optional
            .iter()
            .map(|t| {
                let (wire, rust, ty) = (&t.param.name, &t.rust, outside(&t.kind.json_type()));
                quote! { #wire => builder.#rust(arg::<#ty>(op, &name, value)?), }
            })
            .collect();
        let rest = if setters.is_empty() {
            quote! {
                if let Some((name, _)) = taken.rest()?.into_iter().next() {
                    return Err(no_such_param(op, &name));
                }
            }
        } else {
            quote! {
                for (name, value) in taken.rest()? {
                    builder = match name.as_str() {
                        #(#setters)*
                        _ => return Err(no_such_param(op, &name)),
                    };
                }
            }
        };
        let mutable = (optional_body.is_some() || !setters.is_empty()).then(|| quote!(mut));
        let takes = (!taken.is_empty() || optional_body.is_some()).then(|| quote!(mut));
        quote! {
            OperationId::#name => {
                let #takes taken = Taken::new(op, args);
                let #mutable builder = client.#method(#(#taken),*);
                #optional_body
                #rest
                respond(builder.send().await?)
            }
        }
    }

    /// The client method that starts the operation's builder.
    fn client_method(&self) -> TokenStream {
        let op = self.op;
        let (method, name) = (&self.method, &self.name);
        let summary = op
            .summary
            .as_deref()
            .unwrap_or(&op.operation_id)
            .trim_end_matches('.');
        let arguments_said = if self.required.is_empty() && self.body_argument().is_none() {
            ""
        } else {
            " (its docs say what each argument is)"
        };
        let doc = format!(
            "{summary}: `{} {}`. Returns the [`{name}`] builder{arguments_said}: set the \
             optional parameters on it, then `send()`.",
            op.method.to_uppercase(),
            op.path
        );
        let arguments = self.arguments();
        let names = self.argument_names();
        quote! {
            #[doc = #doc]
            pub fn #method(&self, #(#arguments),*) -> #name {
                #name::new(self.call(#name::OPERATION), #(#names),*)
            }
        }
    }
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

/// `tokens` (items) with the body of every function of every `impl` block
/// emptied: [`shapes`] reads the builders' fields and the signature of
/// their `send`, and the bodies are most of what parsing would cost.
fn without_method_bodies(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut in_impl = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ref ident) if ident == "impl" => in_impl = true,
            TokenTree::Group(ref group) if in_impl && group.delimiter() == Delimiter::Brace => {
                in_impl = false;
                let items = group.stream().into_iter().map(|tree| match tree {
                    TokenTree::Group(body) if body.delimiter() == Delimiter::Brace => {
                        let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
                        empty.set_span(body.span());
                        TokenTree::Group(empty)
                    }
                    other => other,
                });
                let mut stripped = Group::new(Delimiter::Brace, items.collect());
                stripped.set_span(group.span());
                out.push(TokenTree::Group(stripped));
                continue;
            }
            TokenTree::Punct(ref punct) if punct.as_char() == ';' => in_impl = false,
            _ => {}
        }
        out.push(tree);
    }
    out.into_iter().collect()
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

/// `pages()` and `items()` of a list paged by `count`/`offset`.
fn walk_methods(op: &Operation, response: &TokenStream) -> TokenStream {
    let Some(list) = op.list.as_ref().filter(|l| l.paged) else {
        return TokenStream::new();
    };
    let field = format_ident!("{}", list.items);
    // An optional `data` is an `Option` too (the real API's lists all
    // require it): a page without it has no items and no total.
    let total = match (list.data_required, list.total_required) {
        (true, true) => quote! { Some(page.data.total_items) },
        (true, false) => quote! { page.data.total_items },
        (false, true) => quote! { page.data.as_ref().map(|d| d.total_items) },
        (false, false) => quote! { page.data.as_ref().and_then(|d| d.total_items) },
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
    let (len, take) = match (list.items_required, list.data_required) {
        (true, true) => (
            quote! { page.data.#field.len() },
            quote! { page.data.#field },
        ),
        (false, true) => (
            quote! { page.data.#field().len() },
            quote! { page.data.#field.unwrap_or_default() },
        ),
        (true, false) => (
            quote! { page.data.as_ref().map_or(0, |d| d.#field.len()) },
            quote! { page.data.map(|d| d.#field).unwrap_or_default() },
        ),
        (false, false) => (
            quote! { page.data.as_ref().map_or(0, |d| d.#field().len()) },
            quote! { page.data.and_then(|d| d.#field).unwrap_or_default() },
        ),
    };

    let pages = quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> crate::runtime::Pages<#response> {
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
        pub fn items(self) -> crate::runtime::Items<#response, crate::types::#item> {
            crate::runtime::Items::new(self.pages(), |page| #take)
        }
    }
}
