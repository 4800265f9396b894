use carecloud_api::Interface::{Customer, Enterprise};
use carecloud_api::OperationId as Id;
use serde_json::json;

use crate::engines::test_support::{call, refused, seeded};
use crate::{JOHN_SMITH_ID as JOHN, TEST_CUSTOMER_ID as OTHER};

#[test]
fn lists_are_under_their_parents_and_the_logged_in_customers() {
    let mut state = seeded();
    let mut list = |op, path: &[(&'static str, &str)], query: &str| {
        call(&mut state, op, path, query, json!(null))
    };
    let mine = list((Customer, Id::GetCards), &[], "");
    assert_eq!(
        mine.map(|(_, data)| data.pointer("/total_items").cloned()),
        Ok(Some(json!(2)))
    );
    let others = format!("customer_id={OTHER}");
    assert_eq!(
        list((Customer, Id::GetCards), &[], &others),
        refused("not_belong_to_logged_in_customer")
    );
    let nobody = list(
        (Enterprise, Id::GetSubCustomerCards),
        &[("customer_id", "nobody")],
        "",
    );
    assert_eq!(nobody, Err((404, String::new())));
    let theirs = list(
        (Customer, Id::GetSubCustomerCards),
        &[("customer_id", OTHER)],
        "",
    );
    assert_eq!(theirs, refused("not_belong_to_logged_in_customer"));
}

#[test]
fn writes_follow_the_resources_rules_and_name_the_new_record() {
    let (mut state, gold, johns) = (
        seeded(),
        "86e05affc7a7befcd513ab401",
        "ca4d0a4ded0a29f09300000001",
    );
    let card = |number: &str, kind: &str, owner: &str| json!({"card": {"card_number": number, "card_type_id": kind, "customer_id": owner, "state": 1}});
    let made = call(
        &mut state,
        (Enterprise, Id::PostCard),
        &[],
        "",
        card("5", gold, OTHER),
    );
    let (status, data) = made.expect("created");
    assert_eq!(status, 201);
    let id = data
        .pointer("/card_id")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    assert!(
        state
            .store
            .find("cards", id)
            .is_some_and(|(_, c)| c.get("last_change").is_some())
    );
    let again = call(
        &mut state,
        (Enterprise, Id::PostCard),
        &[],
        "",
        card("5", gold, OTHER),
    );
    assert_eq!(again, refused("already_exists"));
    let platinum = call(
        &mut state,
        (Enterprise, Id::PostCard),
        &[],
        "",
        card("6", "platinum", OTHER),
    );
    assert_eq!(platinum, refused("not_found"));
    let path = [("card_id", johns)];
    let given_away = call(
        &mut state,
        (Customer, Id::PutCard),
        &path,
        "",
        card("200000000001", gold, OTHER),
    );
    assert_eq!(given_away, refused("not_belong_to_logged_in_customer"));
    let mut record = card("200000000001", gold, "");
    if let Some(fields) = record.pointer_mut("/card").and_then(|c| c.as_object_mut()) {
        fields.remove("customer_id");
    }
    assert_eq!(
        call(&mut state, (Customer, Id::PutCard), &path, "", record),
        Ok((204, json!(null)))
    );
    let owner = state
        .store
        .find("cards", johns)
        .and_then(|(_, c)| c.get("customer_id").cloned());
    assert_eq!(
        owner,
        Some(json!(JOHN)),
        "the owner is kept on the customer interface"
    );
}
