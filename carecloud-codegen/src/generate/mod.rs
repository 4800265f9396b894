//! Step 4: generate the code from the validated [`Api`].
//!
//! In order: `types` (typify, through progenitor, over every schema; each
//! struct an `object!` invocation written by `objects`, each enum an
//! `open_enum!`; one file per group), `builders` (each operation's client
//! methods and builder, from the types progenitor gives its parameters; one
//! file per group), `tables` (the operation facts), `features` (the page of
//! each group feature), then the module files; `render` formats each file
//! (the types files are text already). `cfg` ties every item to the cargo
//! features that need it. Outside carecloud-api: `sandbox` (the sandbox's
//! schema registry, and where request bodies hold passwords and tokens),
//! `constructors` (the request bodies its operations test builds through
//! their constructors), `help` (the command-line client's help texts) and
//! `dynamic` (carecloud-dynamic's dispatch of an operation given by id).

mod builders;
mod cfg;
mod constructors;
mod dynamic;
mod features;
mod help;
pub mod objects;
mod progenitor;
pub mod render;
mod sandbox;
mod sandbox_plan;
mod tables;
mod types;

use std::collections::BTreeMap;

use quote::format_ident;

use crate::error::Result;
use crate::load::Sources;
use crate::model::Api;

/// The generated files and the cargo features they expect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the workspace root, `/`-separated, inside one of
    /// [`OUTPUT_DIRS`](crate::output::OUTPUT_DIRS) → text.
    pub files: BTreeMap<String, String>,
    /// The group features carecloud-api must declare, in order.
    pub features: Vec<String>,
}

/// Runs the whole pipeline: validation, then generation.
pub fn generate(sources: &Sources) -> Result<Output> {
    let api = crate::validate::validate(sources)?;
    generate_api(&api)
}

/// Generates the code of a validated spec.
pub fn generate_api(api: &Api) -> Result<Output> {
    let banner = render::banner(&api.files);
    let mut output = Output {
        features: api
            .groups
            .iter()
            .filter_map(|g| g.feature().map(str::to_owned))
            .collect(),
        ..Output::default()
    };
    let mut rendered: Vec<(String, Vec<syn::Item>)> = Vec::new();
    let mut add = |path: String, items: Vec<syn::Item>| -> Result<()> {
        let path = if path.starts_with("carecloud-") {
            path
        } else {
            format!("{}/{path}", crate::output::OUTPUT_DIR)
        };
        rendered.push((path, items));
        Ok(())
    };

    let types = types::generate(api)?;
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut types_mod: Vec<syn::Item> = Vec::new();
    for stem in types.files.keys() {
        let module = format_ident!("{}", stem);
        types_mod.push(syn::parse_quote!(mod #module;));
        types_mod.push(syn::parse_quote!(pub use #module::*;));
        let path = format!("{}/types/{stem}.rs", crate::output::OUTPUT_DIR);
        texts.push((path, types.render(stem, &banner)));
    }
    add("types/mod.rs".to_owned(), types_mod)?;

    let builders = builders::generate(api)?;
    output
        .files
        .extend(dynamic::generate(api, &builders.arms, &banner)?);
    let mut builders_mod: Vec<syn::Item> = Vec::new();
    for (name, items) in builders.groups {
        let module = format_ident!("{name}");
        let attr = cfg::group_module(api, &name);
        let doc = match api.group(&name).and_then(|g| g.feature()) {
            Some(feature) => format!("The `{name}` group (feature `{feature}`)."),
            None => format!("The `{name}` group: compiled with every interface."),
        };
        builders_mod.push(syn::parse_quote!(#attr #[doc = #doc] mod #module;));
        builders_mod.push(syn::parse_quote!(#attr pub use #module::*;));
        add(format!("builders/{name}.rs"), items)?;
    }
    add("builders/mod.rs".to_owned(), builders_mod)?;

    add("operations.rs".to_owned(), tables::generate(api))?;
    add(
        format!("{}/mod.rs", crate::output::SCHEMAS_OUTPUT_DIR),
        sandbox::generate(api),
    )?;
    let path = format!("{}/plan.rs", crate::output::SANDBOX_OUTPUT_DIR);
    add(path.clone(), sandbox_plan::generate(&api.sandbox, &path)?)?;
    add(
        format!("{}/secrets.rs", crate::output::SANDBOX_OUTPUT_DIR),
        sandbox::secrets(api),
    )?;
    let path = format!("{}/decl.rs", crate::output::SANDBOX_OUTPUT_DIR);
    output.files.insert(path, sandbox_plan::types(&banner));
    let sandbox_mod: syn::File = syn::parse_quote! {
        #![allow(missing_docs, unused_imports, rust_2018_idioms, dead_code)]
        #![allow(clippy::all, clippy::pedantic)]

        /// The types of the plan (the sandbox's copy of carecloud-codegen's model).
        pub(crate) mod decl;
        /// How the sandbox serves each operation, from the spec's `x-sandbox` declarations.
        pub(crate) mod plan;
        /// Where request bodies hold passwords and tokens, by schema name.
        pub(crate) mod secrets;
    };
    for (path, items) in rendered {
        let text = render::file(&banner, items);
        output.files.insert(path, text);
    }
    output.files.extend(texts);
    let path = format!("{}/mod.rs", crate::output::SANDBOX_OUTPUT_DIR);
    let text = render::file_with_attrs(&banner, sandbox_mod);
    output.files.insert(path, text);

    let path = format!(
        "{}/constructors.rs",
        crate::output::SANDBOX_TESTS_OUTPUT_DIR
    );
    let file = constructors::generate(api, types.objects());
    let text = render::file_with_attrs(&banner, file);
    output.files.insert(path, text);

    let path = format!("{}/help.rs", crate::output::CLI_OUTPUT_DIR);
    let text = help::generate(api, &path, &banner)?;
    output.files.insert(path, text);
    let cli_mod: syn::File = syn::parse_quote! {
        #![allow(missing_docs, rust_2018_idioms)]
        #![allow(clippy::all, clippy::pedantic)]

        /// The spec's descriptions of each operation, its parameters and its body.
        pub(crate) mod help;
    };
    let path = format!("{}/mod.rs", crate::output::CLI_OUTPUT_DIR);
    let text = render::file_with_attrs(&banner, cli_mod);
    output.files.insert(path, text);

    output.files.insert(
        format!("{}/features.md", crate::output::OUTPUT_DIR),
        features::generate(api),
    );

    let interfaces: Vec<&str> = api.interfaces.iter().map(|i| i.module.as_str()).collect();
    let root: syn::File = syn::parse_quote! {
        #![allow(missing_docs, unused_imports, unreachable_pub, rust_2018_idioms)]
        #![allow(clippy::all, clippy::pedantic)]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

        /// Every type of the spec, each behind the features of the groups that use it.
        pub mod types;

        /// Every operation's builder, in one module per group.
        #[cfg(any(#(feature = #interfaces),*))]
        pub mod builders;

        /// The operation tables.
        #[cfg(any(#(feature = #interfaces),*))]
        pub mod operations;
    };
    let path = format!("{}/mod.rs", crate::output::OUTPUT_DIR);
    let text = render::file_with_attrs(&banner, root);
    output.files.insert(path, text);
    Ok(output)
}
