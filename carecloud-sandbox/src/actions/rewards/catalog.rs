//! A reward's products, product groups and brands: the catalog records
//! whose `reward_roles` (reward ID → roles, kept by the sandbox and never
//! sent) name the reward. Each is sent with its roles as
//! `reward_product_relation_types`.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::in_path;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;

/// The field of catalog records holding their roles in rewards.
const ROLES: &str = "reward_roles";
/// The query parameter choosing one role.
const ROLE_PARAM: &str = "reward_product_relation_type";

/// `GET /rewards/{reward_id}/products`.
pub(crate) fn products(cx: &mut Ctx<'_>) -> Reply {
    related(cx, "products")
}

/// `GET /rewards/{reward_id}/product-groups`.
pub(crate) fn product_groups(cx: &mut Ctx<'_>) -> Reply {
    related(cx, "product_groups")
}

/// `GET /rewards/{reward_id}/product-brands`.
pub(crate) fn product_brands(cx: &mut Ctx<'_>) -> Reply {
    related(cx, "product_brands")
}

fn related(cx: &Ctx<'_>, collection: &str) -> Reply {
    in_path(cx)?;
    let reward = cx.param("reward_id");
    let role = cx.query.one(ROLE_PARAM);
    let records: Vec<Value> = cx
        .state
        .store
        .records(collection)
        .iter()
        .filter_map(|record| {
            let roles = record.get(ROLES)?.get(reward)?.as_array()?.clone();
            if role.is_some_and(|wanted| !roles.iter().any(|r| r.as_str() == Some(wanted))) {
                return None;
            }
            let mut record = record.clone();
            let fields = record.as_object_mut()?;
            fields.remove(ROLES);
            fields.insert(
                "reward_product_relation_types".to_owned(),
                Value::Array(roles),
            );
            Some(record)
        })
        .collect();
    let now = cx.state.now();
    let query = cx.query.without(&[ROLE_PARAM]);
    let store = cx.state.store.get(collection);
    let (page, total) = listing::page(records.iter().collect(), &query, cx.op, store, true, &now)?;
    let mut data = Map::new();
    data.insert(collection.to_owned(), Value::Array(page));
    data.insert("total_items".to_owned(), json!(total));
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

/// `POST /rewards/{reward_id}/actions/set-products`: the body's products
/// (by ID or PLU code; 400 `not_found` for an unknown one) become the
/// reward's, with their roles (0 condition, 1 bonus); the reward's
/// `has_product_condition`/`has_product_bonus` follow.
pub(crate) fn set_products(cx: &mut Ctx<'_>) -> Reply {
    in_path(cx)?;
    let reward = cx.param("reward_id").to_owned();
    let body = cx.body()?;
    let mut wanted: Vec<(usize, &'static str)> = Vec::new();
    for (i, item) in body["products"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let index = product_index(cx, item)
            .ok_or_else(|| unknown(&format!("products[{i}].product_id"), item))?;
        let role = match item["reward_product_relation_type"].as_i64() {
            Some(0) => "condition",
            Some(1) => "bonus",
            _ => {
                return Err(errors::bad_request(
                    &format!("products[{i}].reward_product_relation_type"),
                    "not_allowed_value",
                    item["reward_product_relation_type"].clone(),
                    "The role is 0 (condition) or 1 (bonus)",
                ));
            }
        };
        wanted.push((index, role));
    }
    let products = &mut cx.state.store.entry("products", "product_id").records;
    for (index, product) in products.iter_mut().enumerate() {
        let mut roles: Vec<Value> = Vec::new();
        for role in wanted.iter().filter(|(i, _)| *i == index).map(|(_, r)| *r) {
            if !roles.iter().any(|r| r == role) {
                roles.push(json!(role));
            }
        }
        let Some(fields) = product.as_object_mut() else {
            continue;
        };
        let all = fields.entry(ROLES).or_insert_with(|| json!({}));
        if let Some(all) = all.as_object_mut() {
            all.remove(&reward);
            if !roles.is_empty() {
                all.insert(reward.clone(), Value::Array(roles));
            }
        }
    }
    let now = cx.state.now();
    let rewards = &mut cx.state.store.entry("rewards", "reward_id").records;
    if let Some(record) = rewards
        .iter_mut()
        .find(|r| r.get("reward_id").and_then(Value::as_str) == Some(reward.as_str()))
    {
        record["has_product_condition"] = json!(wanted.iter().any(|(_, r)| *r == "condition"));
        record["has_product_bonus"] = json!(wanted.iter().any(|(_, r)| *r == "bonus"));
        record["last_change"] = json!(now);
    }
    Ok(Answer::NoContent)
}

/// Where the product an item names (by `product_id`, else by `plu_id`) is.
fn product_index(cx: &Ctx<'_>, item: &Value) -> Option<usize> {
    let products = cx.state.store.records("products");
    if let Some(id) = item.get("product_id").and_then(Value::as_str) {
        return products
            .iter()
            .position(|p| p.get("product_id").and_then(Value::as_str) == Some(id));
    }
    let plu = item.get("plu_id")?;
    products.iter().position(|p| {
        p.get("plu_ids")
            .and_then(Value::as_array)
            .is_some_and(|codes| {
                codes.iter().any(|c| {
                    c.get("list_code") == plu.get("list_code") && c.get("code") == plu.get("code")
                })
            })
    })
}

fn unknown(name: &str, item: &Value) -> ApiError {
    errors::bad_request(
        name,
        "not_found",
        item.clone(),
        "No product with this ID or PLU code",
    )
}
