//! A minimal fixed-reply HTTP/1.1 server for the client-overhead benchmark:
//! replies rendered once, before the first request, and written as they
//! are; no decoding, no lock, one thread per connection (keep-alive). What
//! a client costs is then what the benchmark sees, not a server's work.
//!
//! It answers:
//! * `POST …/users/actions/login`: a login reply (`bearer_token` only, so
//!   the client assumes the default token lifetime);
//! * `GET …/customers…` with an `Authorization` header: the page it was
//!   given (e.g. [`crate::page::customer_page`] of 100 customers, 68.7 KB);
//!   without one, a 401 with the error envelope;
//! * anything else: a 404 with the error envelope.
//!
//! The program `carecloud-fixed-server` (`src/bin/`) runs it in its own
//! process.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// The token the login reply hands out.
pub const TOKEN: &str = "fixed-reply-bench-token-0000000000000000";

/// The largest request head read (a longer one closes the connection).
const MAX_HEAD: usize = 64 * 1024;

/// Every reply, rendered: status line, headers and body.
#[derive(Clone, Debug)]
pub struct Replies {
    login: Vec<u8>,
    page: Vec<u8>,
    unauthorized: Vec<u8>,
    not_found: Vec<u8>,
}

impl Replies {
    /// The replies, with `page` (JSON text) as the customer page.
    pub fn new(page: &str) -> Self {
        let login = format!(r#"{{"data":{{"bearer_token":"{TOKEN}"}}}}"#);
        let envelope = |title: &str| {
            format!(
                r#"{{"error":{{"type":"about:blank","exception":"fixed_reply","title":"{title}","detail":"{title}"}}}}"#
            )
        };
        Self {
            login: render("200 OK", &login),
            page: render("200 OK", page),
            unauthorized: render("401 Unauthorized", &envelope("Unauthorized")),
            not_found: render("404 Not Found", &envelope("Not Found")),
        }
    }

    /// The reply to a request whose head (request line and headers) is
    /// `head`.
    pub fn answer(&self, head: &str) -> &[u8] {
        let line = head.lines().next().unwrap_or("");
        let mut parts = line.split(' ');
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let path = target.split('?').next().unwrap_or("");
        if method == "POST" && path.ends_with("/users/actions/login") {
            &self.login
        } else if method == "GET" && path.ends_with("/customers") {
            if header(head, "authorization").is_some() {
                &self.page
            } else {
                &self.unauthorized
            }
        } else {
            &self.not_found
        }
    }
}

fn render(status: &str, body: &str) -> Vec<u8> {
    let mut reply = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(body.as_bytes());
    reply
}

/// The value of header `name` (lower case) in `head`.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Serves `listener` until the process ends: one thread per connection.
pub fn serve(listener: TcpListener, replies: Arc<Replies>) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        let replies = replies.clone();
        std::thread::spawn(move || {
            let _ = connection(stream, &replies);
        });
    }
    Ok(())
}

/// Answers the requests of one connection until the client closes it.
fn connection(stream: TcpStream, replies: &Replies) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        head.clear();
        // The request line and headers, up to the empty line.
        loop {
            let before = head.len();
            if reader.read_line(&mut head)? == 0 {
                return Ok(()); // closed
            }
            if head.len() > MAX_HEAD {
                return Ok(());
            }
            let line = &head[before..];
            if line == "\r\n" || line == "\n" {
                break;
            }
        }
        let length: u64 = header(&head, "content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        io::copy(&mut (&mut reader).take(length), &mut io::sink())?;
        writer.write_all(replies.answer(&head))?;
    }
}

/// The fixed-reply server running in a child process
/// (`carecloud-fixed-server`), ended when dropped.
#[derive(Debug)]
pub struct Process {
    child: std::process::Child,
    /// Its project URL (`http://127.0.0.1:PORT`).
    pub url: String,
}

impl Process {
    /// Starts `program` (the path of `carecloud-fixed-server`, e.g.
    /// `env!("CARGO_BIN_EXE_carecloud-fixed-server")`) serving a page of
    /// `customers` customers, and waits until it listens.
    pub fn start(program: &str, customers: usize) -> io::Result<Self> {
        use std::process::{Command, Stdio};
        let mut child = Command::new(program)
            .args(["--customers", &customers.to_string()])
            .stdin(Stdio::piped()) // it exits when this closes
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout"))?;
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first)?;
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .map(|w| w.trim_end_matches([',', ';']).to_owned());
        match url {
            Some(url) => Ok(Self { child, url }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(io::Error::other(format!(
                    "the fixed-reply server said {first:?}"
                )))
            }
        }
    }

    /// The server's process ID.
    pub fn id(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
