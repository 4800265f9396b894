//! Request bodies built with the generated type builders, without touching
//! the `extra` map of unknown fields, convert into the type (and so `send()`
//! does not fail with "no value supplied").

use carecloud_api::{enterprise, types};

#[test]
fn builder_without_extra_converts() {
    let login: enterprise::types::PostUserLoginRequest =
        enterprise::types::PostUserLoginRequest::builder()
            .user_external_application_id("89d1a6111b3fb6e74665d948")
            .login("fabulous_user")
            .password(types::Secret::new("password_example"))
            .try_into()
            .expect("all required fields set; extra starts empty");
    assert!(login.extra.is_empty());
    assert_eq!(login.login, "fabulous_user");
    let json = serde_json::to_value(&login).expect("serializes");
    assert_eq!(json["password"], "password_example");
}

#[test]
fn builder_still_reports_a_missing_required_field() {
    let result: Result<enterprise::types::PostUserLoginRequest, _> =
        enterprise::types::PostUserLoginRequest::builder()
            .login("fabulous_user")
            .try_into();
    let message = result.expect_err("required fields missing").to_string();
    assert!(
        message.contains("user_external_application_id") || message.contains("password"),
        "{message}"
    );
}

#[test]
fn shared_builder_without_extra_converts() {
    let card: types::Card = types::Card::builder()
        .card_number("1000000000016")
        .card_type_id("8bed991c68a470e7aaeffbf048")
        .state(types::CardState::Active)
        .try_into()
        .expect("builds");
    assert!(card.extra.is_empty());
}
