//! `CustomerClient` against the mock: the device token's life (created on
//! first need, customer log-in and log-out, invalidation with and without a
//! customer, resumed from a saved token) and redaction.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use carecloud_api::auth::AuthErrorKind;
use carecloud_api::types::Secret;
use carecloud_api::types::{PutTokenRequest, Setup};
use carecloud_api::{CustomerClient, CustomerLogin, DeviceRegistration};
use serde_json::{Value, json};

use super::mock::{APP_ID, CUSTOMER_ID, Mock};
use super::{assert_hides, join_all, spawn_many};

const CUSTOMER_PASSWORD: &str = "customer-password-42";

fn registration_json() -> Value {
    // The vendor's example body (tests/fixtures/payloads/seed_post_token_request.json)
    // with the mock's application ID.
    let mut body = carecloud_tests::payload("seed_post_token_request.json");
    body["external_application_id"] = json!(APP_ID);
    body
}

fn registration() -> DeviceRegistration {
    serde_json::from_value(registration_json()).expect("the POST /tokens body")
}

fn login() -> CustomerLogin {
    CustomerLogin::email("me@example.com", CUSTOMER_PASSWORD)
}

fn put_token_body() -> PutTokenRequest {
    PutTokenRequest::new(Setup::new("cs", false, true))
}

fn auth_kind(error: &carecloud_api::Error) -> Option<AuthErrorKind> {
    error.as_auth().cloned().map(|e| e.kind())
}

#[tokio::test]
async fn the_device_token_is_created_on_first_need_and_reused() {
    let mock = Mock::start().await;
    let app = CustomerClient::new(&mock.url, registration()).unwrap();
    assert_eq!(app.token_id(), None);

    app.get_languages().send().await.unwrap();
    assert_eq!(
        mock.tokens_created(),
        0,
        "a public operation needs no token"
    );

    for _ in 0..3 {
        app.get_stores().send().await.unwrap();
    }
    app.clone().get_stores().send().await.unwrap();
    assert_eq!(mock.tokens_created(), 1, "4 calls: one token");
    assert_eq!(app.token_id(), Some(Secret::new("device-1")));

    let create = &mock.requests_to("POST", "/tokens")[0];
    assert_eq!(create.authorization, None);
    let sent: Value = serde_json::from_str(&create.body).unwrap();
    assert_eq!(sent, registration_json(), "exactly the configured body");
    let languages = &mock.requests_to("GET", "/languages")[0];
    assert_eq!(languages.authorization, None);
    for call in mock.requests_to("GET", "/stores") {
        assert_eq!(call.authorization.as_deref(), Some("Bearer device-1"));
    }
}

/// `device_token`: the token in use, else one created (once) for it.
#[tokio::test]
async fn device_token_creates_the_token_once_and_then_reuses_it() {
    let mock = Mock::start().await;
    let app = CustomerClient::new(&mock.url, registration()).unwrap();
    assert_eq!(app.device_token().await.unwrap(), Secret::new("device-1"));
    assert_eq!(app.device_token().await.unwrap(), Secret::new("device-1"));
    app.get_stores().send().await.unwrap();
    assert_eq!(mock.tokens_created(), 1);

    let resumed =
        CustomerClient::resume(&mock.url, registration(), Secret::new("saved-7")).unwrap();
    assert_eq!(
        resumed.device_token().await.unwrap(),
        Secret::new("saved-7")
    );
    assert_eq!(mock.tokens_created(), 1, "a resumed token is not replaced");
}

/// A device token request that cannot connect is an authentication failure
/// caused by the transport, told apart from a refusal.
#[tokio::test]
async fn a_token_request_that_cannot_connect_says_so() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let app = CustomerClient::builder(&url, registration())
        .retry(carecloud_api::RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = app.get_stores().send().await.unwrap_err();
    let auth = error.as_auth().expect("an auth error");
    assert_eq!(auth.kind(), AuthErrorKind::Unavailable, "{auth}");
    assert_eq!(
        auth.transport_kind(),
        Some(carecloud_api::error::TransportKind::Connect),
        "{auth}"
    );

    let mock = Mock::start().await;
    let refused = DeviceRegistration::headless("no-such-application", "d", "test");
    let app = CustomerClient::new(&mock.url, refused).unwrap();
    let error = app.get_stores().send().await.unwrap_err();
    let auth = error.as_auth().expect("an auth error");
    assert_eq!(auth.transport_kind(), None, "{auth}");
}

#[tokio::test]
async fn customer_logs_in_and_out_on_the_token() {
    let mock = Mock::start().await;
    let app = CustomerClient::new(&mock.url, registration()).unwrap();

    let customer_id = app.log_in(login()).await.unwrap();
    assert_eq!(customer_id, CUSTOMER_ID);
    assert_eq!(
        mock.tokens_created(),
        1,
        "the token was created for the login"
    );
    assert!(app.customer_logged_in());
    let request = &mock.requests_to("POST", "/tokens/device-1/actions/login")[0];
    assert_eq!(
        request.authorization.as_deref(),
        Some("Bearer device-1"),
        "same token in path and header"
    );
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"login_type": "email", "login_value": "me@example.com", "password": CUSTOMER_PASSWORD})
    );

    let me = app.get_customers().send().await.unwrap();
    assert_eq!(
        me.data.customers()[0].customer_id.as_deref(),
        Some(CUSTOMER_ID)
    );

    app.log_out().await.unwrap();
    assert!(!app.customer_logged_in());
    assert_eq!(
        mock.requests_to("POST", "/tokens/device-1/actions/logout")
            .len(),
        1
    );
    assert!(
        app.get_customers()
            .send()
            .await
            .unwrap()
            .data
            .customers()
            .is_empty()
    );
    assert_eq!(
        mock.tokens_created(),
        1,
        "the token outlives the customer's session"
    );
    assert_hides(&format!("{app:?}"), &[CUSTOMER_PASSWORD, "device-1"]);
}

#[tokio::test]
async fn without_a_customer_an_invalidated_token_is_replaced_and_the_call_replayed() {
    let mock = Mock::start().await;
    let app = CustomerClient::new(&mock.url, registration()).unwrap();
    app.get_stores().send().await.unwrap();

    mock.expire_all_tokens();
    app.get_stores()
        .send()
        .await
        .expect("replayed with a new token");
    assert_eq!(mock.tokens_created(), 2);
    assert_eq!(mock.unauthorized(), 1);
    assert_eq!(app.token_id(), Some(Secret::new("device-2")));

    // The token in the path is replaced too.
    mock.expire_all_tokens();
    app.put_token("device-2", put_token_body())
        .send()
        .await
        .expect("replayed with the new token in path and header");
    assert_eq!(mock.tokens_created(), 3);
    let old = &mock.requests_to("PUT", "/tokens/device-2")[0];
    let new = &mock.requests_to("PUT", "/tokens/device-3")[0];
    assert_eq!(new.authorization.as_deref(), Some("Bearer device-3"));
    assert_eq!(old.body, new.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_customer_an_invalidated_token_asks_for_a_new_login() {
    let mock = Arc::new(Mock::start().await);
    let app = CustomerClient::new(&mock.url, registration()).unwrap();
    app.log_in(login()).await.unwrap();

    // Ten calls get 401 together: each reports the lost login, none goes on
    // anonymously with a new token.
    mock.expire_all_tokens();
    mock.hold_together(10);
    let started = Arc::new(AtomicUsize::new(0));
    let tasks = spawn_many(10, &started, || {
        let app = app.clone();
        async move { app.get_customers().send().await.map(|_| ()) }
    });
    for result in join_all(tasks).await {
        let error = result.unwrap_err();
        assert_eq!(
            auth_kind(&error),
            Some(AuthErrorKind::CustomerLoginRequired),
            "{error}"
        );
        assert!(error.to_string().contains("must log in again"), "{error}");
        assert_hides(
            &format!("{error} {error:?}"),
            &[CUSTOMER_PASSWORD, "device-1"],
        );
    }
    assert_eq!(
        mock.tokens_created(),
        1,
        "no token created behind the customer's back"
    );
    assert!(!app.customer_logged_in());
    assert_eq!(app.token_id(), None);

    // The app goes on: a new token for anonymous calls, and a new login.
    app.get_stores().send().await.unwrap();
    assert_eq!(mock.tokens_created(), 2);
    assert_eq!(app.log_in(login()).await.unwrap(), CUSTOMER_ID);
    assert!(app.customer_logged_in());

    // A login on a token that died meanwhile replaces the token and logs in.
    mock.expire_all_tokens();
    assert_eq!(app.log_in(login()).await.unwrap(), CUSTOMER_ID);
    assert_eq!(mock.tokens_created(), 3);
    assert_eq!(
        mock.requests_to("POST", "/tokens/device-3/actions/login")
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_concurrent_calls_share_one_token_before_and_after_invalidation() {
    let mock = Arc::new(Mock::start().await);
    let app = CustomerClient::new(&mock.url, registration()).unwrap();
    let started = Arc::new(AtomicUsize::new(0));
    let call = || {
        let app = app.clone();
        async move { app.get_stores().send().await.map(|_| ()) }
    };
    for result in join_all(spawn_many(40, &started, call)).await {
        result.unwrap();
    }
    assert_eq!(mock.tokens_created(), 1, "40 cold calls: one token");

    mock.expire_all_tokens();
    mock.hold_together(40);
    for result in join_all(spawn_many(40, &started, call)).await {
        result.unwrap();
    }
    assert_eq!(mock.unauthorized(), 40);
    assert_eq!(
        mock.tokens_created(),
        2,
        "40 calls hitting 401 together: one new token"
    );
}

#[tokio::test]
async fn a_saved_token_is_resumed() {
    let mock = Mock::start().await;
    let first = CustomerClient::new(&mock.url, registration()).unwrap();
    first.get_stores().send().await.unwrap();
    let saved = first.token_id().expect("a token");

    let resumed = CustomerClient::resume(&mock.url, registration(), saved.clone()).unwrap();
    resumed.get_stores().send().await.unwrap();
    assert_eq!(mock.tokens_created(), 1, "no new token");
    let last = mock.requests_to("GET", "/stores").pop().unwrap();
    assert_eq!(last.authorization.as_deref(), Some("Bearer device-1"));

    // A saved token that died may have had a customer: say so.
    mock.expire_all_tokens();
    let resumed = CustomerClient::resume(&mock.url, registration(), saved.clone()).unwrap();
    let error = resumed.get_stores().send().await.unwrap_err();
    assert_eq!(
        auth_kind(&error),
        Some(AuthErrorKind::CustomerLoginRequired)
    );
    assert_eq!(mock.tokens_created(), 1);

    // Unless the app knows no customer was logged in.
    let resumed = CustomerClient::builder(&mock.url, registration())
        .device_token(saved)
        .customer_logged_in(false)
        .build()
        .unwrap();
    resumed.get_stores().send().await.unwrap();
    assert_eq!(mock.tokens_created(), 2, "replaced silently");
}

#[tokio::test]
async fn tokens_and_passwords_never_show_in_errors_or_debug_output() {
    let mock = Mock::start().await;
    let app =
        CustomerClient::new(&mock.url, registration().with_push_token("apns-push-token")).unwrap();
    app.get_stores().send().await.unwrap();

    // An undocumented status on an operation with the token in its path.
    mock.force_status(418);
    let error = app
        .put_token("device-1", put_token_body())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    let secrets = ["device-1", CUSTOMER_PASSWORD, "apns-push-token"];
    assert_hides(&format!("{error} {error:?} {error:#}"), &secrets);

    let debug = format!(
        "{app:?} {app:#?} {:?} {:?}",
        login(),
        registration().with_push_token("apns-push-token")
    );
    assert_hides(&debug, &secrets);
    assert!(
        debug.contains("me@example.com"),
        "the login value is not a secret: {debug}"
    );
}

#[test]
fn customer_login_loads_from_the_login_body() {
    let from_json: CustomerLogin =
        serde_json::from_value(carecloud_tests::payload("seed_customer_login_request.json"))
            .unwrap();
    let json = serde_json::to_value(&from_json).unwrap();
    assert_eq!(
        json,
        carecloud_tests::payload("seed_customer_login_request.json")
    );
    assert_eq!(
        serde_json::to_value(CustomerLogin::card("123", "pw")).unwrap(),
        json!({"login_type": "card", "login_value": "123", "password": "pw"})
    );
}
