use serde_json::json;

use super::*;
use crate::decl::{Capacity, Cmp, Expr, Root};
use crate::engines::resource;
use crate::engines::test_support::{seeded, why};

const NOW: &str = "2026-01-01 00:00:00";
const JOHN: &str = crate::JOHN_SMITH_ID;

fn refusal(outcome: Result<String, ApiError>) -> (String, String) {
    why(&outcome.expect_err("refused"))
}

#[test]
fn a_composed_id_set_fields_references_and_unique_fields() {
    let (mut store, env) = (seeded().store, Env::bare(NOW));
    let records = resource("property_records").expect("declared");
    let value = |id: &str| json!({"property_id": id, "customer_id": JOHN, "property_value": "tea"});
    let taken = write(
        &mut store,
        records,
        value("favourite_drink"),
        Write::Create,
        &env,
    );
    assert_eq!(
        refusal(taken),
        ("property_id".into(), "already_exists".into())
    );
    let id = write(
        &mut store,
        records,
        value("favourite_drink"),
        Write::Upsert,
        &env,
    )
    .expect("replaced");
    assert_eq!(id, format!("favourite_drink:{JOHN}"));
    let stored = store
        .find("property_records", &id)
        .map(|(_, r)| r.clone())
        .unwrap_or_default();
    assert_eq!(
        stored.get("property_name"),
        Some(&json!("Favourite drink")),
        "looked up"
    );
    assert!(stored.get("last_change").is_some(), "stamped");
    let unknown = write(&mut store, records, value("shoe_size"), Write::Create, &env);
    assert_eq!(refusal(unknown), ("property_id".into(), "not_found".into()));
    let other = Write::Replace {
        index: 0,
        id: "profession:x",
    };
    let moved = write(&mut store, records, value("favourite_drink"), other, &env);
    assert_eq!(
        refusal(moved),
        ("property_id".into(), "not_allowed_value".into())
    );
}

#[test]
fn checks_and_unique_fields_among_the_valid_records() {
    let (mut store, env) = (seeded().store, Env::bare(NOW));
    let relations = resource("related_customers").expect("declared");
    let kind = "8bed991c68a470e7aaeffbf04a";
    let to = |other: &str| json!({"customer_id": JOHN, "related_customer_id": other, "customer_relation_type_id": kind});
    let oneself = write(&mut store, relations, to(JOHN), Write::Create, &env);
    assert_eq!(
        refusal(oneself),
        ("related_customer_id".into(), "not_allowed_value".into())
    );
    let eva = "8ea6abece4cd0a4ded0a29f102";
    write(&mut store, relations, to(eva), Write::Create, &env).expect("new");
    let twice = write(&mut store, relations, to(eva), Write::Create, &env);
    assert_eq!(refusal(twice).1, "relation_already_exists");
}

/// Bookings of places in a store: one holds its place unless cancelled (3).
static BOOKINGS: Resource = Resource {
    name: "bookings",
    schema: "",
    record: "booking",
    id: "booking_id",
    owner: None,
    refs: &[],
    unique: &[],
    hidden: &[],
    compose_id: &[],
    on_create: &[],
    on_write: &[],
    checks: &[],
    derive: &[],
    capacity: Some(Capacity {
        slots: "stores",
        slot: &["store_id"],
        limit: "capacity",
        amount: None,
        holds: Expr::Cmp(Cmp::Ne, &Expr::Ref(Root::It, &["state"]), &Expr::Lit("3")),
        fail: Fail {
            reason: "capacity_exceeded",
            name: "store_id",
            value: None,
            message: "Full",
        },
    }),
};

#[test]
fn a_capacity_refuses_a_record_beyond_its_slot_and_a_cancelled_one_frees_its_place() {
    let (mut store, env, bookings) = (Store::default(), Env::bare(NOW), &BOOKINGS);
    store.insert(
        "stores",
        "store_id",
        json!({"store_id": "s1", "capacity": 3}),
    );
    let booking = |state: u8| json!({"store_id": "s1", "state": state});
    let first = write(&mut store, bookings, booking(1), Write::Create, &env).expect("a place");
    for _ in 0..2 {
        write(&mut store, bookings, booking(1), Write::Create, &env).expect("a place");
    }
    let full = write(&mut store, bookings, booking(1), Write::Create, &env);
    assert_eq!(
        refusal(full),
        ("store_id".into(), "capacity_exceeded".into())
    );
    let slot = store.records("stores")[0].clone();
    assert_eq!(left(&store, bookings, &slot, &env), 0.0);
    let cancel = Write::Replace {
        index: 0,
        id: &first,
    };
    write(&mut store, bookings, booking(3), cancel, &env).expect("cancelled");
    assert_eq!(left(&store, bookings, &slot, &env), 1.0);
    write(&mut store, bookings, booking(1), Write::Create, &env).expect("the freed place");
}

#[test]
fn replies_leave_hidden_fields_out_and_add_derived_ones() {
    let (state, env) = (seeded(), Env::bare(NOW));
    let cards = resource("stamper_cards").expect("declared");
    let (_, card) = state
        .store
        .find("stamper_cards", "5a3c0000000000000000cd0001")
        .expect("seeded");
    let shown = present(&state.store, cards, card, &env);
    assert_eq!(
        shown.get("stamps").and_then(Value::as_array).map(Vec::len),
        Some(3)
    );
    assert_eq!(shown.get("is_filled_up"), Some(&json!(true)));
    let segments = resource("segment_records").expect("declared");
    let shown = present(
        &state.store,
        segments,
        &state.store.records("segment_records")[0],
        &env,
    );
    assert!(shown.get("segment_group_id").is_none());
}
