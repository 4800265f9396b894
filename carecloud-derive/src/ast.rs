//! A typed model of the derive input; every node keeps the syntax it came
//! from, so that errors point at it.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Member, Type, Visibility};

use crate::attr::{self, Attrs};
use crate::ctxt::Ctxt;

/// The item `#[derive(CareCloudClient)]` is on.
pub struct Input<'a> {
    /// The item's visibility, given to the generated methods.
    pub vis: &'a Visibility,
    /// The item's name.
    pub ident: &'a Ident,
    /// Its generic parameters (a wrapper has none).
    pub generics: &'a Generics,
    /// Its `#[carecloud(...)]` keys.
    pub attrs: Attrs,
    /// What kind of item it is.
    pub shape: Shape<'a>,
}

/// The kinds of item a derive can be on.
pub enum Shape<'a> {
    /// A struct and its fields.
    Struct {
        /// The fields, in order.
        fields: Vec<Field<'a>>,
        /// The field list (`{ ... }`, `( ... )`), or the name of a unit
        /// struct.
        span: Span,
    },
    /// An enum (the span of `enum`).
    Enum(Span),
    /// A union (the span of `union`).
    Union(Span),
}

/// One field of a struct.
pub struct Field<'a> {
    /// How the expansion names it (`client`, `0`).
    pub member: Member,
    /// Its type as written.
    pub ty: &'a Type,
    /// The whole field.
    pub original: &'a syn::Field,
}

impl<'a> Input<'a> {
    /// The model of `input`; attribute mistakes go to `cx`.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        let shape = match &input.data {
            Data::Struct(data) => Shape::Struct {
                fields: data
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(index, field)| Field {
                        member: match &field.ident {
                            Some(ident) => Member::Named(ident.clone()),
                            None => Member::Unnamed(index.into()),
                        },
                        ty: &field.ty,
                        original: field,
                    })
                    .collect(),
                span: match &data.fields {
                    Fields::Named(fields) => fields.brace_token.span.join(),
                    Fields::Unnamed(fields) => fields.paren_token.span.join(),
                    Fields::Unit => input.ident.span(),
                },
            },
            Data::Enum(data) => Shape::Enum(data.enum_token.span()),
            Data::Union(data) => Shape::Union(data.union_token.span()),
        };
        Input {
            vis: &input.vis,
            ident: &input.ident,
            generics: &input.generics,
            attrs: attr::get(cx, &input.attrs),
            shape,
        }
    }
}
