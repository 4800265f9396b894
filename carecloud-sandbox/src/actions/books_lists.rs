//! Reading the books: lists of lots, journals and reservations with the
//! time-range filters the standard lists do not know (`time_from`,
//! `create_point_time_to`, ...), a lot by ID, and the purchases of a lot,
//! all without the books' own fields and scoped to the logged-in customer
//! on the customer interface.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::books::Book;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;
use crate::resources::{Kind, singular};
use crate::scope::{self, OWNER};

/// A time-range filter: the query parameter, the record field it bounds,
/// and whether it is the lower bound.
pub(crate) type Range = (&'static str, &'static str, bool);

/// Ranges of the purchases' payment time.
pub(crate) const PAYMENT_TIME: [Range; 2] = [
    ("payment_time_from", "payment_time", true),
    ("payment_time_to", "payment_time", false),
];

/// Whether `record` is within every range given in the query.
fn in_ranges(cx: &Ctx<'_>, ranges: &[Range], record: &Value) -> bool {
    ranges.iter().all(|(param, field, lower)| {
        let Some(bound) = cx.query.one(param) else {
            return true;
        };
        let have = record.get(*field).and_then(Value::as_str);
        have.is_some_and(|have| if *lower { have >= bound } else { have <= bound })
    })
}

/// One page of `collection` as `data.<items>`: the query's filters and
/// ranges, the customer's own only on the customer interface, `hidden`
/// fields left out.
pub(crate) fn list(
    cx: &Ctx<'_>,
    collection: &str,
    items: &str,
    ranges: &[Range],
    hidden: &[&str],
) -> Reply {
    let owner = scope::owner(cx, Kind::List, collection)?;
    if let Some(me) = &owner {
        scope::only_me(OWNER, cx.query.all(OWNER), me)?;
    }
    let records: Vec<&Value> = cx
        .state
        .store
        .records(collection)
        .iter()
        .filter(|r| owner.as_ref().is_none_or(|me| scope::is_mine(r, me)))
        .filter(|r| in_ranges(cx, ranges, r))
        .collect();
    page(cx, records, collection, items, hidden)
}

fn page(
    cx: &Ctx<'_>,
    records: Vec<&Value>,
    collection: &str,
    items: &str,
    hidden: &[&str],
) -> Reply {
    let now = cx.state.now();
    let store = &cx.state.store;
    let (page, total) =
        listing::page(records, &cx.query, cx.op, store.get(collection), true, &now)?;
    let page: Vec<Value> = page.into_iter().map(|r| without(r, hidden)).collect();
    let mut data = Map::new();
    data.insert(items.to_owned(), Value::Array(page));
    data.insert("total_items".to_owned(), json!(total));
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

fn without(mut record: Value, hidden: &[&str]) -> Value {
    if let Some(fields) = record.as_object_mut() {
        for field in hidden {
            fields.remove(*field);
        }
    }
    record
}

/// `GET /customers/{customer_id}/points`: the customer's lots (the
/// customer exists, and on the customer interface is the logged-in one),
/// without the book's own fields.
pub(crate) fn customer_lots(cx: &Ctx<'_>, book: &Book) -> Reply {
    let customer = super::customer_records::customer_in_path(cx)?;
    let records: Vec<&Value> = cx
        .state
        .store
        .records(book.lots)
        .iter()
        .filter(|lot| scope::is_mine(lot, &customer))
        .collect();
    page(cx, records, book.lots, book.lots, book.hidden)
}

/// The lot the path names (404), on the customer interface the logged-in
/// customer's (400 `not_belong_to_logged_in_customer`; 403 without one).
pub(crate) fn lot_in_path(cx: &Ctx<'_>, book: &Book) -> Result<Value, ApiError> {
    let id = cx.param(book.id_field);
    let owner = scope::owner(cx, Kind::Get, book.lots)?;
    let Some((_, lot)) = cx.state.store.get(book.lots).and_then(|c| c.find(id)) else {
        return Err(errors::not_found(&singular(book.lots), id));
    };
    if let Some(me) = owner
        && !scope::is_mine(lot, &me)
    {
        return Err(scope::not_mine(book.id_field, id));
    }
    Ok(lot.clone())
}

/// `GET /points/{point_id}`, `GET /credits/{credit_id}`.
pub(crate) fn get_lot(cx: &Ctx<'_>, book: &Book) -> Reply {
    let lot = lot_in_path(cx, book)?;
    Ok(Answer::Json(
        StatusCode::OK,
        json!({ "data": book.public(lot) }),
    ))
}

/// `GET /points/{point_id}/purchases`, `GET /credits/{credit_id}/purchases`:
/// the purchase the lot was earned with or paid (its `purchase_id`), if
/// it matches the filters.
pub(crate) fn lot_purchases(cx: &Ctx<'_>, book: &Book) -> Reply {
    let lot = lot_in_path(cx, book)?;
    let purchase = lot.get("purchase_id").and_then(Value::as_str);
    let records: Vec<&Value> = cx
        .state
        .store
        .records("purchases")
        .iter()
        .filter(|p| purchase.is_some() && p.get("purchase_id").and_then(Value::as_str) == purchase)
        .filter(|p| in_ranges(cx, &PAYMENT_TIME, p))
        .collect();
    page(cx, records, "purchases", "purchases", &[])
}
