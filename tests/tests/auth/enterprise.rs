//! `EnterpriseClient` against the mock: lazy login, reuse, refresh, 401
//! recovery, single flight, refused logins, log-out, redaction.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use carecloud_api::auth::{AuthErrorKind, ManualClock};
use carecloud_api::types::{Customer, PersonalInformation, PutCustomerRequest};
use carecloud_api::{
    ConfigError, EnterpriseClient, EnterpriseCredentials, OperationId, RetryPolicy,
};
use carecloud_dynamic::{Args, Invoke};
use serde_json::json;

use super::mock::{API_USER_PASSWORD, APP_ID, Mock};
use super::{assert_hides, join_all, spawn_many, yield_until};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
const NOON: &str = "Tue, 01 Dec 2026 12:00:00 GMT";

fn creds() -> EnterpriseCredentials {
    EnterpriseCredentials::new(APP_ID, "api-user", API_USER_PASSWORD)
}

fn client_with_clock(mock: &Mock, clock: &Arc<ManualClock>) -> EnterpriseClient {
    EnterpriseClient::builder(&mock.url, creds())
        .clock(clock.clone())
        .build()
        .expect("valid settings")
}

/// Logins so far, after one authenticated call.
async fn logins_after_call(mock: &Mock, client: &EnterpriseClient) -> usize {
    client.get_customers().send().await.expect("call succeeds");
    mock.logins()
}

#[tokio::test]
async fn logs_in_lazily_once_and_reuses_the_token() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::builder(&mock.url, creds())
        .accept_language("en")
        .build()
        .unwrap();
    assert_eq!(mock.logins(), 0, "building a client sends nothing");

    client.get_tests_connection().send().await.unwrap();
    assert_eq!(mock.logins(), 0, "a public operation needs no login");

    for _ in 0..5 {
        client.get_customers().count(10).send().await.unwrap();
    }
    let clone = client.clone();
    clone.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 1, "6 calls, 2 handles: one login");

    let login = &mock.requests_to("POST", "/users/actions/login")[0];
    assert_eq!(login.authorization, None);
    let body: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    assert_eq!(
        body,
        json!({"user_external_application_id": APP_ID, "login": "api-user", "password": API_USER_PASSWORD})
    );
    let calls = mock.requests_to("GET", "/customers");
    assert_eq!(calls.len(), 6);
    for call in &calls {
        assert_eq!(call.authorization.as_deref(), Some("Bearer bearer-1"));
    }
    assert!(
        mock.requests()
            .iter()
            .all(|r| r.accept_language.as_deref() == Some("en")),
        "the default Accept-Language goes on every request"
    );
}

#[tokio::test]
async fn public_operations_never_carry_authorization() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    client.log_in().await.unwrap();
    client.get_customers().send().await.unwrap();
    client.get_tests_connection().send().await.unwrap();
    assert_eq!(mock.logins(), 1);
    let public: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.path == "/tests/connection" || r.path == "/users/actions/login")
        .collect();
    assert_eq!(public.len(), 2);
    assert!(
        public.iter().all(|r| r.authorization.is_none()),
        "{public:?}"
    );
}

#[tokio::test]
async fn refreshes_ahead_of_expiry_on_the_injected_clock() {
    let mock = Mock::start().await;
    // valid_to two hours after the server's Date: a 2-hour token.
    mock.set_expiry("2026-12-01 14:00:00", Some(NOON));
    let clock = Arc::new(ManualClock::new());
    let client = client_with_clock(&mock, &clock);

    assert_eq!(logins_after_call(&mock, &client).await, 1);
    clock.advance(HOUR + 54 * MINUTE);
    assert_eq!(
        logins_after_call(&mock, &client).await,
        1,
        "1h54m: still fresh"
    );
    clock.advance(2 * MINUTE);
    assert_eq!(
        logins_after_call(&mock, &client).await,
        2,
        "1h56m: within the 5 min margin"
    );
    let last = mock.requests_to("GET", "/customers").pop().unwrap();
    assert_eq!(last.authorization.as_deref(), Some("Bearer bearer-2"));
}

#[tokio::test]
async fn calls_do_not_stall_while_a_due_token_is_refreshed() {
    let mock = Mock::start().await;
    mock.set_expiry("2026-12-01 14:00:00", Some(NOON));
    let clock = Arc::new(ManualClock::new());
    let client = client_with_clock(&mock, &clock);
    assert_eq!(logins_after_call(&mock, &client).await, 1);

    // Due for refresh (5 min before expiry) but still valid: the first
    // caller logs in again and is held there; 20 others go on at once with
    // the old token.
    clock.advance(HOUR + 56 * MINUTE);
    mock.state.login_arrived.notified().await; // the first login's notice
    mock.hold_logins();
    let refresher = tokio::spawn({
        let client = client.clone();
        async move { client.get_customers().send().await.map(|_| ()) }
    });
    mock.state.login_arrived.notified().await;
    for _ in 0..20 {
        client.get_customers().send().await.unwrap();
    }
    let during = mock.requests_to("GET", "/customers");
    assert_eq!(
        during.len(),
        1 + 20,
        "{:?}",
        during.iter().map(|r| &r.authorization).collect::<Vec<_>>()
    );
    assert!(
        during[1..]
            .iter()
            .all(|r| r.authorization.as_deref() == Some("Bearer bearer-1")),
        "old token used meanwhile"
    );
    mock.release_logins();
    refresher.await.unwrap().unwrap();
    assert_eq!(mock.logins(), 2, "one refresh");
    client.get_customers().send().await.unwrap();
    let last = mock.requests_to("GET", "/customers").pop().unwrap();
    assert_eq!(last.authorization.as_deref(), Some("Bearer bearer-2"));

    // Past expiry nobody uses the old token: callers wait for the login.
    clock.advance(3 * HOUR);
    assert_eq!(logins_after_call(&mock, &client).await, 3);
}

#[tokio::test]
async fn valid_to_in_another_time_zone_or_absurd_falls_back_sanely() {
    let mock = Mock::start().await;
    // (valid_to, Date): all of these give the 7-hour default or cap.
    let cases = [
        ("2026-12-01 19:00:00", Some(NOON)), // UTC server, 7 h
        ("2026-12-01 21:00:00", Some(NOON)), // Prague (UTC+2): raw 9 h, capped at 7 h
        ("2026-12-01 05:00:00", Some(NOON)), // in the past (UTC-10 or skew)
        ("2026-12-01 12:05:00", Some(NOON)), // minutes away
        ("2031-01-01 00:00:00", Some(NOON)), // years away
        ("0000-00-00 00:00:00", Some(NOON)), // MySQL zero date
        ("2026-12-01 19:00:00", None),       // no Date header
    ];
    for (valid_to, date) in cases {
        mock.set_expiry(valid_to, date);
        let clock = Arc::new(ManualClock::new());
        let client = client_with_clock(&mock, &clock);
        let before = mock.logins();
        for _ in 0..3 {
            assert_eq!(
                logins_after_call(&mock, &client).await,
                before + 1,
                "{valid_to} {date:?}: never looks expired"
            );
        }
        clock.advance(6 * HOUR + 54 * MINUTE);
        assert_eq!(
            logins_after_call(&mock, &client).await,
            before + 1,
            "{valid_to} {date:?}"
        );
        clock.advance(2 * MINUTE);
        assert_eq!(
            logins_after_call(&mock, &client).await,
            before + 2,
            "{valid_to} {date:?}: refreshed before 7 h"
        );
    }
    assert_eq!(mock.logins(), 2 * cases.len());
}

#[tokio::test]
async fn a_token_that_dies_before_the_computed_expiry_is_recovered() {
    let mock = Mock::start().await;
    // Date 12:00Z and valid_to 19:00 from a UTC+2 server: the token really
    // ends at 17:00 local, after 5 h, while the client computes 7 h.
    mock.set_expiry("2026-12-01 19:00:00", Some(NOON));
    let clock = Arc::new(ManualClock::new());
    let client = client_with_clock(&mock, &clock);
    assert_eq!(logins_after_call(&mock, &client).await, 1);
    clock.advance(5 * HOUR);
    mock.expire_all_tokens();
    assert_eq!(
        logins_after_call(&mock, &client).await,
        2,
        "401, one re-login, replay"
    );
    assert_eq!(mock.unauthorized(), 1);
    clock.advance(HOUR);
    assert_eq!(
        logins_after_call(&mock, &client).await,
        2,
        "the new token is fresh"
    );
}

#[tokio::test]
async fn unauthorized_logs_in_again_and_replays_the_put_body() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    client.get_customers().send().await.unwrap();
    mock.expire_all_tokens();

    let person = PersonalInformation::new("en").with_first_name("Jane");
    let body = PutCustomerRequest::new(Customer::new(person).with_customer_id("c-1"));
    client
        .put_customer("c-1", body)
        .send()
        .await
        .expect("replayed after a new login");

    assert_eq!(mock.logins(), 2, "one re-login");
    assert_eq!(mock.unauthorized(), 1);
    let puts = mock.requests_to("PUT", "/customers/c-1");
    assert_eq!(puts.len(), 2);
    assert_eq!(puts[0].authorization.as_deref(), Some("Bearer bearer-1"));
    assert_eq!(puts[1].authorization.as_deref(), Some("Bearer bearer-2"));
    assert_eq!(puts[0].body, puts[1].body, "the same body is sent again");
    assert!(puts[1].body.contains("Jane"));
}

#[tokio::test]
async fn a_second_unauthorized_is_the_error() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    mock.force_401(2);
    let error = client.get_customers().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        error.as_auth().cloned(),
        None,
        "the server's answer, not the client's"
    );
    assert_eq!(mock.logins(), 2, "the first login and exactly one re-login");
    assert_eq!(
        mock.requests_to("GET", "/customers").len(),
        2,
        "replayed once"
    );

    client.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 2, "the new token is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_concurrent_calls_share_one_login_before_and_after_invalidation() {
    let mock = Arc::new(Mock::start().await);
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();

    // Cold start: hold the login until all 40 calls are waiting for it.
    mock.hold_logins();
    let started = Arc::new(AtomicUsize::new(0));
    let tasks = spawn_many(40, &started, || {
        let client = client.clone();
        async move { client.get_customers().send().await.map(|_| ()) }
    });
    mock.state.login_arrived.notified().await;
    yield_until(|| started.load(Ordering::SeqCst) == 40).await;
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    mock.release_logins();
    for result in join_all(tasks).await {
        result.unwrap();
    }
    assert_eq!(mock.logins(), 1, "40 cold calls: one login");

    // All 40 get 401 together (the server holds them until all arrived).
    mock.expire_all_tokens();
    mock.hold_together(40);
    let tasks = spawn_many(40, &started, || {
        let client = client.clone();
        async move { client.get_customers().send().await.map(|_| ()) }
    });
    for result in join_all(tasks).await {
        result.unwrap();
    }
    assert_eq!(mock.unauthorized(), 40);
    assert_eq!(
        mock.logins(),
        2,
        "40 calls hitting 401 together: exactly one re-login"
    );
    assert_eq!(mock.requests_to("GET", "/customers").len(), 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_fail_at_once_with_a_typed_error_without_the_password() {
    let mock = Arc::new(Mock::start().await);
    mock.reject_logins();
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();

    let error = client.get_customers().send().await.unwrap_err();
    assert_eq!(mock.logins(), 1, "one attempt, no retry loop");
    assert!(
        mock.requests_to("GET", "/customers").is_empty(),
        "the call itself is not sent"
    );
    let auth = error.as_auth().cloned().expect("an auth error");
    assert_eq!(auth.kind(), AuthErrorKind::LoginRejected);
    assert_eq!(auth.status(), Some(401));
    assert!(auth.message().contains("Wrong login or password"), "{auth}");
    assert!(
        auth.message().contains("<redacted>"),
        "the echoed password is hidden: {auth}"
    );
    for text in [
        error.to_string(),
        format!("{error:?}"),
        auth.to_string(),
        format!("{auth:?}"),
    ] {
        assert_hides(&text, &[API_USER_PASSWORD]);
    }

    let error = client.log_in().await.unwrap_err();
    assert_eq!(
        error.as_auth().cloned().map(|e| e.kind()),
        Some(AuthErrorKind::LoginRejected)
    );
    assert_eq!(
        mock.logins(),
        2,
        "a failed login is not cached: the next call tries again"
    );

    // Ten callers waiting for one refused login share its error.
    mock.hold_logins();
    let started = Arc::new(AtomicUsize::new(0));
    let tasks = spawn_many(10, &started, || {
        let client = client.clone();
        async move { client.get_customers().send().await.map(|_| ()) }
    });
    mock.state.login_arrived.notified().await;
    yield_until(|| started.load(Ordering::SeqCst) == 10).await;
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    mock.release_logins();
    for result in join_all(tasks).await {
        let error = result.unwrap_err();
        let kind = error.as_auth().cloned().map(|e| e.kind());
        assert_eq!(kind, Some(AuthErrorKind::LoginRejected));
    }
    assert_eq!(mock.logins(), 3, "10 concurrent callers: one more attempt");
}

#[tokio::test]
async fn a_refused_re_login_after_401_is_a_typed_error() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    client.get_customers().send().await.unwrap();
    // The token expired and meanwhile the API user's password was changed.
    mock.expire_all_tokens();
    mock.reject_logins();
    let error = client.get_customers().send().await.unwrap_err();
    let auth = error
        .as_auth()
        .cloned()
        .expect("an auth error, not the 401");
    assert_eq!(auth.kind(), AuthErrorKind::LoginRejected);
    assert_eq!(mock.logins(), 2, "one re-login attempt");
    assert_eq!(
        mock.requests_to("GET", "/customers").len(),
        2,
        "no replay without a token"
    );
    assert_hides(&format!("{error:?}"), &[API_USER_PASSWORD, "bearer-1"]);
}

#[tokio::test]
async fn log_out_ends_the_token_and_the_next_call_logs_in_again() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    client.log_out().await.unwrap();
    assert!(mock.requests().is_empty(), "nothing to end: nothing sent");

    client.get_customers().send().await.unwrap();
    client.log_out().await.unwrap();
    assert_eq!(mock.logouts(), 1);
    let logout = &mock.requests_to("POST", "/users/actions/logout")[0];
    assert_eq!(logout.authorization.as_deref(), Some("Bearer bearer-1"));
    let body: serde_json::Value = serde_json::from_str(&logout.body).unwrap();
    assert_eq!(
        body,
        json!({"bearer_token": "bearer-1", "user_external_application_id": APP_ID})
    );

    client.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 2, "logged in again after the log-out");
    assert_eq!(mock.unauthorized(), 0, "the ended token was not used");
}

#[tokio::test]
async fn a_login_that_times_out_is_unavailable() {
    let mock = Mock::start().await;
    mock.hold_logins(); // never released
    let client = EnterpriseClient::builder(&mock.url, creds())
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client.get_customers().send().await.unwrap_err();
    let auth = error.as_auth().cloned().expect("an auth error");
    assert_eq!(auth.kind(), AuthErrorKind::Unavailable, "{auth}");
    assert!(auth.message().contains("timed out"), "{auth}");
    assert!(auth.is_transient() && error.is_retryable(), "{error}");
    assert_eq!(mock.logins(), 1);

    // With retries, the call (never sent) is tried again, a bounded number
    // of times, each with its own login attempt.
    let policy = RetryPolicy::standard()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10));
    let client = EnterpriseClient::builder(&mock.url, creds())
        .timeout(Duration::from_millis(200))
        .retry(policy)
        .build()
        .unwrap();
    let error = client.get_customers().send().await.unwrap_err();
    assert!(error.as_auth().is_some(), "{error}");
    assert_eq!(mock.logins(), 1 + 3);
    assert!(
        mock.requests_to("GET", "/customers").is_empty(),
        "the operation itself was never sent"
    );
}

#[tokio::test]
async fn debug_output_shows_no_password_and_no_token() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    client.get_customers().send().await.unwrap();
    let debug = format!("{client:?} {client:#?} {:?}", creds());
    assert_hides(&debug, &[API_USER_PASSWORD, "bearer-1"]);
    assert!(
        debug.contains("EnterpriseClient") && debug.contains("<cached>"),
        "{debug}"
    );
    assert!(
        debug.contains("api-user"),
        "the login name is not a secret: {debug}"
    );
}

#[test]
fn configuration_errors() {
    let error = EnterpriseClient::new("", creds()).unwrap_err();
    assert!(
        matches!(error, ConfigError::InvalidProjectUrl { .. }),
        "{error}"
    );
    let error = EnterpriseClient::builder("example.com", creds())
        .accept_language("en\r\nX-Evil: 1")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::InvalidHeader {
                name: "Accept-Language",
                ..
            }
        ),
        "{error}"
    );
    assert_hides(&format!("{error} {error:?}"), &[API_USER_PASSWORD]);
}

#[test]
fn credentials_load_from_the_login_body() {
    let from_json: EnterpriseCredentials = serde_json::from_value(json!({
        "user_external_application_id": APP_ID, "login": "api-user", "password": API_USER_PASSWORD
    }))
    .unwrap();
    assert_eq!(from_json.login(), "api-user");
    assert_eq!(from_json.user_external_application_id(), APP_ID);
    assert_eq!(
        serde_json::to_value(&from_json).unwrap(),
        serde_json::to_value(creds()).unwrap()
    );
    assert!(serde_json::from_value::<EnterpriseCredentials>(json!({"login": "x"})).is_err());
}

#[test]
fn clients_are_clone_send_sync() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<EnterpriseClient>();
    check::<carecloud_api::CustomerClient>();
}

/// The wire form the API documents: array filters as repeated `name[]=`,
/// values percent-encoded, and no header CareCloud does not define (such as
/// progenitor's `api-version`).
#[tokio::test]
async fn requests_carry_documented_wire_forms_only() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    client
        .get_customers()
        .count(5)
        .customer_ids(["a1", "b&2"])
        .email_list(vec!["x y@example.com".to_owned()])
        .send()
        .await
        .unwrap();
    let sent = mock.requests_to("GET", "/customers").pop().unwrap();
    assert_eq!(
        sent.query.as_deref(),
        Some("count=5&customer_ids[]=a1&customer_ids[]=b%262&email_list[]=x%20y%40example.com")
    );
    for recorded in mock.requests() {
        for name in &recorded.header_names {
            assert!(
                [
                    "accept",
                    "accept-language",
                    "authorization",
                    "content-type",
                    "content-length",
                    "host"
                ]
                .contains(&name.as_str()),
                "{} {} sent the header `{name}`",
                recorded.method,
                recorded.path
            );
        }
    }
    // A setter called twice keeps the last value; an array setter replaces
    // the whole list.
    client
        .get_customers()
        .count(5)
        .count(7)
        .customer_ids(["a"])
        .customer_ids(["b", "c"])
        .send()
        .await
        .unwrap();
    let sent = mock.requests_to("GET", "/customers").pop().unwrap();
    assert_eq!(
        sent.query.as_deref(),
        Some("count=7&customer_ids[]=b&customer_ids[]=c")
    );
}

/// A value out of its parameter's range fails before anything is sent,
/// naming the parameter as the call wrote it and saying in words what it
/// takes; so does (through `invoke`) a required parameter or body left out,
/// or a body given to an operation that takes none. (Leaving a required
/// argument out of a typed call does not compile: see
/// `tests/compile-fail/tests/ui/call/missing_required_argument.rs`.)
#[tokio::test]
async fn bad_parameters_fail_before_sending() {
    let mock = Mock::start().await;
    let client = EnterpriseClient::new(&mock.url, creds()).unwrap();
    let error = client.get_customers().count(0).send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: `count` of `get_customers`: expected a whole number of at least 1, not 0"
    );
    let error = client.get_stores().offset(-1).send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: `offset` of `get_stores`: expected a whole number of at least 0 \
         (not negative), not -1"
    );
    let error = client.get_customer("").send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: `customer_id` of `get_customer`: expected a value, not an empty text \
         (it goes in the path)"
    );
    let cases = [
        (
            OperationId::GetCustomers,
            Args::new().param("count", 0),
            "`count` of `get_customers`: expected a whole number of at least 1, not 0",
        ),
        (
            OperationId::GetCustomer,
            Args::new(),
            "`customer_id` is required by `get_customer` but was not given",
        ),
        (
            OperationId::PutCustomer,
            Args::new().param("customer_id", "c-1"),
            "`put_customer` needs a body",
        ),
        (
            OperationId::GetStores,
            Args::new().body(json!({})),
            "`get_stores` takes no body",
        ),
    ];
    for (id, args, expected) in cases {
        let error = client.invoke(id, args).await.unwrap_err();
        assert_eq!(error.to_string(), format!("invalid request: {expected}"));
    }
    assert!(
        mock.requests().is_empty(),
        "nothing was sent, not even a login"
    );
}
