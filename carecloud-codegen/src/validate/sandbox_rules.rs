//! A resource's rules on the records written to it: unique fields, a
//! reservable capacity, a field's declared state moves.

use serde_json::Value;

use super::sandbox::Decls;
use super::sandbox_expr::Scope;
use super::sandbox_schema::{Node, split_path};
use crate::model::sandbox::{Capacity, Expr, Fail, Root, Slice, States, Unique};

impl<'a> Decls<'a> {
    /// `field`, or `{fields: [..], among: expr, reason, name, message}`.
    pub(super) fn unique(&mut self, resource: &str, node: &Node<'a>) -> Unique {
        let record = Scope {
            record: Some(resource.to_owned()),
            ..Scope::default()
        };
        let (fields, among, fail_node) = match node.value {
            Value::String(field) => (vec![field.clone()], None, None),
            _ => {
                self.cx
                    .mapping(node, &["fields", "among", "reason", "name", "message"]);
                let it = Scope {
                    it: Some(resource.to_owned()),
                    ..record.clone()
                };
                let among = node.opt("among").map(|a| self.expr(&a, &it));
                (self.cx.texts(&node.get("fields")), among, Some(node))
            }
        };
        let paths: Vec<Vec<String>> = fields.iter().map(|f| split_path(f)).collect();
        for path in &paths {
            self.check_fields(node, resource, path);
        }
        let last = paths
            .first()
            .and_then(|p| p.last())
            .cloned()
            .unwrap_or_default();
        let text = |this: &mut Self, key: &str, default: String| {
            fail_node
                .and_then(|n| n.opt(key))
                .map_or(default, |v| this.cx.text(&v))
        };
        let reason = text(self, "reason", "already_exists".into());
        let name = text(self, "name", last);
        let message = text(self, "message", format!("Another record has this {name}"));
        Unique {
            fields: Slice(paths.into_iter().map(Slice).collect()),
            among,
            fail: crate::model::sandbox::Fail {
                reason,
                name,
                value: None,
                message,
            },
        }
    }

    pub(super) fn capacity(&mut self, resource: &str, node: &Node<'a>) -> Capacity {
        self.cx
            .mapping(node, &["slots", "slot", "limit", "amount", "holds", "fail"]);
        let slots = self.resource_name(&node.get("slots"));
        let slot = split_path(&self.cx.text(&node.get("slot")));
        self.check_fields(&node.get("slot"), resource, &slot);
        let limit = self.cx.text(&node.get("limit"));
        self.check_fields(&node.get("limit"), &slots, std::slice::from_ref(&limit));
        let amount = node.opt("amount").map(|a| self.cx.text(&a));
        if let Some(amount) = &amount {
            self.check_fields(&node.get("amount"), resource, std::slice::from_ref(amount));
        }
        let it = Scope {
            it: Some(resource.to_owned()),
            ..Scope::default()
        };
        Capacity {
            slots,
            slot: slot.into(),
            limit,
            amount,
            holds: self.expr(&node.get("holds"), &it),
            fail: self.fail(&node.get("fail"), &Scope::default()),
        }
    }

    /// `{field, initial: [..], moves: {from: [to, ..]}, fail}`; the values
    /// named must be in the field's `enum` where the schema has one.
    pub(super) fn states(&mut self, resource: &str, node: &Node<'a>) -> States {
        self.cx
            .mapping(node, &["field", "initial", "moves", "fail"]);
        let field = self.cx.text(&node.get("field"));
        self.check_fields(&node.get("field"), resource, std::slice::from_ref(&field));
        let schema = self.resources.get(resource).map(|i| i.schema.clone());
        let values: Option<Vec<String>> = schema
            .and_then(|s| self.cx.schema(&s))
            .and_then(|s| self.cx.walk(s, std::slice::from_ref(&field)))
            .and_then(|f| self.cx.deref(f).get("enum"))
            .and_then(Value::as_array)
            .map(|e| {
                e.iter()
                    .map(|v| v.as_str().map_or(v.to_string(), str::to_owned))
                    .collect()
            });
        let named = |this: &mut Self, at: &Node<'_>, list: Vec<String>| {
            for value in &list {
                if values.as_ref().is_some_and(|v| !v.contains(value)) {
                    this.cx
                        .problem(at, format!("`{value}` is not a value of `{field}`"));
                }
            }
            Slice(list)
        };
        let initial = self.cx.texts(&node.get("initial"));
        let initial = named(self, &node.get("initial"), initial);
        let mut moves = Vec::new();
        for (from, to) in node.get("moves").entries() {
            named(self, &to, vec![from.to_owned()]);
            let to_values = self.cx.texts(&to);
            moves.push((from.to_owned(), named(self, &to, to_values)));
        }
        let record = Scope {
            record: Some(resource.to_owned()),
            ..Scope::default()
        };
        let value = Expr::Ref(Root::Record, Slice(vec![field.clone()]));
        let fail = match node.opt("fail") {
            Some(f) => {
                let fail = self.fail(&f, &record);
                Fail {
                    value: fail.value.or(Some(value)),
                    ..fail
                }
            }
            None => Fail {
                reason: "not_allowed_value".into(),
                name: field.clone(),
                value: Some(value),
                message: format!("`{field}` cannot move from its value to this one"),
            },
        };
        States {
            field,
            initial,
            moves: Slice(moves),
            fail,
        }
    }
}
