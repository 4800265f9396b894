//! The client's tracing output: a span per call with the operation's facts,
//! events for logins, token creation, invalidation and retries — and no
//! secret anywhere in it. (A test binary of its own: a thread-local
//! subscriber sees every span only when no other test runs beside it.)

#[path = "auth/mock.rs"]
#[allow(dead_code)]
mod mock;

use std::io::Write;
use std::sync::{Arc, Mutex};

use carecloud_api::{
    CustomerClient, DeviceRegistration, EnterpriseClient, EnterpriseCredentials, RetryPolicy,
};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;

use mock::{API_USER_PASSWORD, APP_ID, Mock};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_and_events_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mock = Mock::start().await;
    let policy = RetryPolicy::standard().initial_backoff(std::time::Duration::from_millis(5));
    let creds = EnterpriseCredentials::new(APP_ID, "api-user", API_USER_PASSWORD);
    let client = EnterpriseClient::builder(&mock.url, creds)
        .retry(policy)
        .build()
        .unwrap();
    client.get_customers().send().await.unwrap(); // login
    mock.force_401(1);
    client.get_customers().send().await.unwrap(); // invalidation, login
    mock.force_status(503);
    let failed = client.get_customers().send().await.unwrap_err(); // retries
    assert_eq!(failed.status().map(|s| s.as_u16()), Some(503));
    mock.clear_status();
    let mut body = carecloud_tests::payload("seed_post_token_request.json");
    body["external_application_id"] = json!(APP_ID);
    let registration: DeviceRegistration = serde_json::from_value(body).unwrap();
    let app = CustomerClient::new(&mock.url, registration).unwrap();
    app.get_stores().send().await.unwrap(); // device token

    let out = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "carecloud.call",
        "operation=\"getCustomers\"",
        "path=\"/customers\"",
        "method=\"GET\"",
        "status=200",
        "status=503",
        "attempts=4",
        "API user logged in",
        "invalidated",
        "retrying",
        "reason=\"503 unavailable\"",
        "delay_ms=",
        "attempts exhausted",
        "device token created",
    ] {
        assert!(out.contains(expected), "`{expected}` missing from:\n{out}");
    }
    for secret in [API_USER_PASSWORD, "bearer-1", "bearer-2", "device-1"] {
        assert!(!out.contains(secret), "`{secret}` in the trace:\n{out}");
    }
}
