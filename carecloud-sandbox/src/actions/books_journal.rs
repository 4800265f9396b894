//! The journal of a [`Book`]: the movements of customers' points or credits
//! (`point_history`, `credit_history`), opened from the seeded lots on
//! first use and added to by every change afterwards (see `books.rs`).

use serde_json::{Value, json};

use super::books::{Book, POINTS, round};
use crate::store::Store;

fn amount_of(lot: &Value, field: &str) -> f64 {
    lot.get(field).and_then(Value::as_f64).unwrap_or(0.0)
}

/// A journal entry's own facts.
struct Entry<'a> {
    amount: f64,
    kind: &'a str,
    note: Option<&'a str>,
    extended: Option<String>,
}

/// A movement to book.
pub(crate) struct Movement<'a> {
    pub customer: &'a str,
    pub amount: f64,
    pub kind: &'a str,
    pub note: Option<&'a str>,
    /// Where the type, partner and currency are read (a body or a lot).
    pub about: &'a Value,
}

impl Book {
    /// The journal, opened from the lots if this is its first use.
    pub(super) fn journal<'a>(&self, store: &'a mut Store) -> &'a mut Vec<Value> {
        if store.get(self.journal).is_none() {
            let opening = self.opening(store);
            store.entry(self.journal, "").records = opening;
        }
        &mut store.entry(self.journal, "").records
    }

    /// Opens the journal (see [`Book::journal`]); a no-op once open.
    pub fn open_journal(&self, store: &mut Store) {
        self.journal(store);
    }

    /// The entries the seeded lots stand for: each grant, and what had been
    /// spent of it (or is held by a reservation) by then.
    fn opening(&self, store: &Store) -> Vec<Value> {
        let mut entries = Vec::new();
        for lot in store.records(self.lots) {
            let at = lot.get("created_at").cloned().unwrap_or(Value::Null);
            let assigned = amount_of(lot, self.assigned);
            let spent = round(assigned - amount_of(lot, self.available));
            let purchase = lot
                .get("purchase_id")
                .and_then(Value::as_str)
                .and_then(|id| store.get("purchases")?.find(id))
                .and_then(|(_, p)| p.get("external_purchase_id")?.as_str().map(str::to_owned));
            let extended = purchase.map(|p| json!({ "external_purchase_id": p }).to_string());
            let grant = Entry {
                amount: assigned,
                kind: self.grant,
                note: lot.get("note").and_then(Value::as_str),
                extended,
            };
            entries.push(self.entry(lot, &at, grant));
            if spent > 0.0 {
                let spend = Entry {
                    amount: -spent,
                    kind: self.spend,
                    note: None,
                    extended: None,
                };
                entries.push(self.entry(lot, &at, spend));
            }
        }
        entries
    }

    /// A journal entry for `lot`'s customer, type and partner.
    fn entry(&self, lot: &Value, at: &Value, e: Entry<'_>) -> Value {
        let mut entry = json!({
            "customer_id": lot["customer_id"], self.amount: round(e.amount),
            self.operation_type: self.operation_name(e.kind), self.operation_note: e.note,
            "partner_id": lot.get("partner_id"), "store_id": null, self.time: at,
        });
        if self.lots == POINTS.lots {
            entry[self.type_field] = lot.get(self.type_field).cloned().unwrap_or(Value::Null);
            entry["extended_data"] = json!(e.extended);
        } else {
            entry["currency_id"] = lot.get("currency_id").cloned().unwrap_or(Value::Null);
        }
        entry
    }

    /// The text of a movement kind (`addition` → `Points addition`).
    fn operation_name(&self, kind: &str) -> String {
        let unit = if self.lots == POINTS.lots {
            "Points"
        } else {
            "Credits"
        };
        format!("{unit} {kind}")
    }

    /// Books a movement of `amount` (negative: taken) of `customer`'s, of
    /// the kind `kind` (`addition`, `redemption`, `transfer`, ...), with the
    /// type, partner and currency in `about`.
    pub fn book(&self, store: &mut Store, now: &str, movement: Movement<'_>) {
        let lot = json!({
            "customer_id": movement.customer,
            "partner_id": movement.about.get("partner_id"),
            self.type_field: movement.about.get(self.type_field),
            "currency_id": movement.about.get("currency_id"),
        });
        let entry = Entry {
            amount: movement.amount,
            kind: movement.kind,
            note: movement.note,
            extended: None,
        };
        let entry = self.entry(&lot, &json!(now), entry);
        self.journal(store).push(entry);
    }
}
