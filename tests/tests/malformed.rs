//! Replies no real server should send, from a raw TCP server on loopback:
//! each gives a typed error within the client's timeout, never a panic, a
//! secret or an unbounded message.

use std::sync::Arc;
use std::time::Duration;

use carecloud_api::error::TransportKind;
use carecloud_api::{EnterpriseClient, EnterpriseCredentials, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PASSWORD: &str = "pw-Zq8-never-shown";
const TOKEN: &str = "tok-Xr5-never-shown";
const TIMEOUT: Duration = Duration::from_secs(2);

/// What the server answers to the operation (logins always succeed).
#[derive(Clone)]
enum Reply {
    /// These bytes, then the connection closes.
    Raw(Vec<u8>),
    /// Status line + headers, then the request head and body echoed back.
    Echo(&'static str),
    /// A chunked 200 that never ends (a chunk every 50 ms).
    Endless,
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Reply {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    Reply::Raw(out)
}

async fn serve(reply: Reply) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let reply = Arc::new(reply);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, reply.clone()));
        }
    });
    url
}

async fn answer(mut stream: TcpStream, reply: Arc<Reply>) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let Ok(n) = stream.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        request.extend_from_slice(&buf[..n]);
        if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0usize);
    while request.len() < head_end + length {
        let Ok(n) = stream.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    if head.contains("/users/actions/login") {
        let body =
            format!(r#"{{"data":{{"bearer_token":"{TOKEN}","valid_to":"2099-01-01 00:00:00"}}}}"#);
        if let Reply::Raw(bytes) = http("200 OK", "application/json", body.as_bytes()) {
            let _ = stream.write_all(&bytes).await;
        }
        return;
    }
    match &*reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(bytes).await;
        }
        Reply::Echo(status) => {
            let echoed = String::from_utf8_lossy(&request).to_string();
            let body = format!("<html><pre>{echoed}</pre> token was {TOKEN}</html>");
            if let Reply::Raw(bytes) = http(status, "text/html", body.as_bytes()) {
                let _ = stream.write_all(&bytes).await;
            }
        }
        Reply::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            loop {
                if stream.write_all(b"1\r\n[\r\n").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
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
    let url = serve(reply).await;
    let client = client(&url);
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
    let error = call(Reply::Echo("500 Internal Server Error")).await;
    match &error {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.status(), 500);
            assert!(e.excerpt().contains("<redacted>"), "{e}");
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
