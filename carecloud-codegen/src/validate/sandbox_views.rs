//! The `view` (an aggregate of a customer's records) and `batch` (the
//! records of a body array through steps, by `error_processing`) engines.

use super::sandbox::Decls;
use super::sandbox_expr::Scope;
use super::sandbox_ops::op_scope;
use super::sandbox_schema::{Node, split_path};
use crate::model::Operation;
use crate::model::sandbox::{Batch, Match, Serve, Slice, View, ViewKind, boxed};

impl<'a> Decls<'a> {
    pub(super) fn view(&mut self, node: &Node<'a>, op: &Operation, scope: Scope<'a>) -> Serve {
        self.cx.mapping(
            node,
            &[
                "customer", "range", "filter", "extra", "totals", "expiry", "sum",
            ],
        );
        let customer = self.arg(&node.get("customer"), &scope);
        let response = op.response.clone().unwrap_or_default();
        let name = |this: &mut Self, at: &Node<'_>| {
            let text = this.cx.text(at);
            this.reply_field(at, &response, &text);
            text
        };
        let range = node.opt("range").map(|r| {
            self.cx.mapping(&r, &["field", "from", "to"]);
            let mut param = |key: &str| {
                let text = self.cx.text(&r.get(key));
                if !scope.query.contains(&text) {
                    self.cx
                        .problem(&r.get(key), format!("`{text}` is not a query parameter"));
                }
                self.used_query.push(text.clone());
                text
            };
            let (from, to) = (param("from"), param("to"));
            (self.cx.text(&r.get("field")), from, to)
        });
        let filter = node
            .get("filter")
            .entries()
            .into_iter()
            .map(|(path, value)| {
                (
                    Slice(split_path(path)),
                    Match::Is(self.expr(&value, &scope)),
                )
            })
            .collect::<Vec<_>>();
        let kind = if let Some(t) = node.opt("totals") {
            self.cx
                .mapping(&t, &["ledger", "earned", "redeemed", "available", "split"]);
            let names = ["earned", "redeemed", "available"].map(|k| name(self, &t.get(k)));
            let split = t.opt("split").map(|s| {
                self.cx.mapping(&s, &["by", "into"]);
                (self.cx.text(&s.get("by")), name(self, &s.get("into")))
            });
            ViewKind::Totals {
                ledger: self.ledger_name(&t.get("ledger")),
                names,
                split,
            }
        } else if let Some(e) = node.opt("expiry") {
            self.cx.mapping(&e, &["ledger", "amount", "date", "month"]);
            let names = ["amount", "date", "month"].map(|k| name(self, &e.get(k)));
            ViewKind::Expiry {
                ledger: self.ledger_name(&e.get("ledger")),
                names,
            }
        } else {
            let s = node.get("sum");
            self.cx
                .mapping(&s, &["resource", "value", "by", "into", "names"]);
            let resource = self.resource_name(&s.get("resource"));
            let (value, by) = (self.cx.text(&s.get("value")), self.cx.text(&s.get("by")));
            for (field, key) in [(&value, "value"), (&by, "by")] {
                self.check_fields(&s.get(key), &resource, std::slice::from_ref(field));
            }
            let names = s.get("names");
            ViewKind::SumBy {
                into: name(self, &s.get("into")),
                names: [
                    self.cx.text(&names.get("by")),
                    self.cx.text(&names.get("value")),
                ],
                resource,
                value,
                by,
            }
        };
        let extra = self.fields(&node.get("extra"), &scope);
        Serve::View(boxed(View {
            customer,
            range,
            filter: filter.into(),
            kind,
            extra,
        }))
    }

    pub(super) fn batch(&mut self, node: &Node<'a>, op: &Operation, scope: Scope<'a>) -> Serve {
        self.cx
            .mapping(node, &["items", "mode", "report", "parents", "steps"]);
        let items = self.cx.text(&node.get("items"));
        let mode = node
            .opt("mode")
            .map_or_else(|| "error_processing".to_owned(), |m| self.cx.text(&m));
        let body = scope.body.clone().unwrap_or_default();
        for field in [&items, &mode] {
            self.check_schema_path(node, &body, std::slice::from_ref(field), "the request body");
        }
        let parents = self.parents(node, op, None, None);
        let mut inner = op_scope(op);
        inner.item = self
            .cx
            .schema(&body)
            .and_then(|b| self.cx.walk(b, &[format!("{items}[]")]));
        let steps = self.steps(&node.get("steps"), &mut inner);
        Serve::Batch(boxed(Batch {
            report: node.get("report").value.as_bool().unwrap_or(true),
            parents: parents.into(),
            items,
            mode,
            steps,
        }))
    }
}
