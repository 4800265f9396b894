//! A short, reviewable text summary of the generated API, one section per
//! resource group: each operation (method, path, auth, the interfaces serving
//! it, its session role, the client method with its required arguments, the
//! setters of its optional parameters, the response type, the list walks)
//! and each type whose home is the group (its constructor's arguments, its
//! required, optional and list fields with their types, its methods). Tests
//! snapshot it per group, so that a spec change shows up as a small diff in
//! the group it touches.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quote::ToTokens;

use crate::error::{Error, Result};
use crate::generate::Output;
use crate::output::OUTPUT_DIR;

/// The groups (and `common`, for the shared types) the output has, in order.
pub fn groups(output: &Output) -> Vec<String> {
    let mut names: Vec<String> = output
        .files
        .keys()
        .filter_map(|path| {
            let rest = path.strip_prefix(OUTPUT_DIR)?.strip_prefix('/')?;
            let (dir, file) = rest.split_once('/')?;
            let stem = file.strip_suffix(".rs")?;
            ((dir == "builders" || dir == "types") && stem != "mod").then(|| stem.to_owned())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Summarizes every group.
pub fn summarize(output: &Output) -> Result<String> {
    Ok(summarize_groups(output)?
        .into_iter()
        .map(|(_, summary)| summary)
        .collect())
}

/// Every group's summary, by group, in the order of [`groups`]: what
/// [`summarize_group`] gives for each, with the operation tables (the
/// largest generated file) parsed once for all.
pub fn summarize_groups(output: &Output) -> Result<Vec<(String, String)>> {
    let facts = facts(output)?;
    groups(output)
        .into_iter()
        .map(|group| {
            let summary = summarize_with(output, &group, &facts)?;
            Ok((group, summary))
        })
        .collect()
}

/// The generated file `relative` (to the output folder) parsed, if the
/// output has it.
pub(crate) fn parsed(output: &Output, relative: &str) -> Result<Option<syn::File>> {
    let path = format!("{OUTPUT_DIR}/{relative}");
    let Some(text) = output.files.get(&path) else {
        return Ok(None);
    };
    syn::parse_file(text)
        .map(Some)
        .map_err(|e| Error::Unparsable {
            file: path,
            message: e.to_string(),
        })
}

/// Summarizes one group: its operations and the types it defines.
pub fn summarize_group(output: &Output, group: &str) -> Result<String> {
    summarize_with(output, group, &facts(output)?)
}

/// Each operation's facts (see [`operation_facts`]), from the operation
/// tables of `output`.
fn facts(output: &Output) -> Result<BTreeMap<String, String>> {
    Ok(match parsed(output, "operations.rs")? {
        Some(file) => operation_facts(&file),
        None => BTreeMap::new(),
    })
}

/// [`summarize_group`], given the operations' facts.
fn summarize_with(
    output: &Output,
    group: &str,
    facts: &BTreeMap<String, String>,
) -> Result<String> {
    let mut out = format!("# {group}\n");
    if let Some(file) = parsed(output, &format!("builders/{group}.rs"))? {
        let ops = builders(&file);
        let _ = writeln!(out, "\n## operations ({})", ops.len());
        for (name, op) in &ops {
            let fact = op
                .operation
                .as_ref()
                .and_then(|s| facts.get(s))
                .cloned()
                .unwrap_or_default();
            let _ = writeln!(out, "{name} {fact}");
            let _ = writeln!(
                out,
                "  {}({})",
                crate::naming::method_name(name),
                op.arguments
                    .iter()
                    .map(|(arg, ty)| format!("{arg}: {ty}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for (param, ty) in &op.setters {
                let _ = writeln!(out, "  .{param}({ty})");
            }
            if let Some(ret) = &op.send {
                let _ = writeln!(out, "  -> {ret}");
            }
            for walk in &op.walks {
                let _ = writeln!(out, "  {walk}");
            }
        }
    }
    if let Some(file) = parsed(output, &format!("types/{group}.rs"))? {
        let rendered = types_summary(&file.items);
        if !rendered.is_empty() {
            let _ = writeln!(out, "\n## types");
            out.push_str(&rendered);
        }
    }
    out.push('\n');
    Ok(out)
}

/// `GET /customers [bearer] enterprise+customer`, by static name.
fn operation_facts(file: &syn::File) -> BTreeMap<String, String> {
    let mut facts = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Static(s) = item else { continue };
        let syn::Expr::Struct(e) = &*s.expr else {
            continue;
        };
        let field = |name: &str| -> String {
            e.fields
                .iter()
                .find(|f| matches!(&f.member, syn::Member::Named(i) if i == name))
                .map(|f| match &f.expr {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => s.value(),
                    other => tidy(&other.to_token_stream().to_string()),
                })
                .unwrap_or_default()
        };
        let method = field("method")
            .trim_start_matches("Method::")
            .to_uppercase();
        let auth = field("auth").trim_start_matches("Auth::").to_lowercase();
        let interfaces: Vec<&str> = [
            ("enterprise", field("enterprise")),
            ("customer", field("customer")),
        ]
        .into_iter()
        .filter(|(_, on)| on == "true")
        .map(|(name, _)| name)
        .collect();
        let mut fact = format!(
            "{method} {} [{auth}] {}",
            field("path"),
            interfaces.join("+")
        );
        let session = field("session");
        if let Some(role) = session
            .strip_prefix("Some(SessionRole::")
            .and_then(|r| r.strip_suffix(')'))
        {
            let _ = write!(fact, " session={role}");
        }
        let list = field("list");
        if let Some(items) = list
            .split("items:\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
        {
            let paged = if list.contains("paged:true") {
                ", paged"
            } else {
                ""
            };
            let _ = write!(fact, " list={items}{paged}");
        }
        facts.insert(s.ident.to_string(), fact);
    }
    facts
}

#[derive(Default)]
struct BuilderSummary {
    operation: Option<String>,
    /// The client method's arguments (the builder's `new` without the call).
    arguments: Vec<(String, String)>,
    setters: Vec<(String, String)>,
    /// `pages() -> Pages<..>`, `items() -> Items<..>`.
    walks: Vec<String>,
    send: Option<String>,
}

/// Each builder's static, setters (with the type they take) and reply.
fn builders(file: &syn::File) -> BTreeMap<String, BuilderSummary> {
    let mut out: BTreeMap<String, BuilderSummary> = BTreeMap::new();
    let mut order = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let syn::Type::Path(p) = &*imp.self_ty else {
            continue;
        };
        let Some(name) = p.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        if p.path.segments.len() > 1 {
            continue; // `impl crate::enterprise::Client`
        }
        let summary = out.entry(name.clone()).or_default();
        order.push(name);
        for it in &imp.items {
            match it {
                syn::ImplItem::Const(c) if c.ident == "OPERATION" => {
                    let text = c.expr.to_token_stream().to_string();
                    summary.operation = text.rsplit(' ').next().map(str::to_owned);
                }
                syn::ImplItem::Fn(f) if f.sig.ident == "send" => {
                    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        let text = ty.to_token_stream().to_string();
                        summary.send = Some(angle_inner(&text, "ResponseValue <"));
                    }
                }
                syn::ImplItem::Fn(f) if f.sig.ident == "new" => {
                    summary.arguments = arguments(&f.sig).into_iter().skip(1).collect();
                }
                syn::ImplItem::Fn(f) if f.sig.inputs.len() == 1 => {
                    // `pages()` / `items()`: the stream it returns.
                    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        let text = ty
                            .to_token_stream()
                            .to_string()
                            .replace("crate :: runtime :: ", "")
                            .replace("crate :: types :: ", "")
                            .replace("'a , ", "")
                            .replace(' ', "")
                            .replace(",>", ">");
                        summary.walks.push(format!("{}() -> {text}", f.sig.ident));
                    }
                }
                syn::ImplItem::Fn(f) => {
                    if let Some((_, ty)) = arguments(&f.sig).into_iter().next() {
                        summary.setters.push((f.sig.ident.to_string(), ty));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The typed arguments of a function (not `self`), each with the type it
/// takes as the summary writes it: `T` for `impl Into<T>` or `T`,
/// `[T]` for a list, `Integer` for any integer.
fn arguments(sig: &syn::Signature) -> Vec<(String, String)> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(t) => Some((
                t.pat.to_token_stream().to_string().replace("mut ", ""),
                takes(&t.ty.to_token_stream().to_string()),
            )),
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

fn takes(ty: &str) -> String {
    let compact = compact(ty);
    if compact.contains("runtime::Integer") {
        "Integer".to_owned()
    } else if compact.starts_with("implIntoIterator") {
        let item = angle_inner(ty, "Into <");
        let item = if item.is_empty() {
            compact
                .trim_start_matches("implIntoIterator<Item=")
                .trim_end_matches('>')
                .to_owned()
        } else {
            item
        };
        format!("[{item}]")
    } else if compact.starts_with("implInto<") {
        angle_inner(ty, "Into <")
    } else {
        tidy(ty)
    }
}

/// The tidied text between the `<` that ends `opening` (the first one in
/// `text`) and its matching `>`.
fn angle_inner(text: &str, opening: &str) -> String {
    let Some((_, rest)) = text.split_once(opening) else {
        return String::new();
    };
    let mut depth = 1;
    for (i, c) in rest.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return tidy(&rest[..i]);
                }
            }
            _ => {}
        }
    }
    tidy(rest)
}

fn types_summary(items: &[syn::Item]) -> String {
    let mut out = String::new();
    for item in items {
        let syn::Item::Macro(m) = item else { continue };
        let name = m.mac.path.segments.last().map(|s| s.ident.to_string());
        match name.as_deref() {
            Some("object") => match crate::generate::objects::parse(m.mac.tokens.clone()) {
                Ok(object) => object_summary(&mut out, &object),
                Err(e) => {
                    let _ = writeln!(out, "(an object! that does not parse: {e})");
                }
            },
            Some("open_enum") => {
                let text = strip_doc_attrs(&without_cfg(m.mac.tokens.clone()).to_string());
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

/// A struct: `new` with its required fields, then every field (`?` for an
/// optional one, `[T]` for a list), then the methods beyond `new` and the
/// setters (the lists' slice accessors).
fn object_summary(out: &mut String, object: &crate::generate::objects::Object) {
    let derived = if object.default { " (Default)" } else { "" };
    let _ = writeln!(out, "struct {}{derived}", object.name);
    let required: Vec<&str> = object.required.iter().map(|f| f.ident.as_str()).collect();
    let _ = writeln!(out, "  new({})", required.join(", "));
    let sections = [
        (&object.required, "", "{}"),
        (&object.optional, "?", "{}"),
        (&object.lists, "?", "[{}]"),
    ];
    for (fields, mark, shape) in sections {
        for field in fields {
            let ty = shape.replace("{}", &tidy(&field.ty));
            let renamed = match &field.rename {
                Some(wire) => format!(" (\"{wire}\")"),
                None => String::new(),
            };
            let _ = writeln!(out, "  {}{mark}: {ty}{renamed}", field.ident);
        }
    }
    for field in &object.lists {
        let _ = writeln!(out, "  fn {}(&self) -> &[{}]", field.ident, tidy(&field.ty));
    }
}

/// An invocation's tokens without the `#![cfg(..)]` they start with (the
/// features, not the shape).
fn without_cfg(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    match trees.as_slice() {
        [
            TokenTree::Punct(hash),
            TokenTree::Punct(bang),
            TokenTree::Group(_),
            rest @ ..,
        ] if hash.as_char() == '#' && bang.as_char() == '!' => rest.iter().cloned().collect(),
        _ => trees.into_iter().collect(),
    }
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
        ("crate::types::", ""),
        ("crate::wire::", ""),
        ("crate::", ""),
    ] {
        s = s.replace(long, short);
    }
    s
}

fn spaced(compact: &str) -> String {
    compact.replace(',', ", ")
}
