//! The command-line client's help texts (`carecloud-cli/src/generated/`):
//! per operation, its summary and description, each parameter's description
//! and the request body schema's description, taken from the spec as they
//! are (whitespace normalised). The operation tables of carecloud-api carry
//! none of this, so that library users do not pay for it.
//!
//! `help.rs` is written as text rather than through prettyplease so that it
//! stays one line per parameter: a static table sorted by operation name,
//! searched by `lookup`. A parameter description that several operations
//! share (`Accept-Language`, `count`…) is written once, as a constant.

use std::fmt::Write as _;

use heck::ToShoutySnakeCase;
use proc_macro2::Literal;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Api, Operation};
use crate::naming;

/// The items of `help.rs` before the table: its types and the lookup.
const PRELUDE: &str = "\
/// The help texts of one operation, from the spec.
pub(crate) struct OperationHelp {
    /// The operation's `name` in the operation tables (`get_customers`).
    pub(crate) name: &'static str,
    /// Its summary (empty if the spec gives none).
    pub(crate) summary: &'static str,
    /// Its description, paragraphs separated by blank lines (empty if none).
    pub(crate) description: &'static str,
    /// Its parameters: (name as in the operation tables, description), in
    /// the operation's order.
    pub(crate) params: &'static [(&'static str, &'static str)],
    /// Its request body: (schema name, the schema's description or empty).
    pub(crate) body: Option<(&'static str, &'static str)>,
}

/// The help of the operation whose table `name` is `name`.
pub(crate) fn lookup(name: &str) -> Option<&'static OperationHelp> {
    OPERATIONS
        .binary_search_by(|help| help.name.cmp(name))
        .ok()
        .map(|i| &OPERATIONS[i])
}

/// Every operation of the spec, sorted by name.
pub(crate) static OPERATIONS: &[OperationHelp] = &[
";

/// `text` with each paragraph's whitespace collapsed to single spaces and
/// paragraphs (split at blank lines) separated by one blank line.
pub(crate) fn normalized(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs.join("\n\n")
}

/// A Rust string literal holding `text`, normalised.
fn literal(text: Option<&str>) -> String {
    Literal::string(&normalized(text.unwrap_or_default())).to_string()
}

/// The description of the named schema `name`, if the spec gives one.
fn schema_description<'a>(api: &'a Api, name: &str) -> Option<&'a str> {
    api.document
        .get("components")?
        .get("schemas")?
        .get(name)?
        .get("description")
        .and_then(Value::as_str)
}

/// The text of `help.rs` (after `banner`); it is parsed once to make sure
/// it is Rust.
pub(crate) fn generate(api: &Api, path: &str, banner: &str) -> Result<String> {
    let mut operations: Vec<(String, &Operation)> = api
        .operations
        .iter()
        .map(|op| (naming::method_name(&op.operation_id), op))
        .collect();
    operations.sort_by(|a, b| a.0.cmp(&b.0));
    let shared = shared_descriptions(&operations);
    let mut text = format!("{banner}{PRELUDE}");
    for (name, op) in &operations {
        let _ = writeln!(text, "    OperationHelp {{");
        let _ = writeln!(text, "        name: {},", Literal::string(name));
        let _ = writeln!(text, "        summary: {},", literal(op.summary.as_deref()));
        let _ = writeln!(
            text,
            "        description: {},",
            literal(op.description.as_deref())
        );
        if op.params.is_empty() {
            let _ = writeln!(text, "        params: &[],");
        } else {
            let _ = writeln!(text, "        params: &[");
            for p in &op.params {
                let description = literal(p.description.as_deref());
                let value = shared
                    .iter()
                    .find(|s| s.param == p.name && s.literal == description)
                    .map_or(description.clone(), |s| s.constant.clone());
                let _ = writeln!(text, "            ({}, {value}),", Literal::string(&p.name));
            }
            let _ = writeln!(text, "        ],");
        }
        match &op.body {
            Some(schema) => {
                let _ = writeln!(
                    text,
                    "        body: Some(({}, {})),",
                    Literal::string(schema),
                    literal(schema_description(api, schema))
                );
            }
            None => {
                let _ = writeln!(text, "        body: None,");
            }
        }
        let _ = writeln!(text, "    }},");
    }
    text.push_str("];\n");
    if !shared.is_empty() {
        text.push_str("\n// The descriptions of parameters shared by several operations.\n");
        for s in &shared {
            let _ = writeln!(text, "const {}: &str = {};", s.constant, s.literal);
        }
    }
    syn::parse_file(&text).map_err(|e| Error::Unparsable {
        file: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(text)
}

/// A parameter description used by several operations, written once as a
/// constant.
struct Shared {
    /// The parameter's name.
    param: String,
    /// The description as a string literal.
    literal: String,
    /// The constant's name: the parameter's in upper case, with `_2`, `_3`…
    /// for its other descriptions.
    constant: String,
}

/// The (parameter, description) pairs used more than once, in order of
/// first use.
fn shared_descriptions(operations: &[(String, &Operation)]) -> Vec<Shared> {
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    for (_, op) in operations {
        for p in &op.params {
            let description = literal(p.description.as_deref());
            match seen
                .iter_mut()
                .find(|(name, d, _)| *name == p.name && *d == description)
            {
                Some((_, _, uses)) => *uses += 1,
                None => seen.push((p.name.clone(), description, 1)),
            }
        }
    }
    let mut shared: Vec<Shared> = Vec::new();
    for (param, literal, uses) in seen {
        if uses < 2 {
            continue;
        }
        let base = param.to_shouty_snake_case();
        let others = shared.iter().filter(|s| s.param == param).count();
        let constant = match others {
            0 => base,
            n => format!("{base}_{}", n + 1),
        };
        shared.push(Shared {
            param,
            literal,
            constant,
        });
    }
    shared
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::model::{Location, Param};

    fn operation(id: &str, params: Vec<Param>, body: Option<&str>) -> Operation {
        Operation {
            operation_id: id.to_owned(),
            method: "get".to_owned(),
            path: "/things".to_owned(),
            group: "things".to_owned(),
            tag: "Things".to_owned(),
            interfaces: vec!["enterprise".to_owned()],
            public: None,
            session: None,
            summary: Some("List things".to_owned()),
            description: Some(
                "Returns the things,\n  one page.\n\n\nSecond   \"paragraph\".\n".to_owned(),
            ),
            params,
            body: body.map(str::to_owned),
            body_required: false,
            response: None,
            success: vec![200],
            list: None,
        }
    }

    fn param(name: &str, description: Option<&str>) -> Param {
        Param {
            name: name.to_owned(),
            location: Location::Query,
            required: false,
            array: false,
            description: description.map(str::to_owned),
        }
    }

    #[test]
    fn normalises_whitespace_and_keeps_paragraphs() {
        assert_eq!(normalized("  a\n b  c \n\n \n d\n"), "a b c\n\nd");
        assert_eq!(normalized(""), "");
    }

    #[test]
    fn one_entry_per_operation_sorted_by_name_one_line_per_parameter() {
        let api = Api {
            interfaces: vec![],
            groups: vec![],
            operations: vec![
                operation(
                    "postThing",
                    vec![param("Accept-Language", Some("The language."))],
                    Some("ThingRequest"),
                ),
                operation(
                    "getThings",
                    vec![
                        param("Accept-Language", Some("The language.")),
                        param("ids", None),
                    ],
                    None,
                ),
            ],
            schemas: BTreeMap::new(),
            files: vec![],
            document: json!({"components": {"schemas": {
                "ThingRequest": {"type": "object", "description": "A new\n thing."}
            }}}),
            sandbox: Default::default(),
        };
        let text = generate(&api, "help.rs", "// banner\n\n").unwrap();
        let table = text.split_once(PRELUDE).unwrap();
        assert_eq!(table.0, "// banner\n\n");
        assert_eq!(
            table.1,
            r#"    OperationHelp {
        name: "get_things",
        summary: "List things",
        description: "Returns the things, one page.\n\nSecond \"paragraph\".",
        params: &[
            ("Accept-Language", ACCEPT_LANGUAGE),
            ("ids", ""),
        ],
        body: None,
    },
    OperationHelp {
        name: "post_thing",
        summary: "List things",
        description: "Returns the things, one page.\n\nSecond \"paragraph\".",
        params: &[
            ("Accept-Language", ACCEPT_LANGUAGE),
        ],
        body: Some(("ThingRequest", "A new thing.")),
    },
];

// The descriptions of parameters shared by several operations.
const ACCEPT_LANGUAGE: &str = "The language.";
"#
        );
    }
}
