//! What the `x-sandbox` checks read from the spec: schemas by name (in the
//! merged document, local references), the fields a path walks through,
//! and where each declaration is (its file and JSON path) for problems.

use serde_json::{Map, Value};

use crate::error::Problem;
use crate::json_path::JsonPath;
use crate::model::Api;

/// A declaration node and where it is.
#[derive(Clone)]
pub(super) struct Node<'v> {
    pub(super) value: &'v Value,
    pub(super) path: JsonPath,
}

static NULL: Value = Value::Null;

impl<'v> Node<'v> {
    pub(super) fn new(value: &'v Value, path: JsonPath) -> Self {
        Self { value, path }
    }

    /// The node under `key` (null when absent).
    pub(super) fn get(&self, key: &str) -> Node<'v> {
        Node::new(self.value.get(key).unwrap_or(&NULL), self.path.key(key))
    }

    /// The node under `key`, if present and not null.
    pub(super) fn opt(&self, key: &str) -> Option<Node<'v>> {
        let node = self.get(key);
        (!node.value.is_null()).then_some(node)
    }

    /// The items of a sequence (none if it is not one).
    pub(super) fn items(&self) -> Vec<Node<'v>> {
        self.value
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| Node::new(v, self.path.index(i)))
            .collect()
    }

    /// The entries of a mapping (none if it is not one).
    pub(super) fn entries(&self) -> Vec<(&'v str, Node<'v>)> {
        self.value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), Node::new(v, self.path.key(k))))
            .collect()
    }
}

/// Collects problems in one file at a time, and reads the schemas.
pub(super) struct Ctx<'a> {
    pub(super) api: &'a Api,
    pub(super) file: String,
    pub(super) problems: Vec<Problem>,
}

impl<'a> Ctx<'a> {
    pub(super) fn problem(&mut self, node: &Node<'_>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.clone(),
            path: node.path.to_string(),
            message: message.into(),
        });
    }

    /// The mapping at `node`, with a problem for each key not in `allowed`.
    pub(super) fn mapping<'v>(
        &mut self,
        node: &Node<'v>,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = node.value.as_object() else {
            self.problem(node, "expected a mapping");
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let hint = suggest(key, allowed)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| format!(" (allowed: {})", allowed.join(", ")));
                self.problem(&node.get(key), format!("unknown key `{key}`{hint}"));
            }
        }
        Some(map)
    }

    /// The text at `node` (a problem if it is something else).
    pub(super) fn text(&mut self, node: &Node<'_>) -> String {
        match node.value.as_str() {
            Some(text) => text.to_owned(),
            None => {
                self.problem(node, "expected a text");
                String::new()
            }
        }
    }

    /// The text list at `node` (one text counts as a list of one).
    pub(super) fn texts(&mut self, node: &Node<'_>) -> Vec<String> {
        match node.value {
            Value::Null => Vec::new(),
            Value::String(one) => vec![one.clone()],
            _ => node.items().iter().map(|item| self.text(item)).collect(),
        }
    }

    /// A named schema of the spec.
    pub(super) fn schema(&self, name: &str) -> Option<&'a Value> {
        self.api.document.pointer("/components/schemas")?.get(name)
    }

    /// `node` with its local `$ref`s followed.
    pub(super) fn deref(&self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(name) = node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            else {
                break;
            };
            match self.schema(name) {
                Some(next) => node = next,
                None => break,
            }
        }
        node
    }

    /// The schema a path leads to from `schema` (`a.b[].c`), if every
    /// step names a property (`x[]` an array property's items). A schema
    /// without `properties` (free-form) takes any path.
    pub(super) fn walk(&self, schema: &'a Value, path: &[String]) -> Option<&'a Value> {
        let mut node = self.deref(schema);
        for segment in path {
            let (name, into) = match segment.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (segment.as_str(), false),
            };
            let Some(properties) = node.get("properties").and_then(Value::as_object) else {
                return (!node.get("type").is_some_and(|t| t != "object")).then_some(node);
            };
            node = self.deref(properties.get(name)?);
            if into {
                node = self.deref(node.get("items")?);
            }
        }
        Some(node)
    }

    /// The path of the shallowest property called `name` in `schema`
    /// (through nested objects, not arrays): how the sandbox finds the
    /// field a filter parameter of that name compares.
    pub(super) fn find_field(&self, schema: &'a Value, name: &str) -> Option<Vec<String>> {
        let mut queue: Vec<(Vec<String>, &Value)> = vec![(Vec::new(), self.deref(schema))];
        let mut depth = 0;
        while !queue.is_empty() && depth < 8 {
            let mut next = Vec::new();
            for (path, node) in &queue {
                let Some(properties) = node.get("properties").and_then(Value::as_object) else {
                    continue;
                };
                if properties.contains_key(name) {
                    let mut found = path.clone();
                    found.push(name.to_owned());
                    return Some(found);
                }
                for (key, child) in properties {
                    let child = self.deref(child);
                    if child.get("properties").is_some() {
                        let mut deeper = path.clone();
                        deeper.push(key.clone());
                        next.push((deeper, child));
                    }
                }
            }
            queue = next;
            depth += 1;
        }
        None
    }

    /// The `data` schema of a response schema (`XResponse.data`).
    pub(super) fn data_of(&self, response: &str) -> Option<&'a Value> {
        let schema = self.schema(response)?;
        self.walk(schema, &["data".to_owned()])
    }
}

/// A path written `a.b[].c` as its segments.
pub(super) fn split_path(text: &str) -> Vec<String> {
    text.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The allowed name closest to `wrong`, if it is close.
pub(super) fn suggest<'s>(wrong: &str, allowed: &[&'s str]) -> Option<&'s str> {
    allowed
        .iter()
        .map(|a| (distance(wrong, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min()
        .map(|(_, a)| a)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}
