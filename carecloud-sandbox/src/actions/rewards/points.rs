//! What rewards read from and write to the points books (the `points`
//! collection, kept by the points operations): a customer's balance is the
//! sum of `available_points` of their valid point records, and paying for a
//! reward adds a point record of minus its cost, like any other record of
//! the books, rather than changing the records already there.

use serde_json::{Value, json};

use super::super::customer_records::push;
use crate::context::Ctx;
use crate::listing;
use crate::scope;

/// The points collection.
const POINTS: &str = "points";

/// The customer's valid points.
pub(crate) fn balance(cx: &Ctx<'_>, customer: &str) -> f64 {
    let now = cx.state.now();
    valid_records(cx, customer, &now)
        .filter_map(|p| p.get("available_points").and_then(Value::as_f64))
        .sum()
}

/// Books a charge of `amount` points to the customer: a point record of
/// `-amount`, of the point type and partner of their first valid record
/// with points.
pub(crate) fn charge(cx: &mut Ctx<'_>, customer: &str, amount: f64, note: &str) {
    let now = cx.state.now();
    let source = valid_records(cx, customer, &now)
        .find(|p| p.get("available_points").and_then(Value::as_f64) > Some(0.0))
        .cloned()
        .unwrap_or(Value::Null);
    let id = cx.state.store.new_id(26);
    let record = json!({
        "point_id": id,
        "customer_id": customer,
        "assigned_points": -amount,
        "available_points": -amount,
        "point_type_id": source.get("point_type_id").cloned().unwrap_or(Value::Null),
        "partner_id": source.get("partner_id").cloned().unwrap_or(Value::Null),
        "valid_to": null,
        "state": 1,
        "created_at": now,
        "note": note,
    });
    push(cx, POINTS, record);
}

fn valid_records<'a>(
    cx: &'a Ctx<'_>,
    customer: &'a str,
    now: &'a str,
) -> impl Iterator<Item = &'a Value> + 'a {
    cx.state
        .store
        .records(POINTS)
        .iter()
        .filter(move |p| scope::is_mine(p, customer) && listing::is_valid(p, now))
}
