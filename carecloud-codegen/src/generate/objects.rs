//! The generated object types: each struct typify makes becomes one
//! `crate::wire::object!` invocation (see `carecloud-api/src/wire/object.rs`),
//! listing every field once:
//!
//! ```text
//! crate::wire::object! {
//!     /// A shop, branch or other point of sale of the retailer.
//!     pub struct Store {
//!         /// Required fields, in the order of the schema's `required` list.
//!         name: String,
//!     }
//!     optional {
//!         /// Optional fields, in the schema's property order.
//!         #[serde(rename = "type")]
//!         type_: String => with_type,
//!     }
//!     lists {
//!         /// Optional arrays: `Option<Vec<T>>` with a slice accessor.
//!         image_urls: [String] => with_image_urls,
//!     }
//! }
//! ```
//!
//! A field added to a schema is then one line (and its docs) in one place
//! of the generated code, which is written as text here, not by
//! prettyplease (which prints a macro's body as one run-on line). The same
//! text is read back ([`Object`] implements `syn`'s `Parse`) by the API
//! surface summary and by the checks of this module.
//!
//! Optional arrays: typify makes an optional array `Vec<T>` that reads an
//! absent field as `[]` and leaves `[]` out when writing; a read-modify-write
//! (`PUT` replaces the whole record) would then drop keys the server sent.
//! Here such a field is a list, `Option<Vec<T>>`: `None` when the key was
//! absent (or `null`), `Some(vec![])` when it was `[]`, each written back as
//! it came, read as a slice through its accessor (as the AWS SDK for Rust
//! does for its optional lists).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::ToTokens;
use serde_json::Value;
use syn::ext::IdentExt as _;
use syn::parse::{Parse, ParseStream};

use crate::error::{Error, Result};

/// One object type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// The Rust type name.
    pub name: String,
    /// Its doc lines (the schema's description).
    pub docs: Vec<String>,
    /// Whether it derives `Default` (every field has an empty value).
    pub default: bool,
    /// The required fields, in the order of the schema's `required` list:
    /// the arguments of `new`.
    pub required: Vec<Field>,
    /// The optional fields other than arrays, in property order: each an
    /// `Option` of [`Field::ty`] with a `with_` setter.
    pub optional: Vec<Field>,
    /// The optional arrays, in property order: each an `Option<Vec<_>>` of
    /// [`Field::ty`] with a `with_` setter and a slice accessor.
    pub lists: Vec<Field>,
}

/// One field of an [`Object`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The Rust field name.
    pub ident: String,
    /// The JSON key, when it differs from the field name.
    pub rename: Option<String>,
    /// The Rust type as written: a required field's type, an optional
    /// field's type inside the `Option`, a list's item type.
    pub ty: String,
    /// Its doc lines (the property's description).
    pub docs: Vec<String>,
    /// The setter of an optional field or list (`with_<name>`); empty for a
    /// required field.
    pub setter: String,
}

impl Field {
    /// The JSON key.
    pub fn wire(&self) -> &str {
        self.rename
            .as_deref()
            .unwrap_or_else(|| self.ident.trim_start_matches("r#"))
    }
}

impl Object {
    /// Every field: required, optional, lists.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.required
            .iter()
            .chain(&self.optional)
            .chain(&self.lists)
    }

    /// The object typify made as `item`, laid out by its `schema` (the
    /// node it was generated from: its `required` list and property order).
    pub(crate) fn from_typify(item: &syn::ItemStruct, schema: &Value) -> Result<Self> {
        let name = item.ident.to_string();
        let unsupported = |message: String| Error::Unsupported {
            name: name.clone(),
            message,
        };
        if item.attrs.iter().any(|a| a.path().is_ident("serde")) {
            return Err(unsupported(
                "it has serde container attributes, which `object!` does not take".to_owned(),
            ));
        }
        let syn::Fields::Named(named) = &item.fields else {
            return Err(unsupported(
                "it is not a struct with named fields (a newtype or a tuple)".to_owned(),
            ));
        };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let order: Vec<&str> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(key, _)| key.as_str())
            .collect();
        let mut object = Object {
            name: name.clone(),
            docs: doc_lines(&item.attrs),
            default: true,
            required: Vec::new(),
            optional: Vec::new(),
            lists: Vec::new(),
        };
        let mut extras = 0;
        // (position in the schema, kind, field)
        let mut placed: Vec<(usize, Kind, Field)> = Vec::new();
        for field in &named.named {
            let Some(ident) = &field.ident else { continue };
            let attrs = FieldAttrs::read(&field.attrs)
                .map_err(|e| unsupported(format!("field `{ident}`: {e}")))?;
            if attrs.flatten {
                extras += 1;
                continue;
            }
            let ident = ident.to_string();
            let wire = attrs
                .rename
                .clone()
                .unwrap_or_else(|| ident.trim_start_matches("r#").to_owned());
            let (kind, ty) = if let Some(at) = required.iter().position(|r| *r == wire) {
                (Kind::Required(at), field.ty.clone())
            } else if let Some(inner) = generic_arg(&field.ty, "Option") {
                match generic_arg(&inner, "Vec") {
                    Some(item) => (Kind::List, item),
                    None => (Kind::Optional, inner),
                }
            } else if attrs.skipped_when_empty {
                match generic_arg(&field.ty, "Vec") {
                    Some(item) => (Kind::List, item),
                    None => (Kind::Optional, field.ty.clone()),
                }
            } else {
                return Err(unsupported(format!(
                    "field `{ident}` is neither required nor an `Option`"
                )));
            };
            if let Kind::Required(_) = kind {
                object.default &= ["Option", "Vec", "Map"]
                    .iter()
                    .any(|name| generic_arg(&field.ty, name).is_some());
            }
            let position = order.iter().position(|p| *p == wire).ok_or_else(|| {
                unsupported(format!(
                    "field `{ident}` (`{wire}`) is not a property of its schema"
                ))
            })?;
            let setter = match kind {
                Kind::Required(_) => String::new(),
                _ => format!(
                    "with_{}",
                    ident.trim_start_matches("r#").trim_end_matches('_')
                ),
            };
            placed.push((
                position,
                kind,
                Field {
                    rename: (wire != ident.trim_start_matches("r#")).then_some(wire),
                    ident,
                    ty: type_text(&ty),
                    docs: doc_lines(&field.attrs),
                    setter,
                },
            ));
        }
        if extras != 1 {
            return Err(unsupported(format!(
                "it has {extras} maps of unknown fields (`#[serde(flatten)]`), not one"
            )));
        }
        placed.sort_by_key(|(position, kind, _)| match kind {
            Kind::Required(at) => (0, *at),
            _ => (1, *position),
        });
        for (_, kind, field) in placed {
            match kind {
                Kind::Required(_) => object.required.push(field),
                Kind::Optional => object.optional.push(field),
                Kind::List => object.lists.push(field),
            }
        }
        object.check_methods()?;
        Ok(object)
    }

    /// Two methods of one name do not compile: a setter or list accessor
    /// against `new` or another.
    fn check_methods(&self) -> Result<()> {
        let mut methods = BTreeSet::from(["new".to_owned()]);
        let names = self
            .optional
            .iter()
            .chain(&self.lists)
            .map(|f| f.setter.clone())
            .chain(self.lists.iter().map(|f| f.ident.clone()));
        for method in names {
            if !methods.insert(method.clone()) {
                return Err(Error::Unsupported {
                    name: self.name.clone(),
                    message: format!("two of its methods would be called `{method}`"),
                });
            }
        }
        Ok(())
    }

    /// The `crate::wire::object! { ... }` invocation, without the `cfg`.
    pub fn render(&self) -> String {
        let mut out = String::from("crate::wire::object! {\n");
        push_docs(&mut out, "    ", &self.docs);
        if self.default {
            out.push_str("    #[derive(Default)]\n");
        }
        if self.required.is_empty() {
            let _ = writeln!(out, "    pub struct {} {{}}", self.name);
        } else {
            let _ = writeln!(out, "    pub struct {} {{", self.name);
            for field in &self.required {
                push_field(&mut out, field, &field.ty, "");
            }
            out.push_str("    }\n");
        }
        if !self.optional.is_empty() {
            out.push_str("    optional {\n");
            for field in &self.optional {
                push_field(&mut out, field, &field.ty, &field.setter);
            }
            out.push_str("    }\n");
        }
        if !self.lists.is_empty() {
            out.push_str("    lists {\n");
            for field in &self.lists {
                push_field(&mut out, field, &format!("[{}]", field.ty), &field.setter);
            }
            out.push_str("    }\n");
        }
        out.push_str("}\n");
        out
    }
}

#[derive(Clone, Copy)]
enum Kind {
    /// At this index of the `required` list.
    Required(usize),
    Optional,
    List,
}

fn push_docs(out: &mut String, indent: &str, docs: &[String]) {
    for line in docs {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

fn push_field(out: &mut String, field: &Field, ty: &str, setter: &str) {
    push_docs(out, "        ", &field.docs);
    if let Some(rename) = &field.rename {
        let _ = writeln!(out, "        #[serde(rename = {rename:?})]");
    }
    if setter.is_empty() {
        let _ = writeln!(out, "        {}: {ty},", field.ident);
    } else {
        let _ = writeln!(out, "        {}: {ty} => {setter},", field.ident);
    }
}

/// The serde attributes typify puts on a field, as far as they matter here.
#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    flatten: bool,
    /// `skip_serializing_if = "<collection>::is_empty"`: an optional
    /// collection typify reads as empty when absent.
    skipped_when_empty: bool,
}

impl FieldAttrs {
    fn read(attrs: &[syn::Attribute]) -> std::result::Result<Self, String> {
        let mut out = FieldAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    out.rename = Some(lit.value());
                } else if meta.path.is_ident("flatten") {
                    out.flatten = true;
                } else if meta.path.is_ident("default") && !meta.input.peek(syn::Token![=]) {
                } else if meta.path.is_ident("skip_serializing_if") {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    let path = lit.value().replace(' ', "");
                    if path.ends_with("::is_empty") {
                        out.skipped_when_empty = true;
                    } else if !path.ends_with("Option::is_none") {
                        return Err(meta.error(format!("`skip_serializing_if = {path:?}`")));
                    }
                } else if meta.path.is_ident("deserialize_with") {
                    // A required property that may be null: `Option<T>`
                    // read through `Option::deserialize` so that the key
                    // must be there; `object!` does that for every
                    // required field.
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    if !lit
                        .value()
                        .replace(' ', "")
                        .ends_with("Option::deserialize")
                    {
                        return Err(meta.error(format!("`deserialize_with = {:?}`", lit.value())));
                    }
                } else {
                    return Err(meta.error("this serde attribute"));
                }
                Ok(())
            })
            .map_err(|e| format!("`object!` does not take {e}"))?;
        }
        Ok(out)
    }
}

/// The doc lines of `attrs`: each `#[doc]` split into lines, a leading
/// space and trailing whitespace dropped.
pub(crate) fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            for line in s.value().lines() {
                let line = line.trim_end();
                lines.push(line.strip_prefix(' ').unwrap_or(line).to_owned());
            }
        }
    }
    lines
}

/// The first generic argument of a path type whose last segment is `name`.
pub(crate) fn generic_arg(ty: &syn::Type, name: &str) -> Option<syn::Type> {
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

/// A type as the generated code writes it: formatted, with the types of
/// this module (`crate::types::`) by their bare names (the types files
/// `use super::*`).
pub(crate) fn type_text(ty: &syn::Type) -> String {
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::parse_quote!(type X = #ty;)],
    };
    prettyplease::unparse(&file)
        .trim()
        .trim_start_matches("type X = ")
        .trim_end_matches(';')
        .replace("crate::types::", "")
}

impl Parse for Object {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        // The type's `#![cfg(..)]`: the features, not part of its shape.
        input.call(syn::Attribute::parse_inner)?;
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let default = attrs.iter().any(|a| a.path().is_ident("derive"));
        input.parse::<syn::Token![pub]>()?;
        input.parse::<syn::Token![struct]>()?;
        let name: syn::Ident = input.parse()?;
        let body;
        syn::braced!(body in input);
        let required = fields(&body, false, false)?;
        let mut optional = Vec::new();
        let mut lists = Vec::new();
        while !input.is_empty() {
            let section: syn::Ident = input.parse()?;
            let body;
            syn::braced!(body in input);
            match section.to_string().as_str() {
                "optional" => optional = fields(&body, true, false)?,
                "lists" => lists = fields(&body, true, true)?,
                _ => {
                    return Err(syn::Error::new(
                        section.span(),
                        "expected `optional` or `lists`",
                    ));
                }
            }
        }
        Ok(Object {
            name: name.to_string(),
            docs: doc_lines(&attrs),
            default,
            required,
            optional,
            lists,
        })
    }
}

/// The fields of one section: `name: Type` (required), `name: Type =>
/// setter` (optional), `name: [Item] => setter` (lists).
fn fields(input: ParseStream<'_>, with_setter: bool, list: bool) -> syn::Result<Vec<Field>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let mut rename = None;
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rename = Some(lit.value());
                Ok(())
            })?;
        }
        let ident = syn::Ident::parse_any(input)?;
        input.parse::<syn::Token![:]>()?;
        let ty: syn::Type = if list {
            let item;
            syn::bracketed!(item in input);
            item.parse()?
        } else {
            input.parse()?
        };
        let setter = if with_setter {
            input.parse::<syn::Token![=>]>()?;
            input.parse::<syn::Ident>()?.to_string()
        } else {
            String::new()
        };
        out.push(Field {
            ident: ident.to_string(),
            rename,
            ty: type_text(&ty),
            docs: doc_lines(&attrs),
            setter,
        });
        if input.is_empty() {
            break;
        }
        input.parse::<syn::Token![,]>()?;
    }
    Ok(out)
}

/// Reads an `object!` invocation's body.
pub fn parse(tokens: TokenStream) -> syn::Result<Object> {
    syn::parse2(tokens)
}

/// The identifiers `object` mentions in its field types (for placing
/// inline types next to the type that uses them).
pub(crate) fn mentioned_types(object: &Object) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for field in object.fields() {
        if let Ok(ty) = syn::parse_str::<syn::Type>(&field.ty) {
            collect_idents(ty.to_token_stream(), &mut out);
        }
    }
    out
}

fn collect_idents(tokens: TokenStream, out: &mut BTreeSet<String>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn store() -> (syn::ItemStruct, Value) {
        let item: syn::ItemStruct = syn::parse_quote! {
            #[doc = "A shop."]
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Store {
                #[doc = "Pictures."]
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub image_urls: Vec<String>,
                #[doc = "Its name."]
                pub name: String,
                #[serde(deserialize_with = "::std::option::Option::deserialize")]
                pub note: Option<String>,
                #[doc = "Its kind."]
                #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
                pub type_: Option<crate::types::StoreKind>,
                #[serde(flatten)]
                pub extra: ::serde_json::Map<String, ::serde_json::Value>,
            }
        };
        let schema = json!({
            "required": ["note", "name"],
            "properties": {"type": {}, "name": {}, "note": {}, "image_urls": {}},
        });
        (item, schema)
    }

    #[test]
    fn fields_are_sorted_into_sections_in_the_schemas_order() {
        let (item, schema) = store();
        let object = Object::from_typify(&item, &schema).unwrap();
        let required: Vec<&str> = object.required.iter().map(|f| f.ident.as_str()).collect();
        assert_eq!(required, ["note", "name"]);
        assert_eq!(object.required[0].ty, "Option<String>");
        assert_eq!(object.optional[0].ident, "type_");
        assert_eq!(object.optional[0].ty, "StoreKind");
        assert_eq!(object.optional[0].wire(), "type");
        assert_eq!(object.optional[0].setter, "with_type");
        assert_eq!(object.lists[0].ty, "String");
        assert!(!object.default);
        assert_eq!(
            object.render(),
            "crate::wire::object! {
    /// A shop.
    pub struct Store {
        note: Option<String>,
        /// Its name.
        name: String,
    }
    optional {
        /// Its kind.
        #[serde(rename = \"type\")]
        type_: StoreKind => with_type,
    }
    lists {
        /// Pictures.
        image_urls: [String] => with_image_urls,
    }
}
"
        );
    }

    #[test]
    fn the_rendered_text_reads_back_as_the_same_object() {
        let (item, schema) = store();
        let object = Object::from_typify(&item, &schema).unwrap();
        let text = object.render();
        let mac: syn::ItemMacro = syn::parse_str(&text).unwrap();
        assert_eq!(parse(mac.mac.tokens).unwrap(), object);
    }

    #[test]
    fn shapes_it_cannot_declare_are_errors() {
        let (mut item, schema) = store();
        item.attrs
            .push(syn::parse_quote!(#[serde(deny_unknown_fields)]));
        let err = Object::from_typify(&item, &schema).unwrap_err().to_string();
        assert!(err.contains("container attributes"), "{err}");
        let (item, _) = store();
        let err = Object::from_typify(&item, &json!({"properties": {"name": {}}}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a property of its schema"), "{err}");
    }
}
