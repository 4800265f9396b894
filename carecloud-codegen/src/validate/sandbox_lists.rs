//! A standard list's declaration: its filters (query parameters resolved
//! to record fields by name, or declared), unnesting, order and omitted
//! fields.

use serde_json::Value;

use super::sandbox::Decls;
use super::sandbox_expr::Scope;
use super::sandbox_schema::{Node, split_path};
use crate::model::sandbox::{Filter, List, Slice, Test};
use crate::model::{Location, Operation};

/// Query parameters every list reads itself.
const PAGING: &[&str] = &["count", "offset", "sort_field", "sort_direction"];

impl<'a> Decls<'a> {
    pub(super) fn list(
        &mut self,
        node: &Node<'a>,
        op: &'a Operation,
        resource: &str,
        scope: &Scope<'a>,
    ) -> List {
        let Some(shape) = &op.list else {
            self.cx.problem(
                node,
                format!(
                    "`{}` does not answer a list (`data.<items>[]` and `data.total_items`)",
                    op.operation_id
                ),
            );
            return List {
                items: String::new(),
                paged: false,
                filters: Slice::default(),
                unnest: None,
                keep: None,
                order: Slice::default(),
                omit: Slice::default(),
                customer: None,
            };
        };
        let customer = node.opt("customer").map(|c| self.arg(&c, scope));
        let scope = &Scope {
            customer: customer.is_some(),
            ..scope.clone()
        };
        let unnest = node.opt("unnest").map(|u| {
            self.cx.mapping(&u, &["field", "key"]);
            let field = self.cx.text(&u.get("field"));
            self.check_fields(&u.get("field"), resource, std::slice::from_ref(&field));
            (field, self.cx.text(&u.get("key")))
        });
        let it = Scope {
            it: Some(resource.to_owned()),
            ..scope.clone()
        };
        let keep = node.opt("keep").map(|k| self.expr(&k, &it));
        let order = node
            .get("order")
            .items()
            .iter()
            .map(|o| {
                let text = self.cx.text(o);
                let (field, desc) = match text.strip_prefix('-') {
                    Some(f) => (f.to_owned(), true),
                    None => (text.clone(), false),
                };
                self.check_fields(o, resource, std::slice::from_ref(&field));
                (field, desc)
            })
            .collect::<Vec<_>>();
        let mut omit = Vec::new();
        for (flag, paths) in node.get("omit").entries() {
            self.query_param(&paths, op, flag);
            self.used_query.push(flag.to_owned());
            let paths: Vec<Slice<String>> = self
                .cx
                .texts(&paths)
                .iter()
                .map(|p| Slice(split_path(p)))
                .collect();
            omit.push((flag.to_owned(), Slice(paths)));
        }
        let item_schema = shape
            .item_schema
            .clone()
            .or_else(|| self.resources.get(resource).map(|i| i.schema.clone()));
        let filters = self.filters(
            node,
            op,
            resource,
            item_schema.as_deref().unwrap_or_default(),
        );
        List {
            items: shape.items.clone(),
            paged: shape.paged,
            filters: filters.into(),
            unnest,
            keep,
            order: order.into(),
            omit: omit.into(),
            customer,
        }
    }

    /// A problem unless `name` is a query parameter of `op`.
    fn query_param(&mut self, at: &Node<'_>, op: &Operation, name: &str) {
        if !op
            .params
            .iter()
            .any(|p| p.name == name && p.location == Location::Query)
        {
            self.cx.problem(
                at,
                format!("`{name}` is not a query parameter of `{}`", op.operation_id),
            );
        }
    }

    /// The filter of each query parameter: declared on the operation or
    /// the resource, else the field of the same name (its `_list` and
    /// `_ids` forms too), `is_valid`, and `search_secondary_<field>`.
    fn filters(
        &mut self,
        node: &Node<'a>,
        op: &Operation,
        resource: &str,
        item_schema: &str,
    ) -> Vec<Filter> {
        let own = node.get("filters");
        for (param, at) in own.entries() {
            self.query_param(&at, op, param);
        }
        let shared = self.resources.get(resource).and_then(|i| i.filters.clone());
        let mut out = Vec::new();
        for param in op.params.iter().filter(|p| p.location == Location::Query) {
            let name = param.name.as_str();
            if PAGING.contains(&name)
                || self.used_query.iter().any(|u| u == name)
                || name.starts_with("search_secondary_")
            {
                continue;
            }
            let test = if let Some(spec) = own.opt(name) {
                self.filter_spec(&spec, resource, item_schema)
            } else if let Some((file, spec)) = shared
                .as_ref()
                .and_then(|(f, s)| Some((f.clone(), s.opt(name)?)))
            {
                let here = std::mem::replace(&mut self.cx.file, file);
                let test = self.filter_spec(&spec, resource, item_schema);
                self.cx.file = here;
                test
            } else if name == "is_valid" {
                Some(Test::Valid)
            } else {
                match self.field_named(name, resource, item_schema) {
                    Some(field) => Some(Test::Equals {
                        fields: Slice(vec![Slice(field)]),
                        also: None,
                    }),
                    None => {
                        self.cx.problem(node, format!("the query parameter `{name}` names no field of {item_schema}: declare `filters: {{{name}: <field path> | ignore}}` on the operation or the resource"));
                        None
                    }
                }
            };
            let Some(mut test) = test else { continue };
            if let Test::Equals { fields, also } = &mut test
                && let [field] = fields.0.as_slice()
                && let Some(last) = field.0.last()
            {
                let flag = format!("search_secondary_{name}");
                let mut secondary = field.0.clone();
                *secondary.last_mut().unwrap_or(&mut String::new()) = format!("secondary_{last}");
                let has_flag = op.params.iter().any(|p| p.name == flag);
                if has_flag && self.field_ok(resource, item_schema, &secondary) {
                    *also = Some((flag, Slice(secondary)));
                }
            }
            out.push(Filter {
                param: name.to_owned(),
                test,
            });
        }
        out
    }

    /// `path`, `[path, ..]`, `{from|to|present: path}`, `valid` or `ignore`.
    fn filter_spec(&mut self, spec: &Node<'_>, resource: &str, item_schema: &str) -> Option<Test> {
        let path = |this: &mut Self, at: &Node<'_>| {
            let path = split_path(&this.cx.text(at));
            if !this.field_ok(resource, item_schema, &path) {
                this.cx.problem(
                    at,
                    format!(
                        "the records ({item_schema}) have no field `{}`",
                        path.join(".")
                    ),
                );
            }
            Slice(path)
        };
        match spec.value {
            Value::String(s) if s == "ignore" => None,
            Value::String(s) if s == "valid" => Some(Test::Valid),
            Value::String(_) => Some(Test::Equals {
                fields: Slice(vec![path(self, spec)]),
                also: None,
            }),
            Value::Array(_) => Some(Test::Equals {
                fields: Slice(spec.items().iter().map(|i| path(self, i)).collect()),
                also: None,
            }),
            _ => {
                self.cx.mapping(spec, &["from", "to", "present"]);
                if let Some(at) = spec.opt("from") {
                    Some(Test::From(path(self, &at)))
                } else if let Some(at) = spec.opt("to") {
                    Some(Test::To(path(self, &at)))
                } else if let Some(at) = spec.opt("present") {
                    Some(Test::Present(path(self, &at)))
                } else {
                    self.cx.problem(spec, "expected a field path, a list of them, `{from|to|present: <path>}`, `valid` or `ignore`");
                    None
                }
            }
        }
    }

    /// The field a parameter named `param` compares, by the API's naming:
    /// `x`, `x_list` → `x`, `x_ids` → `x_id` (hidden fields first).
    fn field_named(&self, param: &str, resource: &str, item_schema: &str) -> Option<Vec<String>> {
        let mut candidates = vec![param.to_owned()];
        if let Some(stem) = param.strip_suffix("_list") {
            candidates.push(stem.to_owned());
        }
        if let Some(stem) = param.strip_suffix("_ids") {
            candidates.push(format!("{stem}_id"));
        }
        let hidden = self
            .resources
            .get(resource)
            .map(|i| i.hidden.clone())
            .unwrap_or_default();
        candidates.into_iter().find_map(|c| {
            if hidden.contains(&c) {
                return Some(vec![c]);
            }
            self.cx.find_field(self.cx.schema(item_schema)?, &c)
        })
    }

    fn field_ok(&self, resource: &str, item_schema: &str, path: &[String]) -> bool {
        let hidden = self.resources.get(resource).is_some_and(|i| {
            path.first()
                .is_some_and(|f| i.hidden.iter().any(|h| h == f.trim_end_matches("[]")))
        });
        hidden
            || self
                .cx
                .schema(item_schema)
                .and_then(|s| self.cx.walk(s, path))
                .is_some()
    }
}
