use std::sync::Mutex;

use super::*;
use crate::engines::ledger_verbs::{Move, apply};
use crate::engines::test_support::{seeded, why};
use crate::generated::plan::LEDGERS;

const NOW: &str = "2026-01-01 00:00:00";
const JOHN: &str = crate::JOHN_SMITH_ID;

fn ledger(name: &str) -> &'static Ledger {
    super::super::ledger(name).expect("declared")
}

/// `verb` of `amount` (or for `key`) for John: the lot named, or the
/// refusal's (name, reason).
fn doing(
    store: &mut Store,
    book: &Ledger,
    (verb, amount, key): (Verb, f64, &str),
) -> Result<Option<String>, (String, String)> {
    let m = Move {
        who: JOHN,
        to: "",
        amount,
        key,
        note: Value::Null,
        body: &Value::Null,
    };
    apply(store, book, verb, m, &Env::bare(NOW)).map_err(|e| why(&e))
}

fn johns(store: &Store, book: &Ledger) -> f64 {
    balance(store, book, JOHN, NOW, &[])
}

fn refused(name: &str, reason: &str) -> (String, String) {
    (name.to_owned(), reason.to_owned())
}

#[test]
fn the_balance_counts_usable_lots_and_taking_draws_those_expiring_first() {
    let (mut store, points) = (seeded().store, ledger("points"));
    // John's lots: b1 300 left and b2 200 (until 2099, b1 sooner), b3 expired.
    assert_eq!(johns(&store, points), 500.0);
    let taken = take(&mut store, points, JOHN, 480.0, NOW, &[]).expect("enough");
    let b = |n: u8| format!("8bd48117006496e0b1788109b{n}");
    assert_eq!(taken, [(b(1), 300.0), (b(2), 180.0)]);
    let left = |store: &Store, n| {
        store
            .find("points", &b(n))
            .map(|(_, l)| l.get("available_points").cloned())
    };
    assert_eq!(
        (left(&store, 1), left(&store, 3)),
        (Some(Some(json!(0.0))), Some(Some(json!(100))))
    );
    give_back(&mut store, points, &taken);
    assert_eq!(johns(&store, points), 500.0);
    let only = [("point_type_id", "8c1f5e2a9b3d4c6e8f0a1b2c02".to_owned())];
    assert_eq!(balance(&store, points, JOHN, NOW, &only), 200.0);
}

#[test]
fn an_amount_above_the_balance_is_refused_with_the_ledgers_reason_and_changes_nothing() {
    let mut store = seeded().store;
    let cases = [
        ("points", "not_enough_points_for_payment", 500.0),
        ("credits", "not_allowed_value", 750.0),
    ];
    for (name, reason, all) in cases {
        let book = ledger(name);
        let short = doing(&mut store, book, (Verb::Spend, all + 0.5, ""));
        assert_eq!(short, Err(refused("amount", reason)));
        assert_eq!(johns(&store, book), all);
        let none = doing(&mut store, book, (Verb::Spend, 0.0, ""));
        assert_eq!(none, Err(refused("amount", "not_allowed_value")));
    }
}

#[test]
fn reservations_hold_until_freed_or_used_and_keys_are_checked() {
    let (mut store, points) = (seeded().store, ledger("points"));
    doing(&mut store, points, (Verb::Reserve, 300.0, "K1")).expect("held");
    assert_eq!(johns(&store, points), 200.0);
    let again = doing(&mut store, points, (Verb::Reserve, 1.0, "K1"));
    assert_eq!(again, Err(refused("external_id", "already_exists")));
    doing(&mut store, points, (Verb::Release, 0.0, "K1")).expect("freed");
    assert_eq!(johns(&store, points), 500.0);
    let gone = doing(&mut store, points, (Verb::Release, 0.0, "K1"));
    assert_eq!(gone, Err(refused("external_id", "not_found")));
    doing(&mut store, points, (Verb::Reserve, 100.0, "K2")).expect("held");
    doing(&mut store, points, (Verb::Use, 0.0, "K2")).expect("used");
    assert_eq!(johns(&store, points), 400.0);
    let last = store
        .records("point_history")
        .last()
        .cloned()
        .unwrap_or_default();
    let booked = (last.get("point_amount"), last.get("point_operation_type"));
    assert_eq!(
        booked,
        (Some(&json!(-100.0)), Some(&json!("Points redemption")))
    );
    let reservations = store.records("point_reservations").iter();
    let states: Vec<Value> = reservations
        .filter_map(|r| r.get("state").cloned())
        .collect();
    assert_eq!(states[states.len() - 2..], [json!(0), json!(2)]);
}

#[test]
fn of_24_concurrent_takes_of_10_from_150_15_succeed_in_every_ledger() {
    for book in LEDGERS {
        let mut store = seeded().store;
        store.entry(book.lots, "").records.clear();
        add_lot(&mut store, book, JOHN, 150.0, Map::new(), &Env::bare(NOW)).expect("a lot");
        let verb = if book.reservations.is_some() {
            Verb::Reserve
        } else {
            Verb::Spend
        };
        let store = Mutex::new(store);
        let race = |i: usize| {
            let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
            doing(&mut store, book, (verb, 10.0, &format!("RACE-{i}"))).is_ok()
        };
        let won = std::thread::scope(|s| {
            let racers: Vec<_> = (0..24).map(|i| s.spawn(move || race(i))).collect();
            racers
                .into_iter()
                .filter_map(|r| r.join().ok())
                .filter(|won| *won)
                .count()
        });
        let store = store.into_inner().unwrap_or_else(|e| e.into_inner());
        assert_eq!((won, johns(&store, book)), (15, 0.0), "{}", book.name);
    }
}

#[test]
fn a_charge_is_a_negative_lot_and_the_totals_and_expiry_follow_the_lots() {
    let (mut store, points) = (seeded().store, ledger("points"));
    let charge = doing(&mut store, points, (Verb::Charge, 300.0, "")).expect("covered");
    let lot = store
        .find("points", &charge.unwrap_or_default())
        .map(|(_, l)| l.clone());
    assert_eq!(
        lot.and_then(|l| l.get("available_points").cloned()),
        Some(json!(-300.0))
    );
    assert_eq!(johns(&store, points), 200.0);
    let short = doing(&mut store, points, (Verb::Charge, 201.0, ""));
    assert_eq!(
        short,
        Err(refused("amount", "not_enough_points_for_payment"))
    );
    let seeded = seeded().store;
    let lots = seeded.records("points").iter();
    let johns_lots: Vec<&Value> = lots
        .filter(|l| l.get("customer_id") == Some(&json!(JOHN)))
        .collect();
    assert_eq!(totals(points, &johns_lots, NOW), (800.0, 200.0, 500.0));
    let next = Some(("2099-12-31".to_owned(), 500.0));
    assert_eq!(expiry(&seeded, points, JOHN, NOW), (next, 0.0));
}

#[test]
fn a_new_lot_leaves_out_the_fields_given_without_a_value() {
    let (mut store, points) = (seeded().store, ledger("points"));
    let mut fields = Map::new();
    fields.insert("partner_id".to_owned(), Value::Null);
    fields.insert("note".to_owned(), json!("moved"));
    let id = add_lot(&mut store, points, JOHN, 5.0, fields, &Env::bare(NOW)).expect("written");
    let (_, lot) = store.find("points", &id).expect("stored");
    assert_eq!(lot.get("note"), Some(&json!("moved")));
    assert_eq!(lot.get("partner_id"), None, "not a null partner: {lot}");
    assert_eq!(johns(&store, points), 505.0);
}
