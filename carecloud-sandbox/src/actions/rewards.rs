//! Rewards' own editing, which no engine expresses:
//!
//! * `create-simple-reward`: a reward of group 4 from the translations of
//!   a simple reward (the first name is its `name`), whose stores must
//!   exist (400 `not_found`); the code must be free and the reward type
//!   exist (the rewards resource's rules);
//! * `set-products`: the body's products (by ID or PLU code; 400
//!   `not_found` for an unknown one) become the reward's, with their roles
//!   (0 condition, 1 bonus), in the reward's hidden `product_links`; its
//!   `has_product_condition` and `has_product_bonus` follow.

use axum::http::StatusCode;
use carecloud_api::types::{
    CreateSimpleRewardRequest, RewardProductRelationCode, SetRewardProductsRequest,
    TextTranslation, UrlLanguageVariant,
};
use serde_json::{Map, Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::engines::declared;
use crate::engines::expr::Env;
use crate::engines::records::{self, Write};
use crate::errors;
use crate::store::{set, text};

fn first_text(texts: &[TextTranslation]) -> Value {
    json!(texts.first().and_then(|t| t.text.clone()))
}

fn urls(urls: &[UrlLanguageVariant]) -> Vec<Value> {
    urls.iter().map(|u| json!(u.url)).collect()
}

/// `POST /rewards/actions/create-simple-reward`.
pub(crate) fn create_simple_reward(cx: &mut Ctx<'_>) -> Reply {
    let body: CreateSimpleRewardRequest = cx.body_as()?;
    let simple = body.simple_reward;
    let mut store_list = Vec::new();
    for store in simple.stores.iter().flatten() {
        let Some((_, found)) = cx.state.store.find("stores", &store.store_id) else {
            let message = "No store with this ID";
            return Err(errors::bad_request(
                "store_id",
                "not_found",
                json!(store.store_id),
                message,
            ));
        };
        let summary: Map<String, Value> =
            ["store_id", "store_code", "name", "partner_id", "system_id"]
                .iter()
                .filter_map(|k| found.get(*k).map(|v| ((*k).to_owned(), v.clone())))
                .collect();
        store_list.push(Value::Object(summary));
    }
    let external = urls(simple.reward_external_urls.as_deref().unwrap_or_default());
    let reward = json!({
        "code": simple.code,
        "name": first_text(&simple.names),
        "note": simple.notes.as_deref().map_or(json!(""), first_text),
        "subtitle": first_text(simple.subtitles.as_deref().unwrap_or_default()),
        "points_cost": simple.points_cost,
        "reward_group": 4,
        "reward_type_id": simple.reward_type_id,
        "store_list": store_list,
        "priority": simple.priority,
        "image_urls": urls(simple.image_urls.as_deref().unwrap_or_default()),
        "reward_external_url": external.into_iter().next(),
        "is_automated": false,
        "tags": simple.tags.unwrap_or_default(),
        "state": simple.state,
    });
    let now = cx.state.now();
    let resource = declared("rewards")?;
    let id = records::write(
        &mut cx.state.store,
        resource,
        reward,
        Write::Create,
        &Env::bare(&now),
    )?;
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"reward_id": id}}),
    ))
}

/// `POST /rewards/{reward_id}/actions/set-products`.
pub(crate) fn set_products(cx: &mut Ctx<'_>) -> Reply {
    let reward_id = cx.param("reward_id").to_owned();
    let Some((index, reward)) = cx.state.store.find("rewards", &reward_id) else {
        return Err(errors::not_found("reward", &reward_id));
    };
    let mut reward = reward.clone();
    let body: SetRewardProductsRequest = cx.body_as()?;
    let mut links: Vec<(String, Vec<&str>)> = Vec::new();
    for (i, item) in body.products.iter().enumerate() {
        let products = cx.state.store.records("products");
        let found = products
            .iter()
            .find(|p| match (&item.product_id, &item.plu_id) {
                (Some(id), _) => p.get("product_id").and_then(text).as_deref() == Some(id.as_str()),
                (None, Some(plu)) => {
                    p.get("plu_ids")
                        .and_then(Value::as_array)
                        .is_some_and(|codes| {
                            codes.iter().any(|c| {
                                c.get("list_code") == Some(&json!(plu.list_code))
                                    && c.get("code") == Some(&json!(plu.code))
                            })
                        })
                }
                (None, None) => false,
            });
        let Some(product) = found.and_then(|p| p.get("product_id")).and_then(text) else {
            let message = "No product with this ID or PLU code";
            let name = format!("products[{i}].product_id");
            return Err(errors::bad_request(
                &name,
                "not_found",
                json!(item.product_id),
                message,
            ));
        };
        let role = match item.reward_product_relation_type {
            RewardProductRelationCode::Condition => "condition",
            RewardProductRelationCode::Bonus => "bonus",
            _ => {
                let name = format!("products[{i}].reward_product_relation_type");
                let message = "The role is 0 (condition) or 1 (bonus)";
                return Err(errors::bad_request(
                    &name,
                    "not_allowed_value",
                    Value::Null,
                    message,
                ));
            }
        };
        match links.iter_mut().find(|(p, _)| *p == product) {
            Some((_, roles)) if roles.contains(&role) => {}
            Some((_, roles)) => roles.push(role),
            None => links.push((product, vec![role])),
        }
    }
    let has = |wanted: &str| links.iter().any(|(_, roles)| roles.contains(&wanted));
    set(
        &mut reward,
        "has_product_condition",
        json!(has("condition")),
    );
    set(&mut reward, "has_product_bonus", json!(has("bonus")));
    let links: Vec<Value> = links
        .iter()
        .map(|(p, r)| json!({"product_id": p, "roles": r}))
        .collect();
    set(&mut reward, "product_links", Value::Array(links));
    let now = cx.state.now();
    let how = Write::Replace {
        index,
        id: &reward_id,
    };
    records::write(
        &mut cx.state.store,
        declared("rewards")?,
        reward,
        how,
        &Env::bare(&now),
    )?;
    Ok(Answer::NoContent)
}
