//! Record selections (`{resource, where, keep, order}`), declared errors
//! (`fail`) and the schema paths declarations name.

use super::sandbox::Decls;
use super::sandbox_expr::Scope;
use super::sandbox_schema::{Node, split_path};
use crate::model::sandbox::{Fail, Match, Select, Slice};

impl<'a> Decls<'a> {
    /// `{resource, where: {path: expr | null}, keep, order}`; `id` (in a
    /// find) is `where: {<id field>: expr}`.
    pub(super) fn select(
        &mut self,
        node: &Node<'_>,
        scope: &Scope<'a>,
        key: Option<&str>,
    ) -> Select {
        let resource_node = match key {
            Some(key) => node.get(key),
            None => {
                self.cx
                    .mapping(node, &["resource", "id", "where", "keep", "order"]);
                node.get("resource")
            }
        };
        let resource = self.resource_name(&resource_node);
        let mut matching = Vec::new();
        if let Some(id) = node.opt("id") {
            let field = self
                .resources
                .get(&resource)
                .map(|r| r.id.clone())
                .unwrap_or_default();
            matching.push((Slice(vec![field]), Match::Is(self.expr(&id, scope))));
        }
        for (path, value) in node.get("where").entries() {
            let fields = split_path(path);
            self.check_fields(&value, &resource, &fields);
            let matched = if value.value.is_null() {
                Match::Empty
            } else {
                Match::Is(self.expr(&value, scope))
            };
            matching.push((fields.into(), matched));
        }
        let inner = Scope {
            it: Some(resource.clone()),
            ..scope.clone()
        };
        let keep = node.opt("keep").map(|k| self.expr(&k, &inner));
        let order = node.opt("order").map(|o| {
            let field = self.cx.text(&o);
            self.check_fields(&o, &resource, std::slice::from_ref(&field));
            field
        });
        Select {
            resource,
            matching: matching.into(),
            keep,
            order,
        }
    }

    /// `{reason, name, value, message}`.
    pub(super) fn fail(&mut self, node: &Node<'_>, scope: &Scope<'a>) -> Fail {
        self.cx
            .mapping(node, &["reason", "name", "value", "message"]);
        let reason = self.cx.text(&node.get("reason"));
        let name = self.cx.text(&node.get("name"));
        let message = match node.opt("message") {
            Some(m) => self.cx.text(&m),
            None => format!("`{name}`: {}", reason.replace('_', " ")),
        };
        Fail {
            value: node.opt("value").map(|v| self.expr(&v, scope)),
            reason,
            name,
            message,
        }
    }

    /// The field `node.key` names (`default` if absent), a field of the
    /// records of `resource`.
    pub(super) fn field_at(
        &mut self,
        node: &Node<'_>,
        key: &str,
        resource: &str,
        default: Option<&str>,
    ) -> String {
        let at = node.get(key);
        let text = match (at.value.as_str(), default) {
            (Some(t), _) => t.to_owned(),
            (None, Some(d)) => d.to_owned(),
            (None, None) => self.cx.text(&at),
        };
        self.check_fields(&at, resource, std::slice::from_ref(&text));
        text
    }

    /// A problem unless `path` is a field of `schema`.
    pub(super) fn check_schema_path(
        &mut self,
        node: &Node<'_>,
        schema: &str,
        path: &[String],
        what: &str,
    ) {
        let found = self.cx.schema(schema).and_then(|s| self.cx.walk(s, path));
        if found.is_none() {
            self.cx.problem(
                node,
                format!("{what} ({schema}) has no field `{}`", path.join(".")),
            );
        }
    }

    /// A problem unless `path` is a field of the records of `resource`
    /// (its schema's, or one of its hidden fields).
    pub(super) fn check_fields(&mut self, node: &Node<'_>, resource: &str, path: &[String]) {
        let Some(info) = self.resources.get(resource) else {
            return; // reported where the resource is named
        };
        let hidden = path
            .first()
            .is_some_and(|f| info.hidden.iter().any(|h| h == f.trim_end_matches("[]")));
        if path.is_empty() || hidden {
            return;
        }
        let schema = info.schema.clone();
        self.check_schema_path(node, &schema, path, &format!("a record of `{resource}`"));
    }
}
