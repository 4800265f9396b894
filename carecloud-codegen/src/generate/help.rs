//! The command-line client's help texts (`carecloud-cli/src/generated/`):
//! per operation, its summary and description, each parameter's description
//! and kind (what its value is: the client checks values by it), and its
//! request body: the schema's description, kind and an example body (the
//! spec's, else one built from the required fields); and every object schema
//! a request body reaches, with its fields (kind, required, nullable,
//! read-only, description), for listing a body's fields in `--help` and
//! naming what a bad part of a body should be. Texts are taken from the spec
//! as they are (whitespace normalised). The operation tables of carecloud-api
//! carry none of this, so that library users do not pay for it.
//!
//! `help.rs` is written as text rather than through prettyplease so that it
//! stays one line per parameter and field: static tables sorted by name,
//! searched by `lookup` and `schema`. A parameter description that several
//! operations share (`Accept-Language`, `count`…) is written once, as a
//! constant.

use std::fmt::Write as _;

use heck::ToShoutySnakeCase;
use proc_macro2::Literal;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Api, Operation};
use crate::naming;

mod schema;

use schema::Schemas;

/// The items of `help.rs` before the table: its types and the lookups.
const PRELUDE: &str = "\
/// What a value is, from its schema (the command-line client words it and
/// checks parameter values by it).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// Text.
    Text,
    /// A secret (a password or token): text.
    Secret,
    /// A date and time, `YYYY-MM-DD HH:MM:SS` in the project's time zone.
    DateTime,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// Text, or a number standing for it.
    TextOrNumber,
    /// A whole number, at least the bound if there is one.
    Integer(Option<i64>),
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Text with these known values (others may be accepted).
    TextOf(&'static [&'static str]),
    /// A whole number with these known values (others may be accepted).
    IntegerOf(&'static [i64]),
    /// An object: the fields of this entry of `SCHEMAS` (`None`: any fields).
    Object(Option<&'static str>),
    /// An array of values of a kind.
    Array(&'static Kind),
    /// Any JSON value.
    Any,
}

/// The help texts of one operation, from the spec.
pub(crate) struct OperationHelp {
    /// The operation's `name` in the operation tables (`get_customers`).
    pub(crate) name: &'static str,
    /// Its summary (empty if the spec gives none).
    pub(crate) summary: &'static str,
    /// Its description, paragraphs separated by blank lines (empty if none).
    pub(crate) description: &'static str,
    /// Its parameters, in the operation's order.
    pub(crate) params: &'static [ParamHelp],
    /// Its request body.
    pub(crate) body: Option<BodyHelp>,
}

/// One parameter of an operation.
pub(crate) struct ParamHelp {
    /// Its name, as in the operation tables.
    pub(crate) name: &'static str,
    /// Its description (empty if none).
    pub(crate) description: &'static str,
    /// Its value's kind (an array parameter: `Kind::Array`).
    pub(crate) kind: Kind,
}

/// An operation's request body.
pub(crate) struct BodyHelp {
    /// The schema's name.
    pub(crate) schema: &'static str,
    /// The schema's description (empty if none).
    pub(crate) description: &'static str,
    /// What the body is (an object: its fields are in `SCHEMAS`).
    pub(crate) kind: Kind,
    /// An example body: pretty-printed JSON.
    pub(crate) example: &'static str,
    /// Whether the spec gives the example (else it is built from the
    /// schema's required fields, their examples and types).
    pub(crate) example_in_spec: bool,
}

/// An object schema that a request body reaches.
pub(crate) struct SchemaHelp {
    /// A component's name (`Customer`), or `Parent.field` for an object
    /// written inline.
    pub(crate) name: &'static str,
    /// Its fields, in the spec's order.
    pub(crate) fields: &'static [FieldHelp],
}

/// One field of an object schema.
pub(crate) struct FieldHelp {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) required: bool,
    /// Whether it may be `null`.
    pub(crate) nullable: bool,
    /// Whether the server fills it in (a request leaves it out).
    pub(crate) read_only: bool,
    /// Its description (empty if none).
    pub(crate) description: &'static str,
}

/// The help of the operation whose table `name` is `name`.
pub(crate) fn lookup(name: &str) -> Option<&'static OperationHelp> {
    OPERATIONS
        .binary_search_by(|help| help.name.cmp(name))
        .ok()
        .map(|i| &OPERATIONS[i])
}

/// The object schema called `name` in `SCHEMAS`.
pub(crate) fn schema(name: &str) -> Option<&'static SchemaHelp> {
    SCHEMAS
        .binary_search_by(|schema| schema.name.cmp(name))
        .ok()
        .map(|i| &SCHEMAS[i])
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

/// The schemas of `op`'s parameters in the merged document, by name.
fn param_schemas<'a>(api: &'a Api, op: &Operation) -> Vec<(&'a str, &'a Value)> {
    api.document
        .get("paths")
        .and_then(|paths| paths.get(&op.path))
        .and_then(|item| item.get(&op.method))
        .and_then(|o| o.get("parameters"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| schema::resolve(&api.document, p))
        .filter_map(|p| Some((p.get("name")?.as_str()?, p.get("schema")?)))
        .collect()
}

/// `op`'s request body: its `BodyHelp` expression, the body's kind
/// registered in `schemas`.
fn body_help(api: &Api, op: &Operation, name: &str, schemas: &mut Schemas) -> String {
    let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
    let kind = schemas.kind(&api.document, &reference, "", name);
    // The example beside the body's schema (the media type's), else the
    // schema's own, else one built from its required fields.
    let media = api
        .document
        .get("paths")
        .and_then(|paths| paths.get(&op.path))
        .and_then(|item| item.get(&op.method))
        .and_then(|o| o.pointer("/requestBody/content/application~1json"));
    let given = media
        .and_then(|m| m.get("example"))
        .or_else(|| schema::resolve(&api.document, &reference).get("example"));
    let example = match given {
        Some(example) => example.clone(),
        None => schema::example(&api.document, &reference, 0),
    };
    let pretty = serde_json::to_string_pretty(&example).unwrap_or_default();
    format!(
        "Some(BodyHelp {{\n            schema: {},\n            description: {},\n            kind: {kind},\n            example: {},\n            example_in_spec: {},\n        }}),",
        Literal::string(name),
        literal(schema_description(api, name)),
        Literal::string(&pretty),
        given.is_some()
    )
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
    let mut schemas = Schemas::default();
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
            let param_schemas = param_schemas(api, op);
            for p in &op.params {
                let description = literal(p.description.as_deref());
                let value = shared
                    .iter()
                    .find(|s| s.param == p.name && s.literal == description)
                    .map_or(description.clone(), |s| s.constant.clone());
                let kind = param_schemas
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map_or_else(
                        || "Kind::Text".to_owned(),
                        |(_, s)| schemas.kind(&api.document, s, name, &p.name),
                    );
                let _ = writeln!(
                    text,
                    "            ParamHelp {{ name: {}, description: {value}, kind: {kind} }},",
                    Literal::string(&p.name)
                );
            }
            let _ = writeln!(text, "        ],");
        }
        match &op.body {
            Some(schema) => {
                let body = body_help(api, op, schema, &mut schemas);
                let _ = writeln!(text, "        body: {body}");
            }
            None => {
                let _ = writeln!(text, "        body: None,");
            }
        }
        let _ = writeln!(text, "    }},");
    }
    text.push_str("];\n");
    text.push_str("\n/// Every object schema a request body reaches, sorted by name.\n");
    text.push_str("pub(crate) static SCHEMAS: &[SchemaHelp] = &[\n");
    for (name, fields) in &schemas.objects {
        let _ = writeln!(text, "    SchemaHelp {{");
        let _ = writeln!(text, "        name: {},", Literal::string(name));
        let _ = writeln!(text, "        fields: &[");
        for f in fields {
            let _ = writeln!(
                text,
                "            FieldHelp {{ name: {}, kind: {}, required: {}, nullable: {}, read_only: {}, description: {} }},",
                Literal::string(&f.name),
                f.kind,
                f.required,
                f.nullable,
                f.read_only,
                Literal::string(&f.description)
            );
        }
        let _ = writeln!(text, "        ],");
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
        let mut post = operation(
            "postThing",
            vec![param("Accept-Language", Some("The language."))],
            Some("ThingRequest"),
        );
        post.method = "post".to_owned();
        let api = Api {
            interfaces: vec![],
            groups: vec![],
            operations: vec![
                post,
                operation(
                    "getThings",
                    vec![
                        param("Accept-Language", Some("The language.")),
                        param("ids", None),
                        param("count", None),
                    ],
                    None,
                ),
            ],
            schemas: BTreeMap::new(),
            files: vec![],
            document: json!({
                "paths": {"/things": {"get": {"parameters": [
                    {"$ref": "#/components/parameters/Ids"},
                    {"name": "count", "in": "query", "schema": {"type": "integer", "minimum": 1}}
                ]}}},
                "components": {
                    "parameters": {"Ids": {
                        "name": "ids", "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}}
                    }},
                    "schemas": {"ThingRequest": {
                        "type": "object",
                        "description": "A new\n thing.",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "description": "Its name.", "example": "Bolt"},
                            "size": {"type": "integer"}
                        }
                    }}
                }
            }),
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
            ParamHelp { name: "Accept-Language", description: ACCEPT_LANGUAGE, kind: Kind::Text },
            ParamHelp { name: "ids", description: "", kind: Kind::Array(&Kind::Text) },
            ParamHelp { name: "count", description: "", kind: Kind::Integer(Some(1)) },
        ],
        body: None,
    },
    OperationHelp {
        name: "post_thing",
        summary: "List things",
        description: "Returns the things, one page.\n\nSecond \"paragraph\".",
        params: &[
            ParamHelp { name: "Accept-Language", description: ACCEPT_LANGUAGE, kind: Kind::Text },
        ],
        body: Some(BodyHelp {
            schema: "ThingRequest",
            description: "A new thing.",
            kind: Kind::Object(Some("ThingRequest")),
            example: "{\n  \"name\": \"Bolt\"\n}",
            example_in_spec: false,
        }),
    },
];

/// Every object schema a request body reaches, sorted by name.
pub(crate) static SCHEMAS: &[SchemaHelp] = &[
    SchemaHelp {
        name: "ThingRequest",
        fields: &[
            FieldHelp { name: "name", kind: Kind::Text, required: true, nullable: false, read_only: false, description: "Its name." },
            FieldHelp { name: "size", kind: Kind::Integer(None), required: false, nullable: false, read_only: false, description: "" },
        ],
    },
];

// The descriptions of parameters shared by several operations.
const ACCEPT_LANGUAGE: &str = "The language.";
"#
        );
    }
}
