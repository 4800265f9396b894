//! Point reservations (see `books.rs`): reserving takes the amount from the
//! customer's available balance, lot by lot, and remembers what it took
//! (in a collection of the sandbox's own, `point_holds`, that no operation
//! lists); freeing gives exactly that back; using turns the held points
//! into a redemption booked in the point history. A reservation is
//! `state` 1 while it holds points, 0 once freed, 2 once used. Reserving
//! more than the available balance is refused with 400 (reason
//! `not_enough_points_for_payment`, the API's reason for too few points)
//! and changes nothing; an `external_id` that already has an open
//! reservation is 400 `already_exists`.
//!
//! The lists and gets of reservations are standard operations.

use serde_json::{Value, json};

use super::books::{Movement, Only, POINTS, Taken};
use super::customer_records::body_customer;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::scope;
use crate::store::Store;

/// The reservations' collection and ID field.
const RESERVATIONS: &str = "point_reservations";
const RESERVATION_ID: &str = "points_reservation_id";
/// What each open reservation took from which lot (the sandbox's own).
const HOLDS: &str = "point_holds";
/// A reservation's state.
const OPEN: i64 = 1;
const FREED: i64 = 0;
const USED: i64 = 2;

/// `POST /point-reservations/actions/reserve-points`.
pub(crate) fn reserve(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let external_id = body["external_id"].as_str().unwrap_or_default().to_owned();
    if open_reservation(&cx.state.store, &external_id).is_some() {
        return Err(errors::bad_request(
            "external_id",
            "already_exists",
            json!(external_id),
            "An open reservation with this external_id already exists",
        ));
    }
    let amount = super::points::amount(&body);
    let now = cx.state.now();
    let store = &mut cx.state.store;
    let taken = POINTS.take(store, &customer, amount, &now, &Only::default())?;
    let id = store.new_id(26);
    let reservation = json!({
        RESERVATION_ID: id, "customer_id": customer, "external_id": external_id,
        "quantity": amount, "state": OPEN, "expiration": body.get("expiration_time"),
    });
    store
        .entry(RESERVATIONS, RESERVATION_ID)
        .records
        .push(reservation);
    let held: Vec<Value> = taken
        .iter()
        .map(|(lot, part)| json!({"point_id": lot, "amount": part}))
        .collect();
    let hold = json!({"hold_id": id, "held": held});
    store.entry(HOLDS, "hold_id").records.push(hold);
    Ok(Answer::NoContent)
}

/// `POST /point-reservations/actions/free-points`: the open reservation's
/// points given back; 400 `not_found` if there is none.
pub(crate) fn free(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let external_id = body["external_id"].as_str().unwrap_or_default();
    let Some((id, owner)) = open_reservation(&cx.state.store, external_id) else {
        return Err(no_open_reservation(external_id));
    };
    if let Some(me) = scope::owner(cx, crate::resources::Kind::Get, "customers")?
        && me != owner
    {
        return Err(scope::not_mine("external_id", external_id));
    }
    let store = &mut cx.state.store;
    let taken = close(store, &id, FREED);
    POINTS.give_back(store, &taken);
    Ok(Answer::NoContent)
}

/// Uses the open reservation `external_id` (an order paid with the held
/// points): the points stay taken, a redemption of them is booked, the
/// reservation becomes `state` 2. No operation of the points group uses a
/// reservation; the purchase operations that do call this.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "called by the purchases group once it has handlers"
    )
)]
pub(crate) fn use_reservation(
    store: &mut Store,
    external_id: &str,
    now: &str,
) -> Result<(), ApiError> {
    let Some((id, customer)) = open_reservation(store, external_id) else {
        return Err(no_open_reservation(external_id));
    };
    let taken = close(store, &id, USED);
    let amount: f64 = taken.iter().map(|(_, part)| part).sum();
    let note = format!("Point reservation {external_id}");
    let movement = Movement {
        customer: &customer,
        amount: -amount,
        kind: "redemption",
        note: Some(&note),
        about: &Value::Null,
    };
    POINTS.book(store, now, movement);
    Ok(())
}

/// The open reservation with `external_id`: its ID and customer.
fn open_reservation(store: &Store, external_id: &str) -> Option<(String, String)> {
    store.records(RESERVATIONS).iter().find_map(|r| {
        let open = r["external_id"] == json!(external_id) && r["state"] == json!(OPEN);
        open.then(|| {
            let text = |f: &str| r[f].as_str().unwrap_or_default().to_owned();
            (text(RESERVATION_ID), text("customer_id"))
        })
    })
}

/// Sets reservation `id` to `state` and drops its hold; what it held.
fn close(store: &mut Store, id: &str, state: i64) -> Taken {
    let reservations = &mut store.entry(RESERVATIONS, RESERVATION_ID).records;
    if let Some(r) = reservations
        .iter_mut()
        .find(|r| r[RESERVATION_ID] == json!(id))
    {
        r["state"] = json!(state);
    }
    let holds = &mut store.entry(HOLDS, "hold_id").records;
    let Some(at) = holds.iter().position(|h| h["hold_id"] == json!(id)) else {
        return Taken::new();
    };
    let hold = holds.remove(at);
    hold["held"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some((h["point_id"].as_str()?.to_owned(), h["amount"].as_f64()?)))
        .collect()
}

fn no_open_reservation(external_id: &str) -> ApiError {
    errors::bad_request(
        "external_id",
        "not_found",
        json!(external_id),
        "No open point reservation with this external_id",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let mut store = Store::default();
        store.entry("points", "point_id").records = vec![
            json!({"point_id": "a", "customer_id": "c", "assigned_points": 100.0, "available_points": 100.0, "state": 1, "valid_to": null}),
        ];
        store
    }

    #[test]
    fn using_a_reservation_turns_it_into_a_redemption() {
        let mut store = store();
        let now = "2026-01-01 00:00:00";
        let taken = POINTS
            .take(&mut store, "c", 30.0, now, &Only::default())
            .expect("enough");
        store.entry(RESERVATIONS, RESERVATION_ID).records = vec![
            json!({RESERVATION_ID: "r", "customer_id": "c", "external_id": "o-1", "quantity": 30.0, "state": OPEN}),
        ];
        let held: Vec<Value> = taken
            .iter()
            .map(|(lot, part)| json!({"point_id": lot, "amount": part}))
            .collect();
        store.entry(HOLDS, "hold_id").records = vec![json!({"hold_id": "r", "held": held})];

        use_reservation(&mut store, "o-1", now).expect("open");

        assert_eq!(POINTS.balance(&store, "c", now, &Only::default()), 70.0);
        assert_eq!(store.records(RESERVATIONS)[0]["state"], json!(USED));
        assert!(store.records(HOLDS).is_empty());
        let history = store.records("point_history");
        let last = history.last().expect("booked");
        assert_eq!(last["point_amount"], json!(-30.0));
        assert_eq!(last["point_operation_type"], "Points redemption");
        let sum: f64 = history
            .iter()
            .filter_map(|e| e["point_amount"].as_f64())
            .sum();
        assert_eq!(sum, 70.0, "the journal sums to the balance");
        assert!(
            use_reservation(&mut store, "o-1", now).is_err(),
            "only once"
        );
    }
}
