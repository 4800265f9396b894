//! `POST /rewards/{reward_id}/actions/set-products`: the body's products
//! (by ID or PLU code; 400 `not_found` for an unknown one) become the
//! reward's, with their roles (0 condition, 1 bonus), in the reward's
//! hidden `product_links`; its `has_product_condition` and
//! `has_product_bonus` follow.

use carecloud_api::types::{RewardProductRelationCode, SetRewardProductsRequest};
use serde_json::{Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::engines::declared;
use crate::engines::expr::Env;
use crate::engines::records::{self, Write};
use crate::errors;
use crate::store::{set, text};

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
            return Err(errors::unknown(&name, json!(item.product_id), message));
        };
        let role = match item.reward_product_relation_type {
            RewardProductRelationCode::Condition => "condition",
            RewardProductRelationCode::Bonus => "bonus",
            _ => {
                let name = format!("products[{i}].reward_product_relation_type");
                let message = "The role is 0 (condition) or 1 (bonus)";
                return Err(errors::not_allowed(&name, Value::Null, message));
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
