//! Optional arrays keep whether they were there.
//!
//! typify makes an optional array property `Vec<T>` with
//! `#[serde(default, skip_serializing_if = "Vec::is_empty")]`: an absent
//! field reads as `[]`, and `[]` is not written back. A read-modify-write
//! (`PUT` replaces the whole record) then omits keys the server sent
//! (`personal_information.consents: []`). Here such a field becomes
//! `Option<Vec<T>>` like every other optional property: `None` when the key
//! was absent (or `null`), `Some(vec![])` when it was `[]`, each written
//! back as it came. The same goes for any optional collection typify skips
//! when empty (`skip_serializing_if = "<collection>::is_empty"`, e.g. a map).
//!
//! Reading a list should not need `Option` handling, so each such `Vec`
//! field also gets an accessor of the same name returning a slice (empty
//! when absent), as the AWS SDK for Rust does for its optional lists.

use quote::quote;

/// An optional `Vec<T>` field made `Option<Vec<T>>`: the struct, the field,
/// and `T`.
pub(crate) struct OptionalList {
    ident: syn::Ident,
    item: syn::Type,
}

/// Makes every optional collection field of `item` (a struct) an `Option`,
/// and returns its `Vec` fields (for [`accessors`]).
pub(crate) fn keep_presence(item: &mut syn::Item) -> Vec<OptionalList> {
    let syn::Item::Struct(s) = item else {
        return Vec::new();
    };
    let struct_name = s.ident.to_string();
    let mut lists = Vec::new();
    for field in s.fields.iter_mut() {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let Some(rename) = skipped_when_empty(&field.attrs) else {
            continue;
        };
        let ty = field.ty.clone();
        if let Some(item) = vec_item(&ty) {
            lists.push(OptionalList {
                ident: ident.clone(),
                item,
            });
        }
        field.ty = syn::parse_quote!(Option<#ty>);
        field.attrs.retain(|a| !a.path().is_ident("serde"));
        let rename = rename.map(|name| quote!(rename = #name,));
        field.attrs.push(syn::parse_quote! {
            #[serde(#rename skip_serializing_if = "::std::option::Option::is_none")]
        });
        let name = ident.to_string();
        let name = name.trim_start_matches("r#");
        let note = if vec_item(&ty).is_some() {
            format!(
                "`None` when the server left the field out, `Some(vec![])` when it sent `[]`: \
                 each is written back as it came. [`{struct_name}::{name}()`] reads it as a \
                 slice."
            )
        } else {
            "`None` when the server left the field out, `Some` (empty or not) when it sent \
             one: each is written back as it came."
                .to_owned()
        };
        // A paragraph of its own after the schema's description, which
        // stays the JSON schema's description (the note is for Rust users).
        let note = match description(&field.attrs) {
            Some(description) => {
                field.attrs.push(syn::parse_quote! {
                    #[cfg_attr(feature = "schemars", schemars(description = #description))]
                });
                format!("\n{note}")
            }
            None => note,
        };
        field
            .attrs
            .insert(doc_end(&field.attrs), syn::parse_quote!(#[doc = #note]));
    }
    lists
}

/// The doc comment as schemars reads it: lines of a paragraph joined by a
/// space, paragraphs by a blank line; `None` if there is none.
fn description(attrs: &[syn::Attribute]) -> Option<String> {
    let mut text = String::new();
    for attr in attrs {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            text.push_str(&s.value());
            text.push('\n');
        }
    }
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// After the last doc attribute (or at the start).
fn doc_end(attrs: &[syn::Attribute]) -> usize {
    attrs
        .iter()
        .rposition(|a| a.path().is_ident("doc"))
        .map_or(0, |i| i + 1)
}

/// `Some(rename)` if the field's serde attributes skip it when empty.
fn skipped_when_empty(attrs: &[syn::Attribute]) -> Option<Option<String>> {
    let mut skip_empty = false;
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip_serializing_if") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                skip_empty = lit.value().ends_with("::is_empty");
            } else if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rename = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    skip_empty.then_some(rename)
}

/// `T` of `Vec<T>`.
fn vec_item(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// The slice accessors of `lists`, fields of the struct `item`.
pub(crate) fn accessors(item: &syn::Item, lists: &[OptionalList]) -> Option<syn::Item> {
    let syn::Item::Struct(s) = item else {
        return None;
    };
    if lists.is_empty() {
        return None;
    }
    let name = &s.ident;
    let methods = lists.iter().map(|list| {
        let ident = &list.ident;
        let item = &list.item;
        let field = ident.to_string();
        let field = field.trim_start_matches("r#");
        let doc = format!(
            "`{field}` as a slice: empty when the server left it out or sent `[]` (the \
             field itself tells the two apart)."
        );
        quote! {
            #[doc = #doc]
            pub fn #ident(&self) -> &[#item] {
                self.#ident.as_deref().unwrap_or_default()
            }
        }
    });
    Some(syn::parse_quote! {
        impl #name {
            #(#methods)*
        }
    })
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn rendered(item: &syn::Item) -> String {
        item.to_token_stream().to_string()
    }

    #[test]
    fn optional_arrays_become_options_with_slice_accessors() {
        let mut item: syn::Item = syn::parse_quote! {
            pub struct Person {
                #[doc = "The person's consents."]
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub consents: Vec<Consent>,
                #[serde(rename = "type", default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub type_: Vec<String>,
                #[serde(default, skip_serializing_if = ":: std :: collections :: HashMap::is_empty")]
                pub tags: ::std::collections::HashMap<String, String>,
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                pub name: Option<String>,
                pub id: String,
            }
        };
        let lists = keep_presence(&mut item);
        let text = rendered(&item);
        assert!(
            text.contains("pub consents : Option < Vec < Consent > >"),
            "{text}"
        );
        assert!(
            text.contains("pub type_ : Option < Vec < String > >"),
            "{text}"
        );
        assert!(
            text.contains(
                "rename = \"type\" , skip_serializing_if = \"::std::option::Option::is_none\""
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "pub tags : Option < :: std :: collections :: HashMap < String , String > >"
            ),
            "{text}"
        );
        assert!(text.contains("pub name : Option < String >"), "{text}");
        assert!(text.contains("pub id : String"), "{text}");
        assert!(!text.contains("is_empty"), "{text}");
        assert!(text.contains("[`Person::consents()`]"), "{text}");
        assert!(
            text.contains("schemars (description = \"The person's consents.\")"),
            "{text}"
        );
        assert_eq!(lists.len(), 2);
        let accessors = rendered(&accessors(&item, &lists).unwrap());
        assert!(
            accessors.contains("pub fn consents (& self) -> & [Consent]"),
            "{accessors}"
        );
        assert!(
            accessors.contains("pub fn type_ (& self) -> & [String]"),
            "{accessors}"
        );
    }

    #[test]
    fn structs_without_optional_collections_are_left_alone() {
        let mut item: syn::Item = syn::parse_quote! {
            pub struct Id { pub id: String }
        };
        let before = rendered(&item);
        assert!(keep_presence(&mut item).is_empty());
        assert_eq!(rendered(&item), before);
        assert!(accessors(&item, &[]).is_none());
    }
}
