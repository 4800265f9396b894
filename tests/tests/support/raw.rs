//! A raw HTTP/1.1 server on loopback, for replies no real server should
//! send: each connection gets one request read and one reply written as
//! the test's function says (bytes as they are, in pieces, never ending, or
//! nothing), and every request is recorded so a test can count attempts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as it came.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target, query included.
    pub target: String,
    /// The request head and body, as sent.
    pub raw: Vec<u8>,
}

impl Request {
    /// Whether the request is the enterprise API user login.
    pub fn is_login(&self) -> bool {
        self.target.contains("/users/actions/login")
    }
}

/// What the server writes back.
#[derive(Clone)]
pub enum Reply {
    /// These bytes, then the connection closes.
    Raw(Vec<u8>),
    /// These pieces, 30 ms apart, then the connection closes.
    Pieces(Vec<Vec<u8>>),
    /// A chunked 200 that never ends (a chunk every 50 ms).
    Endless,
    /// Nothing: the connection closes at once.
    Close,
}

/// A complete reply with `Content-Length` and `Connection: close`.
pub fn http(status: &str, content_type: &str, body: &[u8]) -> Reply {
    Reply::Raw(http_bytes(status, content_type, &[], body))
}

/// A complete reply's bytes, with `extra` headers.
pub fn http_bytes(status: &str, content_type: &str, extra: &[&str], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n");
    for header in extra {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// A successful API user login giving `token`.
pub fn login(token: &str) -> Reply {
    let body =
        format!(r#"{{"data":{{"bearer_token":"{token}","valid_to":"2099-01-01 00:00:00"}}}}"#);
    http("200 OK", "application/json", body.as_bytes())
}

type Answer = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server; it stops with the test's runtime.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Starts a server answering every request with `answer(request)`.
    pub async fn start(answer: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answer: Arc<Answer> = Arc::new(answer);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, answer.clone(), log.clone()));
            }
        });
        Self { url, seen }
    }

    /// Starts a server that writes `bytes` as soon as a connection opens,
    /// without reading anything (so a client expecting TLS gets plain
    /// HTTP); each connection is recorded as a request with no method.
    pub async fn greeting(bytes: &'static [u8]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                log.lock().unwrap().push(Request {
                    method: String::new(),
                    target: String::new(),
                    raw: Vec::new(),
                });
                tokio::spawn(async move {
                    let _ = stream.write_all(bytes).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self { url, seen }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests so far had `part` in their target.
    pub fn count(&self, part: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.target.contains(part))
            .count()
    }
}

async fn serve(mut stream: TcpStream, answer: Arc<Answer>, seen: Arc<Mutex<Vec<Request>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    seen.lock().unwrap().push(request.clone());
    match answer(&request) {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        Reply::Pieces(pieces) => {
            for piece in pieces {
                if stream.write_all(&piece).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(30)).await;
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
        Reply::Close => {}
    }
    let _ = stream.shutdown().await;
}

/// The request's head and its `Content-Length` of body.
async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0usize);
    while raw.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let target = words.next().unwrap_or_default().to_owned();
    Some(Request {
        method,
        target,
        raw,
    })
}
