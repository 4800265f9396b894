//! Records kept under a customer whose replies the standard operations
//! cannot give as they are (lists under a parent otherwise are standard):
//!
//! * some collections keep a field for the sandbox's own bookkeeping that
//!   the real API does not send (the owner of an address or property value,
//!   the ID of a segment membership, ...): [`INTERNAL`] lists them, and
//!   their lists and gets here leave them out;
//! * status records answer `valid_now`, relations list only the ones valid
//!   now unless `all_customer_relations=true`;
//! * a customer's rewards are the project's active rewards; the
//!   recommendations are those the customer can afford with their valid
//!   points (or that cost none), the most expensive first.
//!
//! The customer in the path must exist (404) and, on the customer
//! interface, be the logged-in customer (400
//! `not_belong_to_logged_in_customer`; 403 without a login). The helpers
//! for that (and for a customer named in a body) are shared by the other
//! customer modules.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;
use crate::resources::{Kind, Resource, singular};
use crate::scope::{self, OWNER};
use crate::store::text;

/// Collection → fields the sandbox keeps on its records but never sends.
const INTERNAL: [(&str, &[&str]); 6] = [
    ("property_records", &[OWNER]),
    ("addresses", &[OWNER]),
    ("related_customers", &[OWNER]),
    ("partner_records", &[OWNER]),
    (
        "segment_records",
        &["segment_record_id", "segment_group_id"],
    ),
    (
        "recommendation_records",
        &["recommendation_record_id", OWNER],
    ),
];

/// The customer of the path: it exists, and on the customer interface it is
/// the logged-in one.
pub(crate) fn customer_in_path(cx: &Ctx<'_>) -> Result<String, ApiError> {
    let id = cx.param(OWNER).to_owned();
    logged_in_as(cx, &id)?;
    if customer_exists(cx, &id) {
        Ok(id)
    } else {
        Err(errors::not_found("customer", &id))
    }
}

/// The body's `customer_id`: an existing customer (400 `not_found`), on
/// the customer interface the logged-in one.
pub(crate) fn body_customer(cx: &Ctx<'_>, body: &Value) -> Result<String, ApiError> {
    let id = body[OWNER].as_str().unwrap_or_default().to_owned();
    logged_in_as(cx, &id)?;
    if customer_exists(cx, &id) {
        Ok(id)
    } else {
        Err(errors::bad_request(
            OWNER,
            "not_found",
            json!(id),
            "No customer with this ID",
        ))
    }
}

/// On the customer interface: a customer is logged in (else 403) and it is
/// `id` (else 400 `not_belong_to_logged_in_customer`).
fn logged_in_as(cx: &Ctx<'_>, id: &str) -> Result<(), ApiError> {
    match scope::owner(cx, Kind::Get, "customers")? {
        Some(me) if me != id => Err(scope::not_mine(OWNER, id)),
        _ => Ok(()),
    }
}

/// Adds `record` to `collection`.
pub(crate) fn push(cx: &mut Ctx<'_>, collection: &str, record: Value) {
    let id_field = crate::resources::id_field(collection);
    cx.state
        .store
        .entry(collection, &id_field)
        .records
        .push(record);
}

/// Whether the store has the customer `id`.
pub(crate) fn customer_exists(cx: &Ctx<'_>, id: &str) -> bool {
    cx.state
        .store
        .get("customers")
        .is_some_and(|c| c.find(id).is_some())
}

/// `record` as the API sends it: without the collection's internal fields.
fn public(collection: &str, record: &Value) -> Value {
    let mut record = record.clone();
    let hidden = INTERNAL
        .iter()
        .find(|(name, _)| *name == collection)
        .map_or(&[][..], |(_, fields)| *fields);
    if let Some(fields) = record.as_object_mut() {
        for field in hidden {
            fields.remove(*field);
        }
    }
    record
}

/// A list under the customer (filters, sorting and paging as every list),
/// internal fields left out; `valid_now` and `all_customer_relations` as
/// the module says.
pub(crate) fn list(cx: &mut Ctx<'_>) -> Reply {
    let Some(resource) = Resource::of(cx.op) else {
        return Err(errors::no_handler(cx.op));
    };
    let customer = customer_in_path(cx)?;
    let now = cx.state.now();
    let only_valid = if cx.op.param("all_customer_relations").is_some() {
        (cx.query.flag("all_customer_relations") != Some(true)).then_some(true)
    } else {
        cx.query.flag("valid_now")
    };
    let records: Vec<&Value> = cx
        .state
        .store
        .records(&resource.collection)
        .iter()
        .filter(|r| scope::is_mine(r, &customer))
        .filter(|r| only_valid.is_none_or(|wanted| listing::is_valid(r, &now) == wanted))
        .collect();
    let collection = cx.state.store.get(&resource.collection);
    let (page, total) = listing::page(records, &cx.query, cx.op, collection, resource.paged, &now)?;
    let items: Vec<Value> = page
        .iter()
        .map(|r| public(&resource.collection, r))
        .collect();
    let mut data = Map::new();
    data.insert(resource.items, Value::Array(items));
    data.insert("total_items".to_owned(), json!(total));
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

/// One record under the customer, internal fields left out; 404 if the
/// customer has no such record.
pub(crate) fn get(cx: &mut Ctx<'_>) -> Reply {
    let Some(resource) = Resource::of(cx.op) else {
        return Err(errors::no_handler(cx.op));
    };
    let customer = customer_in_path(cx)?;
    let id = cx.param(resource.id_param.unwrap_or_default());
    let record = cx
        .state
        .store
        .get(&resource.collection)
        .and_then(|c| c.find(id))
        .map(|(_, r)| r)
        .filter(|r| scope::is_mine(r, &customer));
    match record {
        Some(record) => Ok(Answer::Json(
            StatusCode::OK,
            json!({ "data": public(&resource.collection, record) }),
        )),
        None => Err(errors::not_found(&singular(&resource.collection), id)),
    }
}

/// `GET /customers/{customer_id}/rewards`: the project's active rewards.
pub(crate) fn rewards(cx: &mut Ctx<'_>) -> Reply {
    customer_in_path(cx)?;
    let active: Vec<&Value> = cx
        .state
        .store
        .records("rewards")
        .iter()
        .filter(|r| is_active(r))
        .collect();
    reward_page(cx, active)
}

/// `GET /customers/{customer_id}/reward-recommendations`: active rewards
/// the customer can afford with their valid points (or that cost none),
/// the most expensive first.
pub(crate) fn reward_recommendations(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let now = cx.state.now();
    let balance: f64 = cx
        .state
        .store
        .records("points")
        .iter()
        .filter(|p| scope::is_mine(p, &customer) && listing::is_valid(p, &now))
        .filter_map(|p| p.get("available_points").and_then(Value::as_f64))
        .sum();
    let mut affordable: Vec<&Value> = cx
        .state
        .store
        .records("rewards")
        .iter()
        .filter(|r| is_active(r) && cost(r) <= balance)
        .collect();
    affordable.sort_by(|a, b| cost(b).total_cmp(&cost(a)).then(name(a).cmp(&name(b))));
    reward_page(cx, affordable)
}

/// One page of `rewards` (already in order) as `data.rewards`: `store_id`
/// keeps the rewards usable in that store; with `without_stores=true` the
/// rewards leave out `store_list`.
fn reward_page(cx: &Ctx<'_>, rewards: Vec<&Value>) -> Reply {
    let now = cx.state.now();
    let rewards: Vec<&Value> = match cx.query.one("store_id") {
        Some(store) => rewards
            .into_iter()
            .filter(|r| usable_in(r, store))
            .collect(),
        None => rewards,
    };
    let collection = cx.state.store.get("rewards");
    let (page, total) = listing::page(rewards, &cx.query, cx.op, collection, true, &now)?;
    let without_stores = cx.query.flag("without_stores") == Some(true);
    let page: Vec<Value> = page
        .into_iter()
        .map(|mut reward| {
            if without_stores && let Some(fields) = reward.as_object_mut() {
                fields.remove("store_list");
            }
            reward
        })
        .collect();
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"rewards": page, "total_items": total}}),
    ))
}

fn is_active(record: &Value) -> bool {
    record.get("state").is_none_or(|s| s.as_i64() == Some(1))
}

/// Whether `reward` lists `store` among its stores.
fn usable_in(reward: &Value, store: &str) -> bool {
    reward
        .get("store_list")
        .and_then(Value::as_array)
        .is_some_and(|stores| {
            stores
                .iter()
                .any(|s| s.get("store_id").and_then(Value::as_str) == Some(store))
        })
}

fn cost(reward: &Value) -> f64 {
    reward
        .get("points_cost")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
}

fn name(record: &Value) -> Option<String> {
    record.get("name").and_then(text)
}
