//! What the command-line client knows of values, from the merged document:
//! each parameter's and body field's [kind] (written as a `Kind` expression
//! of the generated `help.rs`), every object schema a request body reaches
//! with its fields, and an example body per request schema.
//!
//! [kind]: Schemas::kind

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::Literal;
use serde_json::{Map, Value};

use crate::model::hand_written;

/// How deep an example body is built: the request schemas nest a few
/// levels; a reference cycle stops here.
const EXAMPLE_DEPTH: usize = 8;

/// One field of an object schema, as `help.rs` writes it.
pub(crate) struct Field {
    pub(crate) name: String,
    /// A `Kind` expression.
    pub(crate) kind: String,
    pub(crate) required: bool,
    pub(crate) nullable: bool,
    pub(crate) read_only: bool,
    pub(crate) description: String,
}

/// The object schemas request bodies reach, by their name in `help.rs`: a
/// component's name (`Customer`), or `Parent.field` for an object written
/// inline.
#[derive(Default)]
pub(crate) struct Schemas {
    pub(crate) objects: BTreeMap<String, Vec<Field>>,
    /// Names taken or being filled (a schema that refers to itself).
    seen: BTreeSet<String>,
}

/// The node `value` refers to (itself if it is no `$ref`), following local
/// references (`#/components/...`) of `document`, at most 16 hops.
pub(crate) fn resolve<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// The component name a `$ref` node names (`Customer`).
fn ref_name(value: &Value) -> Option<&str> {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
}

fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
}

/// The names an object schema lists as `required`.
fn required(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool) == Some(true)
}

/// A list of string literals: `&["a", "b"]`.
fn literals<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(|s| Literal::string(s).to_string()).collect();
    format!("&[{}]", items.join(", "))
}

impl Schemas {
    /// The `Kind` expression of `schema` (a property of `parent` called
    /// `field`, for naming an inline object), registering the object
    /// schemas it reaches.
    pub(crate) fn kind(
        &mut self,
        document: &Value,
        schema: &Value,
        parent: &str,
        field: &str,
    ) -> String {
        if let Some(name) = ref_name(schema) {
            match (name, hand_written(name)) {
                ("DateTime", Some(_)) => return "Kind::DateTime".to_owned(),
                ("Date", Some(_)) => return "Kind::Date".to_owned(),
                ("LooseString", Some(_)) => return "Kind::TextOrNumber".to_owned(),
                (_, Some(_)) => return "Kind::Secret".to_owned(),
                _ => {}
            }
            let target = resolve(document, schema);
            if is_object(target) && target.get("properties").is_some() {
                self.object(document, name, target);
                return format!("Kind::Object(Some({}))", Literal::string(name));
            }
            return self.kind(document, target, name, "");
        }
        let enumerated = schema.get("enum").and_then(Value::as_array);
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => match (enumerated, schema.get("format").and_then(Value::as_str)) {
                (Some(values), _) => format!(
                    "Kind::TextOf({})",
                    literals(values.iter().filter_map(Value::as_str))
                ),
                (None, Some("password")) => "Kind::Secret".to_owned(),
                (None, Some("date-time")) => "Kind::DateTime".to_owned(),
                (None, Some("date")) => "Kind::Date".to_owned(),
                _ => "Kind::Text".to_owned(),
            },
            Some("integer") => match enumerated {
                Some(values) => {
                    let values: Vec<String> = values
                        .iter()
                        .filter_map(Value::as_i64)
                        .map(|v| v.to_string())
                        .collect();
                    format!("Kind::IntegerOf(&[{}])", values.join(", "))
                }
                None => match schema.get("minimum").and_then(Value::as_i64) {
                    Some(min) => format!("Kind::Integer(Some({min}))"),
                    None => "Kind::Integer(None)".to_owned(),
                },
            },
            Some("number") => "Kind::Number".to_owned(),
            Some("boolean") => "Kind::Boolean".to_owned(),
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                format!(
                    "Kind::Array(&{})",
                    self.kind(document, items, parent, field)
                )
            }
            _ if is_object(schema) => {
                if schema.get("properties").is_some() {
                    let name = format!("{parent}.{field}");
                    self.object(document, &name, schema);
                    format!("Kind::Object(Some({}))", Literal::string(&name))
                } else {
                    "Kind::Object(None)".to_owned()
                }
            }
            _ => "Kind::Any".to_owned(),
        }
    }

    /// Registers object schema `name` and, through its fields' kinds, every
    /// object it reaches.
    fn object(&mut self, document: &Value, name: &str, schema: &Value) {
        if !self.seen.insert(name.to_owned()) {
            return;
        }
        let required = required(schema);
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut fields = Vec::new();
        for (field, property) in properties {
            let target = resolve(document, property);
            let description = property
                .get("description")
                .or_else(|| target.get("description"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            fields.push(Field {
                name: field.clone(),
                kind: self.kind(document, property, name, field),
                required: required.contains(&field.as_str()),
                nullable: flag(property, "nullable") || flag(target, "nullable"),
                read_only: flag(property, "readOnly") || flag(target, "readOnly"),
                description: super::normalized(description),
            });
        }
        self.objects.insert(name.to_owned(), fields);
    }
}

/// An example of `schema`: the spec's own (`example` beside a `$ref`, then
/// on the schema), else one built from the required fields (read-only ones
/// left out) with their examples, and for a value without an example the
/// least its type allows (the first known value, the minimum, `false`,
/// one item of an array).
pub(crate) fn example(document: &Value, schema: &Value, depth: usize) -> Value {
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    let target = resolve(document, schema);
    if let Some(example) = target.get("example") {
        return example.clone();
    }
    if depth >= EXAMPLE_DEPTH {
        return Value::Null;
    }
    if let Some(first) = target
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    match target.get("type").and_then(Value::as_str) {
        Some("string") => Value::String("text".to_owned()),
        Some("integer") | Some("number") => target
            .get("minimum")
            .cloned()
            .unwrap_or_else(|| Value::from(1)),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Array(vec![example(
            document,
            target.get("items").unwrap_or(&Value::Null),
            depth + 1,
        )]),
        _ if is_object(target) => {
            let required = required(target);
            let mut object = Map::new();
            for (field, property) in target
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let read_only =
                    flag(property, "readOnly") || flag(resolve(document, property), "readOnly");
                if required.contains(&field.as_str()) && !read_only {
                    object.insert(field.clone(), example(document, property, depth + 1));
                }
            }
            Value::Object(object)
        }
        _ => Value::String("text".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> Value {
        json!({"components": {"schemas": {
            "Thing": {
                "type": "object",
                "required": ["name", "size", "kind", "tags", "id", "inner"],
                "properties": {
                    "id": {"type": "string", "readOnly": true},
                    "name": {"type": "string", "description": "The\n name.", "example": "Bolt"},
                    "size": {"type": "integer", "minimum": 1},
                    "kind": {"$ref": "#/components/schemas/Kind", "description": "Its kind."},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "when": {"$ref": "#/components/schemas/DateTime"},
                    "inner": {"type": "object", "properties": {"flag": {"type": "boolean"}}},
                    "loop": {"$ref": "#/components/schemas/Thing"}
                }
            },
            "Kind": {"type": "integer", "enum": [3, 4], "nullable": true, "description": "A kind."},
            "DateTime": {"type": "string", "example": "2019-06-23 11:47:22"}
        }}})
    }

    #[test]
    fn kinds_and_fields_of_the_objects_reached() {
        let document = document();
        let mut schemas = Schemas::default();
        let kind = schemas.kind(
            &document,
            &json!({"$ref": "#/components/schemas/Thing"}),
            "",
            "",
        );
        assert_eq!(kind, "Kind::Object(Some(\"Thing\"))");
        assert_eq!(
            schemas.objects.keys().collect::<Vec<_>>(),
            ["Thing", "Thing.inner"]
        );
        let fields = &schemas.objects["Thing"];
        let row = |name: &str| fields.iter().find(|f| f.name == name).unwrap();
        assert_eq!(row("size").kind, "Kind::Integer(Some(1))");
        assert_eq!(row("tags").kind, "Kind::Array(&Kind::Text)");
        assert_eq!(row("when").kind, "Kind::DateTime");
        assert_eq!(row("loop").kind, "Kind::Object(Some(\"Thing\"))");
        let kind = row("kind");
        assert_eq!(kind.kind, "Kind::IntegerOf(&[3, 4])");
        assert!(kind.nullable && kind.required && !kind.read_only);
        assert_eq!(kind.description, "Its kind.");
        assert_eq!(row("name").description, "The name.");
        assert!(row("id").read_only);
    }

    #[test]
    fn examples_are_built_from_required_fields() {
        let document = document();
        let thing = json!({"$ref": "#/components/schemas/Thing"});
        assert_eq!(
            example(&document, &thing, 0),
            json!({"name": "Bolt", "size": 1, "kind": 3, "tags": ["text"], "inner": {}})
        );
        let given = json!({"$ref": "#/components/schemas/Thing", "example": {"name": "x"}});
        assert_eq!(example(&document, &given, 0), json!({"name": "x"}));
    }
}
