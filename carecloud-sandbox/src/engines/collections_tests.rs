use carecloud_api::Interface::{Customer, Enterprise};
use carecloud_api::OperationId as Id;
use serde_json::{Value, json};

use crate::engines::test_support::{Outcome, call, refused, seeded};
use crate::state::State;
use crate::{JOHN_SMITH_ID as JOHN, TEST_CUSTOMER_ID as OTHER};

const NOT_MINE: &str = "not_belong_to_logged_in_customer";
const GOLD: &str = "86e05affc7a7befcd513ab401";
const JOHNS: &str = "ca4d0a4ded0a29f09300000001";

fn cards(state: &mut State, on: carecloud_api::Interface, query: &str) -> Outcome {
    call(state, (on, Id::GetCards), &[], query, Value::Null)
}

fn customers_cards(state: &mut State, on: carecloud_api::Interface, id: &str) -> Outcome {
    call(
        state,
        (on, Id::GetSubCustomerCards),
        &[("customer_id", id)],
        "",
        Value::Null,
    )
}

#[test]
fn lists_are_under_their_parents_and_the_logged_in_customers() {
    let mut state = seeded();
    let mine = cards(&mut state, Customer, "").map(|(_, data)| data.get("total_items").cloned());
    assert_eq!(mine, Ok(Some(json!(2))));
    let others = format!("customer_id={OTHER}");
    assert_eq!(cards(&mut state, Customer, &others), refused(NOT_MINE));
    let nobody = customers_cards(&mut state, Enterprise, "nobody");
    assert_eq!(nobody, Err((404, String::new())));
    assert_eq!(
        customers_cards(&mut state, Customer, OTHER),
        refused(NOT_MINE)
    );
}

fn card(number: &str, kind: &str, owner: Option<&str>) -> Value {
    let card =
        json!({"card_number": number, "card_type_id": kind, "state": 1, "customer_id": owner});
    json!({ "card": card })
}

#[test]
fn writes_follow_the_resources_rules_and_name_the_new_record() {
    let mut state = seeded();
    let mut post = |body| call(&mut state, (Enterprise, Id::PostCard), &[], "", body);
    let (status, data) = post(card("5", GOLD, Some(OTHER))).expect("created");
    assert_eq!(post(card("5", GOLD, None)), refused("already_exists"));
    assert_eq!(post(card("6", "platinum", None)), refused("not_found"));
    let id = data
        .get("card_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let made = state
        .store
        .find("cards", id)
        .map(|(_, c)| c.get("last_change").is_some());
    assert_eq!((status, made), (201, Some(true)));
    let mut put = |body| {
        call(
            &mut state,
            (Customer, Id::PutCard),
            &[("card_id", JOHNS)],
            "",
            body,
        )
    };
    assert_eq!(
        put(card("200000000001", GOLD, Some(OTHER))),
        refused(NOT_MINE)
    );
    assert_eq!(
        put(card("200000000001", GOLD, None)),
        Ok((204, Value::Null))
    );
    let owner = state
        .store
        .find("cards", JOHNS)
        .and_then(|(_, c)| c.get("customer_id").cloned());
    assert_eq!(
        owner,
        Some(json!(JOHN)),
        "the owner is kept on the customer interface"
    );
}
