//! No token and no customer data in the client's errors or log lines: a
//! malformed API user login reply holding a token, a malformed
//! `POST /tokens` reply holding a device token, and a customer page that
//! does not decode, holding an e-mail address, a phone number and a street,
//! each from a raw loopback server. Every error's `Display`, `Debug` and
//! causes, and everything the client traces at TRACE level, are searched
//! for those values. The reply excerpts stay available through the errors'
//! `excerpt()` (never for login and token replies), and in log lines only
//! when the client opts in. (A test binary of its own, and one test: a
//! thread-local subscriber sees every event only when no other test runs
//! beside it.)

#[path = "support/raw.rs"]
#[allow(dead_code)]
mod raw;

use std::io::Write;
use std::sync::{Arc, Mutex};

use carecloud_api::runtime::LOG_BODIES_ENV;
use carecloud_api::{
    CustomerClient, DeviceRegistration, EnterpriseClient, EnterpriseCredentials, Error,
    OperationId, RetryPolicy,
};
use carecloud_dynamic::{Args, Invoke};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;

use raw::{Reply, Server, http};

const LOGIN_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.LEAKED-bearer.Zx81";
const DEVICE_TOKEN: &str = "dev-LEAKED-device-token-5521";
const EMAIL: &str = "jana.novakova.1987@example.com";
const PHONE: &str = "+420 777 123 456";
const STREET: &str = "Vodičkova 12";
const GOOD_TOKEN: &str = "tok-good-0001";

/// Everything that must never be shown by default.
const PRIVATE: [&str; 5] = [LOGIN_TOKEN, DEVICE_TOKEN, EMAIL, PHONE, STREET];

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

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Malformed API user login replies, each holding the token.
fn login_replies() -> Vec<(&'static str, Reply)> {
    let json = |body: String| http("200 OK", "application/json", body.as_bytes());
    vec![
        // serde would quote the string where an object belongs.
        (
            "login: a string for data",
            json(format!(r#"{{"data":"{LOGIN_TOKEN}"}}"#)),
        ),
        (
            "login: cut off after the token",
            json(format!(
                r#"{{"data":{{"bearer_token":"{LOGIN_TOKEN}","valid_to":"#
            )),
        ),
        (
            "login: the token where the date belongs",
            json(format!(
                r#"{{"data":{{"bearer_token":"{LOGIN_TOKEN}","valid_to":["{LOGIN_TOKEN}"]}}}}"#
            )),
        ),
        (
            "login: a 500 page holding the token",
            http(
                "500 Internal Server Error",
                "text/html",
                format!("<html>session {LOGIN_TOKEN} failed</html>").as_bytes(),
            ),
        ),
    ]
}

/// Malformed `POST /tokens` replies, each holding the device token.
fn token_replies() -> Vec<(&'static str, Reply)> {
    let json = |body: String| http("201 Created", "application/json", body.as_bytes());
    vec![
        (
            "tokens: a string for data",
            json(format!(r#"{{"data":"{DEVICE_TOKEN}"}}"#)),
        ),
        (
            "tokens: cut off after the token",
            json(format!(r#"{{"data":{{"token_id":"{DEVICE_TOKEN}""#)),
        ),
        (
            "tokens: a number for the token, the token beside it",
            json(format!(
                r#"{{"data":{{"token_id":5521,"token":"{DEVICE_TOKEN}"}}}}"#
            )),
        ),
    ]
}

/// Customer pages that do not decode, holding a customer's data.
fn customer_pages() -> Vec<(&'static str, Reply)> {
    let person = json!({
        "first_name": "Jana",
        "last_name": "Novakova",
        "language_id": "cs",
        "email": EMAIL,
        "phone": PHONE,
        "address": {"street": STREET, "city": "Praha"},
    });
    let json =
        |body: serde_json::Value| http("200 OK", "application/json", body.to_string().as_bytes());
    vec![
        (
            "page: the phone where the total belongs",
            json(json!({"data": {
                "customers": [{"customer_id": "c1", "personal_information": person}],
                "total_items": PHONE,
            }})),
        ),
        (
            "page: the e-mail where an object belongs",
            json(json!({"data": {
                "customers": [
                    {"customer_id": "c1", "personal_information": person},
                    {"customer_id": "c2", "personal_information": EMAIL},
                ],
                "total_items": 2,
            }})),
        ),
        (
            "page: the e-mail as a member name",
            http(
                "200 OK",
                "application/json",
                format!(
                    r#"{{"data":{{"customers":[{{"customer_id":"c1","personal_information":{person}}}],"total_items":1,"x":{{"{EMAIL}":["{PHONE}",]}}}}}}"#
                )
                .as_bytes(),
            ),
        ),
    ]
}

fn enterprise(url: &str, log_bodies: Option<bool>) -> EnterpriseClient {
    let creds = EnterpriseCredentials::new("app-1", "api-user", "pw-privacy-1");
    let builder = EnterpriseClient::builder(url, creds).retry(RetryPolicy::disabled());
    match log_bodies {
        Some(on) => builder.log_bodies(on),
        None => builder,
    }
    .build()
    .unwrap()
}

fn customer(url: &str, log_bodies: Option<bool>) -> CustomerClient {
    let mut body = carecloud_tests::payload("seed_post_token_request.json");
    body["external_application_id"] = json!("app-1");
    let registration: DeviceRegistration = serde_json::from_value(body).unwrap();
    let builder = CustomerClient::builder(url, registration).retry(RetryPolicy::disabled());
    match log_bodies {
        Some(on) => builder.log_bodies(on),
        None => builder,
    }
    .build()
    .unwrap()
}

/// Each case's error, from a client with `log_bodies` as given (`None`:
/// the default).
async fn failures(log_bodies: Option<bool>) -> Vec<(&'static str, Error)> {
    let mut out = Vec::new();
    for (what, reply) in login_replies() {
        let server = Server::start(move |_| reply.clone()).await;
        let client = enterprise(&server.url, log_bodies);
        let error = client.get_customers().send().await.unwrap_err();
        assert!(error.as_auth().is_some(), "{what}: {error:?}");
        out.push((what, error));
    }
    for (what, reply) in token_replies() {
        let server = Server::start(move |_| reply.clone()).await;
        let client = customer(&server.url, log_bodies);
        let error = client.get_stores().send().await.unwrap_err();
        assert!(error.as_auth().is_some(), "{what}: {error:?}");
        out.push((what, error));
    }
    // The same operations called as such: their decode errors.
    let (_, login) = login_replies().swap_remove(0);
    let server = Server::start(move |_| login.clone()).await;
    let login = json!({"login": "api-user", "password": "pw-privacy-1", "user_external_application_id": "app-1"});
    let error = enterprise(&server.url, log_bodies)
        .invoke(OperationId::PostUserLogin, Args::new().body(login))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    out.push(("login: called as an operation", error));
    let (_, token) = token_replies().swap_remove(1);
    let server = Server::start(move |_| token.clone()).await;
    let mut registration = carecloud_tests::payload("seed_post_token_request.json");
    registration["external_application_id"] = json!("app-1");
    let error = customer(&server.url, log_bodies)
        .invoke(OperationId::PostToken, Args::new().body(registration))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    out.push(("tokens: called as an operation", error));
    for (what, reply) in customer_pages() {
        let server = Server::start(move |request| {
            if request.is_login() {
                raw::login(GOOD_TOKEN)
            } else {
                reply.clone()
            }
        })
        .await;
        let client = enterprise(&server.url, log_bodies);
        let error = client.get_customers().send().await.unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{what}: {error:?}");
        out.push((what, error));
    }
    out
}

/// Runs the cases under a TRACE subscriber; the errors and the trace.
async fn traced(log_bodies: Option<bool>) -> (Vec<(&'static str, Error)>, String) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let errors = failures(log_bodies).await;
    drop(guard);
    (errors, captured.text())
}

/// An error's `Display`, alternate `Display`, `Debug`, pretty `Debug` and
/// the `Display` of each of its causes.
fn shown(error: &Error) -> Vec<String> {
    let mut texts = vec![
        error.to_string(),
        format!("{error:#}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ];
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        texts.push(inner.to_string());
        texts.push(format!("{inner:?}"));
        cause = inner.source();
    }
    texts
}

fn excerpt(error: &Error) -> &str {
    match error {
        Error::Decode(e) => e.excerpt(),
        Error::UnexpectedStatus(e) => e.excerpt(),
        _ => "",
    }
}

#[tokio::test]
async fn no_token_or_customer_data_in_errors_or_traces() {
    assert!(
        std::env::var_os(LOG_BODIES_ENV).is_none(),
        "{LOG_BODIES_ENV} is set: this test checks the default"
    );
    let (errors, trace) = traced(None).await;
    assert_eq!(errors.len(), 12);
    for (what, error) in &errors {
        for text in shown(error) {
            for private in PRIVATE {
                assert!(!text.contains(private), "{what}: `{private}` in: {text}");
            }
        }
    }
    for private in PRIVATE {
        assert!(
            !trace.contains(private),
            "`{private}` in the trace:\n{trace}"
        );
    }
    // The trace says what failed and where, all the same.
    for expected in [
        "call failed",
        "operation=\"postUserLogin\"",
        "operation=\"postToken\"",
        "operation=\"getCustomers\"",
        "invalid type: string, expected",
        "at `data.customers[1].personal_information`",
        "at `data.total_items`",
    ] {
        assert!(
            trace.contains(expected),
            "`{expected}` missing from:\n{trace}"
        );
    }
    // The errors say where and what.
    let decode = |what: &str| match errors.iter().find(|(w, _)| *w == what) {
        Some((_, Error::Decode(e))) => e,
        other => panic!("{what}: {other:?}"),
    };
    let total = decode("page: the phone where the total belongs");
    assert_eq!(total.path(), Some("data.total_items"));
    assert!(
        total.reason().starts_with("invalid type: string, expected"),
        "{total}"
    );
    let member = decode("page: the e-mail as a member name");
    assert!(
        member.path().is_some_and(|p| p.starts_with("data.x.?")),
        "{member}"
    );

    // The excerpts: a customer page's through the accessor; never a login's
    // or token request's.
    for (what, error) in &errors {
        let text = excerpt(error);
        if what.starts_with("page:") {
            assert!(!text.is_empty(), "{what}: no excerpt");
        } else {
            assert_eq!(text, "", "{what}: a login or token reply excerpted");
        }
    }
    let person = excerpt(
        &errors
            .iter()
            .find(|(w, _)| w.contains("e-mail where"))
            .unwrap()
            .1,
    );
    assert!(person.contains(EMAIL), "{person}");

    // Opted in: a customer page's excerpt is in the log line; a login's or
    // token request's reply is not, still.
    let (errors, trace) = traced(Some(true)).await;
    assert_eq!(errors.len(), 12);
    assert!(trace.contains("excerpt="), "no excerpt in:\n{trace}");
    assert!(
        trace.contains(EMAIL),
        "the opted-in excerpt is missing:\n{trace}"
    );
    for secret in [LOGIN_TOKEN, DEVICE_TOKEN] {
        assert!(!trace.contains(secret), "`{secret}` in the trace:\n{trace}");
    }
    // The errors are the same either way.
    for (what, error) in &errors {
        for text in shown(error) {
            for private in PRIVATE {
                assert!(!text.contains(private), "{what}: `{private}` in: {text}");
            }
        }
    }
    // Opted out explicitly.
    let (_, quiet) = traced(Some(false)).await;
    assert!(
        !quiet.contains(EMAIL) && !quiet.contains("excerpt="),
        "{quiet}"
    );
}
