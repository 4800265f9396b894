//! The seed's example payloads and our own quirk fixtures deserialize into
//! the generated types and serialize back without losing a value.

use carecloud_api::{builders, customer, types};
use carecloud_tests::{differences, payload, without_nulls};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Parses the fixture as `T`, serializes it back and asserts nothing but
/// `null`s changed; returns the parsed value for further assertions.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let original = payload(name);
    let parsed: T = serde_json::from_value(original.clone()).unwrap_or_else(|e| {
        panic!(
            "{name} does not parse as {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&parsed).expect("serializes");
    let lost = differences(&without_nulls(&original), &back);
    assert!(
        lost.is_empty(),
        "{name} changed in a round trip:\n{}",
        lost.join("\n")
    );
    parsed
}

#[test]
fn seed_enterprise_login_response() {
    let login: types::UserLoginResponse = round_trip("seed_enterprise_login.json");
    assert_eq!(
        login.data.bearer_token.expose(),
        "09359095c5da43c7ae11e710eabce49418715a6a"
    );
    let valid_to = login.data.valid_to.as_ref().expect("valid_to");
    assert_eq!(valid_to.as_str(), "2023-01-04 10:31:56");
    assert_eq!(
        valid_to.to_naive().map(|t| t.to_string()),
        Some("2023-01-04 10:31:56".to_owned())
    );
    let user = login.data.user.as_ref().expect("user");
    let phone = user.phone.as_ref().expect("phone");
    assert!(
        phone.is_number(),
        "the quickstart sends the phone as a JSON number"
    );
    assert_eq!(phone.as_str(), "420123828931");
    assert_eq!(
        user.user_role_id.as_deref(),
        Some("86e05affc7a7befcd513ab400")
    );
    assert!(!format!("{login:?}").contains("09359095c5da43c7ae11e710eabce49418715a6a"));
}

#[test]
fn seed_customers_parse_on_both_interfaces_into_one_type() {
    let list: types::CustomerListResponse = round_trip("seed_get_customers.json");
    assert_eq!(list.data.total_items, Some(1));
    let john: &types::Customer = &list.data.customers()[0];
    let info = &john.personal_information;
    assert_eq!(info.first_name.as_deref(), Some("John"));
    assert_eq!(info.gender, Some(types::Gender::Male));
    let birthdate = info.birthdate.as_ref().expect("birthdate");
    assert_eq!(birthdate.as_str(), "985-02-12", "kept verbatim");
    assert_eq!(john.state, Some(types::CustomerState::Active));
    let agreement = info.agreement.as_ref().expect("agreement");
    assert_eq!(
        agreement.custom_agreements()[0].agreement_value,
        types::ConsentValue::NotSet
    );

    // Both interfaces' clients return the one builder, whose reply is this type.
    let _: fn(&customer::Client) -> builders::GetCustomers = customer::Client::get_customers;
    let _: fn(&carecloud_api::enterprise::Client) -> builders::GetCustomers =
        carecloud_api::enterprise::Client::get_customers;
}

#[test]
fn seed_customer_token_flow_payloads() {
    let request: types::PostTokenRequest = round_trip("seed_post_token_request.json");
    assert_eq!(request.device.device_id, "123456");
    let token: types::TokenIdResponse = round_trip("seed_post_token_response.json");
    assert!(token.data.token_id.expose().starts_with("4d8121de"));
    assert!(
        !format!("{token:?}").contains("4d8121de"),
        "token leaked into Debug"
    );
    let login: types::PostTokenLoginRequest = round_trip("seed_customer_login_request.json");
    assert_eq!(login.login_type, types::CustomerLoginType::Email);
    assert!(
        !format!("{login:?}").contains("password_example"),
        "password leaked into Debug"
    );
    let reply: types::CustomerIdResponse = round_trip("seed_customer_login_response.json");
    assert_eq!(
        reply.data.customer_id.as_deref(),
        Some("8ea6abece4cd0a4ded0a29f093")
    );
}

#[test]
fn users_with_either_role_field_numeric_phone_and_odd_dates() {
    let list: types::UserListResponse = round_trip("quirk_user_list.json");
    let [first, second] = list.data.users() else {
        panic!("two users")
    };
    assert_eq!(first.user_role_ids().len(), 2);
    assert!(first.user_role_id.is_none());
    assert_eq!(
        second.user_role_id.as_deref(),
        Some("86e05affc7a7befcd513ab400")
    );
    assert!(!first.phone.as_ref().expect("phone").is_number());
    assert!(second.phone.as_ref().expect("phone").is_number());
    let micro = first.last_login.as_ref().expect("last_login");
    assert_eq!(micro.as_str(), "2021-04-16 18:22:35.052987");
    assert!(micro.to_naive().is_some());
    let zero = second.last_login.as_ref().expect("last_login");
    assert!(zero.is_zero());
    assert_eq!(zero.to_naive(), None);
    assert_eq!(
        first.extra.get("shift_code"),
        Some(&serde_json::json!("N2")),
        "unknown field kept"
    );
}

#[test]
fn stores_with_numeric_ids_unknown_state_and_unknown_fields() {
    let list: types::StoreListResponse = round_trip("quirk_store_list.json");
    let store = &list.data.stores()[0];
    assert_eq!(
        store.system_id.as_ref().map(|s| s.as_str()),
        Some("2375303497")
    );
    assert_eq!(
        store.state,
        Some(types::RecordState::Unknown(3)),
        "a new code is kept, not rejected"
    );
    assert!(store.extra.contains_key("loyalty_tier_hint"));
    assert_eq!(
        list.data.stores()[1].visibility_for_customer,
        Some(types::Visibility::Hidden)
    );
}

#[test]
fn cards_with_null_owner_and_microsecond_timestamps() {
    let list: types::CardListResponse = round_trip("quirk_card_list.json");
    assert_eq!(
        list.data.total_items,
        Some(35415),
        "total_items is not the page length"
    );
    assert!(list.data.cards()[0].customer_id.is_none());
    assert_eq!(list.data.cards()[1].state, types::CardState::Blocked);
}

#[test]
fn error_bodies_with_and_without_exception() {
    let forbidden: types::ErrorEnvelope = round_trip("quirk_error_403.json");
    assert!(forbidden.error.exception.is_none());
    assert_eq!(
        forbidden.error.type_.as_deref(),
        Some("interface_not_allowed_exception")
    );
    let bad: types::ErrorEnvelope = round_trip("quirk_error_400.json");
    let data = bad.error.error_data.as_ref().expect("error_data");
    assert_eq!(data.invalid_params().len(), 3);
    assert_eq!(
        data.invalid_params()[0].reason.as_deref(),
        Some("already_exists")
    );
    assert!(
        data.extra.contains_key("expected_type"),
        "error_data keeps undocumented members"
    );
}
