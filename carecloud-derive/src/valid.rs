//! Checks the model and turns it into what [`crate::expand`] needs; every
//! problem is reported, each at its own span.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Ident, Member, Type, Visibility};

use crate::ast::{Input, Shape};
use crate::attr::{INTERFACE, INTERFACES};
use crate::ctxt::Ctxt;

/// The interfaces a wrapper can be declared for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Interface {
    /// `interface = enterprise`.
    Enterprise,
    /// `interface = customer`.
    Customer,
}

impl Interface {
    fn from_ident(ident: &Ident) -> Option<Self> {
        match ident.to_string().as_str() {
            "enterprise" => Some(Interface::Enterprise),
            "customer" => Some(Interface::Customer),
            _ => None,
        }
    }

    /// The module of `carecloud_api` it lives in.
    pub fn module(self) -> &'static str {
        match self {
            Interface::Enterprise => "enterprise",
            Interface::Customer => "customer",
        }
    }
}

/// A wrapper that passed every check.
pub struct Wrapper<'a> {
    /// The struct's visibility.
    pub vis: &'a Visibility,
    /// The struct's name.
    pub ident: &'a Ident,
    /// Its interface.
    pub interface: Interface,
    /// The field holding the generated client.
    pub member: Member,
    /// The source type (`credentials = ...`, or the interface's built-in).
    pub source: TokenStream,
}

/// Validates `input`, adding every problem to `cx`; `None` if there was one.
pub fn check<'a>(cx: &Ctxt, input: &Input<'a>) -> Option<Wrapper<'a>> {
    let interface = match &input.attrs.interface {
        Some((_, value)) => Interface::from_ident(value),
        None if input.attrs.interface_reported => None,
        None => {
            let at = match &input.attrs.first {
                Some(attr) => attr.clone(),
                None => input.ident.to_token_stream(),
            };
            cx.error(
                at,
                format!(
                    "missing `{INTERFACE} = ...` in `#[carecloud(...)]`; expected `#[carecloud(interface = enterprise)]` or `#[carecloud(interface = customer)]`"
                ),
            );
            None
        }
    };
    if let Some(params) = (!input.generics.params.is_empty()).then_some(&input.generics.params) {
        cx.error(
            params,
            "a `CareCloudClient` wrapper cannot have generic parameters",
        );
    }
    let member = match &input.shape {
        Shape::Enum(span) | Shape::Union(span) => {
            cx.error_at(
                *span,
                "`#[derive(CareCloudClient)]` only applies to a struct with one field, the interface's generated client",
            );
            None
        }
        Shape::Struct { fields, span } => match fields.as_slice() {
            [] => {
                cx.error_at(
                    *span,
                    format!(
                        "expected one field holding the generated client, e.g. `client: carecloud_api::{}::Client`",
                        interface.map_or("enterprise", Interface::module)
                    ),
                );
                None
            }
            [field] => {
                if let Some(interface) = interface {
                    check_field_type(cx, field.ty, interface);
                }
                Some(field.member.clone())
            }
            [_, extra, ..] => {
                cx.error(
                    extra.original,
                    "a `CareCloudClient` wrapper has exactly one field, the generated client; remove the others",
                );
                None
            }
        },
    };
    let source = match (&input.attrs.credentials, interface) {
        (Some((_, path)), _) => path.to_token_stream(),
        (None, Some(Interface::Enterprise)) => quote!(::carecloud_api::EnterpriseCredentials),
        (None, Some(Interface::Customer)) => quote!(::carecloud_api::DeviceRegistration),
        (None, None) => TokenStream::new(),
    };
    Some(Wrapper {
        vis: input.vis,
        ident: input.ident,
        interface: interface?,
        member: member?,
        source,
    })
}

/// The field must be the interface's generated client:
/// `carecloud_api::<interface>::Client` (or a shorter path to it, such as
/// `enterprise::Client` or an imported `Client`). The compiler checks the
/// rest when the expansion moves the client into the field.
fn check_field_type(cx: &Ctxt, ty: &Type, interface: Interface) {
    let expected = format!("carecloud_api::{}::Client", interface.module());
    let Type::Path(path) = ty else {
        cx.error(ty, format!("expected the field type `{expected}`"));
        return;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let well_formed = path.qself.is_none()
        && segments.last().is_some_and(|last| last == "Client")
        && path.path.segments.iter().all(|s| s.arguments.is_none());
    if !well_formed {
        cx.error(ty, format!("expected the field type `{expected}`"));
        return;
    }
    if let [.., module, _] = segments.as_slice()
        && INTERFACES.contains(&module.as_str())
        && module != interface.module()
    {
        cx.error(
            ty,
            format!(
                "the field is the {module} interface's client but the wrapper says `interface = {}`; expected `{expected}`",
                interface.module()
            ),
        );
    }
}
