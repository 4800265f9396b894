//! The sandbox's declarations (`x-sandbox`): read, checked against the spec
//! and resolved into the [`Plan`] the sandbox is generated with.
//!
//! * a group document's root `x-sandbox` declares its `resources` (the
//!   collections of records and their facts) and `ledgers`;
//! * every operation's `x-sandbox` says how the sandbox serves it: a
//!   resource's standard list/get/create/replace/delete, a ledger verb, an
//!   action (steps), a view, a batch, or `handler` (hand-written).
//!
//! Every field a declaration names is checked against the schemas (a filter
//! naming a field the record schema lacks is a problem at its file and JSON
//! path), and so is every `$reference` in an expression. The syntax is in
//! `docs/sandbox.md`; ledgers: `sandbox_ledgers`; operations: `sandbox_ops`
//! (lists: `sandbox_lists`); actions and steps: `sandbox_steps`; views and
//! batches: `sandbox_views`; expressions: `sandbox_expr` (selections and
//! errors: `sandbox_select`).

use std::collections::BTreeMap;

use super::sandbox_expr::Scope;
use super::sandbox_schema::{Ctx, Node, split_path};
use crate::error::Problem;
use crate::json_path::JsonPath;
use crate::load::Sources;
use crate::model::Api;
use crate::model::sandbox::{Check, Expr, LedgerBody, Plan, Resource, Root, Slice};

/// The extension key, on group documents and operations.
pub const KEY: &str = "x-sandbox";

/// What the checks know of a declared resource.
pub(super) struct Info<'a> {
    pub(super) schema: String,
    pub(super) id: String,
    pub(super) owner: Option<String>,
    pub(super) hidden: Vec<String>,
    pub(super) refs: Vec<(Vec<String>, String)>,
    /// Its `filters` declarations: (file, node).
    pub(super) filters: Option<(String, Node<'a>)>,
}

/// The declarations read so far and the problems found.
pub(super) struct Decls<'a> {
    pub(super) cx: Ctx<'a>,
    pub(super) resources: BTreeMap<String, Info<'a>>,
    /// Ledger → the resource of its lots.
    pub(super) ledgers: BTreeMap<String, String>,
    /// Ledger → the body fields its operations read.
    pub(super) ledger_bodies: BTreeMap<String, LedgerBody>,
    /// Query parameters `$query.x` referred to (filters leave them alone).
    pub(super) used_query: Vec<String>,
}

/// Reads every declaration of `sources` (whose model is `api`): the plan,
/// and the problems found. A group document that declares anything for the
/// sandbox must say how each of its operations is served; one that says
/// nothing (a synthetic copy, another API's) leaves them to hand-written
/// handlers.
pub(crate) fn plan(sources: &Sources, api: &Api) -> (Plan, Vec<Problem>) {
    let mut decls = Decls {
        cx: Ctx {
            api,
            file: String::new(),
            problems: Vec::new(),
        },
        resources: BTreeMap::new(),
        ledgers: BTreeMap::new(),
        ledger_bodies: BTreeMap::new(),
        used_query: Vec::new(),
    };
    let roots: Vec<(String, Node<'_>)> = sources
        .groups
        .iter()
        .filter_map(|g| {
            let node = g.doc.value.get(KEY)?;
            Some((
                g.doc.name.clone(),
                Node::new(node, JsonPath::root().key(KEY)),
            ))
        })
        .collect();
    for (file, root) in &roots {
        decls.cx.file = file.clone();
        decls.cx.mapping(root, &["resources", "ledgers"]);
        for (name, node) in root.get("resources").entries() {
            decls.info(file, name, &node);
        }
        for (name, node) in root.get("ledgers").entries() {
            let lots = node
                .get("lots")
                .value
                .as_str()
                .unwrap_or_default()
                .to_owned();
            decls.ledgers.insert(name.to_owned(), lots);
        }
    }
    let mut plan = Plan::default();
    for (file, root) in &roots {
        decls.cx.file = file.clone();
        for (name, node) in root.get("resources").entries() {
            plan.resources.push(decls.resource(name, &node));
        }
        for (name, node) in root.get("ledgers").entries() {
            let ledger = decls.ledger(name, &node);
            decls
                .ledger_bodies
                .insert(name.to_owned(), ledger.body.clone());
            plan.ledgers.push(ledger);
        }
    }
    plan.schemas = decls.resources.values().map(|i| i.schema.clone()).collect();
    plan.schemas.sort();
    plan.schemas.dedup();
    plan.operations = decls.operations(sources);
    (plan, decls.cx.problems)
}

impl<'a> Decls<'a> {
    /// The facts other declarations check against: schema, ID, hidden fields.
    fn info(&mut self, file: &str, name: &str, node: &Node<'a>) {
        let allowed = [
            "schema",
            "id",
            "owner",
            "refs",
            "unique",
            "hidden",
            "compose_id",
            "filters",
            "on_create",
            "on_write",
            "checks",
            "derive",
            "capacity",
            "states",
        ];
        if self.cx.mapping(node, &allowed).is_none() {
            return;
        }
        let schema_node = node.get("schema");
        let schema = self.cx.text(&schema_node);
        if !schema.is_empty() && self.cx.schema(&schema).is_none() {
            self.cx
                .problem(&schema_node, format!("no schema `{schema}` in the spec"));
        }
        let refs = node
            .get("refs")
            .entries()
            .into_iter()
            .map(|(path, to)| {
                (
                    split_path(path),
                    to.value.as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let info = Info {
            id: self.cx.text(&node.get("id")),
            owner: node.opt("owner").map(|o| self.cx.text(&o)),
            hidden: self.cx.texts(&node.get("hidden")),
            filters: node.opt("filters").map(|f| (file.to_owned(), f)),
            schema,
            refs,
        };
        if self.resources.insert(name.to_owned(), info).is_some() {
            self.cx
                .problem(node, format!("the resource `{name}` is declared twice"));
        }
    }

    /// A resource's plan; its own fields are checked against its schema.
    fn resource(&mut self, name: &str, node: &Node<'a>) -> Resource {
        let (id, owner, refs) = match self.resources.get(name) {
            Some(i) => (i.id.clone(), i.owner.clone(), i.refs.clone()),
            None => Default::default(),
        };
        for (field, at) in [(Some(&id), "id"), (owner.as_ref(), "owner")] {
            if let Some(field) = field {
                self.check_fields(&node.get(at), name, std::slice::from_ref(field));
            }
        }
        let record = Scope {
            record: Some(name.to_owned()),
            ..Scope::default()
        };
        for ((path, to), (_, at)) in refs.iter().zip(node.get("refs").entries()) {
            self.check_fields(&at, name, path);
            self.resource_name(&at);
            let _ = to;
        }
        let unique = node
            .get("unique")
            .items()
            .iter()
            .map(|u| self.unique(name, u))
            .collect::<Vec<_>>();
        let compose_id = self.cx.texts(&node.get("compose_id"));
        for field in &compose_id {
            self.check_fields(&node.get("compose_id"), name, std::slice::from_ref(field));
        }
        let mut on_write = self.fields(&node.get("on_write"), &record);
        let mut on_create = self.fields(&node.get("on_create"), &record);
        // The API's conventions where the schema has the field: a write
        // stamps `last_change`; a new record without `state` is active.
        let schema = self
            .resources
            .get(name)
            .map(|i| i.schema.clone())
            .unwrap_or_default();
        let has = |this: &Self, field: &str| {
            this.cx
                .schema(&schema)
                .and_then(|s| this.cx.walk(s, &[field.to_owned()]))
                .is_some()
        };
        if has(self, "last_change") && !on_write.0.iter().any(|(f, _)| f == "last_change") {
            on_write.0.push(("last_change".into(), Expr::Now));
        }
        if has(self, "state") && !on_create.0.iter().any(|(f, _)| f == "state") {
            let state = Expr::Ref(Root::Record, Slice(vec!["state".into()]));
            on_create.0.push((
                "state".into(),
                Expr::Or(Slice(vec![state, Expr::Lit("1".into())])),
            ));
        }
        let checks = node
            .get("checks")
            .items()
            .iter()
            .map(|c| {
                self.cx.mapping(c, &["require", "fail"]);
                Check {
                    require: self.expr(&c.get("require"), &record),
                    fail: self.fail(&c.get("fail"), &record),
                }
            })
            .collect::<Vec<_>>();
        Resource {
            name: name.to_owned(),
            record: heck::ToSnakeCase::to_snake_case(schema.as_str()),
            schema,
            id,
            owner,
            refs: Slice(refs.into_iter().map(|(p, to)| (Slice(p), to)).collect()),
            unique: unique.into(),
            hidden: Slice(
                self.resources
                    .get(name)
                    .map(|i| i.hidden.clone())
                    .unwrap_or_default(),
            ),
            compose_id: compose_id.into(),
            on_create,
            on_write,
            checks: checks.into(),
            derive: self.fields(&node.get("derive"), &record),
            capacity: node.opt("capacity").map(|c| self.capacity(name, &c)),
            states: node.opt("states").map(|c| self.states(name, &c)),
        }
    }

    /// A declared resource's name (a problem if there is none).
    pub(super) fn resource_name(&mut self, node: &Node<'_>) -> String {
        let name = self.cx.text(node);
        if !name.is_empty() && !self.resources.contains_key(&name) {
            let known: Vec<&str> = self.resources.keys().map(String::as_str).collect();
            let hint = super::sandbox_schema::suggest(&name, &known)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            self.cx
                .problem(node, format!("no resource `{name}` is declared{hint}"));
        }
        name
    }
}
