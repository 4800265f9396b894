//! Loyalty points (see `books.rs` for how the books are kept): the point
//! records and their history as lists with time ranges, and the actions
//! that move points: assign (a new lot), redeem (taken from the available
//! balance), transfer (taken from one customer, a new lot for the other)
//! and synchronize (the balance set to an amount by assigning or redeeming
//! the difference, in the default point type).

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::books::{self, Movement, Only, POINTS};
use super::books_lists::{self, Range};
use super::customer_records::body_customer;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::scope;

/// The ranges of `GET /points`.
const CREATED: [Range; 2] = [
    ("create_point_time_from", "created_at", true),
    ("create_point_time_to", "created_at", false),
];

/// The ranges of `GET /point-history`.
const BOOKED: [Range; 2] = [
    ("time_from", "point_history_record_time", true),
    ("time_to", "point_history_record_time", false),
];

/// `GET /points`.
pub(crate) fn list(cx: &mut Ctx<'_>) -> Reply {
    books_lists::list(cx, POINTS.lots, "points", &CREATED, POINTS.hidden)
}

/// `GET /customers/{customer_id}/points` (of the customers group: its
/// records are the books' lots).
pub(crate) fn of_customer(cx: &mut Ctx<'_>) -> Reply {
    books_lists::customer_lots(cx, &POINTS)
}

/// `GET /points/{point_id}`.
pub(crate) fn get(cx: &mut Ctx<'_>) -> Reply {
    books_lists::get_lot(cx, &POINTS)
}

/// `GET /points/{point_id}/purchases`.
pub(crate) fn purchases(cx: &mut Ctx<'_>) -> Reply {
    books_lists::lot_purchases(cx, &POINTS)
}

/// `GET /point-history`.
pub(crate) fn history(cx: &mut Ctx<'_>) -> Reply {
    POINTS.open_journal(&mut cx.state.store);
    books_lists::list(cx, POINTS.journal, POINTS.journal, &BOOKED, &[])
}

/// The body's `amount` (required by the schema).
pub(crate) fn amount(body: &Value) -> f64 {
    body["amount"].as_f64().unwrap_or(0.0)
}

/// The body's text field `name`, if given.
pub(crate) fn given<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

/// `POST /points/actions/assign-points`: a new lot; 201 with its ID.
pub(crate) fn assign(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let amount = amount(&body);
    books::positive(amount)?;
    let point_type = point_type(cx, &body)?;
    let now = cx.state.now();
    let mut fields = Map::new();
    fields.insert("point_type_id".into(), json!(point_type));
    fields.insert("partner_id".into(), body["partner_id"].clone());
    fields.insert("created_at".into(), json!(now));
    fields.insert("note".into(), json!(given(&body, "note")));
    let store = &mut cx.state.store;
    let id = POINTS.add_lot(store, &customer, amount, fields);
    let about = json!({"point_type_id": point_type, "partner_id": body["partner_id"]});
    let movement = Movement {
        customer: &customer,
        amount,
        kind: "addition",
        note: given(&body, "note"),
        about: &about,
    };
    POINTS.book(store, &now, movement);
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"point_id": id}}),
    ))
}

/// `POST /points/actions/reduce-points`: taken from the available balance
/// (of the type, if given); 201 with the first lot drawn from.
pub(crate) fn redeem(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let only = Only {
        type_id: given(&body, "point_type_id").map(str::to_owned),
        currency_id: None,
    };
    if let Some(type_id) = &only.type_id {
        POINTS.known_type(&cx.state.store, type_id)?;
    }
    let now = cx.state.now();
    let amount = amount(&body);
    let store = &mut cx.state.store;
    let taken = POINTS.take(store, &customer, amount, &now, &only)?;
    let movement = Movement {
        customer: &customer,
        amount: -amount,
        kind: "redemption",
        note: given(&body, "note"),
        about: &body,
    };
    POINTS.book(store, &now, movement);
    let first = taken.first().map(|(id, _)| id.clone());
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"point_id": first}}),
    ))
}

/// `POST /points/actions/transfer-points`.
pub(crate) fn transfer(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let from = customer_field(cx, &body, "original_customer_id", true)?;
    let to = customer_field(cx, &body, "new_customer_id", false)?;
    let point_type = body["point_type_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    POINTS.known_type(&cx.state.store, &point_type)?;
    let only = Only {
        type_id: Some(point_type.clone()),
        currency_id: None,
    };
    let (amount, note) = (amount(&body), given(&body, "note"));
    let now = cx.state.now();
    let store = &mut cx.state.store;
    let taken = POINTS.take(store, &from, amount, &now, &only)?;
    let partner = taken
        .first()
        .and_then(|(id, _)| store.get(POINTS.lots)?.find(id))
        .map(|(_, lot)| lot["partner_id"].clone())
        .unwrap_or(Value::Null);
    let mut fields = Map::new();
    fields.insert("point_type_id".into(), json!(point_type));
    if !partner.is_null() {
        fields.insert("partner_id".into(), partner.clone());
    }
    fields.insert("created_at".into(), json!(now));
    fields.insert("note".into(), json!(note));
    POINTS.add_lot(store, &to, amount, fields);
    let about = json!({"point_type_id": point_type, "partner_id": partner});
    for (customer, signed) in [(&from, -amount), (&to, amount)] {
        let movement = Movement {
            customer,
            amount: signed,
            kind: "transfer",
            note,
            about: &about,
        };
        POINTS.book(store, &now, movement);
    }
    Ok(Answer::NoContent)
}

/// `POST /points/actions/synchronize-points`: the available balance set to
/// `amount` (the difference assigned in the default type, or redeemed).
pub(crate) fn synchronize(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let wanted = amount(&body);
    if wanted < 0.0 || !wanted.is_finite() {
        return Err(errors::bad_request(
            "amount",
            "not_allowed_value",
            json!(wanted),
            "`amount` must not be negative",
        ));
    }
    let now = cx.state.now();
    let note = given(&body, "note");
    let store = &mut cx.state.store;
    let balance = POINTS.balance(store, &customer, &now, &Only::default());
    let difference = books::round(wanted - balance);
    if difference > 0.0 {
        let point_type = POINTS.default_type(store);
        let mut fields = Map::new();
        fields.insert("point_type_id".into(), json!(point_type));
        // The partner is optional here; a point record has none then (the
        // spec's `partner_id` is not nullable).
        if let Some(partner) = given(&body, "partner_id") {
            fields.insert("partner_id".into(), json!(partner));
        }
        fields.insert("created_at".into(), json!(now));
        fields.insert("note".into(), json!(note));
        POINTS.add_lot(store, &customer, difference, fields);
    } else if difference < 0.0 {
        POINTS.take(store, &customer, -difference, &now, &Only::default())?;
    }
    if difference != 0.0 {
        let movement = Movement {
            customer: &customer,
            amount: difference,
            kind: "synchronization",
            note,
            about: &body,
        };
        POINTS.book(store, &now, movement);
    }
    Ok(Answer::NoContent)
}

/// The body's point type (checked), else the default one.
fn point_type(cx: &Ctx<'_>, body: &Value) -> Result<Option<String>, ApiError> {
    match given(body, "point_type_id") {
        Some(id) => POINTS
            .known_type(&cx.state.store, id)
            .map(|()| Some(id.to_owned())),
        None => Ok(POINTS.default_type(&cx.state.store)),
    }
}

/// The body's customer field `name`: an existing customer (400
/// `not_found`); with `mine`, on the customer interface the logged-in one.
pub(crate) fn customer_field(
    cx: &Ctx<'_>,
    body: &Value,
    name: &str,
    mine: bool,
) -> Result<String, ApiError> {
    let id = body[name].as_str().unwrap_or_default().to_owned();
    if mine
        && let Some(me) = scope::owner(cx, crate::resources::Kind::Get, "customers")?
        && me != id
    {
        return Err(scope::not_mine(name, &id));
    }
    let exists = cx
        .state
        .store
        .get("customers")
        .is_some_and(|c| c.find(&id).is_some());
    if exists {
        Ok(id)
    } else {
        Err(errors::bad_request(
            name,
            "not_found",
            json!(id),
            "No customer with this ID",
        ))
    }
}
