//! What the client retries, counted at a raw TCP server on loopback: only
//! timeouts, lost connections, cut-off replies and 429/502/503/504 (429 for
//! a `POST` too); a redirect loop, a reply head that is not HTTP and a
//! failed TLS handshake fail after one attempt, and a `POST` that may have
//! been processed is never sent twice.

use crate::raw;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use carecloud_api::error::TransportKind;
use carecloud_api::{EnterpriseClient, EnterpriseCredentials, Error, OperationId, RetryPolicy};
use carecloud_dynamic::{Args, Invoke};
use serde_json::json;

use raw::{Reply, Request, Server, http, http_bytes};

const TOKEN: &str = "tok-retries";
/// The operation's path, as the server sees it.
const CUSTOMERS: &str = "/customers";
const SIGN_UP: &str = "/customers/actions/newsletters-sign-up";

/// A client that retries as the standard policy does, with short waits.
fn client(url: &str, timeout: Duration) -> EnterpriseClient {
    EnterpriseClient::builder(url, EnterpriseCredentials::new("app-1", "api-user", "pw-1"))
        .timeout(timeout)
        .retry(
            RetryPolicy::standard()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

/// A server that logs in, then answers the `n`th request for the
/// operation (from 0) with `replies[n]` (the last one from then on).
async fn serving(replies: Vec<Reply>) -> Server {
    let next = Arc::new(AtomicUsize::new(0));
    Server::start(move |request: &Request| {
        if request.is_login() {
            return raw::login(TOKEN);
        }
        let n = next.fetch_add(1, Ordering::SeqCst);
        replies[n.min(replies.len() - 1)].clone()
    })
    .await
}

async fn get_customers(server: &Server) -> Result<(), Error> {
    get_customers_within(server, Duration::from_secs(5)).await
}

async fn get_customers_within(server: &Server, timeout: Duration) -> Result<(), Error> {
    client(&server.url, timeout)
        .get_customers()
        .send()
        .await
        .map(drop)
}

/// `POST /customers/actions/newsletters-sign-up` (no reply body).
async fn sign_up(server: &Server, timeout: Duration) -> Result<(), Error> {
    let body = json!({"contact": "someone@example.com", "customer_source_id": "web"});
    client(&server.url, timeout)
        .invoke(
            OperationId::PostCustomerNewslettersSignUp,
            Args::new().body(body),
        )
        .await
        .map(drop)
}

fn transport_kind(error: &Error) -> TransportKind {
    match error {
        Error::Transport(e) => e.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

fn ok_page() -> Reply {
    http(
        "200 OK",
        "application/json",
        br#"{"data":{"customers":[],"total_items":0}}"#,
    )
}

#[tokio::test]
async fn a_redirect_loop_fails_after_one_attempt() {
    let server = Server::start(|request: &Request| {
        if request.is_login() {
            return raw::login(TOKEN);
        }
        let location = format!("Location: {}", request.target);
        Reply::Raw(http_bytes("302 Found", "text/plain", &[&location], b""))
    })
    .await;
    let error = get_customers(&server).await.unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::Redirect, "{error}");
    assert!(!error.is_retryable());
    // One attempt: the request and reqwest's ten redirects.
    assert_eq!(server.count(CUSTOMERS), 11);
}

#[tokio::test]
async fn malformed_reply_heads_fail_after_one_attempt() {
    let huge_header = {
        let mut head = b"HTTP/1.1 200 OK\r\nX-Padding: ".to_vec();
        head.extend(std::iter::repeat_n(b'a', 1 << 20));
        head.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
        head
    };
    for (what, bytes) in [
        (
            "a garbage status line",
            b"HTTP/1.1 OK-ish maybe\r\nContent-Length: 0\r\n\r\n".to_vec(),
        ),
        ("not HTTP at all", b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()),
        ("a 1 MB header", huge_header),
        (
            "conflicting Content-Length",
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}"
                .to_vec(),
        ),
    ] {
        let server = serving(vec![Reply::Raw(bytes), ok_page()]).await;
        let error = get_customers(&server).await.unwrap_err();
        assert_eq!(
            transport_kind(&error),
            TransportKind::MalformedReply,
            "{what}: {error}"
        );
        assert!(!error.is_retryable(), "{what}");
        assert_eq!(server.count(CUSTOMERS), 1, "{what}: retried");
    }
}

#[tokio::test]
async fn a_failed_tls_handshake_fails_after_one_attempt() {
    let server = Server::greeting(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await;
    let url = server.url.replace("http://", "https://");
    let error = client(&url, Duration::from_secs(5))
        .get_customers()
        .send()
        .await
        .unwrap_err();
    // The login failed: no token could be had, and that does not pass.
    let auth = error.as_auth().expect("the login is the first request");
    assert!(!auth.is_transient(), "{auth}");
    assert!(auth.message().contains("TLS"), "{auth}");
    assert_eq!(server.requests().len(), 1, "connections made");
}

#[tokio::test]
async fn a_lost_connection_or_a_cut_off_reply_is_retried_for_a_get() {
    let cut_off = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{\"data\":{\"cust".to_vec();
    for (what, first) in [
        ("closed without a reply", Reply::Close),
        ("cut off", Reply::Raw(cut_off)),
    ] {
        let server = serving(vec![first, ok_page()]).await;
        get_customers(&server)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(server.count(CUSTOMERS), 2, "{what}");
    }
    // Each kind, when every attempt fails the same way.
    let server = serving(vec![Reply::Close]).await;
    let error = get_customers(&server).await.unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::ConnectionLost);
    assert_eq!(server.count(CUSTOMERS), 4);
}

#[tokio::test]
async fn a_post_answered_429_succeeds_on_its_retry() {
    let refused = Reply::Raw(http_bytes(
        "429 Too Many Requests",
        "application/json",
        &["Retry-After: 1"],
        br#"{"error":{"title":"Too many requests"}}"#,
    ));
    let server = serving(vec![
        refused,
        http("204 No Content", "application/json", b""),
    ])
    .await;
    let started = Instant::now();
    sign_up(&server, Duration::from_secs(5))
        .await
        .expect("the retry succeeds");
    assert_eq!(server.count(SIGN_UP), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured: {:?}",
        started.elapsed()
    );
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.target.contains(SIGN_UP))
        .collect();
    assert!(posts.iter().all(|r| r.method == "POST"));
    assert_eq!(posts[0].raw, posts[1].raw, "the same request, twice");
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_5xx_a_timeout_or_a_lost_connection() {
    for status in [
        "500 Internal Server Error",
        "502 Bad Gateway",
        "503 Service Unavailable",
        "504 Gateway Timeout",
    ] {
        let server = serving(vec![http(status, "text/html", b"<html>busy</html>")]).await;
        let error = sign_up(&server, Duration::from_secs(5)).await.unwrap_err();
        assert_eq!(
            error.status().map(|s| s.to_string()).as_deref(),
            Some(status)
        );
        assert_eq!(server.count(SIGN_UP), 1, "{status}: a POST sent twice");
    }
    let server = serving(vec![Reply::Endless]).await;
    let error = sign_up(&server, Duration::from_millis(400))
        .await
        .unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::Timeout);
    assert_eq!(
        server.count(SIGN_UP),
        1,
        "a POST sent twice after a timeout"
    );
    let server = serving(vec![Reply::Close]).await;
    let error = sign_up(&server, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::ConnectionLost);
    assert_eq!(server.count(SIGN_UP), 1, "a POST sent twice after a loss");
}

#[tokio::test]
async fn a_get_is_retried_after_a_503_or_a_timeout() {
    let server = serving(vec![
        http("503 Service Unavailable", "text/html", b""),
        ok_page(),
    ])
    .await;
    get_customers(&server).await.expect("the retry succeeds");
    assert_eq!(server.count(CUSTOMERS), 2);
    let server = serving(vec![Reply::Endless]).await;
    let error = get_customers_within(&server, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::Timeout);
    assert_eq!(server.count(CUSTOMERS), 4);
}
