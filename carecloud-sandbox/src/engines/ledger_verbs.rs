//! The verbs of a ledger (earn, spend, charge, transfer, sync, reserve,
//! release, use; `docs/sandbox.md`), for operations (the body's fields as
//! the ledger declares them) and action steps alike. Dimensions the body
//! names must exist (400 `not_found`) and narrow what is spent; a new lot
//! takes them from the body, else from the lot a transfer drew from, else
//! each dimension's first record. A reservation is `state` 1 while it
//! holds, 0 once freed, 2 once used.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::expr::{Env, is_empty, is_valid, number};
use super::ledger::{self, Taken, account, round, short, usable};
use super::records::{self, Write};
use super::{env, known_customer};
use crate::context::{Answer, Ctx, Reply};
use crate::decl::{Kind, Ledger, LedgerOp, Verb};
use crate::errors::{ApiError, bad_request as bad, sandbox_bug};
use crate::scope;
use crate::store::{Store, at, text};

/// A reservation's states.
const OPEN: i64 = 1;
const FREED: i64 = 0;
const USED: i64 = 2;

/// What a verb is about: `who` (the account; a transfer's giver), `to` (a
/// transfer's recipient), the amount, a reservation key, a note, and the
/// body whose dimensions and carried fields new lots take.
pub(crate) struct Move<'a> {
    pub who: &'a str,
    pub to: &'a str,
    pub amount: f64,
    pub key: &'a str,
    pub note: Value,
    pub body: &'a Value,
}

/// An operation that is one verb.
pub(super) fn serve(cx: &mut Ctx<'_>, op: &LedgerOp) -> Reply {
    let book = super::ledger(op.ledger).ok_or_else(|| sandbox_bug("no such ledger"))?;
    let (body, names) = (cx.body()?, &book.body);
    let field = |name: &str| text(&at(&body, &[name])).unwrap_or_default();
    let key = field(names.key);
    let (who, to) = match op.verb {
        Verb::Transfer => (
            known_customer(cx, names.from, &field(names.from), true)?,
            known_customer(cx, names.to, &field(names.to), false)?,
        ),
        Verb::Release | Verb::Use => {
            let me = scope::owner(cx, Kind::Get, super::resource("customers"))?;
            let holder = open(&cx.state.store, book, &key).map(|(_, who)| who);
            if me.is_some() && holder.is_some() && me != holder {
                return Err(scope::not_mine(names.key, &key));
            }
            Default::default()
        }
        _ => (
            known_customer(cx, names.account, &field(names.account), true)?,
            String::new(),
        ),
    };
    let now = cx.state.now();
    let (amount, note) = (
        number(&at(&body, &[names.amount])),
        at(&body, &[names.note]),
    );
    let m = Move {
        who: &who,
        to: &to,
        amount,
        key: &key,
        note,
        body: &body,
    };
    let id = apply(
        &mut cx.state.store,
        book,
        op.verb,
        m,
        &env!(cx, &body, &now),
    )?;
    Ok(match op.reply {
        Some(field) => {
            let status = StatusCode::from_u16(op.status).unwrap_or(StatusCode::OK);
            Answer::Json(status, json!({"data": {field: id}}))
        }
        None => Answer::NoContent,
    })
}

/// Does `verb`; the lot it names (the new lot, or the first drawn from).
pub(crate) fn apply(
    store: &mut Store,
    book: &Ledger,
    verb: Verb,
    m: Move<'_>,
    env: &Env<'_>,
) -> Result<Option<String>, ApiError> {
    let (now, amount) = (env.now, m.amount);
    let book_it = |store: &mut Store, who: &str, amount: f64, about: &Value| {
        ledger::book(store, book, (who, amount, verb), m.note.clone(), about, env)
    };
    match verb {
        Verb::Earn => {
            ledger::positive(book.body.amount, amount)?;
            let fields = lot_fields(store, book, m.body, None)?;
            let id = ledger::add_lot(store, book, m.who, amount, fields.clone(), env)?;
            book_it(store, m.who, amount, &Value::Object(fields))?;
            Ok(Some(id))
        }
        Verb::Spend => {
            let taken = ledger::take(store, book, m.who, amount, now, &dims(store, book, m.body)?)?;
            book_it(store, m.who, -amount, m.body)?;
            Ok(taken.first().map(|(lot, _)| lot.clone()))
        }
        Verb::Transfer => {
            let taken = ledger::take(store, book, m.who, amount, now, &dims(store, book, m.body)?)?;
            let fields = lot_fields(store, book, m.body, Some(&taken))?;
            ledger::add_lot(store, book, m.to, amount, fields.clone(), env)?;
            let about = Value::Object(fields);
            book_it(store, m.who, -amount, &about)?;
            book_it(store, m.to, amount, &about).map(|()| None)
        }
        Verb::Sync => {
            if amount < 0.0 || !amount.is_finite() {
                let message = "The amount must not be negative";
                return Err(bad(
                    book.body.amount,
                    "not_allowed_value",
                    json!(amount),
                    message,
                ));
            }
            let difference = round(amount - ledger::balance(store, book, m.who, now, &[]));
            if difference > 0.0 {
                // Earned in the default dimensions.
                let mut body = m.body.clone();
                book.dims
                    .iter()
                    .for_each(|(dim, _)| body[*dim] = Value::Null);
                let fields = lot_fields(store, book, &body, None)?;
                ledger::add_lot(store, book, m.who, difference, fields, env)?;
            } else if difference < 0.0 {
                ledger::take(store, book, m.who, -difference, now, &[])?;
            }
            if difference != 0.0 {
                book_it(store, m.who, difference, m.body)?;
            }
            Ok(None)
        }
        Verb::Charge => charge(store, book, &m, env).map(Some),
        Verb::Reserve => reserve(store, book, &m, env).map(|()| None),
        Verb::Release | Verb::Use => settle(store, book, m.key, verb, env).map(|()| None),
    }
}

/// A lot of minus the amount, with the dimensions of the customer's first
/// usable lot with some left, once the balance covers it.
fn charge(
    store: &mut Store,
    book: &Ledger,
    m: &Move<'_>,
    env: &Env<'_>,
) -> Result<String, ApiError> {
    ledger::positive(book.body.amount, m.amount)?;
    let balance = ledger::balance(store, book, m.who, env.now, &[]);
    if m.amount > balance {
        return Err(short(book, m.amount, balance));
    }
    let usable = |lot: &&Value| usable(book, lot, m.who, env.now, &[]) && is_valid(lot, env.now);
    let mut lots = store.records(book.lots).iter().filter(usable);
    let source = lots.find(|lot| number(&at(lot, &[book.available])) > 0.0);
    let source = source.cloned().unwrap_or(Value::Null);
    let mut fields = lot_fields(store, book, &Value::Null, None)?;
    for (field, value) in &mut fields {
        *value = source.get(field).cloned().unwrap_or(Value::Null);
    }
    if book.carry.contains(&book.body.note) {
        fields.insert(book.body.note.to_owned(), m.note.clone());
    }
    let id = ledger::add_lot(store, book, m.who, -m.amount, fields, env)?;
    let movement = (m.who, -m.amount, Verb::Charge);
    ledger::book(store, book, movement, m.note.clone(), &source, env)?;
    Ok(id)
}

/// The open reservation with `key`: where it is and whose.
fn open(store: &Store, book: &Ledger, key: &str) -> Option<(usize, String)> {
    let r = book.reservations.as_ref()?;
    let records = store.records(r.resource).iter().enumerate();
    records.into_iter().find_map(|(i, res)| {
        let is = res.get(r.key).and_then(text).as_deref() == Some(key)
            && res.get("state").and_then(Value::as_i64) == Some(OPEN);
        is.then(|| (i, res.get(account(book)).and_then(text).unwrap_or_default()))
    })
}

fn reserve(store: &mut Store, book: &Ledger, m: &Move<'_>, env: &Env<'_>) -> Result<(), ApiError> {
    let r = book
        .reservations
        .as_ref()
        .ok_or_else(|| sandbox_bug("no reservations"))?;
    if open(store, book, m.key).is_some() {
        let message = "An open reservation with this key already exists";
        return Err(bad(book.body.key, "already_exists", json!(m.key), message));
    }
    let taken = ledger::take(store, book, m.who, m.amount, env.now, &[])?;
    let held: Vec<Value> = taken
        .iter()
        .map(|(lot, n)| json!({"lot": lot, "amount": n}))
        .collect();
    let record = json!({
        account(book): m.who, r.key: m.key, r.amount: m.amount, "state": OPEN,
        r.expires: at(m.body, &[book.body.expires]), r.held: held,
    });
    let resource = super::declared(r.resource)?;
    records::write(store, resource, record, Write::Create, env).map(drop)
}

/// Ends the open reservation `key`: freed gives it back, used books it.
fn settle(
    store: &mut Store,
    book: &Ledger,
    key: &str,
    verb: Verb,
    env: &Env<'_>,
) -> Result<(), ApiError> {
    let (Some(r), Some((index, who))) = (&book.reservations, open(store, book, key)) else {
        let message = "No open reservation with this key";
        return Err(bad(book.body.key, "not_found", json!(key), message));
    };
    let mut record = store.records(r.resource)[index].clone();
    let lot = |h: &Value| {
        Some((
            h.get("lot")?.as_str()?.to_owned(),
            h.get("amount")?.as_f64()?,
        ))
    };
    let taken: Taken = at(&record, &[r.held])
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(lot)
        .collect();
    let state = if verb == Verb::Use { USED } else { FREED };
    if let Some(fields) = record.as_object_mut() {
        fields.insert(r.held.to_owned(), json!([]));
        fields.insert("state".to_owned(), json!(state));
    }
    store.replace(r.resource, index, record);
    if verb == Verb::Use {
        let amount: f64 = taken.iter().map(|(_, part)| part).sum();
        let note = json!(format!("Reservation {key}"));
        ledger::book(store, book, (&who, -amount, verb), note, &Value::Null, env)
    } else {
        ledger::give_back(store, book, &taken);
        Ok(())
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
            let message = format!(
                "No {} with ID {value}",
                super::resource(of).map_or(*of, |r| r.record)
            );
            return Err(bad(field, "not_found", json!(value), &message));
        }
        only.push((*field, value));
    }
    Ok(only)
}

/// A new lot's dimensions and carried fields (see the module).
fn lot_fields(
    store: &Store,
    book: &Ledger,
    body: &Value,
    taken: Option<&Taken>,
) -> Result<Map<String, Value>, ApiError> {
    let given = dims(store, book, body)?;
    let source = taken
        .and_then(|t| t.first())
        .and_then(|(lot, _)| store.find(book.lots, lot));
    let source = source.map_or(Value::Null, |(_, lot)| lot.clone());
    let from_source = |field: &str| source.get(field).cloned().unwrap_or(Value::Null);
    let mut fields = Map::new();
    for (field, of) in book.dims {
        let value = match given.iter().find(|(f, _)| f == field) {
            Some((_, v)) => json!(v),
            None if !source.is_null() => from_source(field),
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
        let sent = body.get(*field).filter(|v| !is_empty(v)).cloned();
        fields.insert(
            (*field).to_owned(),
            sent.unwrap_or_else(|| from_source(field)),
        );
    }
    Ok(fields)
}
