//! Expressions, record selections and errors of `x-sandbox` declarations,
//! checked against what is in scope: `$body.x` must be a field of the
//! request body, `$param.x` a path parameter, `$record.x` a field of the
//! resource being written, `$voucher.x` of what a step bound as `voucher`.

use serde_json::Value;

use super::sandbox::Decls;
use super::sandbox_schema::{Node, split_path};
use crate::model::sandbox::{Arith, Cmp, Expr, Root, Slice, boxed};

/// What an expression may refer to.
#[derive(Clone, Default)]
pub(super) struct Scope<'a> {
    /// The request body's schema.
    pub(super) body: Option<String>,
    pub(super) params: Vec<String>,
    pub(super) query: Vec<String>,
    pub(super) customer: bool,
    /// The resource `$record` is a record of.
    pub(super) record: Option<String>,
    /// The resource `$it` is a record of.
    pub(super) it: Option<String>,
    /// The schema of `$item`.
    pub(super) item: Option<&'a Value>,
    /// Names bound by earlier steps: the resource of the record, or `None`
    /// for a plain value.
    pub(super) bound: Vec<(String, Option<String>)>,
}

const FUNCTIONS: &[&str] = &[
    "or",
    "object",
    "merge",
    "first",
    "pick",
    "without",
    "concat",
    "initial",
    "reverse",
    "contains",
    "upper",
    "datetime",
    "period_end",
    "if",
    "map",
    "not",
    "all",
    "any",
    "empty",
    "present",
    "flag",
    "valid",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "in",
    "count",
    "exists",
    "children",
    "for",
    "lookup",
    "balance",
    "left",
    "new_id",
    "add",
    "sub",
    "mul",
    "div",
    "min",
    "max",
    "floor",
    "sum",
];

/// The comparisons and arithmetic, by name.
const CMP: [(&str, Cmp); 6] = [
    ("eq", Cmp::Eq),
    ("ne", Cmp::Ne),
    ("lt", Cmp::Lt),
    ("le", Cmp::Le),
    ("gt", Cmp::Gt),
    ("ge", Cmp::Ge),
];
const ARITH: [(&str, Arith); 6] = [
    ("add", Arith::Add),
    ("sub", Arith::Sub),
    ("mul", Arith::Mul),
    ("div", Arith::Div),
    ("min", Arith::Min),
    ("max", Arith::Max),
];

fn lit(value: &Value) -> Expr {
    Expr::Lit(value.to_string())
}

impl<'a> Decls<'a> {
    /// An expression (see `docs/sandbox.md`).
    pub(super) fn expr(&mut self, node: &Node<'_>, scope: &Scope<'a>) -> Expr {
        match node.value {
            Value::String(text) if text.starts_with('$') => {
                let mut alternatives: Vec<Expr> = text
                    .split('|')
                    .map(|part| match part.strip_prefix('$') {
                        Some(reference) => self.reference(node, reference, scope),
                        None => serde_json::from_str::<Value>(part)
                            .map_or_else(|_| Expr::Lit(Value::from(part).to_string()), |v| lit(&v)),
                    })
                    .collect();
                match alternatives.len() {
                    1 => alternatives.remove(0),
                    _ => Expr::Or(alternatives.into()),
                }
            }
            Value::Array(_) => Expr::Array(self.exprs(node, scope)),
            Value::Object(map) if map.len() == 1 => {
                let (name, args) = node.entries().remove(0);
                self.function(node, name, &args, scope)
            }
            Value::Object(_) => {
                self.cx.problem(node, "a function is a mapping with one key (`{concat: [..]}`); write an object as `{object: {..}}`");
                Expr::Lit("null".into())
            }
            other => lit(other),
        }
    }

    fn exprs(&mut self, node: &Node<'_>, scope: &Scope<'a>) -> Slice<Expr> {
        if !node.value.is_array() {
            self.cx.problem(node, "expected a list of expressions");
        }
        Slice(node.items().iter().map(|n| self.expr(n, scope)).collect())
    }

    /// `n` expressions given as a list.
    fn args<const N: usize>(&mut self, node: &Node<'_>, scope: &Scope<'a>) -> [Expr; N] {
        let items = node.items();
        if items.len() != N {
            self.cx
                .problem(node, format!("expected a list of {N} expressions"));
        }
        std::array::from_fn(|i| {
            items
                .get(i)
                .map_or(Expr::Lit("null".into()), |n| self.expr(n, scope))
        })
    }

    /// `{object: {field: expr}}` and the `set:` mappings of steps.
    pub(super) fn fields(&mut self, node: &Node<'_>, scope: &Scope<'a>) -> Slice<(String, Expr)> {
        if !node.value.is_object() && !node.value.is_null() {
            self.cx
                .problem(node, "expected a mapping of fields to expressions");
        }
        Slice(
            node.entries()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), self.expr(&v, scope)))
                .collect(),
        )
    }

    fn function(&mut self, at: &Node<'_>, name: &str, args: &Node<'_>, scope: &Scope<'a>) -> Expr {
        let one = |this: &mut Self| boxed(this.expr(args, scope));
        if let Some((_, cmp)) = CMP.iter().find(|(n, _)| *n == name) {
            let [a, b] = self.args(args, scope);
            return Expr::Cmp(*cmp, boxed(a), boxed(b));
        }
        if let Some((_, op)) = ARITH.iter().find(|(n, _)| *n == name) {
            return Expr::Math(*op, self.exprs(args, scope));
        }
        match name {
            "or" => Expr::Or(self.exprs(args, scope)),
            "object" => Expr::Object(self.fields(args, scope)),
            "merge" => Expr::Merge(self.exprs(args, scope)),
            "concat" => Expr::Concat(self.exprs(args, scope)),
            "all" => Expr::All(self.exprs(args, scope)),
            "any" => Expr::Any(self.exprs(args, scope)),
            "pick" | "without" => {
                self.cx.mapping(args, &["from", "fields"]);
                let from = boxed(self.expr(&args.get("from"), scope));
                let fields = Slice(self.cx.texts(&args.get("fields")));
                if name == "pick" {
                    Expr::Pick(from, fields)
                } else {
                    Expr::Without(from, fields)
                }
            }
            "first" => Expr::First(one(self)),
            "initial" => Expr::Initial(one(self)),
            "reverse" => Expr::Reverse(one(self)),
            "contains" => {
                let [a, b] = self.args(args, scope);
                Expr::Contains(boxed(a), boxed(b))
            }
            "upper" => Expr::Upper(one(self)),
            "datetime" => Expr::DateTime(one(self)),
            "not" => Expr::Not(one(self)),
            "empty" => Expr::Empty(one(self)),
            "present" => Expr::Present(one(self)),
            "flag" => Expr::Flag(one(self)),
            "valid" => Expr::Valid(one(self)),
            "period_end" => {
                let [a, b] = self.args(args, scope);
                Expr::PeriodEnd(boxed(a), boxed(b))
            }
            "in" => {
                let [a, b] = self.args(args, scope);
                Expr::In(boxed(a), boxed(b))
            }
            "if" => {
                let [c, a, b] = self.args(args, scope);
                Expr::If(boxed(c), boxed(a), boxed(b))
            }
            "map" => {
                self.cx.mapping(args, &["value", "table"]);
                let value = boxed(self.expr(&args.get("value"), scope));
                Expr::Map(value, self.fields(&args.get("table"), scope))
            }
            "count" => Expr::Count(boxed(self.select(args, scope, None))),
            "exists" => Expr::Exists(boxed(self.select(args, scope, None))),
            "children" => Expr::Children(boxed(self.select(args, scope, None))),
            "for" => {
                self.cx.mapping(args, &["in", "do"]);
                let select = self.select(&args.get("in"), scope, None);
                let it = Scope {
                    it: Some(select.resource.clone()),
                    ..scope.clone()
                };
                Expr::For(boxed(select), boxed(self.expr(&args.get("do"), &it)))
            }
            "lookup" => {
                self.cx.mapping(args, &["resource", "id", "field"]);
                let resource = self.resource_name(&args.get("resource"));
                let id = boxed(self.expr(&args.get("id"), scope));
                let field_node = args.get("field");
                let field = split_path(&self.cx.text(&field_node));
                self.check_fields(&field_node, &resource, &field);
                Expr::Lookup(resource, id, field.into())
            }
            "balance" => {
                self.cx.mapping(args, &["ledger", "customer"]);
                let ledger = self.ledger_name(&args.get("ledger"));
                Expr::Balance(ledger, boxed(self.expr(&args.get("customer"), scope)))
            }
            "left" => Expr::Left(self.resource_name(args)),
            "floor" => Expr::Floor(one(self)),
            "sum" => {
                self.cx.mapping(args, &["from", "field"]);
                let from = boxed(self.expr(&args.get("from"), scope));
                let field = args.opt("field").map(|f| split_path(&self.cx.text(&f)));
                Expr::Sum(from, Slice(field.unwrap_or_default()))
            }
            "new_id" => match args.value.as_u64() {
                Some(len @ 1..=80) => Expr::NewId(len as usize),
                _ => {
                    self.cx
                        .problem(args, "`new_id` takes a length from 1 to 80");
                    Expr::NewId(26)
                }
            },
            other => {
                let hint = super::sandbox_schema::suggest(other, FUNCTIONS)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                self.cx
                    .problem(at, format!("unknown function `{other}`{hint}"));
                Expr::Lit("null".into())
            }
        }
    }

    /// `$root.path` (without the `$`).
    fn reference(&mut self, node: &Node<'_>, reference: &str, scope: &Scope<'a>) -> Expr {
        let mut path = split_path(reference);
        if path.is_empty() {
            self.cx.problem(node, "`$` names nothing");
            return Expr::Lit("null".into());
        }
        let root = path.remove(0);
        let fixed = match root.as_str() {
            "now" => Some(Expr::Now),
            "today" => Some(Expr::Today),
            "new_id" => Some(Expr::NewId(26)),
            _ => None,
        };
        if let Some(fixed) = fixed {
            if !path.is_empty() {
                self.cx.problem(node, format!("`${root}` has no fields"));
            }
            return fixed;
        }
        let root = match root.as_str() {
            "body" => match &scope.body {
                Some(schema) => {
                    self.check_schema_path(node, schema, &path, "the request body");
                    Root::Body
                }
                None => {
                    return self.out_of_scope(node, "`$body`: the operation has no request body");
                }
            },
            "param" | "query" => {
                let (names, kind, root) = if root == "param" {
                    (&scope.params, "path", Root::Param)
                } else {
                    (&scope.query, "query", Root::Query)
                };
                match path.as_slice() {
                    [name] if names.contains(name) => {
                        if root == Root::Query {
                            self.used_query.push(name.clone());
                        }
                        root
                    }
                    _ => {
                        let message = format!(
                            "`${reference}`: the operation's {kind} parameters are {:?}",
                            names
                        );
                        return self.out_of_scope(node, &message);
                    }
                }
            }
            "customer" if scope.customer && path.is_empty() => Root::Customer,
            "customer" => {
                return self
                    .out_of_scope(node, "`$customer` needs a `customer:` the operation is for");
            }
            "record" | "it" => {
                let (resource, root) = if root == "record" {
                    (&scope.record, Root::Record)
                } else {
                    (&scope.it, Root::It)
                };
                match resource.clone() {
                    Some(resource) => {
                        self.check_fields(node, &resource, &path);
                        root
                    }
                    None => {
                        return self.out_of_scope(
                            node,
                            &format!("`${root:?}` is not defined here").to_lowercase(),
                        );
                    }
                }
            }
            "item" => match scope.item {
                Some(schema) => {
                    if self.cx.walk(schema, &path).is_none() {
                        self.cx.problem(
                            node,
                            format!(
                                "`${reference}`: the items have no field `{}`",
                                path.join(".")
                            ),
                        );
                    }
                    Root::Item
                }
                None => {
                    return self
                        .out_of_scope(node, "`$item` is only defined in `each` and `batch` steps");
                }
            },
            name => match scope.bound.iter().rev().find(|(n, _)| n == name) {
                Some((_, Some(resource))) => {
                    let resource = resource.clone();
                    self.check_fields(node, &resource, &path);
                    Root::Bound(name.to_owned())
                }
                Some((_, None)) if path.is_empty() => Root::Bound(name.to_owned()),
                Some((_, None)) => {
                    return self
                        .out_of_scope(node, &format!("`${name}` is a value without fields"));
                }
                None => {
                    let known: Vec<&str> = scope.bound.iter().map(|(n, _)| n.as_str()).collect();
                    let message = format!(
                        "unknown `${name}`: the roots are $now, $today, $new_id, $body, $param, $query, $customer, $record, $it, $item and names bound by earlier steps ({known:?})"
                    );
                    return self.out_of_scope(node, &message);
                }
            },
        };
        Expr::Ref(root, path.into())
    }

    fn out_of_scope(&mut self, node: &Node<'_>, message: &str) -> Expr {
        self.cx.problem(node, message);
        Expr::Lit("null".into())
    }
}
