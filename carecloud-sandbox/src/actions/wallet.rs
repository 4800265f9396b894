//! The wallet overviews: figures computed from the customer's records as
//! they are when asked, so every change to purchases, points or credits
//! shows in the next overview.
//!
//! * turnover: the customer's purchases (`payment_time` within
//!   `date_from`..`date_to`), `total_price` summed per currency;
//! * points and credits: the customer's point or credit records (`created_at`
//!   within the dates; credits also of `credit_type_id`): earned is what was
//!   assigned, redeemed what was assigned but is no longer available,
//!   available what is left on active records that have not expired;
//! * expiration: among available, unexpired amounts, the earliest expiry
//!   day with the amount due then, and what expires this calendar month.
//!
//! Points have no money value in the sandbox, so
//! `available_points_money_value` is empty.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::customer_records::customer_exists;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::resources::Kind;
use crate::scope::{self, OWNER};
use crate::store::text;

/// Which balance an overview is about: the collection and its amount fields.
struct Balance {
    collection: &'static str,
    assigned: &'static str,
    available: &'static str,
}

const POINTS: Balance = Balance {
    collection: "points",
    assigned: "assigned_points",
    available: "available_points",
};

const CREDITS: Balance = Balance {
    collection: "credits",
    assigned: "assigned_credits",
    available: "available_credits",
};

/// The `customer_id` asked about: an existing customer (400 `not_found`),
/// on the customer interface the logged-in one.
fn wallet_customer(cx: &Ctx<'_>) -> Result<String, ApiError> {
    let id = cx.query.one(OWNER).unwrap_or_default().to_owned();
    if let Some(me) = scope::owner(cx, Kind::Get, "customers")?
        && me != id
    {
        return Err(scope::not_mine(OWNER, &id));
    }
    if !customer_exists(cx, &id) {
        return Err(errors::bad_request(
            OWNER,
            "not_found",
            json!(id),
            "No customer with this ID",
        ));
    }
    Ok(id)
}

/// Whether the day of `stamp` (`YYYY-MM-DD...`) is within the query's
/// `date_from`..`date_to`.
fn in_range(cx: &Ctx<'_>, stamp: Option<&str>) -> bool {
    let from = cx.query.one("date_from");
    let to = cx.query.one("date_to");
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(day) = stamp.and_then(|s| s.get(..10)) else {
        return false;
    };
    from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
}

fn amount(record: &Value, name: &str) -> f64 {
    match record.get(name) {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Active and not expired at `now`.
fn usable(record: &Value, now: &str) -> bool {
    let active = record.get("state").is_none_or(|s| s.as_i64() == Some(1));
    let unexpired = record
        .get("valid_to")
        .and_then(Value::as_str)
        .is_none_or(|to| to >= now);
    active && unexpired
}

/// The customer's records of `balance` that the query's filters select.
fn records<'a>(cx: &'a Ctx<'_>, balance: &Balance, customer: &str) -> Vec<&'a Value> {
    let credit_type = cx.query.one("credit_type_id");
    cx.state
        .store
        .records(balance.collection)
        .iter()
        .filter(|r| scope::is_mine(r, customer))
        .filter(|r| in_range(cx, r.get("created_at").and_then(Value::as_str)))
        .filter(|r| {
            credit_type.is_none_or(|t| r.get("credit_type_id").and_then(text).as_deref() == Some(t))
        })
        .collect()
}

/// (earned, redeemed, available) of `records`.
fn totals(records: &[&Value], balance: &Balance, now: &str) -> (f64, f64, f64) {
    records.iter().fold((0.0, 0.0, 0.0), |(e, r, a), record| {
        let assigned = amount(record, balance.assigned);
        let left = amount(record, balance.available);
        let available = if usable(record, now) { left } else { 0.0 };
        (e + assigned, r + (assigned - left).max(0.0), a + available)
    })
}

fn ok(data: Value) -> Reply {
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

/// `GET /wallet/actions/sales-turnover`.
pub(crate) fn sales_turnover(cx: &mut Ctx<'_>) -> Reply {
    let customer = wallet_customer(cx)?;
    let mut per_currency: BTreeMap<String, f64> = BTreeMap::new();
    for purchase in cx.state.store.records("purchases") {
        if !scope::is_mine(purchase, &customer)
            || !in_range(cx, purchase.get("payment_time").and_then(Value::as_str))
        {
            continue;
        }
        let currency = purchase
            .get("currency_id")
            .and_then(text)
            .unwrap_or_default();
        *per_currency.entry(currency).or_default() += amount(purchase, "total_price");
    }
    let turnover: Vec<Value> = per_currency
        .into_iter()
        .map(|(currency_id, value)| json!({"currency_id": currency_id, "value": value}))
        .collect();
    ok(json!({ "turnover": turnover }))
}

/// `GET /wallet/actions/points-overview`.
pub(crate) fn points(cx: &mut Ctx<'_>) -> Reply {
    let customer = wallet_customer(cx)?;
    let now = cx.state.now();
    let (earned, redeemed, available) = totals(&records(cx, &POINTS, &customer), &POINTS, &now);
    ok(json!({
        "earned_points": earned,
        "redeemed_points": redeemed,
        "available_points": available,
        "available_points_money_value": [],
    }))
}

/// `GET /wallet/actions/credits-overview`.
pub(crate) fn credits(cx: &mut Ctx<'_>) -> Reply {
    let customer = wallet_customer(cx)?;
    let now = cx.state.now();
    let selected = records(cx, &CREDITS, &customer);
    let mut by_currency: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for record in &selected {
        let currency = record.get("currency_id").and_then(text).unwrap_or_default();
        by_currency.entry(currency).or_default().push(record);
    }
    let split: Vec<Value> = by_currency
        .into_iter()
        .map(|(currency_id, records)| {
            let (earned, redeemed, available) = totals(&records, &CREDITS, &now);
            json!({"currency_id": currency_id, "earned_credits": earned,
                "redeemed_credits": redeemed, "available_credits": available})
        })
        .collect();
    let (earned, redeemed, available) = totals(&selected, &CREDITS, &now);
    ok(json!({
        "earned_credits": earned,
        "redeemed_credits": redeemed,
        "available_credits": available,
        "split_by_currency": split,
    }))
}

/// The expiration overview of `balance` for the query's customer.
fn expiration(cx: &Ctx<'_>, balance: &Balance) -> Reply {
    let customer = wallet_customer(cx)?;
    let now = cx.state.now();
    let month = now.get(..7).unwrap_or_default();
    let mut due: BTreeMap<String, f64> = BTreeMap::new();
    for record in cx.state.store.records(balance.collection) {
        let left = amount(record, balance.available);
        let day = record
            .get("valid_to")
            .and_then(Value::as_str)
            .and_then(|to| to.get(..10));
        if !scope::is_mine(record, &customer) || !usable(record, &now) || left <= 0.0 {
            continue;
        }
        if let Some(day) = day {
            *due.entry(day.to_owned()).or_default() += left;
        }
    }
    let current_month: f64 = due
        .iter()
        .filter(|(day, _)| day.starts_with(month))
        .map(|(_, amount)| amount)
        .sum();
    let next = due.into_iter().next();
    ok(json!({
        "next_amount": next.as_ref().map_or(0.0, |(_, amount)| *amount),
        "next_date": next.map(|(day, _)| day),
        "current_month_amount": current_month,
    }))
}

/// `GET /wallet/actions/points-expiration-overview`.
pub(crate) fn points_expiration(cx: &mut Ctx<'_>) -> Reply {
    expiration(cx, &POINTS)
}

/// `GET /wallet/actions/credits-expiration-overview`.
pub(crate) fn credits_expiration(cx: &mut Ctx<'_>) -> Reply {
    expiration(cx, &CREDITS)
}
