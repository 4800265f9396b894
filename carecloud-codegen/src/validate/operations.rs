//! Operations of a group: operationId, the interfaces serving it, its session
//! role, tag, security and request body (parameters: [`super::parameters`]).

use serde_json::{Map, Value};

use super::Checker;
use crate::json_path::JsonPath;
use crate::load::{GroupDoc, SpecFile};
use crate::model::{INTERFACES_KEY, SESSION_KEY, SessionRole};
use crate::naming;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Methods the interface clients and the auth-aware wrappers already have:
/// an operation whose method name is one of these does not compile, or is
/// hidden behind the wrapper's method of that name.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "runtime",
    "builder",
    "log_in",
    "log_out",
    "resume",
    "token_id",
    "customer_logged_in",
];

/// Where an operation sits: its path template, method and path item.
#[derive(Clone, Copy)]
pub(super) struct OpSite<'a, 'p> {
    pub(super) template: &'p str,
    pub(super) method: &'p str,
    pub(super) item: &'a Map<String, Value>,
    pub(super) item_path: &'p JsonPath,
    pub(super) path: &'p JsonPath,
}

impl<'a> Checker<'a> {
    pub(super) fn group_operations(&mut self, group: &'a GroupDoc) {
        let file = &group.doc;
        let Some(paths) = file.value.get("paths").and_then(Value::as_object) else {
            return;
        };
        for (template, item) in paths {
            let item_path = JsonPath::root().key("paths").key(template);
            if item.get("$ref").is_some() {
                self.problem(
                    file,
                    &item_path,
                    "path items given by `$ref` are not supported",
                );
                continue;
            }
            let Some(item) = item.as_object() else {
                self.problem(file, &item_path, "a path item must be a mapping");
                continue;
            };
            for (method, op) in item {
                let op_path = item_path.key(method);
                if method == "parameters" {
                    self.problem(
                        file,
                        &op_path,
                        "write the parameters on each operation: path items of several groups are merged, and path-level parameters would not merge cleanly",
                    );
                    continue;
                }
                if !METHODS.contains(&method.as_str()) {
                    let known = method.starts_with("x-")
                        || ["summary", "description", "servers"].contains(&method.as_str());
                    if !known {
                        self.problem(
                            file,
                            &op_path,
                            format!("unknown key `{method}` in a path item"),
                        );
                    }
                    continue;
                }
                let at = OpSite {
                    template,
                    method,
                    item,
                    item_path: &item_path,
                    path: &op_path,
                };
                self.operation(file, &at, op);
            }
        }
    }

    fn operation(&mut self, file: &'a SpecFile, at: &OpSite<'a, '_>, op: &'a Value) {
        let path = at.path;
        let key = format!("{} {}", at.method.to_uppercase(), at.template);
        if let Some(first) = self
            .operations
            .insert(key.clone(), format!("{} {path}", file.name))
        {
            self.problem(
                file,
                path,
                format!("`{key}` is also defined at {first}; define an operation once"),
            );
        }
        self.operation_id(file, op, path);
        let interfaces = self.operation_interfaces(file, op, path);
        self.session_role(file, op, path, &interfaces);
        self.operation_tag(file, op, path);
        if let Some(security) = op.get("security")
            && security.as_array().is_none_or(|list| !list.is_empty())
        {
            self.problem(
                file,
                &path.key("security"),
                "in a group, `security` is either `[]` (the operation needs no token) or left out (it needs the interface's token)",
            );
        }
        self.parameters(file, at, op);
        if let Some(body) = op.get("requestBody") {
            let body_path = path.key("requestBody");
            if at.method == "get" {
                self.problem(
                    file,
                    &body_path,
                    "a GET operation cannot have a request body",
                );
            }
            if let Some((b_file, body, b_path)) = self.deref(file, body, &body_path) {
                self.content(b_file, body, &b_path, "request body");
            }
        }
        self.responses(file, op, &path.key("responses"));
    }

    fn operation_id(&mut self, file: &SpecFile, op: &Value, path: &JsonPath) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            self.problem(
                file,
                path,
                "missing `operationId`: it names the generated method",
            );
            return;
        };
        let id_path = path.key("operationId");
        // camelCase, or with a capital first letter where the vendor spells
        // it so (`PostSegment`): both give the same snake_case method name,
        // and a clash between two of them is reported below.
        if !id.starts_with(|c: char| c.is_ascii_alphabetic())
            || !id.chars().all(|c| c.is_ascii_alphanumeric())
        {
            self.problem(
                file,
                &id_path,
                format!("`{id}` is not camelCase letters and digits (starting with a letter)"),
            );
        }
        let method_name = naming::method_name(id);
        if CLIENT_METHODS.contains(&method_name.as_str()) {
            self.problem(
                file,
                &id_path,
                format!("`{id}` becomes the method `{method_name}`, which every `Client` (or its auth-aware wrapper) already has; choose another operationId"),
            );
        }
        let here = format!("{} {path}", file.name);
        if let Some(first) = self.operation_ids.insert(method_name.clone(), here) {
            self.problem(
                file,
                &id_path,
                format!("`{id}` becomes the method `{method_name}`, as the operation at {first} does; operationIds must be unique"),
            );
        }
    }

    /// `x-interfaces`: the interfaces serving the operation (all when absent).
    fn operation_interfaces(
        &mut self,
        file: &SpecFile,
        op: &Value,
        path: &JsonPath,
    ) -> Vec<String> {
        let known: Vec<String> = self
            .sources
            .interfaces
            .iter()
            .map(|i| i.module.clone())
            .collect();
        let Some(value) = op.get(INTERFACES_KEY) else {
            return known;
        };
        let at = path.key(INTERFACES_KEY);
        let Some(list) = value.as_array().filter(|l| !l.is_empty()) else {
            self.problem(
                file,
                &at,
                format!("`{INTERFACES_KEY}` lists the interfaces serving the operation (leave it out for all), e.g. `[enterprise]`"),
            );
            return known;
        };
        let mut out = Vec::new();
        for (i, name) in list.iter().enumerate() {
            match name.as_str() {
                Some(name) if known.iter().any(|k| k == name) => {
                    if out.iter().any(|o| o == name) {
                        self.problem(file, &at.index(i), format!("`{name}` is listed twice"));
                    }
                    out.push(name.to_owned());
                }
                _ => self.problem(
                    file,
                    &at.index(i),
                    format!(
                        "unknown interface {name}; the interfaces are {}",
                        known.join(", ")
                    ),
                ),
            }
        }
        out
    }

    /// `x-carecloud-session`: what the operation does to the client's session.
    fn session_role(
        &mut self,
        file: &SpecFile,
        op: &Value,
        path: &JsonPath,
        interfaces: &[String],
    ) {
        let Some(value) = op.get(SESSION_KEY) else {
            return;
        };
        let at = path.key(SESSION_KEY);
        let Some(role) = value.as_str().and_then(SessionRole::parse) else {
            let names: Vec<&str> = SessionRole::ALL.iter().map(|r| r.name()).collect();
            self.problem(
                file,
                &at,
                format!("unknown session role {value}; one of {}", names.join(", ")),
            );
            return;
        };
        if interfaces != [role.interface()] {
            self.problem(
                file,
                &at,
                format!(
                    "a `{}` operation belongs to the {} interface only: add `{INTERFACES_KEY}: [{}]`",
                    role.name(),
                    role.interface(),
                    role.interface()
                ),
            );
        }
        let public = op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty);
        if role.issues_token() && !public {
            self.problem(
                file,
                &at,
                format!(
                    "a `{}` operation obtains the token, so it cannot need one: add `security: []`",
                    role.name()
                ),
            );
        }
    }

    /// The operation's first tag is one of its group's tags.
    fn operation_tag(&mut self, file: &SpecFile, op: &Value, path: &JsonPath) {
        let tag = op
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str);
        let Some(tag) = tag else {
            self.problem(
                file,
                path,
                "an operation needs a tag (`tags: [<one of the group's tags>]`)",
            );
            return;
        };
        let declared = file
            .value
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|t| t.get("name").and_then(Value::as_str) == Some(tag));
        if !declared {
            self.problem(
                file,
                &path.key("tags").index(0),
                format!("tag `{tag}` is not one of this group's tags (top-level `tags`)"),
            );
        }
    }
}
