//! The ledger engine (`docs/sandbox.md`): books of lots, the same for every
//! declared [`Ledger`]. A customer's balance is what is left of their
//! usable lots (active, not expired, of the dimensions asked), always
//! computed; taking checks it first (400 with the ledger's `short` reason,
//! nothing changed) and draws from the lots expiring first; every change
//! books a journal entry. The state lock makes each change atomic.

use serde_json::{Map, Value, json};

use super::expr::{Env, number};
use super::records::{self, Write};
use crate::decl::{Ledger, Verb};
use crate::errors::{self, ApiError};
use crate::scope::OWNER;
use crate::store::{Store, at, text};

/// Amounts are kept to this many decimal places (avoids `0.1 + 0.2` drift).
const SCALE: f64 = 1_000_000.0;

/// What was taken from which lot: (lot ID, amount).
pub(crate) type Taken = Vec<(String, f64)>;

/// Dimensions a lot must have: (field, value).
pub(crate) type Only = [(&'static str, String)];

/// `x` kept to [`SCALE`].
pub(crate) fn round(x: f64) -> f64 {
    (x * SCALE).round() / SCALE
}

/// The field of a lot (or journal entry) naming its customer.
pub(super) fn account(ledger: &Ledger) -> &'static str {
    super::resource(ledger.lots)
        .and_then(|r| r.owner)
        .unwrap_or(OWNER)
}

/// Whether `lot` is `customer`'s and usable at `now` under `only`.
pub(super) fn usable(ledger: &Ledger, lot: &Value, customer: &str, now: &str, only: &Only) -> bool {
    lot.get(account(ledger)).and_then(text).as_deref() == Some(customer)
        && lot.get("state").is_none_or(|s| s.as_i64() == Some(1))
        && lot
            .get(ledger.expires)
            .and_then(Value::as_str)
            .is_none_or(|to| to >= now)
        && only
            .iter()
            .all(|(field, value)| lot.get(*field).and_then(text).as_deref() == Some(value))
}

/// `customer`'s balance at `now`: what is left of their usable lots.
pub(crate) fn balance(
    store: &Store,
    ledger: &Ledger,
    customer: &str,
    now: &str,
    only: &Only,
) -> f64 {
    let lots = store.records(ledger.lots).iter();
    round(
        lots.filter(|lot| usable(ledger, lot, customer, now, only))
            .map(|lot| number(&at(lot, &[ledger.available])))
            .sum(),
    )
}

/// 400 `not_allowed_value` on `name` unless `amount` is positive.
pub(crate) fn positive(name: &str, amount: f64) -> Result<(), ApiError> {
    if amount > 0.0 && amount.is_finite() {
        Ok(())
    } else {
        let message = format!("`{name}` must be positive");
        Err(errors::not_allowed(name, json!(amount), &message))
    }
}

/// 400 with the ledger's `short` reason: `amount` is above the balance.
pub(super) fn short(ledger: &Ledger, amount: f64, balance: f64) -> ApiError {
    let message = format!("The balance is {balance}, less than {amount}");
    errors::bad_request(ledger.body.amount, ledger.short, json!(amount), &message)
}

/// Takes `amount` from `customer`'s usable lots, those expiring first
/// first; 400 (nothing taken) if the balance is short.
pub(crate) fn take(
    store: &mut Store,
    ledger: &Ledger,
    customer: &str,
    amount: f64,
    now: &str,
    only: &Only,
) -> Result<Taken, ApiError> {
    positive(ledger.body.amount, amount)?;
    let balance = balance(store, ledger, customer, now, only);
    if amount > balance {
        return Err(short(ledger, amount, balance));
    }
    let lots = store.records(ledger.lots);
    let mut order: Vec<usize> = (0..lots.len())
        .filter(|&i| usable(ledger, &lots[i], customer, now, only))
        .collect();
    let expiry = |lot: &Value| {
        let to = lot.get(ledger.expires).and_then(Value::as_str);
        (to.is_none(), to.map(str::to_owned))
    };
    order.sort_by_key(|&i| expiry(&lots[i]));
    let (mut left, mut taken) = (amount, Taken::new());
    for i in order {
        let have = number(&at(&store.records(ledger.lots)[i], &[ledger.available]));
        let part = round(have.min(left));
        if left <= 0.0 || part <= 0.0 {
            continue;
        }
        left = round(left - part);
        taken.push((lot_id(store, ledger, i), part));
        add(store, ledger, i, -part);
    }
    Ok(taken)
}

fn lot_id(store: &Store, ledger: &Ledger, index: usize) -> String {
    let id_field = super::resource(ledger.lots).map_or("", |r| r.id);
    store.records(ledger.lots)[index]
        .get(id_field)
        .and_then(text)
        .unwrap_or_default()
}

/// Adds `delta` to what is left of the lot at `index`.
fn add(store: &mut Store, ledger: &Ledger, index: usize, delta: f64) {
    let mut lot = store.records(ledger.lots)[index].clone();
    let have = number(&at(&lot, &[ledger.available]));
    lot[ledger.available] = json!(round(have + delta));
    store.replace(ledger.lots, index, lot);
}

/// Gives what [`take`] took back to the same lots.
pub(crate) fn give_back(store: &mut Store, ledger: &Ledger, taken: &Taken) {
    for (id, part) in taken {
        if let Some((index, _)) = store.find(ledger.lots, id) {
            add(store, ledger, index, *part);
        }
    }
}

/// A new lot of `amount` for `customer` with `fields` (dimensions, notes;
/// one without a value is left out, as a record's fields are not nullable);
/// its ID.
pub(crate) fn add_lot(
    store: &mut Store,
    ledger: &Ledger,
    customer: &str,
    amount: f64,
    fields: Map<String, Value>,
    env: &Env<'_>,
) -> Result<String, ApiError> {
    let mut lot = json!({
        account(ledger): customer, ledger.assigned: round(amount),
        ledger.available: round(amount), ledger.expires: null,
    });
    if let Some(object) = lot.as_object_mut() {
        object.extend(fields.into_iter().filter(|(_, value)| !value.is_null()));
    }
    records::write(
        store,
        super::declared(ledger.lots)?,
        lot,
        Write::Create,
        env,
    )
}

/// Books a movement of `amount` (negative: taken) of `customer`'s in the
/// journal, with the journal's `carry` fields read from `about`.
pub(crate) fn book(
    store: &mut Store,
    ledger: &Ledger,
    (customer, amount, verb): (&str, f64, Verb),
    note: Value,
    about: &Value,
    env: &Env<'_>,
) -> Result<(), ApiError> {
    let journal = &ledger.journal;
    let kind = journal
        .kinds
        .iter()
        .find(|(v, _)| *v == verb)
        .map(|(_, k)| *k);
    let mut entry = json!({
        account(ledger): customer, journal.amount: round(amount), journal.kind: kind,
        journal.note: note, journal.time: env.now,
    });
    for field in journal.carry {
        entry[*field] = about.get(*field).cloned().unwrap_or(Value::Null);
    }
    let resource = super::declared(journal.resource)?;
    records::write(store, resource, entry, Write::Create, env).map(drop)
}

/// (earned, redeemed, available) of `lots`: what was granted, what of it is
/// gone, and what is left on the usable ones.
pub(crate) fn totals(ledger: &Ledger, lots: &[&Value], now: &str) -> (f64, f64, f64) {
    lots.iter().fold((0.0, 0.0, 0.0), |(e, r, a), lot| {
        let assigned = number(&at(lot, &[ledger.assigned]));
        let left = number(&at(lot, &[ledger.available]));
        let usable = lot.get("state").is_none_or(|s| s.as_i64() == Some(1))
            && lot
                .get(ledger.expires)
                .and_then(Value::as_str)
                .is_none_or(|to| to >= now);
        let available = if usable { left } else { 0.0 };
        (e + assigned, r + (assigned - left).max(0.0), a + available)
    })
}

/// What of `customer`'s usable balance expires when: the earliest day with
/// its amount, and the amount due this calendar month.
pub(crate) fn expiry(
    store: &Store,
    ledger: &Ledger,
    customer: &str,
    now: &str,
) -> (Option<(String, f64)>, f64) {
    let mut due: std::collections::BTreeMap<String, f64> = Default::default();
    for lot in store.records(ledger.lots) {
        let left = number(&at(lot, &[ledger.available]));
        let day = lot
            .get(ledger.expires)
            .and_then(Value::as_str)
            .and_then(|t| t.get(..10));
        if let Some(day) = day.filter(|_| left > 0.0 && usable(ledger, lot, customer, now, &[])) {
            *due.entry(day.to_owned()).or_default() += left;
        }
    }
    let month = now.get(..7).unwrap_or_default();
    let this_month = due
        .iter()
        .filter(|(d, _)| d.starts_with(month))
        .map(|(_, a)| a)
        .sum();
    (due.into_iter().next(), this_month)
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
