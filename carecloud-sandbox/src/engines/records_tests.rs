use serde_json::json;

use super::*;
use crate::decl::{Capacity, Cmp, Expr, Root, States};
use crate::engines::resource;
use crate::engines::test_support::{seeded, why};

const NOW: &str = "2026-01-01 00:00:00";
const JOHN: &str = crate::JOHN_SMITH_ID;

/// Writes to `resource` in `store`: the record's ID, or the refusal's
/// (name, reason).
fn writer<'a>(
    store: &'a mut Store,
    resource: &'a Resource,
) -> impl FnMut(Value, Write<'_>) -> Result<String, (String, String)> + 'a {
    move |record, how| write(store, resource, record, how, &Env::bare(NOW)).map_err(|e| why(&e))
}

fn reason(name: &str, reason: &str) -> Result<String, (String, String)> {
    Err((name.to_owned(), reason.to_owned()))
}

#[test]
fn a_composed_id_set_fields_references_and_unique_fields() {
    let mut store = seeded().store;
    let mut put = writer(&mut store, resource("property_records").expect("declared"));
    let value = |id: &str| json!({"property_id": id, "customer_id": JOHN, "property_value": "x"});
    let drink = || value("favourite_drink");
    assert_eq!(
        put(drink(), Write::Create),
        reason("property_id", "already_exists")
    );
    let id = put(drink(), Write::Upsert).expect("replaced");
    assert_eq!(id, format!("favourite_drink:{JOHN}"));
    assert_eq!(
        put(value("shoe_size"), Write::Create),
        reason("property_id", "not_found")
    );
    let elsewhere = Write::Replace {
        index: 0,
        id: "profession:x",
    };
    assert_eq!(
        put(drink(), elsewhere),
        reason("property_id", "not_allowed_value")
    );
    drop(put);
    let stored = store.find("property_records", &id).map(|(_, r)| r.clone());
    let stored = stored.unwrap_or_default();
    assert_eq!(stored.get("property_name"), Some(&json!("Favourite drink")));
    assert!(stored.get("last_change").is_some(), "stamped");
}

#[test]
fn checks_and_unique_fields_among_the_valid_records() {
    let mut store = seeded().store;
    let mut put = writer(&mut store, resource("related_customers").expect("declared"));
    let kind = "8bed991c68a470e7aaeffbf04a";
    let to = |other: &str| json!({"customer_id": JOHN, "related_customer_id": other, "customer_relation_type_id": kind});
    let oneself = put(to(JOHN), Write::Create);
    assert_eq!(oneself, reason("related_customer_id", "not_allowed_value"));
    let eva = "8ea6abece4cd0a4ded0a29f102";
    put(to(eva), Write::Create).expect("new");
    let twice = put(to(eva), Write::Create);
    assert_eq!(
        twice,
        reason("related_customer_id", "relation_already_exists")
    );
}

/// Bookings of places in a store: one holds its place unless cancelled
/// (state 3); a booking starts confirmed (1), and may only be cancelled.
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
            reason: "full",
            name: "store_id",
            value: None,
            message: "Full",
        },
    }),
    states: Some(States {
        field: "state",
        initial: &["1"],
        moves: &[("1", &["3"])],
        fail: Fail {
            reason: "not_allowed_value",
            name: "state",
            value: Some(Expr::Ref(Root::Record, &["state"])),
            message: "No such move",
        },
    }),
};

#[test]
fn a_capacity_refuses_a_record_beyond_its_slot_and_a_cancelled_one_frees_its_place() {
    let (mut store, env) = (Store::default(), Env::bare(NOW));
    store.insert(
        "stores",
        "store_id",
        json!({"store_id": "s1", "capacity": 3}),
    );
    let slot = store.records("stores")[0].clone();
    let booking = |state: u8| json!({"store_id": "s1", "state": state});
    let mut put = writer(&mut store, &BOOKINGS);
    let first = put(booking(1), Write::Create).expect("a place");
    put(booking(1), Write::Create).expect("a place");
    put(booking(1), Write::Create).expect("a place");
    assert_eq!(put(booking(1), Write::Create), reason("store_id", "full"));
    let cancel = Write::Replace {
        index: 0,
        id: &first,
    };
    put(booking(3), cancel).expect("cancelled");
    drop(put);
    assert_eq!(left(&store, &BOOKINGS, &slot, &env), 1.0);
    let mut put = writer(&mut store, &BOOKINGS);
    put(booking(1), Write::Create).expect("the freed place");
    drop(put);
    assert_eq!(left(&store, &BOOKINGS, &slot, &env), 0.0);
}

#[test]
fn replies_leave_hidden_fields_out_and_add_derived_ones() {
    let (state, env) = (seeded(), Env::bare(NOW));
    let card = state
        .store
        .find("stamper_cards", "5a3c0000000000000000cd0001");
    let cards = resource("stamper_cards").expect("declared");
    let shown = present(&state.store, cards, card.expect("seeded").1, &env);
    let stamps = shown.get("stamps").and_then(Value::as_array).map(Vec::len);
    assert_eq!(
        (stamps, shown.get("is_filled_up")),
        (Some(3), Some(&json!(true)))
    );
    let segments = resource("segment_records").expect("declared");
    let segment = &state.store.records("segment_records")[0];
    assert!(
        present(&state.store, segments, segment, &env)
            .get("segment_group_id")
            .is_none()
    );
}

#[test]
fn a_field_moves_only_as_its_states_declare() {
    let mut store = Store::default();
    store.insert(
        "stores",
        "store_id",
        json!({"store_id": "s1", "capacity": 9}),
    );
    let booking = |state: u8| json!({"store_id": "s1", "state": state});
    let mut put = writer(&mut store, &BOOKINGS);
    assert_eq!(
        put(booking(3), Write::Create),
        reason("state", "not_allowed_value")
    );
    let id = put(booking(1), Write::Create).expect("confirmed");
    let again = Write::Replace { index: 0, id: &id };
    put(booking(1), again).expect("the same state is no move");
    put(booking(3), again).expect("cancelled");
    drop(put);
    let refused = write(&mut store, &BOOKINGS, booking(1), again, &Env::bare(NOW));
    let error = refused.expect_err("a cancelled booking stays cancelled");
    assert_eq!(
        error
            .body
            .pointer("/error/error_data/invalid_params/0/value"),
        Some(&json!(1))
    );
}
