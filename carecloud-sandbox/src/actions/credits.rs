//! Prepaid credits (see `books.rs` for how the books are kept): the credit
//! records and their history as lists with time ranges, and the actions
//! that move credits: deposit (a new lot in the type and currency given,
//! else the defaults), reduce (taken from the available balance of the
//! type and currency, if given) and transfer (taken from one customer, a
//! new lot for the other). A reduction above the balance is 400
//! `not_allowed_value` on `amount`.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::books::{CREDITS, Movement, Only};
use super::books_lists::{self, Range};
use super::customer_records::body_customer;
use super::points::{amount, customer_field, given};
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};

/// The ranges of `GET /credits` (credits keep their creation time to
/// themselves).
const CREATED: [Range; 2] = [
    ("create_credit_time_from", "created_at", true),
    ("create_credit_time_to", "created_at", false),
];

/// The ranges of `GET /credit-history`.
const BOOKED: [Range; 2] = [
    ("time_from", "credit_history_record_time", true),
    ("time_to", "credit_history_record_time", false),
];

/// `GET /credits`.
pub(crate) fn list(cx: &mut Ctx<'_>) -> Reply {
    books_lists::list(cx, CREDITS.lots, "credits", &CREATED, CREDITS.hidden)
}

/// `GET /credits/{credit_id}`.
pub(crate) fn get(cx: &mut Ctx<'_>) -> Reply {
    books_lists::get_lot(cx, &CREDITS)
}

/// `GET /credits/{credit_id}/purchases`.
pub(crate) fn purchases(cx: &mut Ctx<'_>) -> Reply {
    books_lists::lot_purchases(cx, &CREDITS)
}

/// `GET /credit-history`.
pub(crate) fn history(cx: &mut Ctx<'_>) -> Reply {
    CREDITS.open_journal(&mut cx.state.store);
    books_lists::list(cx, CREDITS.journal, CREDITS.journal, &BOOKED, &[])
}

/// `POST /credits/actions/deposit-credits`: a new lot; 201 with its ID.
pub(crate) fn deposit(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let amount = amount(&body);
    super::books::positive(amount)?;
    let credit_type = match given(&body, "credit_type_id") {
        Some(id) => {
            CREDITS.known_type(&cx.state.store, id)?;
            Some(id.to_owned())
        }
        None => CREDITS.default_type(&cx.state.store),
    };
    let currency = currency(cx, &body)?;
    let now = cx.state.now();
    let about = json!({"credit_type_id": credit_type, "partner_id": body["partner_id"],
        "currency_id": currency});
    let mut fields = Map::new();
    for key in ["credit_type_id", "partner_id", "currency_id"] {
        fields.insert(key.into(), about[key].clone());
    }
    fields.insert("created_at".into(), json!(now));
    fields.insert("note".into(), json!(given(&body, "note")));
    let store = &mut cx.state.store;
    let id = CREDITS.add_lot(store, &customer, amount, fields);
    let movement = Movement {
        customer: &customer,
        amount,
        kind: "deposit",
        note: given(&body, "note"),
        about: &about,
    };
    CREDITS.book(store, &now, movement);
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"credit_id": id}}),
    ))
}

/// `POST /credits/actions/reduce-credits`: 201 with the first lot drawn
/// from.
pub(crate) fn reduce(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let only = only(cx, &body)?;
    let now = cx.state.now();
    let amount = amount(&body);
    let store = &mut cx.state.store;
    let taken = CREDITS.take(store, &customer, amount, &now, &only)?;
    let movement = Movement {
        customer: &customer,
        amount: -amount,
        kind: "reduction",
        note: given(&body, "note"),
        about: &body,
    };
    CREDITS.book(store, &now, movement);
    let first = taken.first().map(|(id, _)| id.clone());
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"credit_id": first}}),
    ))
}

/// `POST /credits/actions/transfer-credits`.
pub(crate) fn transfer(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let from = customer_field(cx, &body, "original_customer_id", true)?;
    let to = customer_field(cx, &body, "new_customer_id", false)?;
    let only = only(cx, &body)?;
    let (amount, note) = (amount(&body), given(&body, "note"));
    let now = cx.state.now();
    let store = &mut cx.state.store;
    let taken = CREDITS.take(store, &from, amount, &now, &only)?;
    let source = taken
        .first()
        .and_then(|(id, _)| store.get(CREDITS.lots)?.find(id))
        .map(|(_, lot)| lot.clone())
        .unwrap_or(Value::Null);
    let about = json!({"credit_type_id": only.type_id, "partner_id": source["partner_id"],
        "currency_id": source["currency_id"]});
    let mut fields = Map::new();
    for key in ["credit_type_id", "partner_id", "currency_id"] {
        fields.insert(key.into(), about[key].clone());
    }
    fields.insert("created_at".into(), json!(now));
    fields.insert("note".into(), json!(note));
    CREDITS.add_lot(store, &to, amount, fields);
    for (customer, signed) in [(&from, -amount), (&to, amount)] {
        let movement = Movement {
            customer,
            amount: signed,
            kind: "transfer",
            note,
            about: &about,
        };
        CREDITS.book(store, &now, movement);
    }
    Ok(Answer::NoContent)
}

/// The lots a reduction or transfer may draw from: the body's type and
/// currency (each checked), if given.
fn only(cx: &Ctx<'_>, body: &Value) -> Result<Only, ApiError> {
    let type_id = given(body, "credit_type_id").map(str::to_owned);
    if let Some(id) = &type_id {
        CREDITS.known_type(&cx.state.store, id)?;
    }
    let currency_id = match given(body, "currency_id") {
        Some(_) => currency(cx, body)?,
        None => None,
    };
    Ok(Only {
        type_id,
        currency_id,
    })
}

/// The body's currency (400 `not_found` if unknown), else the project's
/// first.
fn currency(cx: &Ctx<'_>, body: &Value) -> Result<Option<String>, ApiError> {
    let currencies = cx.state.store.get("currencies");
    match given(body, "currency_id") {
        Some(id) if currencies.is_some_and(|c| c.find(id).is_some()) => Ok(Some(id.to_owned())),
        Some(id) => Err(errors::bad_request(
            "currency_id",
            "not_found",
            json!(id),
            "No currency with this ID",
        )),
        None => Ok(currencies
            .and_then(|c| c.records.first())
            .and_then(|c| c["currency_id"].as_str())
            .map(str::to_owned)),
    }
}
