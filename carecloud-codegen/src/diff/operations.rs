//! Checks on groups and operations: operations added, removed or renamed,
//! moved between groups and interfaces, their parameters, bodies, responses,
//! security and docs.

use std::collections::BTreeSet;

use serde_json::Value;

use super::checks::Breaks;
use super::rust;
use super::{Change, Severity, deprecated, escape, resolved, text};
use crate::model::{Api, Location, Operation, Param};
use crate::naming::{method_name, type_name};

/// Adds the changes between the groups and operations of `old` and `new`.
pub fn compare(old: &Api, new: &Api, out: &mut Vec<Change>) {
    for group in &new.groups {
        if old.group(&group.name).is_none() {
            out.push(Change {
                id: "group-added",
                severity: Severity::Minor,
                breaks: None,
                group: group.name.clone(),
                operation: None,
                schema: None,
                spec_pointer: format!("{}#", group.file),
                rust_items: vec![format!("feature \"{}\"", group.name)],
                message: format!("new group `{}` (cargo feature `{0}`)", group.name),
                migration: None,
                subject: group.name.clone(),
            });
        }
    }
    for group in &old.groups {
        if new.group(&group.name).is_none() {
            out.push(Change {
                id: "group-removed",
                severity: Severity::Major,
                breaks: None,
                group: group.name.clone(),
                operation: None,
                schema: None,
                spec_pointer: format!("{}#", group.file),
                rust_items: vec![format!("feature \"{}\"", group.name)],
                message: format!("group `{}` removed with its cargo feature", group.name),
                migration: Some(format!(
                    "remove the feature `{}` from the carecloud-api dependency",
                    group.name
                )),
                subject: group.name.clone(),
            });
        }
    }

    let find = |api: &'_ Api, id: &str| -> Option<usize> {
        api.operations.iter().position(|o| o.operation_id == id)
    };
    let mut renamed = BTreeSet::new();
    for op in &new.operations {
        if find(old, &op.operation_id).is_some() {
            continue;
        }
        // The same method and path under another, vanished id: a rename.
        let before = old.operations.iter().find(|o| {
            o.method == op.method && o.path == op.path && find(new, &o.operation_id).is_none()
        });
        if let Some(before) = before {
            renamed.insert(before.operation_id.clone());
            let at = Site::new(new, op);
            out.push(
                at.change(
                    "operation-id-changed",
                    Severity::Major,
                    &before.operation_id,
                    format!(
                        "operation `{}` renamed `{}` ({} {})",
                        before.operation_id,
                        op.operation_id,
                        op.method.to_uppercase(),
                        op.path
                    ),
                    Some(format!(
                        "call `{}` instead of `{}` (builder `{}`, `OperationId::{}`)",
                        method_name(&op.operation_id),
                        method_name(&before.operation_id),
                        type_name(&op.operation_id),
                        type_name(&op.operation_id)
                    )),
                    rust::operation_items(before)
                        .into_iter()
                        .chain(rust::operation_items(op))
                        .collect(),
                ),
            );
            same_operation(old, new, before, op, out);
        } else {
            let at = Site::new(new, op);
            out.push(at.change(
                "operation-added",
                Severity::Minor,
                "",
                format!(
                    "new operation `{}` ({} {})",
                    op.operation_id,
                    op.method.to_uppercase(),
                    op.path
                ),
                None,
                rust::operation_items(op),
            ));
        }
    }
    for op in &old.operations {
        match new
            .operations
            .iter()
            .find(|o| o.operation_id == op.operation_id)
        {
            Some(after) => same_operation(old, new, op, after, out),
            None if renamed.contains(&op.operation_id) => {}
            None => {
                let at = Site::new(old, op);
                out.push(at.change(
                    "operation-removed",
                    Severity::Major,
                    "",
                    format!(
                        "operation `{}` ({} {}) removed",
                        op.operation_id,
                        op.method.to_uppercase(),
                        op.path
                    ),
                    Some(format!(
                        "stop calling `{}`: the API no longer offers {} {}",
                        method_name(&op.operation_id),
                        op.method.to_uppercase(),
                        op.path
                    )),
                    rust::operation_items(op),
                ));
            }
        }
    }
}

/// Where an operation is, for the changes found on it.
struct Site<'a> {
    api: &'a Api,
    op: &'a Operation,
    /// `spec/groups/stores.yaml#/paths/~1stores/get`.
    pointer: String,
}

impl<'a> Site<'a> {
    fn new(api: &'a Api, op: &'a Operation) -> Self {
        let file = api
            .group(&op.group)
            .map(|g| g.file.as_str())
            .unwrap_or_default();
        Site {
            api,
            op,
            pointer: format!("{file}#/paths/{}/{}", escape(&op.path), op.method),
        }
    }

    /// The operation's node in the merged document.
    fn node(&self) -> &'a Value {
        self.api
            .document
            .pointer(&format!(
                "/paths/{}/{}",
                escape(&self.op.path),
                self.op.method
            ))
            .unwrap_or(&Value::Null)
    }

    /// The parameter `param`'s node (its `$ref` followed) and index.
    fn param(&self, param: &Param) -> (usize, &'a Value) {
        let list = self.node().get("parameters").and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| (i, resolved(&self.api.document, p)))
            .find(|(_, p)| {
                text(p, "name") == Some(param.name.as_str())
                    && p.get("in").and_then(Value::as_str) == Some(location(param.location))
            })
            .unwrap_or((0, &Value::Null))
    }

    fn change(
        &self,
        id: &'static str,
        severity: Severity,
        detail: &str,
        message: String,
        migration: Option<String>,
        rust_items: Vec<String>,
    ) -> Change {
        self.change_at(id, severity, "", detail, message, migration, rust_items)
    }

    #[allow(clippy::too_many_arguments)]
    fn change_at(
        &self,
        id: &'static str,
        severity: Severity,
        suffix: &str,
        detail: &str,
        message: String,
        migration: Option<String>,
        rust_items: Vec<String>,
    ) -> Change {
        let subject = if detail.is_empty() {
            self.op.operation_id.clone()
        } else {
            format!("{} {detail}", self.op.operation_id)
        };
        Change {
            id,
            severity,
            breaks: None,
            group: self.op.group.clone(),
            operation: Some(self.op.operation_id.clone()),
            schema: None,
            spec_pointer: format!("{}{suffix}", self.pointer),
            rust_items,
            message,
            migration,
            subject,
        }
    }
}

fn location(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

/// `query parameter `count``.
fn describe(param: &Param) -> String {
    format!("{} parameter `{}`", location(param.location), param.name)
}

/// The Rust shape of a parameter's or property's schema, as far as it
/// decides the Rust type: a `$ref`'s name, `[T]` for an array, `integer`
/// with its format, `string` (whatever its format: the generated type is a
/// `String`), `object`, `map<T>`.
pub(crate) fn shape(schema: &Value) -> String {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
    {
        return name.to_owned();
    }
    let ty = text(schema, "type").unwrap_or("any");
    match ty {
        "array" => format!("[{}]", shape(schema.get("items").unwrap_or(&Value::Null))),
        "integer" | "number" => match text(schema, "format") {
            Some(format) => format!("{ty}({format})"),
            None => ty.to_owned(),
        },
        "object" => match schema.get("additionalProperties") {
            Some(inner @ Value::Object(_)) => format!("map<{}>", shape(inner)),
            _ => "object".to_owned(),
        },
        other => other.to_owned(),
    }
}

/// Compares one operation's two versions (`before` in `old`, `after` in `new`).
fn same_operation(
    old: &Api,
    new: &Api,
    before: &Operation,
    after: &Operation,
    out: &mut Vec<Change>,
) {
    let was = Site::new(old, before);
    let at = Site::new(new, after);
    let items = rust::operation_items(after);
    let methods = rust::methods(after);
    let method = method_name(&after.operation_id);

    if before.group != after.group {
        out.push(at.change(
            "operation-group-changed",
            Severity::Major,
            "",
            format!(
                "`{}` moved from group `{}` to `{}`",
                after.operation_id, before.group, after.group
            ),
            Some(format!(
                "enable the `{}` feature of carecloud-api to keep `{method}`",
                after.group
            )),
            items.clone(),
        ));
    }
    for interface in &after.interfaces {
        if !before.interfaces.contains(interface) {
            out.push(at.change(
                "operation-interface-added",
                Severity::Minor,
                interface,
                format!(
                    "`{}` now served by the {interface} interface",
                    after.operation_id
                ),
                None,
                vec![format!("{}::{method}", rust::client(interface))],
            ));
        }
    }
    for interface in &before.interfaces {
        if !after.interfaces.contains(interface) {
            out.push(at.change(
                "operation-interface-removed",
                Severity::Major,
                interface,
                format!(
                    "`{}` no longer served by the {interface} interface",
                    after.operation_id
                ),
                Some(format!(
                    "call `{method}` through another client ({}), or stop calling it",
                    if methods.is_empty() {
                        "none is left".to_owned()
                    } else {
                        methods.join(", ")
                    }
                )),
                vec![format!("{}::{method}", rust::client(interface))],
            ));
        }
    }
    if (before.method != after.method || before.path != after.path)
        && before.operation_id == after.operation_id
    {
        out.push(at.change(
            "operation-path-changed",
            Severity::Patch,
            "",
            format!(
                "`{}` moved from {} {} to {} {}",
                after.operation_id,
                before.method.to_uppercase(),
                before.path,
                after.method.to_uppercase(),
                after.path
            ),
            None,
            items.clone(),
        ));
    }
    if before.public != after.public {
        let says = |p: Option<bool>| match p {
            Some(true) => "public",
            Some(false) => "with a token",
            None => "as its interface says",
        };
        out.push(at.change_at(
            "operation-security-changed",
            Severity::Patch,
            "/security",
            "",
            format!(
                "`{}` security: {} → {}",
                after.operation_id,
                says(before.public),
                says(after.public)
            ),
            None,
            items.clone(),
        ));
    }
    if before.session != after.session {
        let role = |r: Option<crate::model::SessionRole>| r.map_or("none", |r| r.name());
        out.push(at.change_at(
            "operation-session-changed",
            Severity::Major,
            "/x-carecloud-session",
            "",
            format!(
                "`{}` session role: {} → {}",
                after.operation_id,
                role(before.session),
                role(after.session)
            ),
            Some(
                "check how your code logs in and out: the client's session handling of this operation changed"
                    .to_owned(),
            ),
            items.clone(),
        ));
    }
    if deprecated(at.node()) && !deprecated(was.node()) {
        out.push(at.change(
            "operation-deprecated",
            Severity::Patch,
            "",
            format!("`{}` deprecated", after.operation_id),
            None,
            items.clone(),
        ));
    }
    for key in ["summary", "description"] {
        if text(was.node(), key) != text(at.node(), key) {
            out.push(at.change_at(
                "description-changed",
                Severity::Patch,
                &format!("/{key}"),
                key,
                format!("`{}`: {key} changed", after.operation_id),
                None,
                vec![format!("builders::{}", type_name(&after.operation_id))],
            ));
        }
    }
    parameters(&was, &at, out);
    body(before, &at, out);
    response(before, &at, out);
}

fn parameters(was: &Site<'_>, at: &Site<'_>, out: &mut Vec<Change>) {
    let (before, after) = (was.op, at.op);
    let method = method_name(&after.operation_id);
    let methods = rust::methods(after);
    let same = |a: &Param, b: &Param| a.name == b.name && a.location == b.location;
    for param in &after.params {
        let (index, node) = at.param(param);
        let suffix = format!("/parameters/{index}");
        let detail = format!("{} {}", location(param.location), param.name);
        let Some(old) = before.params.iter().find(|p| same(p, param)) else {
            let (id, severity, migration, items) = if param.required {
                (
                    "request-required-parameter-added",
                    Severity::Major,
                    Some(format!(
                        "pass `{}` as a new argument of `{method}(..)`",
                        param.name
                    )),
                    methods.clone(),
                )
            } else {
                (
                    "request-parameter-added",
                    Severity::Minor,
                    None,
                    vec![rust::setter(after, &param.name)],
                )
            };
            let required = if param.required {
                "required"
            } else {
                "optional"
            };
            out.push(at.change_at(
                id,
                severity,
                &suffix,
                &detail,
                format!(
                    "`{}`: new {required} {}",
                    after.operation_id,
                    describe(param)
                ),
                migration,
                items,
            ));
            continue;
        };
        let (_, old_node) = was.param(old);
        let items = if param.required || old.required {
            methods.clone()
        } else {
            vec![rust::setter(after, &param.name)]
        };
        let mut push = |id, severity, message: String, migration: Option<String>| {
            out.push(at.change_at(
                id,
                severity,
                &suffix,
                &detail,
                format!("`{}`: {} {message}", after.operation_id, describe(param)),
                migration,
                items.clone(),
            ));
        };
        match (old.required, param.required) {
            (false, true) => push(
                "request-parameter-became-required",
                Severity::Major,
                "became required".to_owned(),
                Some(format!(
                    "pass `{0}` as an argument of `{method}(..)` instead of calling `.{1}(..)`",
                    param.name,
                    rust::field(&param.name)
                )),
            ),
            (true, false) => push(
                "request-parameter-became-optional",
                Severity::Major,
                "became optional".to_owned(),
                Some(format!(
                    "drop `{0}` from the arguments of `{method}(..)`; set it with `.{1}(..)` where needed",
                    param.name,
                    rust::field(&param.name)
                )),
            ),
            _ => {}
        }
        if old.array != param.array {
            let form = |array| if array { "an array" } else { "a single value" };
            push(
                "request-parameter-array-changed",
                Severity::Major,
                format!("is now {} (was {})", form(param.array), form(old.array)),
                Some(format!("pass {} for `{}`", form(param.array), param.name)),
            );
        }
        let schema = |site: &Site<'_>, node: &Value| {
            let schema = node.get("schema").unwrap_or(&Value::Null);
            let doc = &site.api.document;
            (shape(schema), resolved(doc, schema).clone())
        };
        let ((old_shape, old_schema), (new_shape, new_schema)) =
            (schema(was, old_node), schema(at, node));
        if old_shape != new_shape && old.array == param.array {
            push(
                "request-parameter-type-changed",
                Severity::Major,
                format!("type changed from {old_shape} to {new_shape}"),
                Some(format!("pass a {new_shape} for `{}`", param.name)),
            );
        }
        if let Some((narrower, message)) = range(&old_schema, &new_schema) {
            let severity = if narrower {
                Severity::Major
            } else {
                Severity::Patch
            };
            let migration = narrower.then(|| format!("keep `{}` within the new range", param.name));
            push(
                "request-parameter-range-changed",
                severity,
                message,
                migration,
            );
        }
        if deprecated(node) && !deprecated(old_node) {
            out.push(at.change_at(
                "request-parameter-deprecated",
                Severity::Patch,
                &suffix,
                &detail,
                format!("`{}`: {} deprecated", after.operation_id, describe(param)),
                None,
                items.clone(),
            ));
        }
        if old.description != param.description {
            out.push(at.change_at(
                "description-changed",
                Severity::Patch,
                &suffix,
                &detail,
                format!(
                    "`{}`: description of {} changed",
                    after.operation_id,
                    describe(param)
                ),
                None,
                items.clone(),
            ));
        }
    }
    for param in &before.params {
        if after.params.iter().any(|p| same(p, param)) {
            continue;
        }
        let (index, _) = was.param(param);
        let mut change = was.change_at(
            "request-parameter-removed",
            Severity::Major,
            &format!("/parameters/{index}"),
            &format!("{} {}", location(param.location), param.name),
            format!("`{}`: {} removed", after.operation_id, describe(param)),
            Some(if param.required {
                format!("drop the `{}` argument of `{method}(..)`", param.name)
            } else {
                format!("stop calling `.{}(..)`", rust::field(&param.name))
            }),
            if param.required {
                methods.clone()
            } else {
                vec![rust::setter(before, &param.name)]
            },
        );
        change.operation = Some(after.operation_id.clone());
        change.group = after.group.clone();
        change.subject = format!(
            "{} {} {}",
            after.operation_id,
            location(param.location),
            param.name
        );
        out.push(change);
    }
    let path_params = |op: &Operation| -> Vec<String> {
        op.path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .map(str::to_owned)
            .collect()
    };
    let (old_order, new_order) = (path_params(before), path_params(after));
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    if old_order != new_order && sorted(&old_order) == sorted(&new_order) {
        // The method's arguments are positional: the old call compiles
        // exactly when each place takes the type it took before.
        let path_type = |site: &Site<'_>, name: &str| {
            site.op
                .params
                .iter()
                .find(|p| p.location == Location::Path && p.name == name)
                .map(|p| shape(site.param(p).1.get("schema").unwrap_or(&Value::Null)))
        };
        let moved = old_order
            .iter()
            .zip(&new_order)
            .any(|(o, n)| path_type(was, o) != path_type(at, n));
        let mut change = at.change(
            "request-path-parameters-reordered",
            Severity::Major,
            "",
            format!(
                "`{}`: path parameters reordered ({} → {})",
                after.operation_id,
                old_order.join(", "),
                new_order.join(", ")
            ),
            Some(format!(
                "pass the arguments of `{method}(..)` in the new order: {}",
                new_order.join(", ")
            )),
            methods,
        );
        change.breaks = Some(if moved {
            Breaks::Build
        } else {
            Breaks::Behaviour
        });
        out.push(change);
    }
}

/// Whether a parameter's `minimum`/`maximum` changed: (narrower, message).
fn range(old: &Value, new: &Value) -> Option<(bool, String)> {
    let bound = |s: &Value, key: &str| s.get(key).and_then(Value::as_f64);
    let (old_min, new_min) = (bound(old, "minimum"), bound(new, "minimum"));
    let (old_max, new_max) = (bound(old, "maximum"), bound(new, "maximum"));
    if old_min == new_min && old_max == new_max {
        return None;
    }
    let raised = match (old_min, new_min) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b > a,
    };
    let lowered = match (old_max, new_max) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
    };
    let show = |min: Option<f64>, max: Option<f64>| {
        let end = |v: Option<f64>| v.map_or("..".to_owned(), |v| v.to_string());
        format!("[{}, {}]", end(min), end(max))
    };
    Some((
        raised || lowered,
        format!(
            "range changed from {} to {}",
            show(old_min, old_max),
            show(new_min, new_max)
        ),
    ))
}

fn body(before: &Operation, at: &Site<'_>, out: &mut Vec<Change>) {
    let after = at.op;
    let method = method_name(&after.operation_id);
    let methods = rust::methods(after);
    let setter = format!("builders::{}::body", type_name(&after.operation_id));
    let id = &after.operation_id;
    let change = |id: &'static str, severity, message: String, migration: Option<String>, items| {
        at.change_at(
            id,
            severity,
            "/requestBody",
            "body",
            message,
            migration,
            items,
        )
    };
    match (&before.body, &after.body) {
        (None, Some(schema)) => out.push(if after.body_required {
            change(
                "request-required-body-added",
                Severity::Major,
                format!("`{id}`: new required request body `{schema}`"),
                Some(format!(
                    "pass a `types::{schema}` as the body argument of `{method}(..)`"
                )),
                methods,
            )
        } else {
            change(
                "request-body-added",
                Severity::Minor,
                format!("`{id}`: new optional request body `{schema}`"),
                None,
                vec![setter],
            )
        }),
        (Some(schema), None) => out.push(change(
            "request-body-removed",
            Severity::Major,
            format!("`{id}`: request body `{schema}` removed"),
            Some(format!(
                "stop passing a `types::{schema}` body to `{method}`"
            )),
            if before.body_required {
                methods
            } else {
                vec![setter]
            },
        )),
        (Some(old), Some(new)) => {
            if old != new {
                out.push(change(
                    "request-body-schema-changed",
                    Severity::Major,
                    format!("`{id}`: request body changed from `{old}` to `{new}`"),
                    Some(format!(
                        "build a `types::{new}` for `{method}` instead of a `types::{old}`"
                    )),
                    if after.body_required {
                        methods.clone()
                    } else {
                        vec![setter.clone()]
                    },
                ));
            }
            match (before.body_required, after.body_required) {
                (false, true) => out.push(change(
                    "request-body-became-required",
                    Severity::Major,
                    format!("`{id}`: request body became required"),
                    Some(format!(
                        "pass the body as an argument of `{method}(..)` instead of `.body(..)`"
                    )),
                    methods,
                )),
                (true, false) => out.push(change(
                    "request-body-became-optional",
                    Severity::Major,
                    format!("`{id}`: request body became optional"),
                    Some(format!(
                        "drop the body argument of `{method}(..)`; set it with `.body(..)`"
                    )),
                    methods,
                )),
                _ => {}
            }
        }
        (None, None) => {}
    }
}

fn response(before: &Operation, at: &Site<'_>, out: &mut Vec<Change>) {
    let after = at.op;
    let id = &after.operation_id;
    let builder = format!("builders::{}", type_name(id));
    if before.response != after.response {
        let name = |r: &Option<String>| r.clone().unwrap_or_else(|| "no body".to_owned());
        out.push(at.change_at(
            "response-schema-changed",
            Severity::Major,
            "/responses",
            "response",
            format!(
                "`{id}`: response changed from `{}` to `{}`",
                name(&before.response),
                name(&after.response)
            ),
            Some(format!(
                "read the reply of `{}` as `{}`",
                method_name(id),
                name(&after.response)
            )),
            vec![format!("{builder}::send")],
        ));
    }
    match (&before.list, &after.list) {
        (None, Some(list)) => out.push(at.change_at(
            "response-list-added",
            Severity::Minor,
            "/responses",
            "list",
            format!("`{id}`: the response is a list of `{}`", list.items),
            None,
            vec![format!("{builder}::pages"), format!("{builder}::items")],
        )),
        (Some(list), None) => out.push(at.change_at(
            "response-list-removed",
            Severity::Major,
            "/responses",
            "list",
            format!(
                "`{id}`: the response is no longer a list of `{}`",
                list.items
            ),
            Some(format!(
                "call `send()` instead of `pages()`/`items()` on `{}`",
                method_name(id)
            )),
            vec![format!("{builder}::pages"), format!("{builder}::items")],
        )),
        _ => {}
    }
    if before.success != after.success {
        let list = |s: &[u16]| s.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
        out.push(at.change_at(
            "response-success-status-changed",
            Severity::Patch,
            "/responses",
            "status",
            format!(
                "`{id}`: success statuses {} → {}",
                list(&before.success),
                list(&after.success)
            ),
            None,
            vec![format!("{builder}::send")],
        ));
    }
}
