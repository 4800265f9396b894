//! Operations that are one verb of a ledger, reading the request body's
//! fields the ledger declares (`body`): earn (a new lot), spend (taken from
//! the balance), transfer (taken from one customer, a new lot for the
//! other), sync (the balance set to an amount by earning or spending the
//! difference), reserve and release. The customer must exist (400
//! `not_found`) and, on the customer interface, be the logged-in one (a
//! transfer's recipient need only exist). Dimensions the body names (type,
//! currency) must exist (400 `not_found`); an earned lot without them takes
//! the collection's first.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::expr::{is_empty, number};
use super::ledger::{self, Taken, round};
use super::{env, known_customer};
use crate::context::{Answer, Ctx, Reply};
use crate::decl::{Ledger, LedgerOp, Verb};
use crate::errors::{self, ApiError};
use crate::store::{Store, at, text};

pub(super) fn serve(cx: &mut Ctx<'_>, op: &LedgerOp) -> Reply {
    let Some(book) = super::ledger(op.ledger) else {
        return Err(errors::sandbox_bug(&format!("no ledger `{}`", op.ledger)));
    };
    let body = cx.body()?;
    let names = &book.body;
    let field = |name: &str| at(&body, &[name]);
    let amount = number(&field(names.amount));
    let now = cx.state.now();
    let customer = |cx: &Ctx<'_>, name: &str, mine: bool| {
        known_customer(cx, name, &text(&field(name)).unwrap_or_default(), mine)
    };
    let id = match op.verb {
        Verb::Earn => {
            let customer = customer(cx, names.account, true)?;
            ledger::positive(names.amount, amount)?;
            let fields = lot_fields(&cx.state.store, book, &body, None)?;
            let env = env!(cx, &body, &now);
            let store = &mut cx.state.store;
            let id = ledger::add_lot(store, book, &customer, amount, fields.clone(), &env)?;
            let note = field(names.note);
            ledger::book(
                store,
                book,
                (&customer, amount, Verb::Earn),
                note,
                &Value::Object(fields),
                &env,
            )?;
            Some(id)
        }
        Verb::Spend => {
            let customer = customer(cx, names.account, true)?;
            let only = dims(&cx.state.store, book, &body)?;
            let env = env!(cx, &body, &now);
            let store = &mut cx.state.store;
            let taken = ledger::take(store, book, &customer, amount, &now, &only)?;
            ledger::book(
                store,
                book,
                (&customer, -amount, Verb::Spend),
                field(names.note),
                &body,
                &env,
            )?;
            taken.first().map(|(lot, _)| lot.clone())
        }
        Verb::Transfer => {
            let from = customer(cx, names.from, true)?;
            let to = customer(cx, names.to, false)?;
            let only = dims(&cx.state.store, book, &body)?;
            let env = env!(cx, &body, &now);
            let store = &mut cx.state.store;
            let taken = ledger::take(store, book, &from, amount, &now, &only)?;
            let fields = lot_fields(store, book, &body, Some(&taken))?;
            ledger::add_lot(store, book, &to, amount, fields.clone(), &env)?;
            let about = Value::Object(fields);
            for (who, signed) in [(&from, -amount), (&to, amount)] {
                ledger::book(
                    store,
                    book,
                    (who, signed, Verb::Transfer),
                    field(names.note),
                    &about,
                    &env,
                )?;
            }
            None
        }
        Verb::Sync => {
            let customer = customer(cx, names.account, true)?;
            if amount < 0.0 || !amount.is_finite() {
                let message = "The amount must not be negative";
                return Err(errors::bad_request(
                    names.amount,
                    "not_allowed_value",
                    json!(amount),
                    message,
                ));
            }
            let store = &cx.state.store;
            let difference = round(amount - ledger::balance(store, book, &customer, &now, &[]));
            let env = env!(cx, &body, &now);
            let store = &mut cx.state.store;
            if difference > 0.0 {
                let mut fields = lot_fields(store, book, &Value::Null, None)?;
                for carried in book.carry {
                    fields.insert((*carried).to_owned(), field(carried));
                }
                ledger::add_lot(store, book, &customer, difference, fields, &env)?;
            } else if difference < 0.0 {
                ledger::take(store, book, &customer, -difference, &now, &[])?;
            }
            if difference != 0.0 {
                ledger::book(
                    store,
                    book,
                    (&customer, difference, Verb::Sync),
                    field(names.note),
                    &body,
                    &env,
                )?;
            }
            None
        }
        Verb::Reserve => {
            let customer = customer(cx, names.account, true)?;
            let key = text(&field(names.key)).unwrap_or_default();
            let env = env!(cx, &body, &now);
            let parts = (customer.as_str(), key.as_str(), amount);
            ledger::reserve(&mut cx.state.store, book, parts, field(names.expires), &env)?;
            None
        }
        Verb::Release | Verb::Use | Verb::Charge => {
            let key = text(&field(names.key)).unwrap_or_default();
            release(cx, book, &key, &body, &now)?;
            None
        }
    };
    Ok(match op.reply {
        Some(reply) => {
            let status = StatusCode::from_u16(op.status).unwrap_or(StatusCode::OK);
            Answer::Json(status, json!({"data": {reply: id}}))
        }
        None => Answer::NoContent,
    })
}

/// Frees the open reservation `key`; on the customer interface it must be
/// the logged-in customer's (400 `not_belong_to_logged_in_customer`).
fn release(
    cx: &mut Ctx<'_>,
    book: &Ledger,
    key: &str,
    body: &Value,
    now: &str,
) -> Result<(), ApiError> {
    let env = env!(cx, body, now);
    let owner = crate::scope::owner(cx, crate::decl::Kind::Get, super::resource("customers"))?;
    let customer = ledger::settle(&mut cx.state.store, book, key, Verb::Release, &env)?;
    match owner {
        Some(me) if me != customer => Err(crate::scope::not_mine(book.body.key, key)),
        _ => Ok(()),
    }
}

/// The dimensions the body names (each must exist): the lots a spend may
/// draw from.
fn dims(
    store: &Store,
    book: &Ledger,
    body: &Value,
) -> Result<Vec<(&'static str, String)>, ApiError> {
    let mut only = Vec::new();
    for (field, of) in book.dims {
        let Some(value) = body.get(*field).and_then(text) else {
            continue;
        };
        if store.find(of, &value).is_none() {
            let record = super::resource(of).map_or(*of, |r| r.record);
            let message = format!("No {record} with ID {value}");
            return Err(errors::bad_request(
                field,
                "not_found",
                json!(value),
                &message,
            ));
        }
        only.push((*field, value));
    }
    Ok(only)
}

/// A new lot's fields: the body's dimensions (checked) and carried fields;
/// else those of the first lot `taken` from, else each dimension's first
/// record.
fn lot_fields(
    store: &Store,
    book: &Ledger,
    body: &Value,
    taken: Option<&Taken>,
) -> Result<Map<String, Value>, ApiError> {
    let given = dims(store, book, body)?;
    let source = taken
        .and_then(|t| t.first())
        .and_then(|(lot, _)| store.find(book.lots, lot))
        .map(|(_, lot)| lot.clone())
        .unwrap_or(Value::Null);
    let mut fields = Map::new();
    for (field, of) in book.dims {
        let value = match given.iter().find(|(f, _)| f == field) {
            Some((_, v)) => json!(v),
            None if !source.is_null() => source.get(*field).cloned().unwrap_or(Value::Null),
            None => {
                let first = store.records(of).first();
                let id = super::resource(of).map_or("", |r| r.id);
                first
                    .and_then(|r| r.get(id))
                    .cloned()
                    .unwrap_or(Value::Null)
            }
        };
        fields.insert((*field).to_owned(), value);
    }
    for field in book.carry {
        let sent = body.get(*field).filter(|v| !is_empty(v));
        let value = sent
            .or_else(|| source.get(*field))
            .cloned()
            .unwrap_or(Value::Null);
        fields.insert((*field).to_owned(), value);
    }
    Ok(fields)
}
