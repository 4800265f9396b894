//! Standard operations on a declared resource: list, get, create (201 with
//! the new ID), replace (204, the whole record) and delete (204), under the
//! parents the path names, scoped to the logged-in customer on the customer
//! interface, with the real API's envelopes and errors.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::expr::{Env, eval, same, truthy};
use super::records::{self, Write, present};
use super::{declared, env, listing};
use crate::context::{Answer, Ctx, Reply};
use crate::decl::{Hook, Kind, List, Parent, Rel, Resource, Standard};
use crate::errors::{self, ApiError};
use crate::scope::{self, OWNER};
use crate::store::{at, set, text};
use crate::tokens;

pub(super) fn serve(cx: &mut Ctx<'_>, op: &'static Standard) -> Reply {
    let resource = declared(op.resource)?;
    let owner = scope::owner(cx, op.kind, Some(resource))?;
    check_parents(cx, op.parents, owner.as_deref())?;
    let now = cx.state.now();
    match op.kind {
        Kind::List => list(cx, op, resource, owner.as_deref(), &now),
        Kind::Get => {
            let (_, record) = find(cx, op, resource, owner.as_deref())?;
            let shown = present(
                &cx.state.store,
                resource,
                &record,
                &env!(cx, &Value::Null, &now),
            );
            Ok(Answer::Json(StatusCode::OK, json!({ "data": shown })))
        }
        Kind::Create | Kind::Replace => write(cx, op, resource, owner.as_deref(), &now),
        Kind::Delete => {
            let (index, _) = find(cx, op, resource, owner.as_deref())?;
            cx.state.store.remove(resource.name, index);
            Ok(Answer::NoContent)
        }
    }
}

/// Each parent in the path must exist (404) and, when it is a customer's
/// record, be the logged-in customer's (400).
pub(super) fn check_parents(
    cx: &Ctx<'_>,
    parents: &[Parent],
    owner: Option<&str>,
) -> Result<(), ApiError> {
    for parent in parents {
        let id = cx.param(parent.param);
        if let Some(me) = owner
            && parent.param == OWNER
            && id != me
        {
            return Err(scope::not_mine(parent.param, id));
        }
        let of = declared(parent.of)?;
        let Some((_, record)) = cx.state.store.find(of.name, id) else {
            return Err(errors::not_found(of.record, id));
        };
        if of.owner.is_some()
            && let Some(me) = scope::owner(cx, Kind::Get, Some(of))?
            && !scope::is_mine(record, of, &me)
        {
            return Err(scope::not_mine(parent.param, id));
        }
    }
    Ok(())
}

/// Whether `record` may be seen by `owner` (the logged-in customer, when
/// scoped): always, unless the resource's records have owners.
fn mine(owner: Option<&str>, resource: &Resource, record: &Value) -> bool {
    resource.owner.is_none() || owner.is_none_or(|me| scope::is_mine(record, resource, me))
}

/// Whether `record` is under the parents the path names by a field.
fn under(cx: &Ctx<'_>, parents: &[Parent], record: &Value) -> bool {
    parents.iter().all(|p| match &p.rel {
        Rel::Field(path) => same(&at(record, path), &json!(cx.param(p.param))),
        Rel::Items { .. } | Rel::Exists => true,
    })
}

/// The records a parent's items name (`Rel::Items`), each with the
/// matching item's `take` fields; `None` when no parent does.
fn joined(cx: &Ctx<'_>, parents: &[Parent], resource: &Resource) -> Option<Vec<Value>> {
    parents.iter().find_map(|p| {
        let Rel::Items { from, on, take } = &p.rel else {
            return None;
        };
        let parent = cx.state.store.find(p.of, cx.param(p.param))?.1;
        let items = match at(parent, from) {
            Value::Array(items) => items,
            one => vec![one],
        };
        let rows = cx
            .state
            .store
            .records(resource.name)
            .iter()
            .filter_map(|record| {
                let key = record.get(*on)?;
                let item = items.iter().find(|i| same(i.get(*on).unwrap_or(i), key))?;
                let mut record = record.clone();
                for (field, from) in *take {
                    set(
                        &mut record,
                        field,
                        item.get(*from).cloned().unwrap_or(Value::Null),
                    );
                }
                Some(record)
            });
        Some(rows.collect())
    })
}

/// The distinct items (by key) of an array field of every record.
fn unnested(records: &[Value], field: &str, key: &str) -> Vec<Value> {
    let mut seen: Vec<Value> = Vec::new();
    for item in records
        .iter()
        .filter_map(|r| r.get(field)?.as_array())
        .flatten()
    {
        if !seen.iter().any(|s| s.get(key) == item.get(key)) {
            seen.push(item.clone());
        }
    }
    seen
}

fn list(cx: &Ctx<'_>, op: &Standard, resource: &Resource, owner: Option<&str>, now: &str) -> Reply {
    let Some(list) = op.list else {
        return Err(errors::no_handler(cx.op));
    };
    if let Some(me) = owner {
        for name in [OWNER, "customer_ids"] {
            scope::only_me(name, cx.query.all(name), me)?;
        }
    }
    let env = env!(cx, &Value::Null, now);
    let customer = match &list.customer {
        Some(arg) => Some(super::customer(cx, arg, &env)?),
        None => None,
    };
    let env = Env {
        customer: customer.as_deref(),
        ..env
    };
    let store = &cx.state.store;
    let all = store.records(resource.name);
    let derived = match list.unnest {
        Some((field, key)) => Some(unnested(all, field, key)),
        None => joined(cx, op.parents, resource),
    };
    let source = derived.as_deref().unwrap_or(all);
    let keep = |r: &&Value| {
        list.keep
            .as_ref()
            .is_none_or(|k| truthy(&eval(k, &env.with_it(r), store)))
    };
    let rows: Vec<&Value> = source
        .iter()
        .filter(|r| list.unnest.is_some() || under(cx, op.parents, r))
        .filter(|r| mine(owner, resource, r))
        .filter(keep)
        .collect();
    let (page, total) = listing::page(rows, &cx.query, list, now, source)?;
    let page: Vec<Value> = page
        .into_iter()
        .map(|record| match list.unnest {
            Some(_) => record,
            None => present(store, resource, &record, &env),
        })
        .map(|record| omit(cx, list, record))
        .collect();
    let mut data = Map::new();
    data.insert(list.items.to_owned(), Value::Array(page));
    data.insert("total_items".to_owned(), json!(total));
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

/// `record` without the paths a true flag parameter drops.
fn omit(cx: &Ctx<'_>, list: &List, mut record: Value) -> Value {
    for (flag, paths) in list.omit {
        if cx.query.flag(flag) != Some(true) {
            continue;
        }
        for path in *paths {
            drop_path(&mut record, path);
        }
    }
    record
}

/// `value` without the field at `path`.
fn drop_path(value: &mut Value, path: &[&str]) {
    match path {
        [] => {}
        [last] => {
            if let Some(fields) = value.as_object_mut() {
                fields.remove(*last);
            }
        }
        [first, rest @ ..] => {
            if let Some(next) = value.get_mut(*first) {
                drop_path(next, rest);
            }
        }
    }
}

/// The record the path names and where it is: 404 if there is none (or it
/// is not under the path's parents), 400 if it is another customer's.
fn find(
    cx: &Ctx<'_>,
    op: &Standard,
    resource: &Resource,
    owner: Option<&str>,
) -> Result<(usize, Value), ApiError> {
    let id_param = op.id_param.unwrap_or_default();
    let id = cx.param(id_param);
    let found = cx
        .state
        .store
        .find(resource.name, id)
        .filter(|(_, r)| under(cx, op.parents, r));
    let Some((index, record)) = found else {
        return Err(errors::not_found(resource.record, id));
    };
    if !mine(owner, resource, record) {
        return Err(scope::not_mine(id_param, id));
    }
    Ok((index, record.clone()))
}

/// Create (201 with the new ID) or replace (204) from the body's record.
fn write(
    cx: &mut Ctx<'_>,
    op: &Standard,
    resource: &Resource,
    owner: Option<&str>,
    now: &str,
) -> Reply {
    let old = match op.kind {
        Kind::Replace => Some(find(cx, op, resource, owner)?),
        _ => None,
    };
    let body = cx.body()?;
    let sent = match op.body {
        Some(field) => body.get(field),
        None => Some(&body),
    };
    let Some(mut record) = sent.filter(|r| r.is_object()).cloned() else {
        return Err(errors::required(op.body.unwrap_or(resource.record)));
    };
    for parent in op.parents {
        if let Rel::Field(path) = parent.rel {
            set(&mut record, &path.join("."), json!(cx.param(parent.param)));
        }
    }
    if let (Some(me), Some(field)) = (owner, resource.owner)
        && field != resource.id
    {
        match record.get(field).and_then(text) {
            Some(other) if other != me => return Err(scope::not_mine(field, &other)),
            Some(_) => {}
            None => set(&mut record, field, json!(me)),
        }
    }
    let env = env!(cx, &body, now);
    for (field, expr) in op.set {
        let value = eval(expr, &env.with_record(&record), &cx.state.store);
        set(&mut record, field, value);
    }
    let id_param = cx.param(op.id_param.unwrap_or_default()).to_owned();
    let how = old
        .as_ref()
        .map_or(Write::Create, |(index, _)| Write::Replace {
            index: *index,
            id: &id_param,
        });
    let id = records::write(&mut cx.state.store, resource, record, how, &env)?;
    if op.after == Some(Hook::Credentials) {
        tokens::remember_customer(cx, &id, &body, old.is_none());
    }
    Ok(match old {
        Some(_) => Answer::NoContent,
        None => Answer::Json(StatusCode::CREATED, json!({"data": {resource.id: id}})),
    })
}

#[cfg(test)]
#[path = "collections_tests.rs"]
mod tests;
