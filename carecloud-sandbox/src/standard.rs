//! Standard operations served from the spec alone: list, get, create,
//! replace and delete on the collection `resources.rs` infers, with parents
//! in the path, customer scoping and the real API's envelopes:
//!
//! * list: `{"data": {<items>: [...], "total_items": n}}` (see `listing.rs`);
//! * get: `{"data": <record>}`, 404 if there is no such record;
//! * create: 201 `{"data": {<id_field>: <new id>}}`; the record is the body's
//!   field named after the resource (`customer`, `card`), else its only
//!   object; `last_change` (and `state` 1, if absent) are set where the
//!   collection's records have them; unique fields and references to other
//!   collections (`card_type_id`) are checked (400 `already_exists` /
//!   `not_found`);
//! * replace: 204, the record becomes the body's (full replacement: omitted
//!   fields are gone), keeping its ID and parent;
//! * delete: 204.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;
use crate::resources::{Kind, Resource, id_field, singular};
use crate::scope::{self, OWNER};
use crate::store::text;
use crate::tokens;

/// Serves `cx.op` as the standard operation its path and method make it.
pub(crate) fn serve(cx: &mut Ctx<'_>) -> Reply {
    let Some(resource) = Resource::of(cx.op) else {
        return Err(errors::no_handler(cx.op));
    };
    let owner = scope::owner(cx, resource.kind, &resource.collection)?;
    check_parents(cx, &resource, owner.as_deref())?;
    match resource.kind {
        Kind::List => list(cx, &resource, owner.as_deref()),
        Kind::Get => {
            let (_, record) = find(cx, &resource, owner.as_deref())?;
            Ok(Answer::Json(StatusCode::OK, json!({ "data": record })))
        }
        Kind::Create => create(cx, &resource, owner.as_deref()),
        Kind::Replace => replace(cx, &resource, owner.as_deref()),
        Kind::Delete => {
            let (index, _) = find(cx, &resource, owner.as_deref())?;
            let id_field = id_field(&resource.collection);
            let records = &mut cx
                .state
                .store
                .entry(&resource.collection, &id_field)
                .records;
            if index < records.len() {
                records.remove(index);
            }
            Ok(Answer::NoContent)
        }
    }
}

/// Each parent in the path must exist (404) and, when scoped, be the
/// logged-in customer (400).
fn check_parents(cx: &Ctx<'_>, resource: &Resource, owner: Option<&str>) -> Result<(), ApiError> {
    for parent in &resource.parents {
        let id = cx.param(parent.param);
        if let Some(me) = owner
            && parent.param == OWNER
            && id != me
        {
            return Err(scope::not_mine(parent.param, id));
        }
        let exists = cx
            .state
            .store
            .get(&parent.collection)
            .is_some_and(|c| c.find(id).is_some());
        if !exists {
            return Err(errors::not_found(&singular(&parent.collection), id));
        }
    }
    Ok(())
}

/// Whether `record` belongs to the parents in the path.
fn under_parents(cx: &Ctx<'_>, resource: &Resource, record: &Value) -> bool {
    resource
        .parents
        .iter()
        .all(|p| record.get(p.param).and_then(text).as_deref() == Some(cx.param(p.param)))
}

fn list(cx: &Ctx<'_>, resource: &Resource, owner: Option<&str>) -> Reply {
    if let Some(me) = owner {
        for name in [OWNER, "customer_ids"] {
            scope::only_me(name, cx.query.all(name), me)?;
        }
    }
    let collection = cx.state.store.get(&resource.collection);
    let records: Vec<&Value> = cx
        .state
        .store
        .records(&resource.collection)
        .iter()
        .filter(|r| under_parents(cx, resource, r))
        .filter(|r| owner.is_none_or(|me| scope::is_mine(r, me)))
        .collect();
    let now = cx.state.now();
    let (page, total) = listing::page(records, &cx.query, cx.op, collection, resource.paged, &now)?;
    let mut data = Map::new();
    data.insert(resource.items.clone(), Value::Array(page));
    data.insert("total_items".to_owned(), json!(total));
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

/// The record the path names and where it is: 404 if there is none (or it
/// is not under the path's parents), 400 if it is another customer's.
fn find(
    cx: &Ctx<'_>,
    resource: &Resource,
    owner: Option<&str>,
) -> Result<(usize, Value), ApiError> {
    let id_param = resource.id_param.unwrap_or_default();
    let id = cx.param(id_param);
    let found = cx
        .state
        .store
        .get(&resource.collection)
        .and_then(|c| c.find(id))
        .filter(|(_, r)| under_parents(cx, resource, r));
    let Some((index, record)) = found else {
        return Err(errors::not_found(&singular(&resource.collection), id));
    };
    if let Some(me) = owner
        && !scope::is_mine(record, me)
    {
        return Err(scope::not_mine(id_param, id));
    }
    Ok((index, record.clone()))
}

/// The record in a create or replace body: the field named after the
/// resource (`card`), else the body's only object, else the body.
fn record_of(body: &Value, collection: &str) -> Result<Map<String, Value>, ApiError> {
    let fields = body.as_object();
    let objects: Vec<&Value> = fields
        .map(|f| f.values().filter(|v| v.is_object()).collect())
        .unwrap_or_default();
    let record = fields
        .and_then(|f| f.get(&singular(collection)))
        .or(if objects.len() == 1 {
            objects.first().copied()
        } else {
            None
        })
        .unwrap_or(body);
    match record.as_object() {
        Some(record) => Ok(record.clone()),
        None => Err(errors::required(&singular(collection))),
    }
}

/// Sets what the server owns: `last_change` (and `state` 1 for a new
/// record without one) where the collection's records have them.
fn server_fields(cx: &Ctx<'_>, collection: &str, record: &mut Map<String, Value>, created: bool) {
    let Some(existing) = cx.state.store.get(collection) else {
        return;
    };
    if existing.has_top_field("last_change") {
        record.insert("last_change".to_owned(), json!(cx.state.now()));
    }
    if created && existing.has_top_field("state") && !record.contains_key("state") {
        record.insert("state".to_owned(), json!(1));
    }
}

/// The record's owner on the customer interface: the logged-in customer's
/// own records only.
fn own(
    record: &mut Map<String, Value>,
    owner: Option<&str>,
    fallback: Option<&Value>,
) -> Result<(), ApiError> {
    let Some(me) = owner else { return Ok(()) };
    match record.get(OWNER).and_then(text) {
        Some(other) if other != me => Err(scope::not_mine(OWNER, &other)),
        Some(_) => Ok(()),
        None => {
            record.insert(
                OWNER.to_owned(),
                fallback.cloned().unwrap_or_else(|| json!(me)),
            );
            Ok(())
        }
    }
}

fn create(cx: &mut Ctx<'_>, resource: &Resource, owner: Option<&str>) -> Reply {
    let body = cx.body()?;
    let mut record = record_of(&body, &resource.collection)?;
    for parent in &resource.parents {
        record.insert(parent.param.to_owned(), json!(cx.param(parent.param)));
    }
    let id_field = id_field(&resource.collection);
    if id_field != OWNER {
        own(&mut record, owner, None)?;
    }
    let id = cx.state.store.new_id(26);
    record.insert(id_field.clone(), json!(id));
    server_fields(cx, &resource.collection, &mut record, true);
    let record = Value::Object(record);
    cx.state
        .store
        .check_unique(&resource.collection, &record, None)?;
    cx.state
        .store
        .check_references(&resource.collection, &record)?;
    cx.state
        .store
        .entry(&resource.collection, &id_field)
        .records
        .push(record);
    if id_field == OWNER {
        tokens::remember_customer(cx, &id, &body, true);
    }
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {id_field: id}}),
    ))
}

fn replace(cx: &mut Ctx<'_>, resource: &Resource, owner: Option<&str>) -> Reply {
    let (index, old) = find(cx, resource, owner)?;
    let body = cx.body()?;
    let mut record = record_of(&body, &resource.collection)?;
    let id_field = id_field(&resource.collection);
    let id = cx.param(resource.id_param.unwrap_or_default()).to_owned();
    record.insert(id_field.clone(), json!(id));
    for parent in &resource.parents {
        record.insert(parent.param.to_owned(), json!(cx.param(parent.param)));
    }
    if id_field != OWNER {
        own(&mut record, owner, old.get(OWNER))?;
    }
    server_fields(cx, &resource.collection, &mut record, false);
    let record = Value::Object(record);
    cx.state
        .store
        .check_unique(&resource.collection, &record, Some(&id))?;
    cx.state
        .store
        .check_references(&resource.collection, &record)?;
    if let Some(slot) = cx
        .state
        .store
        .entry(&resource.collection, &id_field)
        .records
        .get_mut(index)
    {
        *slot = record;
    }
    if id_field == OWNER {
        tokens::remember_customer(cx, &id, &body, false);
    }
    Ok(Answer::NoContent)
}

#[cfg(test)]
#[path = "standard_tests.rs"]
mod tests;
