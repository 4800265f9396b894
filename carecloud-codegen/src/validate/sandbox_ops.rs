//! Each operation's `x-sandbox`: `handler`, a resource (standard list, get,
//! create, replace, delete: the kind from the method and path, the parents
//! from the path parameters, the record's body field from the body schema,
//! the filters from the query parameters), or an engine (`sandbox_steps`).

use serde_json::Value;

use super::sandbox::{Decls, KEY};
use super::sandbox_expr::Scope;
use super::sandbox_schema::{Node, split_path};
use crate::json_path::JsonPath;
use crate::load::Sources;
use crate::model::sandbox::{Arg, Expr, Hook, Kind, Parent, Rel, Serve, Standard, boxed};
use crate::model::{Location, Operation};
use crate::naming;

impl<'a> Decls<'a> {
    /// How each operation is served, in operation order.
    pub(super) fn operations(&mut self, sources: &'a Sources) -> Vec<(String, Serve)> {
        let api = self.cx.api;
        let mut out = Vec::new();
        for op in &api.operations {
            let Some(group) = sources.groups.iter().find(|g| g.name == op.group) else {
                continue;
            };
            self.cx.file = group.doc.name.clone();
            let path = JsonPath::root().key("paths").key(&op.path).key(&op.method);
            let value = group.doc.value.pointer(&format!(
                "/paths/{}/{}/{KEY}",
                op.path.replace('~', "~0").replace('/', "~1"),
                op.method
            ));
            let variant = naming::type_name(&op.operation_id);
            let Some(value) = value else {
                if !declares(&group.doc.value) {
                    out.push((variant, Serve::Handler));
                    continue;
                }
                let at = Node::new(&Value::Null, path);
                self.cx.problem(&at, format!("`{}` says nothing of how the sandbox serves it: add `{KEY}: <resource>` (a standard operation on a declared resource), an engine, or `{KEY}: handler` (see docs/sandbox.md)", op.operation_id));
                continue;
            };
            let node = Node::new(value, path.key(KEY));
            out.push((variant, self.serve(&node, op)));
        }
        out
    }

    fn serve(&mut self, node: &Node<'a>, op: &'a Operation) -> Serve {
        // The query parameters an expression reads are this operation's.
        self.used_query.clear();
        match node.value {
            Value::String(text) if text == "handler" => Serve::Handler,
            Value::String(_) => self.standard(node, node, op),
            Value::Object(map) => {
                let scope = op_scope(op);
                if map.contains_key("resource") {
                    self.standard(node, &node.get("resource"), op)
                } else if map.contains_key("ledger") {
                    self.ledger_op(node, op)
                } else if let Some(action) = node.opt("action") {
                    self.action(&action, op, scope)
                } else if let Some(view) = node.opt("view") {
                    self.view(&view, op, scope)
                } else if let Some(batch) = node.opt("batch") {
                    self.batch(&batch, op, scope)
                } else {
                    self.cx.problem(node, "expected `handler`, a resource name, or one of `resource`, `ledger`, `action`, `view`, `batch`");
                    Serve::Handler
                }
            }
            _ => {
                self.cx
                    .problem(node, "expected `handler`, a resource name or a mapping");
                Serve::Handler
            }
        }
    }

    fn standard(&mut self, node: &Node<'a>, name: &Node<'a>, op: &'a Operation) -> Serve {
        if node.value.is_object() {
            let allowed = [
                "resource", "parents", "body", "set", "filters", "unnest", "keep", "order", "omit",
                "customer", "after",
            ];
            self.cx.mapping(node, &allowed);
        }
        let resource = self.resource_name(name);
        let segments: Vec<&str> = op.path.trim_matches('/').split('/').collect();
        let last_param = segments
            .last()
            .and_then(|s| s.strip_prefix('{')?.strip_suffix('}'));
        let kind = match (op.method.as_str(), last_param.is_some()) {
            ("get", false) => Kind::List,
            ("post", false) => Kind::Create,
            ("get", true) => Kind::Get,
            ("put", true) => Kind::Replace,
            ("delete", true) => Kind::Delete,
            _ => {
                self.cx.problem(node, format!("{} {} is no standard operation (a list or create without an ID parameter last, a get, replace or delete with one): declare an engine", op.method.to_uppercase(), op.path));
                Kind::Get
            }
        };
        let id_param = last_param.filter(|_| kind != Kind::List && kind != Kind::Create);
        let parents = self.parents(node, op, Some(&resource), id_param);
        let mut scope = op_scope(op);
        scope.record = Some(resource.clone());
        let body = match kind {
            Kind::Create | Kind::Replace => self.body_field(node, op, &resource),
            _ => None,
        };
        let before = self.used_query.len();
        let list = (kind == Kind::List).then(|| boxed(self.list(node, op, &resource, &scope)));
        self.used_query.truncate(before);
        if let Some(at) = node.opt("customer")
            && list.is_none()
        {
            self.cx.problem(&at, "`customer` is for lists");
        }
        let after = node.opt("after").map(|a| match a.value.as_str() {
            Some("credentials") => Hook::Credentials,
            _ => {
                self.cx.problem(&a, "the only hook is `credentials`");
                Hook::Credentials
            }
        });
        Serve::Standard(boxed(Standard {
            resource,
            kind,
            id_param: id_param.map(str::to_owned),
            parents: parents.into(),
            body,
            set: self.fields(&node.get("set"), &scope),
            list,
            after,
        }))
    }

    /// The body field whose schema is the resource's record schema.
    fn body_field(&mut self, node: &Node<'a>, op: &Operation, resource: &str) -> Option<String> {
        if let Some(declared) = node.opt("body") {
            return Some(self.cx.text(&declared));
        }
        let record = self.resources.get(resource)?.schema.clone();
        let body = op.body.clone()?;
        if body == record {
            return None;
        }
        let wanted = format!("#/components/schemas/{record}");
        let properties = self.cx.schema(&body)?.get("properties")?.as_object()?;
        let found = properties
            .iter()
            .find(|(_, p)| p.get("$ref").and_then(Value::as_str) == Some(wanted.as_str()));
        match found {
            Some((name, _)) => Some(name.clone()),
            None => {
                self.cx.problem(node, format!("the request body {body} has no field of schema {record}: say which field holds the record (`body: <field>`)"));
                None
            }
        }
    }

    /// The path parameters before the record's own: each names a record of
    /// a collection (`of`) the listed records are under.
    pub(super) fn parents(
        &mut self,
        node: &Node<'a>,
        op: &Operation,
        resource: Option<&str>,
        id_param: Option<&str>,
    ) -> Vec<Parent> {
        let declared = node.get("parents");
        let mut out = Vec::new();
        for param in op.params.iter().filter(|p| p.location == Location::Path) {
            if Some(param.name.as_str()) == id_param {
                continue;
            }
            let spec = declared.opt(&param.name);
            let at = spec.clone().unwrap_or_else(|| node.clone());
            let of_declared = spec
                .as_ref()
                .and_then(|s| s.opt("of"))
                .map(|o| self.resource_name(&o));
            let field = match spec.as_ref().map(|s| s.value) {
                Some(Value::String(path)) => Some(split_path(path)),
                Some(Value::Object(map)) if map.contains_key("field") => {
                    Some(split_path(map["field"].as_str().unwrap_or_default()))
                }
                Some(Value::Object(_)) => None,
                _ => Some(vec![param.name.clone()]),
            };
            let by_ref = field.as_ref().and_then(|f| {
                let info = self.resources.get(resource?)?;
                info.refs
                    .iter()
                    .find(|(p, _)| p == f)
                    .map(|(_, to)| to.clone())
            });
            let by_id = self
                .resources
                .iter()
                .find(|(_, i)| i.id == param.name)
                .map(|(n, _)| n.clone());
            let Some(of) = of_declared.or(by_ref).or(by_id) else {
                self.cx.problem(&at, format!("the path parameter `{}` names no declared resource's ID: say which (`parents: {{{}: {{of: <resource>}}}}`)", param.name, param.name));
                continue;
            };
            let rel = match (spec.as_ref(), field) {
                (Some(s), None) if s.opt("from").is_some() => {
                    self.cx.mapping(s, &["of", "from", "on", "take"]);
                    let from = split_path(&self.cx.text(&s.get("from")));
                    self.check_fields(&s.get("from"), &of, &from);
                    let on = self.cx.text(&s.get("on"));
                    let take = s
                        .get("take")
                        .entries()
                        .into_iter()
                        .map(|(k, v)| {
                            (
                                k.to_owned(),
                                v.value.as_str().unwrap_or_default().to_owned(),
                            )
                        })
                        .collect::<Vec<_>>();
                    Rel::Items {
                        from: from.into(),
                        on,
                        take: take.into(),
                    }
                }
                (Some(s), None) => {
                    self.cx.mapping(s, &["of"]);
                    Rel::Exists
                }
                (_, Some(field)) => {
                    if let Some(resource) = resource {
                        self.check_fields(&at, resource, &field);
                    }
                    Rel::Field(field.into())
                }
                (None, None) => Rel::Exists,
            };
            out.push(Parent {
                param: param.name.clone(),
                of,
                rel,
            });
        }
        for (param, at) in declared.entries() {
            if !op
                .params
                .iter()
                .any(|p| p.name == param && p.location == Location::Path)
            {
                self.cx.problem(
                    &at,
                    format!("`{param}` is not a path parameter of `{}`", op.operation_id),
                );
            }
        }
        out
    }

    /// `$query.customer_id`, or `{value: expr, name: field}`: the customer
    /// an operation is about (named by `name` in errors).
    pub(super) fn arg(&mut self, node: &Node<'a>, scope: &Scope<'a>) -> Arg {
        if node.value.is_object() && node.value.get("value").is_some() {
            self.cx.mapping(node, &["value", "name"]);
            return Arg {
                value: self.expr(&node.get("value"), scope),
                name: self.cx.text(&node.get("name")),
            };
        }
        let value = self.expr(node, scope);
        let name = match &value {
            Expr::Ref(_, path) if !path.0.is_empty() => path.0[path.0.len() - 1].clone(),
            _ => {
                self.cx
                    .problem(node, "name the field (`{value: .., name: ..}`)");
                String::new()
            }
        };
        Arg { value, name }
    }
}

/// Whether a group document declares anything for the sandbox.
fn declares(doc: &Value) -> bool {
    doc.get(KEY).is_some()
        || doc
            .get("paths")
            .and_then(Value::as_object)
            .is_some_and(|paths| {
                paths
                    .values()
                    .filter_map(Value::as_object)
                    .any(|item| item.values().any(|op| op.get(KEY).is_some()))
            })
}

/// What an operation's expressions may refer to.
pub(super) fn op_scope<'a>(op: &Operation) -> Scope<'a> {
    let names = |location: Location| {
        op.params
            .iter()
            .filter(|p| p.location == location)
            .map(|p| p.name.clone())
            .collect()
    };
    Scope {
        body: op.body.clone(),
        params: names(Location::Path),
        query: names(Location::Query),
        ..Scope::default()
    }
}
