//! Step 3: check the documents against every rule the generated client relies
//! on, before progenitor sees them. progenitor panics on several shapes and
//! silently mishandles others; each is reported here as a [`Problem`] naming
//! the file and JSON path, and all problems are reported at once.
//!
//! One module per concern, each adding methods to `Checker`:
//! `documents` (the role of each file: interfaces, components, groups),
//! `references` (every `$ref` resolves and stands alone), `schemas`
//! (types, enums and the Rust names they become), `operations`
//! (operationIds, interfaces, session roles, tags, parameters, bodies),
//! `responses` (one success type, one error schema) and `usage` (every
//! schema used, and defined where it belongs). Once the spec is valid,
//! `sandbox` reads the sandbox's declarations (`x-sandbox`) against it.
//!
//! A successful validation returns the [`Api`] model that generation takes.

mod documents;
mod operations;
mod parameters;
mod references;
mod responses;
pub mod sandbox;
mod sandbox_expr;
mod sandbox_ledgers;
mod sandbox_lists;
mod sandbox_ops;
mod sandbox_rules;
mod sandbox_schema;
mod sandbox_select;
mod sandbox_steps;
mod sandbox_views;
mod schemas;
mod usage;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Problem, Result};
use crate::json_path::JsonPath;
use crate::load::{Sources, SpecFile};
use crate::model::Api;

/// Validates all documents and builds the model; `Err(Error::Invalid)` lists
/// every problem found.
pub fn validate(sources: &Sources) -> Result<Api> {
    let mut checker = Checker {
        sources,
        problems: Vec::new(),
        error_schema: None,
        rust_names: BTreeMap::new(),
        operation_ids: BTreeMap::new(),
        operations: BTreeMap::new(),
        components: BTreeMap::new(),
    };
    checker.documents();
    for file in sources.files() {
        checker.references(file, &file.value, &JsonPath::root());
        checker.named_schemas(file);
    }
    for group in &sources.groups {
        checker.group_operations(group);
    }
    checker.usage();
    let mut problems = checker.problems;
    if problems.is_empty() {
        // The sandbox's declarations are read against the valid spec's model.
        let mut api = crate::model::build(sources);
        let (plan, sandbox_problems) = sandbox::plan(sources, &api);
        api.sandbox = plan;
        problems = sandbox_problems;
        if problems.is_empty() {
            return Ok(api);
        }
    }
    problems.sort();
    problems.dedup();
    Err(Error::Invalid(problems))
}

/// Collects problems while the checks walk the documents.
pub(crate) struct Checker<'a> {
    sources: &'a Sources,
    problems: Vec<Problem>,
    /// The error schema seen first: (name, where it was seen).
    error_schema: Option<(String, String)>,
    /// Rust type name → where the schema that takes it was defined.
    rust_names: BTreeMap<String, String>,
    /// Rust method name of an operationId → where it was defined.
    operation_ids: BTreeMap<String, String>,
    /// `METHOD path` → where the operation was defined.
    operations: BTreeMap<String, String>,
    /// (kind, component name) → the file defining it.
    components: BTreeMap<(String, String), String>,
}

impl<'a> Checker<'a> {
    fn problem(&mut self, file: &SpecFile, path: &JsonPath, message: impl Into<String>) {
        self.problems.push(Problem {
            file: file.name.clone(),
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Resolves a `$ref` (one hop) to the file and node it names.
    fn resolve(&self, from: &'a SpecFile, reference: &str) -> Option<(&'a SpecFile, &'a Value)> {
        crate::refs::resolve(self.sources, from, reference)
    }

    /// Follows `$ref`s until a non-reference node; returns that node with
    /// its file and path (`path` is where `node` sits), so that problems
    /// inside a referenced component name where it is defined.
    fn deref(
        &self,
        from: &'a SpecFile,
        node: &'a Value,
        path: &JsonPath,
    ) -> Option<(&'a SpecFile, &'a Value, JsonPath)> {
        let (mut file, mut node, mut path) = (from, node, path.clone());
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    (file, node) = self.resolve(file, r)?;
                    path = JsonPath::from_pointer(crate::refs::split_ref(r).1);
                }
                None => return Some((file, node, path)),
            }
        }
        None
    }
}

#[cfg(test)]
mod sandbox_tests;
#[cfg(test)]
mod tests;
