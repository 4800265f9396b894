//! `Serialize` and `Deserialize` written out for typify's structs instead of
//! derived. A struct that keeps unknown fields (`#[serde(flatten)] extra`)
//! would otherwise go through serde's buffered path (every field collected
//! first, then re-read), which costs compile time and decode speed; and the
//! derive expands on every build. The impls here stream a JSON object once:
//! each known key into its field's own type, any other into `extra`.
//!
//! Only the attributes typify emits are understood (`rename`, `default`,
//! `skip_serializing_if`, `flatten` on the unknown-fields map); a struct
//! with anything else keeps its derives. The `#[serde(...)]` attributes stay
//! for `schemars` (behind its feature), which reads them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What a field's serde attributes say.
#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    default: bool,
    skip_if: Option<String>,
    flatten: bool,
}

struct Field {
    ident: syn::Ident,
    ty: syn::Type,
    wire: String,
    attrs: FieldAttrs,
}

/// Rewrites the serde derives of `item` into written-out impls, returned
/// to be emitted after it. `None` leaves the item as typify made it.
pub(crate) fn rewrite(item: &mut syn::Item) -> Option<Vec<syn::Item>> {
    let syn::Item::Struct(s) = item else {
        return None;
    };
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    if !derives(&s.attrs, "Deserialize") || !derives(&s.attrs, "Serialize") {
        return None;
    }
    if s.attrs.iter().any(|a| a.path().is_ident("serde")) {
        return None; // container attributes: leave to serde
    }
    let mut fields = Vec::new();
    for field in &named.named {
        let ident = field.ident.clone()?;
        let attrs = field_attrs(&field.attrs)?;
        let wire = attrs.rename.clone().unwrap_or_else(|| ident.to_string());
        fields.push(Field {
            ident,
            ty: field.ty.clone(),
            wire,
            attrs,
        });
    }
    let extras: Vec<&Field> = fields.iter().filter(|f| f.attrs.flatten).collect();
    if extras.len() > 1 {
        return None;
    }
    let name = s.ident.clone();
    let impls = vec![serialize(&name, &fields), deserialize(&name, &fields)];
    // Drop the two derives; keep the field attributes for schemars.
    for attr in &mut s.attrs {
        if let syn::Meta::List(list) = &mut attr.meta
            && list.path.is_ident("derive")
        {
            let kept: Vec<TokenStream> = list
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .map(|paths| {
                    paths
                        .into_iter()
                        .filter(|p| {
                            let last = p.segments.last().map(|s| s.ident.to_string());
                            !matches!(last.as_deref(), Some("Serialize" | "Deserialize"))
                        })
                        .map(|p| quote!(#p))
                        .collect()
                })
                .unwrap_or_default();
            list.tokens = quote!(#(#kept),*);
        }
    }
    if let syn::Fields::Named(named) = &mut s.fields {
        for field in &mut named.named {
            for attr in &mut field.attrs {
                if attr.path().is_ident("serde")
                    && let syn::Meta::List(list) = &attr.meta
                {
                    let tokens = &list.tokens;
                    *attr = syn::parse_quote!(#[cfg_attr(feature = "schemars", serde(#tokens))]);
                }
            }
        }
    }
    Some(impls)
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths
                    .iter()
                    .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
            })
    })
}

/// The serde attributes of a field; `None` if one is not understood.
fn field_attrs(attrs: &[syn::Attribute]) -> Option<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut understood = true;
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                out.rename = Some(lit.value());
            } else if meta.path.is_ident("default") {
                if meta.input.peek(syn::Token![=]) {
                    understood = false;
                    let _: syn::LitStr = meta.value()?.parse()?;
                }
                out.default = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                out.skip_if = Some(lit.value());
            } else if meta.path.is_ident("flatten") {
                out.flatten = true;
            } else {
                understood = false;
            }
            Ok(())
        });
        if parsed.is_err() || !understood {
            return None;
        }
    }
    // Optional collections are `Option`s by now (`presence.rs`): what is
    // skipped is only ever an absent value.
    match out.skip_if.as_deref() {
        None | Some("::std::option::Option::is_none" | "Option::is_none") => Some(out),
        Some(_) => None,
    }
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn serialize(name: &syn::Ident, fields: &[Field]) -> syn::Item {
    let entries = fields.iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.wire;
        if f.attrs.flatten {
            return quote! { ser::entries(&mut map, &self.#ident)?; };
        }
        match f.attrs.skip_if {
            Some(_) => quote! { ser::some(&mut map, #wire, &self.#ident)?; },
            None => quote! { map.serialize_entry(#wire, &self.#ident)?; },
        }
    });
    syn::parse_quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                map.end()
            }
        }
    }
}

fn deserialize(name: &syn::Ident, fields: &[Field]) -> syn::Item {
    let known: Vec<&Field> = fields.iter().filter(|f| !f.attrs.flatten).collect();
    // Locals are named after the fields (prefixed: a field may be called
    // `map` or `key`); their types are inferred from the struct.
    let slot = |f: &Field| format_ident!("f_{}", f.ident.to_string().trim_start_matches("r#"));
    let locals = known.iter().map(|f| {
        let local = slot(f);
        quote! { let mut #local = None; }
    });
    let arms = known.iter().map(|f| {
        let local = slot(f);
        let wire = &f.wire;
        quote! { #wire => #local = Some(map.next_value()?), }
    });
    let extra = fields.iter().find(|f| f.attrs.flatten);
    let unknown = match extra {
        Some(_) => quote! { _ => de::keep(&mut map, &mut extra, key)?, },
        None => quote! {
            _ => {
                map.next_value::<::serde::de::IgnoredAny>()?;
            }
        },
    };
    let extra_local = extra.map(|_| quote! { let mut extra = ::serde_json::Map::new(); });
    let inits = fields.iter().map(|f| {
        let ident = &f.ident;
        if f.attrs.flatten && ident == "extra" {
            return quote! { extra, };
        }
        if f.attrs.flatten {
            return quote! { #ident: extra, };
        }
        let local = slot(f);
        let wire = &f.wire;
        if is_option(&f.ty) {
            quote! { #ident: #local.flatten(), }
        } else if f.attrs.default {
            quote! { #ident: #local.unwrap_or_default(), }
        } else {
            quote! { #ident: de::required(#local, #wire)?, }
        }
    });
    let expecting = format!("a {name} object");
    syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    #[inline]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#locals)*
                        #extra_local
                        while let Some(key) = map.next_key::<Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                #unknown
                            }
                        }
                        Ok(#name { #(#inits)* })
                    }
                }

                deserializer.deserialize_map(Visitor)
            }
        }
    }
}
