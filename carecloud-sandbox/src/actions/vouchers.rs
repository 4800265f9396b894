//! Vouchers the standard operations cannot serve as they are, and the
//! voucher books:
//!
//! * lists (`GET /vouchers`, `GET /rewards/{reward_id}/vouchers`,
//!   `GET /customers/{customer_id}/vouchers`):
//!   `store_id` keeps the vouchers whose reward can be used in that store,
//!   `is_applied` splits used from unused ones, `without_stores=true` drops
//!   the reward's `store_list`; on the customer interface only the
//!   logged-in customer's vouchers;
//! * applying (redeeming) a voucher sets `applied_date` (and `store_id`);
//!   a voucher already applied is refused with 400 `voucher_already_applied`,
//!   one outside its validity with 400 `voucher_expired`. The sandbox's
//!   state is behind one lock, so of concurrent applications exactly one
//!   succeeds;
//! * a gift card's balance is its `value` until it is applied, then 0;
//! * a batch issues vouchers for existing rewards and customers, all or
//!   nothing unless `error_processing` is 2;
//! * a voucher's property values are the `property_records` seeded with
//!   its `voucher_id` (a field the API does not send).

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::customer_records::customer_in_path;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;
use crate::resources::Kind;
use crate::scope::{self, OWNER};
use crate::store::text;

mod batch;

pub(crate) use batch::batch;

/// The vouchers collection.
pub(crate) const VOUCHERS: &str = "vouchers";
/// Query parameters the voucher lists apply here, not as field filters.
const OWN_FILTERS: [&str; 4] = ["store_id", "is_applied", "without_stores", "reward_id"];

/// `GET /vouchers`, `GET /rewards/{reward_id}/vouchers` and a customer's
/// vouchers (the customer of the path must exist and, on the customer
/// interface, be the logged-in one).
pub(crate) fn list(cx: &mut Ctx<'_>) -> Reply {
    let me = if cx.param(OWNER).is_empty() {
        scope::owner(cx, Kind::List, VOUCHERS)?
    } else {
        Some(customer_in_path(cx)?)
    };
    if let Some(me) = &me {
        scope::only_me(OWNER, cx.query.all(OWNER), me)?;
    }
    let in_path = cx.param("reward_id").to_owned();
    let reward = if in_path.is_empty() {
        cx.query.one("reward_id").map(str::to_owned)
    } else {
        if super::rewards::find(cx, &in_path).is_none() {
            return Err(errors::not_found("reward", &in_path));
        }
        Some(in_path)
    };
    let store = cx.query.one("store_id").map(str::to_owned);
    let applied = cx.query.flag("is_applied");
    let records: Vec<&Value> = cx
        .state
        .store
        .records(VOUCHERS)
        .iter()
        .filter(|v| me.as_deref().is_none_or(|me| scope::is_mine(v, me)))
        .filter(|v| {
            reward
                .as_deref()
                .is_none_or(|r| reward_id(v).as_deref() == Some(r))
        })
        .filter(|v| store.as_deref().is_none_or(|s| usable_in(v, s)))
        .filter(|v| applied.is_none_or(|wanted| is_applied(v) == wanted))
        .collect();
    let now = cx.state.now();
    let query = cx.query.without(&OWN_FILTERS);
    let collection = cx.state.store.get(VOUCHERS);
    let (page, total) = listing::page(records, &query, cx.op, collection, true, &now)?;
    let without_stores = cx.query.flag("without_stores") == Some(true);
    let page: Vec<Value> = page
        .into_iter()
        .map(|mut voucher| {
            if without_stores
                && let Some(fields) = voucher.get_mut("reward").and_then(Value::as_object_mut)
            {
                fields.remove("store_list");
            }
            voucher
        })
        .collect();
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"vouchers": page, "total_items": total}}),
    ))
}

/// `POST /vouchers/{voucher_id}/actions/apply-voucher`.
pub(crate) fn apply(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let id = cx.param("voucher_id").to_owned();
    let (index, voucher) = mine(cx, &id)?;
    if is_applied(&voucher) {
        return Err(errors::bad_request(
            "voucher_id",
            "voucher_already_applied",
            json!(id),
            "The voucher has already been applied",
        ));
    }
    let now = cx.state.now();
    if !listing::is_valid(&voucher, &now) {
        return Err(errors::bad_request(
            "voucher_id",
            "voucher_expired",
            json!(id),
            "The voucher is not valid now",
        ));
    }
    let store = body.get("store_id").cloned().unwrap_or(Value::Null);
    if let Some(store_id) = store.as_str()
        && cx
            .state
            .store
            .get("stores")
            .and_then(|s| s.find(store_id))
            .is_none()
    {
        return Err(errors::bad_request(
            "store_id",
            "not_found",
            json!(store_id),
            "No store with this ID",
        ));
    }
    let Some(fields) = cx
        .state
        .store
        .entry(VOUCHERS, "voucher_id")
        .records
        .get_mut(index)
        .and_then(Value::as_object_mut)
    else {
        return Err(errors::sandbox_bug(
            "the voucher moved while it was applied",
        ));
    };
    fields.insert("applied_date".to_owned(), body["date_applied"].clone());
    fields.insert("store_id".to_owned(), store);
    fields.insert("last_change".to_owned(), json!(now));
    Ok(Answer::NoContent)
}

/// `POST /vouchers/actions/gift-card-balance`: by `voucher_id` or `code`.
pub(crate) fn gift_card_balance(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let by_code = body.get("code").and_then(Value::as_str).and_then(|code| {
        cx.state
            .store
            .find_by(VOUCHERS, "code", code)
            .and_then(|v| v.get("voucher_id"))
            .and_then(text)
    });
    let id = match (body.get("voucher_id").and_then(Value::as_str), by_code) {
        (Some(id), _) => id.to_owned(),
        (None, Some(id)) => id,
        (None, None) if body.get("code").is_some() => {
            return Err(errors::not_found(
                "voucher",
                body["code"].as_str().unwrap_or(""),
            ));
        }
        (None, None) => return Err(errors::required("voucher_id")),
    };
    let (_, voucher) = mine(cx, &id)?;
    let original = voucher.get("value").and_then(Value::as_f64).unwrap_or(0.0);
    let current = if is_applied(&voucher) { 0.0 } else { original };
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {
            "voucher_id": id,
            "current_balance": current,
            "original_balance": original,
        }}),
    ))
}

/// A new voucher of `reward` for `customer` (not yet stored): `code` or a
/// generated one (400 `already_exists` if taken), valid from now.
pub(crate) fn issue(
    cx: &mut Ctx<'_>,
    reward: &Value,
    customer: &str,
    code: Option<String>,
    note: Option<Value>,
) -> Result<Value, ApiError> {
    let id = cx.state.store.new_id(26);
    let code = code.unwrap_or_else(|| cx.state.store.new_id(10).to_uppercase());
    let now = cx.state.now();
    let summary: Map<String, Value> = ["reward_id", "code", "name", "points_cost", "reward_group"]
        .iter()
        .filter_map(|k| reward.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect();
    let voucher = json!({
        "voucher_id": id,
        "customer_id": customer,
        "store_id": null,
        "code": code,
        "value": null,
        "applied_date": null,
        "valid_from": now,
        "valid_to": null,
        "reward_group": reward.get("reward_group").cloned().unwrap_or(Value::Null),
        "note": note.unwrap_or(Value::Null),
        "reward": summary,
        "created_at": now,
        "last_change": now,
        "state": 1,
    });
    cx.state.store.check_unique(VOUCHERS, &voucher, None)?;
    Ok(voucher)
}

/// `GET /vouchers/{voucher_id}/property-records`.
pub(crate) fn property_records(cx: &mut Ctx<'_>) -> Reply {
    let id = cx.param("voucher_id").to_owned();
    mine(cx, &id)?;
    let records: Vec<Value> = cx
        .state
        .store
        .records("property_records")
        .iter()
        .filter(|r| r.get("voucher_id").and_then(Value::as_str) == Some(id.as_str()))
        .map(|r| {
            let mut r = r.clone();
            if let Some(fields) = r.as_object_mut() {
                fields.remove("voucher_id");
            }
            r
        })
        .collect();
    let total = records.len();
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"property_records": records, "total_items": total}}),
    ))
}

/// The voucher `id` and where it is: 404 if there is none; on the customer
/// interface it must be the logged-in customer's (400).
fn mine(cx: &Ctx<'_>, id: &str) -> Result<(usize, Value), ApiError> {
    let me = scope::owner(cx, Kind::Get, VOUCHERS)?;
    let Some((index, voucher)) = cx.state.store.get(VOUCHERS).and_then(|c| c.find(id)) else {
        return Err(errors::not_found("voucher", id));
    };
    if let Some(me) = me
        && !scope::is_mine(voucher, &me)
    {
        return Err(scope::not_mine("voucher_id", id));
    }
    Ok((index, voucher.clone()))
}

/// Whether the voucher has been used.
pub(crate) fn is_applied(voucher: &Value) -> bool {
    voucher
        .get("applied_date")
        .is_some_and(|d| !d.is_null() && d.as_str() != Some(""))
}

fn reward_id(voucher: &Value) -> Option<String> {
    voucher
        .get("reward")
        .and_then(|r| r.get("reward_id"))
        .and_then(text)
}

/// Whether the voucher's reward can be used in `store` (a reward without
/// stores listed anywhere, or the store it was applied in).
fn usable_in(voucher: &Value, store: &str) -> bool {
    if voucher.get("store_id").and_then(Value::as_str) == Some(store) {
        return true;
    }
    voucher
        .get("reward")
        .and_then(|r| r.get("store_list"))
        .and_then(Value::as_array)
        .is_some_and(|stores| {
            stores
                .iter()
                .any(|s| s.get("store_id").and_then(Value::as_str) == Some(store))
        })
}
