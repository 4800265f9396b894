//! The engines an operation's `x-sandbox` can name besides a resource:
//! `ledger` (one verb of a ledger), `action` (steps under the state lock),
//! `view` (an aggregate of a customer's records) and `batch` (records of a
//! body array through steps, by `error_processing`).

use super::sandbox::Decls;
use super::sandbox_expr::Scope;
use super::sandbox_schema::{Node, split_path};
use crate::model::Operation;
use crate::model::sandbox::{
    Action, Check, Create, Do, Expr, Find, LedgerOp, LedgerStep, Serve, Slice, Step, Update,
    UpdateAll, Verb, boxed,
};

/// The verbs an operation can be; `use` and `charge` are steps of actions.
const OPERATION_VERBS: &[Verb] = &[
    Verb::Earn,
    Verb::Spend,
    Verb::Transfer,
    Verb::Sync,
    Verb::Reserve,
    Verb::Release,
];

impl<'a> Decls<'a> {
    pub(super) fn ledger_op(&mut self, node: &Node<'a>, op: &Operation) -> Serve {
        self.cx.mapping(node, &["ledger", "do"]);
        let ledger = self.ledger_name(&node.get("ledger"));
        let verb = self.verb(&node.get("do"));
        if !OPERATION_VERBS.contains(&verb) {
            self.cx.problem(
                &node.get("do"),
                "an operation can earn, spend, transfer, sync, reserve or release",
            );
        }
        if let Some(body) = self.ledger_bodies.get(&ledger).cloned() {
            let needs: &[&str] = match verb {
                Verb::Transfer => &[&body.from, &body.to, &body.amount],
                Verb::Reserve => &[&body.account, &body.key, &body.amount],
                Verb::Release => &[&body.key],
                _ => &[&body.account, &body.amount],
            };
            let schema = op.body.clone().unwrap_or_default();
            for field in needs {
                self.check_schema_path(node, &schema, &[(*field).to_owned()], "the request body");
            }
        }
        let lots = self.ledgers.get(&ledger).cloned().unwrap_or_default();
        let reply = op.response.as_ref().map(|response| {
            let id = self
                .resources
                .get(&lots)
                .map(|i| i.id.clone())
                .unwrap_or_default();
            self.reply_field(node, response, &id);
            id
        });
        Serve::Ledger(LedgerOp {
            ledger,
            verb,
            status: status(op),
            reply,
        })
    }

    fn verb(&mut self, node: &Node<'_>) -> Verb {
        let text = self.cx.text(node);
        match Verb::ALL.iter().find(|(n, _)| *n == text) {
            Some((_, verb)) => *verb,
            None => {
                self.cx.problem(node, format!("unknown verb `{text}`"));
                Verb::Earn
            }
        }
    }

    /// A problem unless the response's `data` has `field`.
    pub(super) fn reply_field(&mut self, node: &Node<'_>, response: &str, field: &str) {
        let found = self
            .cx
            .data_of(response)
            .and_then(|d| self.cx.walk(d, &[field.to_owned()]));
        if found.is_none() {
            self.cx.problem(
                node,
                format!("the reply ({response}) has no `data.{field}`"),
            );
        }
    }

    pub(super) fn action(
        &mut self,
        node: &Node<'a>,
        op: &Operation,
        mut scope: Scope<'a>,
    ) -> Serve {
        self.cx.mapping(node, &["customer", "steps", "reply"]);
        let customer = node.opt("customer").map(|c| self.arg(&c, &scope));
        scope.customer = customer.is_some();
        let steps = self.steps(&node.get("steps"), &mut scope);
        let reply = match (&op.response, node.opt("reply")) {
            (Some(response), Some(reply)) => {
                for (field, _) in reply.entries() {
                    self.reply_field(&reply, response, field);
                }
                Some(self.fields(&reply, &scope))
            }
            (None, None) => None,
            (Some(_), None) => {
                self.cx.problem(
                    node,
                    format!(
                        "`{}` answers a body: give its `reply` fields",
                        op.operation_id
                    ),
                );
                None
            }
            (None, Some(reply)) => {
                self.cx
                    .problem(&reply, format!("`{}` answers no body", op.operation_id));
                None
            }
        };
        Serve::Action(boxed(Action {
            customer,
            steps,
            reply,
            status: status(op),
        }))
    }

    pub(super) fn steps(&mut self, node: &Node<'a>, scope: &mut Scope<'a>) -> Slice<Step> {
        if !node.value.is_array() && !node.value.is_null() {
            self.cx.problem(node, "expected a list of steps");
        }
        Slice(
            node.items()
                .iter()
                .filter_map(|s| self.step(s, scope))
                .collect(),
        )
    }

    fn step(&mut self, node: &Node<'a>, scope: &mut Scope<'a>) -> Option<Step> {
        const KINDS: &[(&str, &[&str])] = &[
            (
                "find",
                &["id", "where", "keep", "as", "mine", "optional", "missing"],
            ),
            ("require", &["fail"]),
            ("create", &["set", "record", "upsert", "as"]),
            ("update", &["set"]),
            ("update_all", &["where", "keep", "set"]),
            ("remove", &["where", "keep", "none"]),
            ("each", &["steps"]),
            (
                "ledger",
                &["do", "customer", "amount", "key", "note", "fail", "as"],
            ),
        ];
        let map = node.value.as_object()?;
        let Some((kind, extra)) = KINDS.iter().find(|(k, _)| map.contains_key(*k)) else {
            self.cx.problem(
                node,
                "a step is one of find, require, create, update, update_all, remove, each, ledger",
            );
            return None;
        };
        let mut allowed = vec![*kind, "when"];
        allowed.extend_from_slice(extra);
        self.cx.mapping(node, &allowed);
        let when = node.opt("when").map(|w| self.expr(&w, scope));
        let bind = node.opt("as").map(|a| self.cx.text(&a));
        let does = match *kind {
            "find" => {
                let select = self.select(node, scope, Some("find"));
                let missing = node.opt("missing").map(|m| self.fail(&m, scope));
                let flag = |key: &str| node.get(key).value.as_bool().unwrap_or(false);
                let (mine, optional) = (flag("mine"), flag("optional"));
                let bind = bind.unwrap_or_else(|| select.resource.clone());
                scope
                    .bound
                    .push((bind.clone(), Some(select.resource.clone())));
                Do::Find(Find {
                    select,
                    bind,
                    mine,
                    optional,
                    missing,
                })
            }
            "require" => Do::Require(Check {
                require: self.expr(&node.get("require"), scope),
                fail: self.fail(&node.get("fail"), scope),
            }),
            "create" => {
                let resource = self.resource_name(&node.get("create"));
                let record = match node.opt("record") {
                    Some(record) => self.expr(&record, scope),
                    None => {
                        for (field, at) in node.get("set").entries() {
                            self.check_fields(&at, &resource, &split_path(field));
                        }
                        Expr::Object(self.fields(&node.get("set"), scope))
                    }
                };
                let upsert = node.get("upsert").value.as_bool().unwrap_or(false);
                if let Some(bind) = &bind {
                    scope.bound.push((bind.clone(), Some(resource.clone())));
                }
                Do::Create(Create {
                    resource,
                    record,
                    upsert,
                    bind,
                })
            }
            "update" => {
                let bind = self.cx.text(&node.get("update"));
                let resource = scope
                    .bound
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == bind)
                    .and_then(|(_, r)| r.clone());
                match &resource {
                    Some(resource) => {
                        for (field, at) in node.get("set").entries() {
                            self.check_fields(&at, resource, &split_path(field));
                        }
                    }
                    None => self.cx.problem(
                        &node.get("update"),
                        format!("no record is bound as `{bind}` by an earlier step"),
                    ),
                }
                Do::Update(Update {
                    set: self.fields(&node.get("set"), scope),
                    resource: resource.unwrap_or_default(),
                    bind,
                })
            }
            "update_all" => {
                let select = self.select(node, scope, Some("update_all"));
                let inner = Scope {
                    record: Some(select.resource.clone()),
                    ..scope.clone()
                };
                Do::UpdateAll(UpdateAll {
                    set: self.fields(&node.get("set"), &inner),
                    select,
                })
            }
            "remove" => {
                let select = self.select(node, scope, Some("remove"));
                let none = node.opt("none").map(|n| self.fail(&n, scope));
                Do::Remove { select, none }
            }
            "each" => {
                let items = self.expr(&node.get("each"), scope);
                let mut inner = scope.clone();
                inner.item = self.items_schema(&items, scope);
                Do::Each {
                    items,
                    steps: self.steps(&node.get("steps"), &mut inner),
                }
            }
            _ => {
                let ledger = self.ledger_name(&node.get("ledger"));
                let verb = self.verb(&node.get("do"));
                let step = Do::Ledger(LedgerStep {
                    customer: self.expr(&node.get("customer"), scope),
                    amount: self.expr(&node.get("amount"), scope),
                    key: self.expr(&node.get("key"), scope),
                    note: self.expr(&node.get("note"), scope),
                    fail: node.opt("fail").map(|f| self.fail(&f, scope)),
                    bind: bind.clone(),
                    ledger,
                    verb,
                });
                if let Some(bind) = bind {
                    scope.bound.push((bind, None));
                }
                step
            }
        };
        Some(Step { when, does })
    }

    /// The schema of the items of `$body.<array>`, if that is what `items` is.
    fn items_schema(&self, items: &Expr, scope: &Scope<'a>) -> Option<&'a serde_json::Value> {
        if let Expr::Children(select) = items {
            let schema = &self.resources.get(&select.0.resource)?.schema;
            return self.cx.schema(schema);
        }
        let Expr::Ref(crate::model::sandbox::Root::Body, path) = items else {
            return None;
        };
        let mut path = path.0.clone();
        let last = path.pop()?;
        path.push(format!("{last}[]"));
        self.cx.walk(self.cx.schema(scope.body.as_deref()?)?, &path)
    }
}

/// The operation's documented success status.
fn status(op: &Operation) -> u16 {
    op.success.first().copied().unwrap_or(200)
}
