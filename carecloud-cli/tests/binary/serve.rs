//! `carecloud sandbox serve` for days: 2,500 requests (ten times the log's
//! bound, which is a tenth of the count) with a 2 KB query string each, logins, logouts, device tokens and customer logins mixed in,
//! through the real binary in its own process. The request log stays at its
//! bound (`--log-capacity`), the session tables hold live tokens only, and
//! no password or token is in the log. The server's resident memory
//! (`VmRSS`) at the start and after each fifth is printed (`--nocapture`
//! shows it; `docs/benchmarks.md` records it); only a generous ceiling on
//! its growth is asserted.
//!
//! `CARECLOUD_SERVE_REQUESTS=N` runs another count (the soak figures in
//! `docs/benchmarks.md` are of 50,000), with the same proportions: a log
//! bound of N / 10 (at most 1,000, the server's default), a new enterprise login every N / 100 requests of a
//! worker's stretch and a device token every N / 40 (at most 100 and 250, as at 10,000). (The test sent 10,000
//! with a bound of 1,000 until 2026-12-08: a quarter of the count shows the
//! same bounds, as every ratio the assertions rest on is kept, in a
//! quarter of the time.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use serde_json::{Value, json};

use crate::support::Served;

const ENT: &str = "/webservice/rest-api/enterprise-interface/v1.0";
const CUS: &str = "/webservice/rest-api/customer-interface/v1.0";
const WORKERS: usize = 4;
/// Devices each worker creates tokens for, again and again.
const DEVICES: usize = 3;

/// The server's address (`127.0.0.1:PORT`).
fn addr(served: &Served) -> String {
    served
        .url
        .strip_prefix("http://")
        .unwrap_or(&served.url)
        .to_owned()
}

/// The resident memory of process `pid` in kB (`VmRSS` of
/// /proc/PID/status).
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// One kept-alive HTTP/1.1 connection: plain requests, whole replies.
struct Conn(BufReader<TcpStream>);

impl Conn {
    fn open(addr: &str) -> Self {
        let stream = TcpStream::connect(addr).expect("connects");
        stream.set_nodelay(true).expect("nodelay");
        Self(BufReader::new(stream))
    }

    /// Sends a request; the status and the body.
    fn send(
        &mut self,
        method: &str,
        target: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Vec<u8>) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: sandbox\r\n");
        if let Some(token) = token {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        head.push_str(&body);
        self.0.get_mut().write_all(head.as_bytes()).expect("sent");

        let mut status_line = String::new();
        self.0.read_line(&mut status_line).expect("a status line");
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("status line {status_line:?}"));
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            self.0.read_line(&mut line).expect("a header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("a length");
            }
        }
        let mut reply = vec![0; length];
        self.0.read_exact(&mut reply).expect("the body");
        (status, reply)
    }

    fn json(
        &mut self,
        method: &str,
        target: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Value {
        let (status, reply) = self.send(method, target, token, body);
        assert!(
            (200..300).contains(&status),
            "{method} {target}: {status} {}",
            String::from_utf8_lossy(&reply)
        );
        serde_json::from_slice(&reply).expect("JSON")
    }
}

fn enterprise_login(conn: &mut Conn) -> String {
    let login = json!({
        "user_external_application_id": carecloud_sandbox::ENTERPRISE_APPLICATION_ID,
        "login": carecloud_sandbox::API_USER_LOGIN,
        "password": carecloud_sandbox::API_USER_PASSWORD,
    });
    let reply = conn.json(
        "POST",
        &format!("{ENT}/users/actions/login"),
        None,
        Some(&login),
    );
    reply["data"]["bearer_token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// What one worker sent: requests and their statuses.
#[derive(Default)]
struct Tally {
    requests: u64,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: &str, (status, body): (u16, Vec<u8>)) -> Vec<u8> {
        self.requests += 1;
        if !(200..300).contains(&status) {
            self.failures.push(format!(
                "{what}: {status} {}",
                String::from_utf8_lossy(&body)
            ));
        }
        body
    }
}

/// How often a worker does what, in requests of its stretch.
#[derive(Clone, Copy)]
struct Mix {
    /// A new enterprise login every this many (100 of 10,000).
    relogin: usize,
    /// A device token and a customer login every this many (250 of 10,000).
    device: usize,
}

impl Mix {
    fn of(total: usize) -> Self {
        Self {
            // At most the 100 and 250 of 10,000: the soak's 50,000 run
            // with the mix `docs/benchmarks.md` records.
            relogin: (total / 100).clamp(1, 100),
            device: (total / 40).clamp(1, 250),
        }
    }
}

/// Worker `w`'s share of `n` requests: a login, then mostly GETs of a
/// customer with a 2 KB query; every `mix.relogin`th a new enterprise login (the
/// previous token logged out); every `mix.device`th a device token for one of
/// `DEVICES` devices (replacing that device's last one) and a customer
/// login on it; the last token logged out.
fn work(addr: &str, w: usize, n: usize, mix: Mix) -> Tally {
    let mut conn = Conn::open(addr);
    let mut tally = Tally::default();
    let mut token = enterprise_login(&mut conn);
    tally.requests += 1;
    let pad: String = "0123456789abcdef".repeat(128); // 2,048 bytes
    let mut sent = 1;
    let mut i = 0usize;
    while sent + 1 < n {
        i += 1;
        if i.is_multiple_of(mix.relogin) && sent + 2 <= n {
            let old = token;
            token = enterprise_login(&mut conn);
            tally.requests += 1;
            log_out(&mut conn, &mut tally, &old, &token);
            sent += 2;
        } else if i.is_multiple_of(mix.device) && sent + 2 <= n {
            let device = json!({
                "device": {"device_id": format!("soak-{w}-{}", i % DEVICES), "device_name": "Soak", "device_system": "Linux", "device_type": "PC"},
                "setup": {"language_id": "en", "allowed_gps": false, "allowed_notifications": false},
                "external_application_id": carecloud_sandbox::CUSTOMER_APPLICATION_ID,
            });
            let created = tally.check(
                "device token",
                conn.send("POST", &format!("{CUS}/tokens"), None, Some(&device)),
            );
            let created: Value = serde_json::from_slice(&created).unwrap_or_default();
            let device_token = created["data"]["token_id"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            let login = json!({
                "login_type": "email",
                "login_value": carecloud_sandbox::JOHN_SMITH_EMAIL,
                "password": carecloud_sandbox::JOHN_SMITH_PASSWORD,
            });
            tally.check(
                "customer login",
                conn.send(
                    "POST",
                    &format!("{CUS}/tokens/{device_token}/actions/login"),
                    Some(&device_token),
                    Some(&login),
                ),
            );
            sent += 2;
        } else {
            let target = format!(
                "{ENT}/customers/{}?request={w}-{i}&note={pad}",
                carecloud_sandbox::JOHN_SMITH_ID
            );
            tally.check(
                "GET customer",
                conn.send("GET", &target, Some(&token), None),
            );
            sent += 1;
        }
    }
    log_out(&mut conn, &mut tally, &token, &token);
    tally
}

/// Ends the enterprise token `ended`, sent with the token `with`.
fn log_out(conn: &mut Conn, tally: &mut Tally, ended: &str, with: &str) {
    let logout = json!({
        "user_external_application_id": carecloud_sandbox::ENTERPRISE_APPLICATION_ID,
        "bearer_token": ended,
    });
    let target = format!("{ENT}/users/actions/logout");
    tally.check(
        "logout",
        conn.send("POST", &target, Some(with), Some(&logout)),
    );
}

fn status(addr: &str) -> Value {
    Conn::open(addr).json("GET", "/_sandbox/status", None, None)
}

#[test]
fn ten_times_the_log_bound_in_requests_keeps_the_log_and_the_sessions_bounded() {
    let total: usize = std::env::var("CARECLOUD_SERVE_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_500);
    assert!(total >= 1_000, "CARECLOUD_SERVE_REQUESTS of 1,000 or more");
    // Ten times the log's bound (the server's default of 1,000 at most, so
    // that the soak's 50,000 run as `docs/benchmarks.md` records them); the
    // login mix in the same proportions.
    let log_capacity = (total / 10).min(1_000);
    let mix = Mix::of(total);
    let server = Served::start_with(&["--log-capacity", &log_capacity.to_string()]);
    let pid = server.pid();
    let server_addr = addr(&server);
    let rss_start = rss_kb(pid);
    let started = Instant::now();
    let mut sent = 0u64;
    let mut rss = Vec::new();
    // Five stretches, the status checked between them.
    let stretches = 5;
    for stretch in 0..stretches {
        let share = total / stretches + usize::from(stretch < total % stretches);
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                let addr = server_addr.clone();
                let n = share / WORKERS + usize::from(w < share % WORKERS);
                std::thread::spawn(move || work(&addr, w, n, mix))
            })
            .collect();
        for worker in workers {
            let tally = worker.join().expect("the worker runs");
            assert!(
                tally.failures.is_empty(),
                "{:?}",
                &tally.failures[..tally.failures.len().min(5)]
            );
            sent += tally.requests;
        }
        let now = status(&server_addr);
        assert_eq!(now["requests_total"], sent, "every request counted: {now}");
        let logged = now["requests_logged"].as_u64().expect("a count");
        assert_eq!(
            logged,
            sent.min(log_capacity as u64),
            "the log at its bound: {now}"
        );
        assert_eq!(now["log_capacity"], log_capacity);
        assert_eq!(now["enterprise_tokens"], 0, "every token logged out: {now}");
        assert!(
            now["device_tokens"].as_u64().expect("a count") <= (WORKERS * DEVICES) as u64,
            "one token per device: {now}"
        );
        assert_eq!(now["authentication_tokens"], 0, "{now}");
        rss.push(rss_kb(pid));
    }
    let elapsed = started.elapsed();
    let log: Value = Conn::open(&server_addr).json("GET", "/_sandbox/requests", None, None);
    let entries = log.as_array().expect("an array");
    assert_eq!(entries.len(), total.min(log_capacity));
    let text = log.to_string();
    for secret in [
        carecloud_sandbox::API_USER_PASSWORD,
        carecloud_sandbox::JOHN_SMITH_PASSWORD,
    ] {
        assert!(!text.contains(secret), "{secret:?} is in the log");
    }
    assert!(
        entries
            .iter()
            .any(|e| e["query"].as_str().is_some_and(|q| q.len() > 2048)),
        "the 2 KB queries are kept"
    );
    // A generous ceiling, far above what a bounded server moves (tens of
    // kB) and far below what an unbounded log grows by (about 2.2 kB per
    // such request: 17 MB over the last four fifths of 10,000, 4.4 MB of
    // 2,500): from the
    // first fifth (the log full) to the end: half a kB per request of
    // those four fifths, a quarter of the unbounded growth (4 MB of 10,000, 1 MB of 2,500).
    let ceiling_kb = total as u64 * 4 / 5 / 2;
    if let (Some(Some(first)), Some(Some(last))) = (rss.first(), rss.last()) {
        assert!(
            last.saturating_sub(*first) < ceiling_kb,
            "VmRSS grew from {first} kB to {last} kB (ceiling: {ceiling_kb} kB more)"
        );
    }
    let kb = |v: Option<u64>| v.map_or_else(|| "unknown".to_owned(), |v| format!("{v} kB"));
    println!(
        "sandbox serve: {sent} requests in {:.1} s ({WORKERS} connections, log capacity {log_capacity}); \
         VmRSS at start {}, after each fifth {}",
        elapsed.as_secs_f64(),
        kb(rss_start),
        rss.iter().map(|v| kb(*v)).collect::<Vec<_>>().join(", ")
    );
}
