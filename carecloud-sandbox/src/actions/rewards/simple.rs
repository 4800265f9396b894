//! `POST /rewards/actions/create-simple-reward`: a new reward of group 4.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::super::customer_records::push;
use super::REWARDS;
use crate::context::{Answer, Ctx, Reply};
use crate::errors;

/// `POST /rewards/actions/create-simple-reward`: a reward of group 4 (the
/// first name is its `name`); the code must be free and the reward type
/// and stores must exist.
pub(crate) fn create_simple_reward(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let simple = &body["simple_reward"];
    let type_id = simple["reward_type_id"].as_str().unwrap_or_default();
    if cx
        .state
        .store
        .get("reward_types")
        .and_then(|t| t.find(type_id))
        .is_none()
    {
        return Err(errors::bad_request(
            "reward_type_id",
            "not_found",
            json!(type_id),
            "No reward type with this ID",
        ));
    }
    let mut store_list = Vec::new();
    for store in simple["stores"].as_array().into_iter().flatten() {
        let id = store["store_id"].as_str().unwrap_or_default();
        let Some((_, found)) = cx.state.store.get("stores").and_then(|s| s.find(id)) else {
            return Err(errors::bad_request(
                "store_id",
                "not_found",
                json!(id),
                "No store with this ID",
            ));
        };
        let summary: Map<String, Value> =
            ["store_id", "store_code", "name", "partner_id", "system_id"]
                .iter()
                .filter_map(|k| found.get(*k).map(|v| ((*k).to_owned(), v.clone())))
                .collect();
        store_list.push(Value::Object(summary));
    }
    let first_text = |field: &str| simple[field].get(0).map(|t| t["text"].clone());
    let urls = |field: &str| -> Vec<Value> {
        simple[field]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| u["url"].clone())
            .collect()
    };
    let id = cx.state.store.new_id(26);
    let reward = json!({
        "reward_id": id,
        "code": simple["code"],
        "name": first_text("names").unwrap_or(Value::Null),
        "note": first_text("notes").unwrap_or(json!("")),
        "subtitle": first_text("subtitles").unwrap_or(Value::Null),
        "points_cost": simple.get("points_cost").cloned().unwrap_or(Value::Null),
        "reward_group": 4,
        "reward_type_id": type_id,
        "store_list": store_list,
        "priority": simple.get("priority").cloned().unwrap_or(Value::Null),
        "image_urls": urls("image_urls"),
        "reward_external_url": urls("reward_external_urls").into_iter().next().unwrap_or(Value::Null),
        "is_automated": false,
        "tags": simple.get("tags").cloned().unwrap_or(json!([])),
        "last_change": cx.state.now(),
        "state": simple["state"],
    });
    cx.state.store.check_unique(REWARDS, &reward, None)?;
    push(cx, REWARDS, reward);
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"reward_id": id}}),
    ))
}
