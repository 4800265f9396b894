//! Replies no real server should send, from a raw TCP server on loopback:
//! each gives a typed error within the client's timeout, never a panic, a
//! secret or an unbounded message.

use crate::raw;

use std::time::Duration;

use carecloud_api::error::TransportKind;
use carecloud_api::{EnterpriseClient, EnterpriseCredentials, Error, RetryPolicy};

use raw::{Reply, Server, http};

const PASSWORD: &str = "pw-Zq8-never-shown";
const TOKEN: &str = "tok-Xr5-never-shown";
const TIMEOUT: Duration = Duration::from_secs(2);

/// A server answering the operation with `reply` (logins always succeed).
async fn serve(reply: Reply) -> String {
    Server::start(move |request| {
        if request.is_login() {
            raw::login(TOKEN)
        } else {
            reply.clone()
        }
    })
    .await
    .url
}

/// A server answering the operation with an HTML page echoing the request
/// (head and body) and the token, under `status`.
async fn serve_echo(status: &'static str) -> String {
    Server::start(move |request| {
        if request.is_login() {
            return raw::login(TOKEN);
        }
        let echoed = String::from_utf8_lossy(&request.raw);
        let body = format!("<html><pre>{echoed}</pre> token was {TOKEN}</html>");
        http(status, "text/html", body.as_bytes())
    })
    .await
    .url
}

fn client(url: &str) -> EnterpriseClient {
    EnterpriseClient::builder(
        url,
        EnterpriseCredentials::new("app-1", "api-user", PASSWORD),
    )
    .timeout(TIMEOUT)
    .retry(RetryPolicy::disabled())
    .max_response_bytes(8 << 20)
    .build()
    .unwrap()
}

/// Calls `GET /customers` against a server answering `reply`; checks the
/// error's texts, and returns it.
async fn call(reply: Reply) -> Error {
    call_at(&serve(reply).await).await
}

/// Calls `GET /customers` at `url`; checks the error's texts, and returns
/// it.
async fn call_at(url: &str) -> Error {
    let client = client(url);
    let result = tokio::time::timeout(TIMEOUT * 3, client.get_customers().send())
        .await
        .expect("the client's own timeout ends every call");
    let error = result.expect_err("a malformed reply is an error");
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(
            text.len() < 2_000,
            "unbounded ({} bytes): {}",
            text.len(),
            &text[..300]
        );
        assert!(
            !text.contains(TOKEN) && !text.contains(PASSWORD),
            "secret shown: {text}"
        );
    }
    error
}

fn decode(error: &Error) -> &carecloud_api::error::DecodeError {
    match error {
        Error::Decode(e) => e,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_json() {
    let error = call(http(
        "200 OK",
        "application/json",
        br#"{"data":{"customers":[{"customer_id":"a""#,
    ))
    .await;
    let e = decode(&error);
    assert_eq!(e.status(), 200);
    assert!(e.reason().contains("EOF"), "{e}");
}

#[tokio::test]
async fn a_body_cut_short_of_its_content_length() {
    let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n".to_vec();
    bytes.extend_from_slice(br#"{"data":{"custo"#);
    match call(Reply::Raw(bytes)).await {
        Error::Transport(e) => assert_eq!(e.kind(), TransportKind::Body, "{e}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn html_with_200() {
    let error = call(http(
        "200 OK",
        "text/html",
        b"<html><body>Maintenance</body></html>",
    ))
    .await;
    let e = decode(&error);
    assert!(e.excerpt().contains("<html>"), "{e}");
    assert_eq!(e.position(), Some((1, 1)));
    // Only through the accessor.
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains("Maintenance"), "{shown}");
    }
}

#[tokio::test]
async fn wrong_types_say_where() {
    let error = call(http(
        "200 OK",
        "application/json",
        br#"{"data":{"customers":[42],"total_items":1}}"#,
    ))
    .await;
    let e = decode(&error);
    assert_eq!(e.path(), Some("data.customers[0]"), "{e}");
    assert!(e.reason().contains("invalid type: integer"), "{e}");
}

#[tokio::test]
async fn invalid_utf8() {
    let error = call(http(
        "200 OK",
        "application/json",
        b"{\"data\":{\"customers\":[{\"customer_id\":\"\xff\xfe\"}]}}",
    ))
    .await;
    let e = decode(&error);
    assert!(
        e.reason().contains("UTF-8") || e.reason().contains("unicode"),
        "{e}"
    );
}

#[tokio::test]
async fn huge_bodies_are_refused_past_the_limit() {
    let garbage = vec![b'x'; 50 << 20];
    let error = call(http("200 OK", "application/json", &garbage)).await;
    let e = decode(&error);
    assert!(e.reason().contains("limit"), "{e}");
    assert_eq!(e.position(), None);
}

#[tokio::test]
async fn a_huge_error_page_is_cut() {
    let mut page = b"<html>".to_vec();
    page.extend(vec![b'e'; 20 << 20]);
    match call(http("502 Bad Gateway", "text/html", &page)).await {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.status(), 502);
            assert!(e.excerpt().starts_with("<html>eee"), "{e}");
            assert_eq!(
                e.to_string(),
                "unexpected reply 502 Bad Gateway (65536 bytes of body, not shown)"
            );
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn an_endless_body_times_out() {
    match call(Reply::Endless).await {
        Error::Transport(e) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn echoed_secrets_are_scrubbed() {
    let error = call_at(&serve_echo("500 Internal Server Error").await).await;
    match &error {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.status(), 500);
            assert!(e.excerpt().contains("<redacted>"), "{e}");
            assert!(!e.excerpt().contains(TOKEN), "{}", e.excerpt());
            assert!(!format!("{e} {e:?}").contains("<html>"), "{e:?}");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    // The documented envelope, echoing the token in its detail.
    let body =
        format!(r#"{{"error":{{"title":"Bad","detail":"you sent Bearer {TOKEN} and {TOKEN}"}}}}"#);
    let error = call(http("400 Bad Request", "application/json", body.as_bytes())).await;
    let envelope = error.envelope().expect("the envelope");
    let detail = envelope.error.detail.as_deref().unwrap_or_default();
    assert!(
        !detail.contains(TOKEN) && detail.contains("<redacted>"),
        "{detail}"
    );
}

#[tokio::test]
async fn deep_nesting_does_not_overflow_the_stack() {
    let mut body = br#"{"data":{"customers":[{"customer_id":"a","unknown":"#.to_vec();
    body.extend(std::iter::repeat_n(b'[', 100_000));
    let error = call(http("200 OK", "application/json", &body)).await;
    let e = decode(&error);
    assert!(e.reason().contains("recursion limit"), "{e}");
}
