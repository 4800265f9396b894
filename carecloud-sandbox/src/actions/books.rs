//! The sandbox's books of loyalty points and prepaid credits, kept the same
//! way for both (a [`Book`] names the fields):
//!
//! * **Lots**: each point (credit) record is one grant with what is left of
//!   it (`available_points`). A customer's balance is the sum of what is
//!   left of their usable lots: active (`state` 1) and not expired
//!   (`valid_to` absent, null or not yet past), optionally of one type (and
//!   currency). Nothing else holds a balance: it is always computed.
//! * **Taking** (redeeming, reducing, transferring away, reserving) first
//!   checks the balance (400 with the book's reason if it is short, nothing
//!   changed), then draws from the lots that expire first (never-expiring
//!   ones last, older before newer). What was taken from which lot is
//!   returned, so a reservation can give exactly that back.
//! * **Journal**: the movements (`point_history`, `credit_history`). It is
//!   opened from the seeded lots on first use (a lot's grant, and what had
//!   already been spent of it at its creation time), and every change
//!   afterwards books one entry, so the journal always sums to what was
//!   granted minus what was taken.
//!
//! Lots keep fields of their own the real API does not send ([`Book::hidden`]:
//! the purchase a lot was earned with or paid, a credit's creation time);
//! the handlers here leave them out of replies.

use serde_json::{Map, Value, json};

use crate::errors::{self, ApiError};
use crate::store::{Store, text};

/// Amounts are kept to this many decimal places (avoids `0.1 + 0.2` drift).
const SCALE: f64 = 1_000_000.0;

/// The field names of one kind of book.
#[derive(Debug)]
pub(crate) struct Book {
    /// The lots' collection (`points`).
    pub lots: &'static str,
    /// A lot's ID field (`point_id`).
    pub id_field: &'static str,
    /// A lot's granted amount (`assigned_points`).
    pub assigned: &'static str,
    /// What is left of a lot (`available_points`).
    pub available: &'static str,
    /// A lot's type field (`point_type_id`) and the types' collection.
    pub type_field: &'static str,
    pub types: &'static str,
    /// The journal's collection (`point_history`) and its fields.
    pub journal: &'static str,
    pub amount: &'static str,
    pub operation_type: &'static str,
    pub operation_note: &'static str,
    pub time: &'static str,
    /// Fields of lots the replies leave out.
    pub hidden: &'static [&'static str],
    /// The `reason` of a refused amount above the balance.
    pub short_reason: &'static str,
    /// What one unit is called in messages (`points`).
    pub unit: &'static str,
    /// The movement kinds of a grant and a spend in the journal
    /// (`addition`, `redemption`: `Points addition`).
    pub grant: &'static str,
    pub spend: &'static str,
}

/// Loyalty points.
pub(crate) const POINTS: Book = Book {
    lots: "points",
    id_field: "point_id",
    assigned: "assigned_points",
    available: "available_points",
    type_field: "point_type_id",
    types: "point_types",
    journal: "point_history",
    amount: "point_amount",
    operation_type: "point_operation_type",
    operation_note: "point_operation_note",
    time: "point_history_record_time",
    hidden: &["purchase_id"],
    short_reason: "not_enough_points_for_payment",
    unit: "points",
    grant: "addition",
    spend: "redemption",
};

/// Prepaid credits.
pub(crate) const CREDITS: Book = Book {
    lots: "credits",
    id_field: "credit_id",
    assigned: "assigned_credits",
    available: "available_credits",
    type_field: "credit_type_id",
    types: "credit_types",
    journal: "credit_history",
    amount: "amount",
    operation_type: "credit_operation_type",
    operation_note: "credit_operation_note",
    time: "credit_history_record_time",
    hidden: &["purchase_id", "created_at"],
    short_reason: "not_allowed_value",
    unit: "credits",
    grant: "deposit",
    spend: "reduction",
};

/// Which of a customer's lots count: all, or those of one type (and, for
/// credits, currency).
#[derive(Clone, Debug, Default)]
pub(crate) struct Only {
    pub type_id: Option<String>,
    pub currency_id: Option<String>,
}

/// What was taken from which lot: (lot ID, amount).
pub(crate) type Taken = Vec<(String, f64)>;

/// `x` kept to [`SCALE`].
pub(crate) fn round(x: f64) -> f64 {
    (x * SCALE).round() / SCALE
}

fn amount_of(lot: &Value, field: &str) -> f64 {
    lot.get(field).and_then(Value::as_f64).unwrap_or(0.0)
}

impl Book {
    /// Whether `lot` is `customer`'s and usable now under `only`.
    fn usable(&self, lot: &Value, customer: &str, now: &str, only: &Only) -> bool {
        let is = |field: &str, wanted: &Option<String>| {
            wanted
                .as_ref()
                .is_none_or(|w| lot.get(field).and_then(text).as_deref() == Some(w))
        };
        lot.get("customer_id").and_then(Value::as_str) == Some(customer)
            && lot.get("state").is_none_or(|s| s.as_i64() == Some(1))
            && lot
                .get("valid_to")
                .and_then(Value::as_str)
                .is_none_or(|to| to >= now)
            && is(self.type_field, &only.type_id)
            && is("currency_id", &only.currency_id)
    }

    /// `customer`'s balance now: what is left of their usable lots.
    pub fn balance(&self, store: &Store, customer: &str, now: &str, only: &Only) -> f64 {
        round(
            store
                .records(self.lots)
                .iter()
                .filter(|lot| self.usable(lot, customer, now, only))
                .map(|lot| amount_of(lot, self.available))
                .sum(),
        )
    }

    /// Takes `amount` from `customer`'s usable lots, those expiring first
    /// first; 400 (nothing taken) if the balance is short or the amount not
    /// positive.
    pub fn take(
        &self,
        store: &mut Store,
        customer: &str,
        amount: f64,
        now: &str,
        only: &Only,
    ) -> Result<Taken, ApiError> {
        positive(amount)?;
        self.open_journal(store);
        let balance = self.balance(store, customer, now, only);
        if amount > balance {
            return Err(errors::bad_request(
                "amount",
                self.short_reason,
                json!(amount),
                &format!(
                    "The customer has {balance} {} available, fewer than {amount}",
                    self.unit
                ),
            ));
        }
        let lots = &mut store.entry(self.lots, self.id_field).records;
        let mut order: Vec<usize> = (0..lots.len())
            .filter(|&i| self.usable(&lots[i], customer, now, only))
            .collect();
        let expiry = |lot: &Value| {
            let to = lot.get("valid_to").and_then(Value::as_str);
            (to.is_none(), to.map(str::to_owned))
        };
        order.sort_by_key(|&i| expiry(&lots[i]));
        let mut left = amount;
        let mut taken = Vec::new();
        for i in order {
            if left <= 0.0 {
                break;
            }
            let have = amount_of(&lots[i], self.available);
            let part = round(have.min(left));
            if part <= 0.0 {
                continue;
            }
            lots[i][self.available] = json!(round(have - part));
            left = round(left - part);
            let id = lots[i]
                .get(self.id_field)
                .and_then(text)
                .unwrap_or_default();
            taken.push((id, part));
        }
        Ok(taken)
    }

    /// Gives what [`Book::take`] took back to the same lots.
    pub fn give_back(&self, store: &mut Store, taken: &Taken) {
        self.open_journal(store);
        let lots = &mut store.entry(self.lots, self.id_field).records;
        for (id, part) in taken {
            if let Some(lot) = lots
                .iter_mut()
                .find(|l| l.get(self.id_field).and_then(Value::as_str) == Some(id))
            {
                let have = amount_of(lot, self.available);
                lot[self.available] = json!(round(have + part));
            }
        }
    }

    /// The project's default type: the first of the types' collection.
    pub fn default_type(&self, store: &Store) -> Option<String> {
        store
            .records(self.types)
            .first()
            .and_then(|t| t.get(self.type_field))
            .and_then(text)
    }

    /// 400 `not_found` unless `type_id` is one of the project's types.
    pub fn known_type(&self, store: &Store, type_id: &str) -> Result<(), ApiError> {
        let known = store
            .get(self.types)
            .is_some_and(|types| types.find(type_id).is_some());
        if known {
            Ok(())
        } else {
            Err(errors::bad_request(
                self.type_field,
                "not_found",
                json!(type_id),
                "No such type",
            ))
        }
    }

    /// Adds a lot of `amount` (with `fields` such as the type and partner)
    /// for `customer`; its new ID.
    pub fn add_lot(
        &self,
        store: &mut Store,
        customer: &str,
        amount: f64,
        fields: Map<String, Value>,
    ) -> String {
        self.open_journal(store);
        let id = store.new_id(26);
        let mut lot = json!({
            self.id_field: id, "customer_id": customer,
            self.assigned: round(amount), self.available: round(amount),
            "valid_to": null, "state": 1,
        });
        if let Some(object) = lot.as_object_mut() {
            object.extend(fields);
        }
        store.entry(self.lots, self.id_field).records.push(lot);
        id
    }

    /// `record` as the API sends it: without the book's own fields.
    pub fn public(&self, mut record: Value) -> Value {
        if let Some(fields) = record.as_object_mut() {
            for hidden in self.hidden {
                fields.remove(*hidden);
            }
        }
        record
    }
}

/// 400 `not_allowed_value` unless `amount` is positive.
pub(crate) fn positive(amount: f64) -> Result<(), ApiError> {
    if amount > 0.0 && amount.is_finite() {
        Ok(())
    } else {
        Err(errors::bad_request(
            "amount",
            "not_allowed_value",
            json!(amount),
            "`amount` must be positive",
        ))
    }
}

pub(crate) use super::books_journal::Movement;

#[cfg(test)]
#[path = "books_tests.rs"]
mod tests;
