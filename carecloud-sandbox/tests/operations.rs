//! Both clients against the sandbox over HTTP: every operation of both
//! `OPERATIONS` tables is called through the client and its response parsed;
//! coverage is checked against the tables via the sandbox's request log.

use std::collections::BTreeSet;

use carecloud_api::customer::types as ct;
use carecloud_api::enterprise::types as et;
use carecloud_api::types::{PostCustomerRequest, PutCardRequest, PutCustomerRequest, Secret};
use carecloud_api::{CustomerClient, EnterpriseClient, Interface, customer, enterprise};
use carecloud_sandbox::{
    API_USER_ID, ENTERPRISE_APPLICATION_ID, JOHN_SMITH_EMAIL, JOHN_SMITH_ID, SSO_TOKEN, Sandbox,
    TEST_CUSTOMER_ID,
};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("test body matches the generated type")
}

fn new_customer(email: &str) -> PostCustomerRequest {
    typed(json!({
        "customer": {"personal_information": {"first_name": "Alice", "last_name": "Example", "email": email, "language_id": "en"}},
        "customer_source": {"customer_source_id": "86e05affc7a7befcd513ab400"},
        "password": "alice-password",
        "autologin": false
    }))
}

fn all_ids(table: &[carecloud_api::Operation]) -> BTreeSet<&'static str> {
    table.iter().map(|op| op.id).collect()
}

#[tokio::test]
async fn every_operation_of_both_interfaces_through_the_clients() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("ops-device"))?;

    // ---- Customer interface
    let reply = app
        .get_tests_connection()
        .test_string("Hello")
        .send()
        .await?;
    assert_eq!(reply.data.test_string.as_deref(), Some("olleH"));
    let languages = app.get_languages().send().await?;
    assert!(!languages.data.languages.is_empty());
    let stores = app.get_stores().count(10u64).send().await?; // post_token first
    let store_id = stores.data.stores[0].store_id.clone().expect("store id");
    assert_eq!(
        app.get_store()
            .store_id(&store_id)
            .send()
            .await?
            .data
            .store_id,
        Some(store_id.clone())
    );
    let types = app.get_card_types().send().await?;
    let type_id = types.data.card_types[0]
        .card_type_id
        .clone()
        .expect("type id");
    app.get_card_type().card_type_id(&type_id).send().await?;
    let token = app.token_id().expect("device token").expose().to_owned();
    app.put_token()
        .token_id(&token)
        .body(ct::PutTokenRequest {
            push_token: Some("push".into()),
            setup: typed(
                json!({"language_id": "cs", "allowed_gps": true, "allowed_notifications": true}),
            ),
            extra: Default::default(),
        })
        .send()
        .await?;
    assert_eq!(
        app.log_in(Sandbox::john_smith_login()).await?,
        JOHN_SMITH_ID
    );
    let me = app.get_customers().send().await?;
    assert_eq!(me.data.total_items, Some(1));
    let mut john = me.data.customers[0].clone();
    assert_eq!(
        john.personal_information.email.as_deref(),
        Some(JOHN_SMITH_EMAIL)
    );
    app.get_customer().customer_id(JOHN_SMITH_ID).send().await?;
    john.personal_information.salutation = Some("Dear John".into());
    app.put_customer()
        .customer_id(JOHN_SMITH_ID)
        .body(PutCustomerRequest {
            customer: john.clone(),
            password: None,
            property_records: vec![],
            social_network_credentials: None,
            extra: Default::default(),
        })
        .send()
        .await?;
    let cards = app.get_cards().send().await?;
    assert_eq!(cards.data.cards.len(), 2, "only John's cards");
    let sub = app
        .get_sub_customer_cards()
        .customer_id(JOHN_SMITH_ID)
        .send()
        .await?;
    assert_eq!(sub.data.total_items, Some(2));
    let card = cards.data.cards[0].clone();
    let card_id = card.card_id.clone().expect("card id");
    app.get_card().card_id(&card_id).send().await?;
    app.put_card()
        .card_id(&card_id)
        .body(PutCardRequest {
            card: card.clone(),
            extra: Default::default(),
        })
        .send()
        .await?;
    let auth = app
        .get_token_authentication()
        .token_id(&token)
        .external_application_id(ENTERPRISE_APPLICATION_ID)
        .token_type(ct::AuthTokenType::Alphanumeric)
        .send()
        .await?;
    let auth_token = auth.data.authentication_token.clone().expect("auth token");
    let request_id = auth.data.token_request_id.clone().expect("request id");
    app.post_token_send_password_setup()
        .token_id(&token)
        .body(ct::PostTokenSendPasswordSetupRequest {
            communication_channel_id: None,
            email: Some(JOHN_SMITH_EMAIL.into()),
            recipient: None,
            extra: Default::default(),
        })
        .send()
        .await?;
    app.log_out().await?;
    let test = app
        .post_token_test_customer_login()
        .token_id(&token)
        .send()
        .await?;
    assert_eq!(test.data.customer_id.as_deref(), Some(TEST_CUSTOMER_ID));
    let social = app
        .post_token_social_login()
        .token_id(&token)
        .body(ct::PostTokenSocialLoginRequest {
            social_network_credentials: typed(
                json!({"social_network_id": "facebook", "social_network_token": "sandbox-facebook-token"}),
            ),
            extra: Default::default(),
        })
        .send()
        .await?;
    assert_eq!(social.data.customer_id.as_deref(), Some(JOHN_SMITH_ID));
    let again = app
        .get_token_authentication()
        .token_id(&token)
        .external_application_id(ENTERPRISE_APPLICATION_ID)
        .token_type(ct::AuthTokenType::Numeric)
        .send()
        .await?;
    let by_token = app
        .post_token_auth_token_login()
        .token_id(&token)
        .body(ct::PostTokenAuthTokenLoginRequest {
            application_id: ENTERPRISE_APPLICATION_ID.into(),
            token: again.data.authentication_token.clone().expect("token"),
            token_request_id: again.data.token_request_id.clone().expect("id"),
            extra: Default::default(),
        })
        .send()
        .await?;
    assert_eq!(by_token.data.customer_id.as_deref(), Some(JOHN_SMITH_ID));
    let mut signup = new_customer("alice@example.com");
    signup.autologin = true;
    let created = app.post_customer().body(signup).send().await?;
    let alice = created.data.customer_id.clone().expect("new id");
    assert_eq!(
        app.get_customers().send().await?.data.customers[0]
            .customer_id
            .as_deref(),
        Some(alice.as_str())
    );
    // A separate registration through the generated operation itself.
    let other = app
        .post_token()
        .body(typed::<ct::PostTokenRequest>(json!({
            "device": {"device_id": "ops-device-2", "device_system": "Rust", "device_name": "t", "device_type": "t"},
            "setup": {"language_id": "en", "allowed_gps": false, "allowed_notifications": false},
            "external_application_id": carecloud_sandbox::CUSTOMER_APPLICATION_ID
        })))
        .send()
        .await?;
    assert!(!other.data.token_id.expose().is_empty());

    // ---- Enterprise interface
    let reply = ent.get_tests_connection().test_string("abc").send().await?;
    assert_eq!(reply.data.test_string.as_deref(), Some("cba"));
    ent.get_languages().send().await?;
    ent.log_in().await?;
    let users = ent.get_users().send().await?;
    assert!(users.data.users.len() >= 2);
    ent.get_user().user_id(API_USER_ID).send().await?;
    let sso = ent
        .post_user_sso_login()
        .body(et::PostUserSsoLoginRequest {
            sso_token: Secret::new(SSO_TOKEN),
            user_external_application_id: ENTERPRISE_APPLICATION_ID.into(),
            extra: Default::default(),
        })
        .send()
        .await?;
    assert!(sso.data.valid_to.is_some());
    let verified = ent
        .post_user_verify_auth_token()
        .body(et::PostUserVerifyAuthTokenRequest {
            auth_token: auth_token.clone(),
            extra: Default::default(),
        })
        .send()
        .await?;
    assert!(verified.data.user_id.is_some());
    let _ = request_id;
    let page = ent
        .get_customers()
        .count(3u64)
        .offset(1u64)
        .sort_field("last_name")
        .send()
        .await?;
    assert_eq!(page.data.customers.len(), 3);
    let found = ent.get_customers().email(JOHN_SMITH_EMAIL).send().await?;
    assert_eq!(found.data.total_items, Some(1));
    let created = ent
        .post_customer()
        .body(new_customer("bob@example.com"))
        .send()
        .await?;
    let bob = created.data.customer_id.clone().expect("id");
    let mut record = ent
        .get_customer()
        .customer_id(&bob)
        .send()
        .await?
        .into_inner()
        .data;
    record.personal_information.first_name = Some("Bob".into());
    ent.put_customer()
        .customer_id(&bob)
        .body(PutCustomerRequest {
            customer: record,
            password: None,
            property_records: vec![],
            social_network_credentials: None,
            extra: Default::default(),
        })
        .send()
        .await?;
    let search = ent.get_customer_search().last_name("Smith").send().await?;
    assert!(
        search
            .data
            .strict
            .iter()
            .any(|m| m.customer_id.as_deref() == Some(JOHN_SMITH_ID))
    );
    ent.get_sub_customer_cards()
        .customer_id(JOHN_SMITH_ID)
        .send()
        .await?;
    let all_cards = ent.get_cards().count(100u64).send().await?;
    assert!(all_cards.data.cards.len() > 2);
    let new_card = ent
        .post_card()
        .body(et::PostCardRequest {
            card: typed(json!({"card_number": "9999000011112222", "card_type_id": type_id, "customer_id": bob, "state": 1})),
            extra: Default::default(),
        })
        .send()
        .await?;
    let new_card_id = new_card.data.card_id.clone().expect("card id");
    let mut fetched = ent
        .get_card()
        .card_id(&new_card_id)
        .send()
        .await?
        .into_inner()
        .data;
    fetched.secondary_card_number = Some("S-1".into());
    ent.put_card()
        .card_id(&new_card_id)
        .body(PutCardRequest {
            card: fetched,
            extra: Default::default(),
        })
        .send()
        .await?;
    ent.get_card_types().send().await?;
    ent.get_card_type().card_type_id(&type_id).send().await?;
    ent.get_stores().send().await?;
    ent.get_store().store_id(&store_id).send().await?;
    ent.log_out().await?;

    // ---- Coverage
    let ent_called = sandbox.operations_called(Interface::Enterprise);
    let cust_called = sandbox.operations_called(Interface::Customer);
    let ent_missing: Vec<_> = all_ids(enterprise::OPERATIONS)
        .difference(&ent_called)
        .copied()
        .collect();
    let cust_missing: Vec<_> = all_ids(customer::OPERATIONS)
        .difference(&cust_called)
        .copied()
        .collect();
    assert!(
        ent_missing.is_empty(),
        "enterprise operations not called: {ent_missing:?}"
    );
    assert!(
        cust_missing.is_empty(),
        "customer operations not called: {cust_missing:?}"
    );
    assert_eq!(
        enterprise::OPERATIONS.len() + customer::OPERATIONS.len(),
        45
    );
    let failed: Vec<_> = sandbox
        .requests()
        .into_iter()
        .filter(|r| r.status >= 400)
        .collect();
    assert!(failed.is_empty(), "unexpected failures: {failed:?}");
    Ok(())
}
