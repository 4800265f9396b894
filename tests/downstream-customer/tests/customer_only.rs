//! With `features = ["customer", "customers"]` the crate parses the seed's
//! customer; the enterprise module and the other groups do not exist.

#[test]
fn parses_the_seed_customer() {
    let body = include_str!("../../fixtures/payloads/seed_get_customers.json");
    let customers = downstream_customer::parse_customers(body).expect("parses");
    assert_eq!(customers.len(), 1);
    assert_eq!(customers[0].customer_id.as_deref(), Some("8ea6abece4cd0a4ded0a29f093"));
    assert_eq!(customers[0].personal_information.last_name.as_deref(), Some("Smith"));
    let _client = downstream_customer::client("sandbox.crmcarecloud.com");
    let registration = serde_json::from_str(include_str!(
        "../../fixtures/payloads/seed_post_token_request.json"
    ))
    .expect("the POST /tokens body");
    // Without the `rustls` feature only plain-HTTP project URLs can be used,
    // and an https one is refused when the client is built, naming the feature.
    let refused = downstream_customer::app("sandbox.crmcarecloud.com", app_registration())
        .expect_err("https without a TLS feature");
    assert!(refused.to_string().contains("`rustls` feature"), "{refused}");
    let app = downstream_customer::app("http://127.0.0.1:8080", registration).expect("valid URL");
    assert_eq!(app.token_id(), None, "nothing sent yet");
    let kiosk = downstream_customer::KioskClient::new("http://127.0.0.1:8080", app_registration())
        .expect("valid URL");
    assert_eq!(kiosk.token_id(), None, "nothing sent yet");
    assert!(!kiosk.customer_logged_in());
    assert!(format!("{kiosk:?}").starts_with("KioskClient {"));
}

fn app_registration() -> carecloud_api::DeviceRegistration {
    serde_json::from_str(include_str!("../../fixtures/payloads/seed_post_token_request.json"))
        .expect("the POST /tokens body")
}

#[test]
fn enterprise_module_and_other_groups_are_not_compiled() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
