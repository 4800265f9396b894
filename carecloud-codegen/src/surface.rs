//! A short, reviewable text summary of the generated API: per interface,
//! each operation (method, path, auth, parameters, body and response types)
//! and each type (fields and their types). Tests snapshot it, so that a spec
//! change shows up as a small diff.

use std::fmt::Write as _;

use quote::ToTokens;

use crate::error::{Error, Result};
use crate::generate::Output;

/// Summarizes every generated file except `mod.rs`, in file-name order.
pub fn summarize(output: &Output) -> Result<String> {
    let mut out = String::new();
    for (name, text) in &output.files {
        if name == "mod.rs" {
            continue;
        }
        let file = syn::parse_file(text).map_err(|e| Error::Unparsable {
            file: name.clone(),
            message: e.to_string(),
        })?;
        out.push_str(&summarize_file(name.trim_end_matches(".rs"), &file));
    }
    Ok(out)
}

/// Summarizes one generated module (`types`, `enterprise`, `customer`).
pub fn summarize_file(module: &str, file: &syn::File) -> String {
    let mut out = format!("# {module}\n");
    let operations = operations(file);
    if !operations.is_empty() {
        let _ = writeln!(out, "\n## operations ({})", operations.len());
        let builders = module_items(&file.items, "builder");
        for op in &operations {
            let _ = writeln!(out, "{} {} {} [{}]", op.id, op.method, op.path, op.auth);
            let struct_name = heck::ToPascalCase::to_pascal_case(op.id.as_str());
            for (param, ty) in builder_fields(builders, &struct_name) {
                let _ = writeln!(out, "  {param}: {ty}");
            }
            if let Some(ret) = send_return(builders, &struct_name) {
                let _ = writeln!(out, "  -> {ret}");
            }
        }
    }
    let types: &[syn::Item] = if module == "types" {
        &file.items
    } else {
        module_items(&file.items, "types")
    };
    let rendered = types_summary(types);
    if !rendered.is_empty() {
        let _ = writeln!(out, "\n## types");
        out.push_str(&rendered);
    }
    out.push('\n');
    out
}

struct OperationRow {
    id: String,
    method: String,
    path: String,
    auth: String,
}

fn operations(file: &syn::File) -> Vec<OperationRow> {
    let mut rows = vec![];
    for item in &file.items {
        let syn::Item::Const(c) = item else { continue };
        if c.ident != "OPERATIONS" {
            continue;
        }
        let syn::Expr::Reference(r) = &*c.expr else {
            continue;
        };
        let syn::Expr::Array(array) = &*r.expr else {
            continue;
        };
        for element in &array.elems {
            let syn::Expr::Struct(s) = element else {
                continue;
            };
            let field = |name: &str| -> String {
                s.fields
                    .iter()
                    .find(|f| matches!(&f.member, syn::Member::Named(i) if i == name))
                    .map(|f| match &f.expr {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => s.value(),
                        syn::Expr::Path(p) => p
                            .path
                            .segments
                            .last()
                            .map(|s| s.ident.to_string().to_lowercase())
                            .unwrap_or_default(),
                        other => tidy(&other.to_token_stream().to_string()),
                    })
                    .unwrap_or_default()
            };
            rows.push(OperationRow {
                id: field("id"),
                method: field("method"),
                path: field("path"),
                auth: field("auth"),
            });
        }
    }
    rows
}

fn module_items<'a>(items: &'a [syn::Item], name: &str) -> &'a [syn::Item] {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => {
                m.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
        .unwrap_or(&[])
}

/// Builder fields as `name: Type` (required) or `name?: Type` (optional).
fn builder_fields(items: &[syn::Item], name: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    for item in items {
        let syn::Item::Struct(s) = item else { continue };
        if s.ident != name {
            continue;
        }
        for field in &s.fields {
            let Some(ident) = &field.ident else { continue };
            if ident == "client" {
                continue;
            }
            let ty = compact(&field.ty.to_token_stream().to_string());
            let ty = ty
                .strip_prefix("Result<")
                .and_then(|t| t.strip_suffix(",String>"))
                .unwrap_or(&ty)
                .to_owned();
            match ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
                Some(inner) => out.push((format!("{ident}?"), spaced(inner))),
                None => out.push((ident.to_string(), spaced(&ty))),
            }
        }
    }
    out
}

fn send_return(items: &[syn::Item], name: &str) -> Option<String> {
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(p) = &*imp.self_ty else {
            continue;
        };
        if p.path.segments.last().is_none_or(|s| s.ident != name) {
            continue;
        }
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if f.sig.ident == "send"
                && let syn::ReturnType::Type(_, ty) = &f.sig.output
            {
                return Some(tidy(&ty.to_token_stream().to_string()));
            }
        }
    }
    None
}

fn types_summary(items: &[syn::Item]) -> String {
    let mut out = String::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let _ = writeln!(out, "struct {}", s.ident);
                for field in &s.fields {
                    let name = field
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "  {name}: {}",
                        tidy(&field.ty.to_token_stream().to_string())
                    );
                }
            }
            syn::Item::Enum(e) => {
                let variants: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| {
                        let fields = v.fields.to_token_stream().to_string();
                        format!("{}{}", v.ident, tidy(&fields))
                    })
                    .collect();
                let _ = writeln!(out, "enum {} = {}", e.ident, variants.join(" | "));
            }
            syn::Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "open_enum") =>
            {
                let text = strip_doc_attrs(&m.mac.tokens.to_string());
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let text = text
                    .replace(" :", ":")
                    .replace(" ,", ",")
                    .replace(",  }", " }");
                let _ = writeln!(out, "open enum {text}");
            }
            _ => {}
        }
    }
    out
}

fn strip_doc_attrs(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("# [doc =") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find("\"]") {
            Some(end) => rest = &after[end + 2..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("pub enum ", "").trim().to_owned()
}

/// Normalizes token spacing and shortens std paths.
fn tidy(tokens: &str) -> String {
    spaced(&compact(tokens))
}

/// Tokens without spaces, trailing commas and std path prefixes.
fn compact(tokens: &str) -> String {
    let mut s = tokens.replace(' ', "").replace(",>", ">");
    for (long, short) in [
        ("::std::option::Option", "Option"),
        ("::std::string::String", "String"),
        ("::std::vec::Vec", "Vec"),
        ("::std::num::", ""),
        ("::std::result::Result", "Result"),
        ("::serde_json::", "serde_json::"),
        ("crate::", ""),
    ] {
        s = s.replace(long, short);
    }
    s
}

fn spaced(compact: &str) -> String {
    compact.replace(',', ", ")
}
