//! Rewards the standard operations cannot serve as they are:
//!
//! * lists of rewards: `store_id` keeps the rewards usable in that store,
//!   `tag_ids` those carrying any of the tags, `without_stores=true` drops
//!   `store_list`; the recommendations for a customer are the active
//!   rewards they can afford with their valid points (or that cost none),
//!   the most expensive first;
//! * a reward's stores are the project's stores in its `store_list`, its
//!   tags the distinct tags of all rewards;
//! * a reward's products, product groups and brands are the records of
//!   `products`, `product_groups` and `product_brands` whose `reward_roles`
//!   (a field the API does not send) name the reward with their roles;
//!   setting the products rewrites those roles;
//! * issuing a voucher (`create-voucher`) charges the reward's
//!   `points_cost`: refused with 400 `not_enough_points_for_voucher` when
//!   the customer's valid points do not cover it, else the charge is a
//!   point record of minus the cost (see [`points`]) and the voucher is the
//!   customer's; `create-custom-voucher` charges nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::customer_records::{body_customer, push};
use super::vouchers::{VOUCHERS, issue};
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;
use crate::resources::Kind;
use crate::scope::{self, OWNER};
use crate::store::text;

mod catalog;
pub(crate) mod points;
mod simple;

pub(crate) use catalog::{product_brands, product_groups, products, set_products};
pub(crate) use simple::create_simple_reward;

/// The rewards collection.
const REWARDS: &str = "rewards";
/// Query parameters the reward lists apply here, not as field filters.
const OWN_FILTERS: [&str; 4] = ["store_id", "tag_ids", "without_stores", OWNER];

/// The reward `id`, if there is one.
pub(crate) fn find(cx: &Ctx<'_>, id: &str) -> Option<Value> {
    cx.state
        .store
        .get(REWARDS)
        .and_then(|c| c.find(id))
        .map(|(_, r)| r.clone())
}

/// The reward of the path: 404 if there is none.
fn in_path(cx: &Ctx<'_>) -> Result<Value, ApiError> {
    let id = cx.param("reward_id");
    find(cx, id).ok_or_else(|| errors::not_found("reward", id))
}

/// `GET /rewards`: every reward, filtered.
pub(crate) fn list(cx: &mut Ctx<'_>) -> Reply {
    let all: Vec<&Value> = cx.state.store.records(REWARDS).iter().collect();
    page(cx, all)
}

/// `GET /rewards/actions/reward-recommendations`: the active rewards the
/// customer can afford, the most expensive first.
pub(crate) fn recommendations(cx: &mut Ctx<'_>) -> Reply {
    let customer = cx.query.one(OWNER).unwrap_or_default().to_owned();
    if let Some(me) = scope::owner(cx, Kind::List, "customers")? {
        scope::only_me(OWNER, cx.query.all(OWNER), &me)?;
    }
    if !super::customer_records::customer_exists(cx, &customer) {
        return Err(errors::bad_request(
            OWNER,
            "not_found",
            json!(customer),
            "No customer with this ID",
        ));
    }
    let balance = points::balance(cx, &customer);
    let mut affordable: Vec<&Value> = cx
        .state
        .store
        .records(REWARDS)
        .iter()
        .filter(|r| is_active(r) && cost(r) <= balance)
        .collect();
    affordable.sort_by(|a, b| {
        cost(b).total_cmp(&cost(a)).then(
            a.get("name")
                .and_then(text)
                .cmp(&b.get("name").and_then(text)),
        )
    });
    page(cx, affordable)
}

/// One page of `rewards` (in order) as `data.rewards`.
fn page(cx: &Ctx<'_>, rewards: Vec<&Value>) -> Reply {
    let store = cx.query.one("store_id");
    let tags = cx.query.all("tag_ids");
    let rewards: Vec<&Value> = rewards
        .into_iter()
        .filter(|r| store.is_none_or(|s| listed(r, "store_list", "store_id", s)))
        .filter(|r| tags.is_empty() || tags.iter().any(|t| listed(r, "tags", "tag_id", t)))
        .collect();
    let now = cx.state.now();
    let query = cx.query.without(&OWN_FILTERS);
    let collection = cx.state.store.get(REWARDS);
    let (page, total) = listing::page(rewards, &query, cx.op, collection, true, &now)?;
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

/// `GET /rewards/{reward_id}/stores`: the stores of the reward's
/// `store_list`, as the project's stores.
pub(crate) fn stores(cx: &mut Ctx<'_>) -> Reply {
    let reward = in_path(cx)?;
    let ids: Vec<&str> = reward
        .get("store_list")
        .and_then(Value::as_array)
        .map(|stores| {
            stores
                .iter()
                .filter_map(|s| s.get("store_id").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let stores: Vec<&Value> = cx
        .state
        .store
        .records("stores")
        .iter()
        .filter(|s| {
            s.get("store_id")
                .and_then(Value::as_str)
                .is_some_and(|id| ids.contains(&id))
        })
        .collect();
    let now = cx.state.now();
    let collection = cx.state.store.get("stores");
    let (page, total) = listing::page(stores, &cx.query, cx.op, collection, true, &now)?;
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"stores": page, "total_items": total}}),
    ))
}

/// `GET /rewards/tags`: the distinct tags of the rewards (`name` and
/// `text_id` compare case-insensitively).
pub(crate) fn tags(cx: &mut Ctx<'_>) -> Reply {
    let mut seen: Vec<Value> = Vec::new();
    for reward in cx.state.store.records(REWARDS) {
        for tag in reward
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = tag.get("tag_id");
            if !seen.iter().any(|t| t.get("tag_id") == id) {
                seen.push(tag.clone());
            }
        }
    }
    let matches = |tag: &Value, name: &str| {
        cx.query.one(name).is_none_or(|wanted| {
            tag.get(name)
                .and_then(text)
                .is_some_and(|have| have.eq_ignore_ascii_case(wanted))
        })
    };
    let tags: Vec<&Value> = seen
        .iter()
        .filter(|t| matches(t, "name") && matches(t, "text_id"))
        .collect();
    let now = cx.state.now();
    let query = cx.query.without(&["name", "text_id"]);
    let (page, total) = listing::page(tags, &query, cx.op, None, true, &now)?;
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"tags": page, "total_items": total}}),
    ))
}

/// `POST /rewards/{reward_id}/actions/create-voucher`: paid with points.
pub(crate) fn create_voucher(cx: &mut Ctx<'_>) -> Reply {
    issue_from_reward(cx, false)
}

/// `POST /rewards/{reward_id}/actions/create-custom-voucher`: the body's
/// value, no points charged.
pub(crate) fn create_custom_voucher(cx: &mut Ctx<'_>) -> Reply {
    issue_from_reward(cx, true)
}

fn issue_from_reward(cx: &mut Ctx<'_>, custom: bool) -> Reply {
    let reward = in_path(cx)?;
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    if !is_active(&reward) {
        return Err(errors::bad_request(
            "reward_id",
            "not_allowed_value",
            reward.get("reward_id").cloned().unwrap_or(Value::Null),
            "The reward is not active",
        ));
    }
    let price = if custom { 0.0 } else { cost(&reward) };
    if price > 0.0 && points::balance(cx, &customer) < price {
        return Err(errors::bad_request(
            OWNER,
            "not_enough_points_for_voucher",
            json!(customer),
            "The customer does not have enough points for this reward",
        ));
    }
    let code = body.get("code").and_then(text);
    let mut voucher = issue(cx, &reward, &customer, code, body.get("note").cloned())?;
    if custom {
        voucher["value"] = body["value"].clone();
    }
    let id = voucher["voucher_id"].clone();
    let label = format!(
        "Voucher {} of reward {}",
        voucher["code"].as_str().unwrap_or_default(),
        reward.get("code").and_then(text).unwrap_or_default()
    );
    push(cx, VOUCHERS, voucher);
    if price > 0.0 {
        points::charge(cx, &customer, price, &label);
    }
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"voucher_id": id}}),
    ))
}

fn is_active(reward: &Value) -> bool {
    reward.get("state").is_none_or(|s| s.as_i64() == Some(1))
}

fn cost(reward: &Value) -> f64 {
    reward
        .get("points_cost")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
}

/// Whether the array `list` of `record` has an item whose `key` is `id`.
fn listed(record: &Value, list: &str, key: &str, id: &str) -> bool {
    record
        .get(list)
        .and_then(Value::as_array)
        .is_some_and(|items| {
            items
                .iter()
                .any(|i| i.get(key).and_then(Value::as_str) == Some(id))
        })
}
