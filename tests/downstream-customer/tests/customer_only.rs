//! With `features = ["customer", "customers"]` the crate parses the seed's
//! customer; the enterprise module and the other groups do not exist.

#[test]
fn parses_the_seed_customer() {
    let body = include_str!("../../fixtures/payloads/seed_get_customers.json");
    let customers = downstream_customer::parse_customers(body).expect("parses");
    assert_eq!(customers.len(), 1);
    assert_eq!(
        customers[0].customer_id.as_deref(),
        Some("8ea6abece4cd0a4ded0a29f093")
    );
    assert_eq!(
        customers[0].personal_information.last_name.as_deref(),
        Some("Smith")
    );
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
    serde_json::from_str(include_str!(
        "../../fixtures/payloads/seed_post_token_request.json"
    ))
    .expect("the POST /tokens body")
}

#[test]
fn enterprise_module_and_other_groups_are_not_compiled() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}

#[test]
fn bodies_and_replies_are_built_with_constructors() {
    use downstream_customer::usage;

    let body = serde_json::to_value(usage::registration("Alice", "alice@example.com")).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "customer": {"personal_information": {
                "language_id": "en", "first_name": "Alice", "email": "alice@example.com", "gender": 4
            }},
            "customer_source": {"customer_source_id": usage::SOURCE},
            "autologin": false,
            "password": "s3cret"
        })
    );
    let seed = downstream_customer::parse_customers(include_str!(
        "../../fixtures/payloads/seed_get_customers.json"
    ))
    .unwrap();
    let reply = usage::reply(seed.clone());
    assert_eq!(reply.data.total_items, Some(1));
    assert_eq!(usage::state(&reply.data.customers()[0]), "active");
    let mut suspended = seed[0].clone();
    suspended.state = Some(carecloud_api::types::CustomerState::from(7));
    assert_eq!(usage::state(&suspended), "another state");

    let client = downstream_customer::client("sandbox.crmcarecloud.com");
    let page = format!("{:?}", usage::first_page(&client));
    assert!(
        page.contains("count") && page.contains("sort_field"),
        "{page}"
    );
    let one = format!("{:?}", usage::one(&client, "8ea6abece4cd0a4ded0a29f093"));
    assert!(one.contains("customer_id"), "{one}");
}
