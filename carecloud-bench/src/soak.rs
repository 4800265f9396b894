//! The soak scenario of issue 10, against the embedded sandbox.
//!
//! `tasks` tasks share one [`EnterpriseClient`] (default settings) and make
//! `requests` calls between them, numbered in the order they start:
//!
//! * every 20th call (`post_every`) is a `POST /customers` registering a new
//!   customer (each body is unique: its e-mail holds the call number);
//! * the others alternate `GET /customers/{id}` and `PUT /customers/{id}`
//!   of one record, the PUT sending back exactly the record the first GET
//!   read (unchanged: `consents: []`, `custom_agreements: []` and unknown
//!   fields included);
//! * before every `invalidate_every`-th call the sandbox ends every bearer
//!   token (an invalidation, if one was live);
//! * before a call, with probability `fault_percent`, the next request of
//!   that call's operation is answered with a 429 with `Retry-After`, a 429
//!   without, or a 503 (a third each).
//!
//! The report counts what users would feel and what the server saw: lost
//! idempotent calls (a GET or PUT that returned an error), failed POSTs
//! (expected: a POST that may have been processed is never retried),
//! logins against invalidations (one login per invalidation, plus the
//! first), whether every PUT body the server received was byte-identical
//! (replays included) and equal to what the server had sent, and whether any
//! POST body reached the server again after an answer other than 401 or 429
//! (both mean the server refused it before doing anything: the client's 401
//! recovery and its retry after a 429 send it once more, which is allowed).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use carecloud_api::types::{
    Address, Agreement, Consent, CustomAgreement, Customer, CustomerSourceRecord,
    PersonalInformation, PostCustomerRequest, PutCustomerRequest,
};
use carecloud_api::{EnterpriseClient, Interface, OperationId};
use carecloud_sandbox::{DEFAULT_LOG_CAPACITY, Fault, Sandbox, SandboxConfig};
use serde_json::{Value, json};

use crate::hand::HandClient;
use crate::page::Rng;

/// What to run.
#[derive(Clone, Debug, PartialEq)]
pub struct SoakConfig {
    /// Calls in all (GETs, PUTs and POSTs).
    pub requests: usize,
    /// Concurrent tasks.
    pub tasks: usize,
    /// End the live bearer token before every n-th call.
    pub invalidate_every: usize,
    /// Percentage of calls whose operation gets an injected 429 or 503.
    pub fault_percent: f64,
    /// The `Retry-After` of the 429s that carry one, in seconds.
    pub retry_after_secs: u64,
    /// Every n-th call is a POST.
    pub post_every: usize,
    /// The seed of the fault choices.
    pub seed: u64,
}

impl Default for SoakConfig {
    /// Issue 10's scenario: 10,000 calls, 20 tasks, a token invalidation
    /// every 100 calls, 5% faults, `Retry-After: 1`, a POST every 20 calls.
    fn default() -> Self {
        Self {
            requests: 10_000,
            tasks: 20,
            invalidate_every: 100,
            fault_percent: 5.0,
            retry_after_secs: 1,
            post_every: 20,
            seed: 8,
        }
    }
}

/// What a soak run saw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SoakReport {
    /// Calls made.
    pub calls: usize,
    /// GET calls made.
    pub gets: usize,
    /// GET calls that returned an error.
    pub failed_gets: usize,
    /// PUT calls made.
    pub puts: usize,
    /// PUT calls that returned an error.
    pub failed_puts: usize,
    /// POST calls made.
    pub posts: usize,
    /// POST calls that returned an error.
    pub failed_posts: usize,
    /// Errors of failed calls by kind (`429`, `503`, `401`, `transport`,
    /// `other`) and method.
    pub failures: BTreeMap<String, usize>,
    /// Faults injected: 429 with `Retry-After`, 429 without, 503.
    pub injected: [usize; 3],
    /// Injected faults the server answered (by status in its log).
    pub faults_served: usize,
    /// Invalidations that ended a live token.
    pub invalidations: usize,
    /// Login requests the server received.
    pub logins: usize,
    /// HTTP requests the server received for GET and PUT calls (above the
    /// calls: replays after 401 and retries).
    pub idempotent_requests: usize,
    /// PUT requests the server received.
    pub put_requests: usize,
    /// Distinct PUT bodies the server received (1: every PUT, replays
    /// included, was byte-identical).
    pub distinct_put_bodies: usize,
    /// Whether the PUT body's customer equals the record as the server sent
    /// it (nothing lost, empty arrays and unknown fields included).
    pub put_sends_back_what_was_read: bool,
    /// POST requests the server received.
    pub post_requests: usize,
    /// POST bodies the server received again after answering one of them
    /// with anything but 401 or 429 (a write it may have done, sent twice).
    pub posts_sent_twice: usize,
    /// POST bodies sent again after 401s or 429s only (the 401 recovery,
    /// the retry after a 429: the server refused them before doing
    /// anything, so this is allowed).
    pub post_replays_after_refusal: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl SoakReport {
    /// GET and PUT calls that returned an error.
    pub fn lost_idempotent_calls(&self) -> usize {
        self.failed_gets + self.failed_puts
    }

    /// Whether the run met issue 10's bar: no lost GET or PUT, one login
    /// per invalidation plus the first, identical PUT bodies that send back
    /// what was read, no POST twice.
    pub fn passed(&self) -> bool {
        self.lost_idempotent_calls() == 0
            && self.logins == self.invalidations + 1
            && self.distinct_put_bodies <= 1
            && self.put_sends_back_what_was_read
            && self.posts_sent_twice == 0
    }

    /// The report as a markdown table with a verdict per check.
    pub fn table(&self) -> String {
        let ok = |good: bool| if good { "ok" } else { "**FAILED**" };
        let failures = if self.failures.is_empty() {
            "none".to_owned()
        } else {
            self.failures
                .iter()
                .map(|(k, n)| format!("{k}: {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let rows = [
            (
                "calls (GET / PUT / POST)".to_owned(),
                format!(
                    "{} ({} / {} / {})",
                    self.calls, self.gets, self.puts, self.posts
                ),
                String::new(),
            ),
            (
                "faults injected (429 + Retry-After / 429 / 503), served".to_owned(),
                format!(
                    "{} / {} / {}, {} served",
                    self.injected[0], self.injected[1], self.injected[2], self.faults_served
                ),
                String::new(),
            ),
            (
                "lost idempotent calls (failed GET + PUT)".to_owned(),
                format!(
                    "{} ({} + {})",
                    self.lost_idempotent_calls(),
                    self.failed_gets,
                    self.failed_puts
                ),
                ok(self.lost_idempotent_calls() == 0).to_owned(),
            ),
            ("errors of failed calls".to_owned(), failures, String::new()),
            (
                "failed POSTs (never retried once processed)".to_owned(),
                self.failed_posts.to_string(),
                String::new(),
            ),
            (
                "logins / token invalidations".to_owned(),
                format!("{} / {}", self.logins, self.invalidations),
                ok(self.logins == self.invalidations + 1).to_owned(),
            ),
            (
                "HTTP requests for GET+PUT calls (replays, retries)".to_owned(),
                format!(
                    "{} for {} calls",
                    self.idempotent_requests,
                    self.gets + self.puts
                ),
                String::new(),
            ),
            (
                "distinct PUT bodies received".to_owned(),
                format!(
                    "{} in {} PUT requests",
                    self.distinct_put_bodies, self.put_requests
                ),
                ok(self.distinct_put_bodies <= 1).to_owned(),
            ),
            (
                "PUT body = the record as read (exact)".to_owned(),
                self.put_sends_back_what_was_read.to_string(),
                ok(self.put_sends_back_what_was_read).to_owned(),
            ),
            (
                "POSTs sent again after a reply other than 401 or 429".to_owned(),
                format!(
                    "{} ({} POST requests for {} calls; {} replayed after a 401 or 429 only)",
                    self.posts_sent_twice,
                    self.post_requests,
                    self.posts,
                    self.post_replays_after_refusal
                ),
                ok(self.posts_sent_twice == 0).to_owned(),
            ),
            (
                "wall time".to_owned(),
                format!("{:.1} s", self.elapsed.as_secs_f64()),
                String::new(),
            ),
        ];
        let mut out = String::from("| | measured | check |\n|:--|--:|:--|\n");
        for (what, value, check) in rows {
            out.push_str(&format!("| {what} | {value} | {check} |\n"));
        }
        out
    }
}

/// What a task counts.
#[derive(Default)]
struct Tally {
    gets: usize,
    failed_gets: usize,
    puts: usize,
    failed_puts: usize,
    posts: usize,
    failed_posts: usize,
    failures: BTreeMap<String, usize>,
    injected: [usize; 3],
    invalidations: usize,
}

/// The kind of a failed call's error, for the report (never its text).
fn kind(error: &carecloud_api::Error) -> String {
    match error {
        carecloud_api::Error::Auth(_) => "auth".to_owned(),
        carecloud_api::Error::Transport(_) => "transport".to_owned(),
        _ => match error.status() {
            Some(status) => status.as_u16().to_string(),
            None => "other".to_owned(),
        },
    }
}

/// The record the soak reads and writes back: registered with empty arrays
/// and fields the spec does not know (in `extra`, at three levels).
fn subject() -> PostCustomerRequest {
    let mut address = Address::new().with_city("Prague 1").with_zip("11000");
    address.extra.insert("region".into(), json!("Prague"));
    let mut person = PersonalInformation::new("en")
        .with_first_name("Soak")
        .with_last_name("Subject")
        .with_email("soak.subject@example.com")
        .with_gender(4)
        .with_phone("420777000111")
        .with_consents(Vec::<Consent>::new())
        .with_agreement(
            Agreement::new()
                .with_agreement_gtc(1)
                .with_custom_agreements(Vec::<CustomAgreement>::new()),
        )
        .with_address(address);
    person.extra.insert("nickname".into(), json!("soaky"));
    let mut customer = Customer::new(person);
    customer
        .extra
        .insert("loyalty_segment".into(), json!("gold"));
    customer
        .extra
        .insert("marketing".into(), json!({"channels": [], "score": 3}));
    PostCustomerRequest::new(customer, CustomerSourceRecord::new(SOURCE), false)
}

/// The customer source the soak's registrations name (the sandbox's seed).
const SOURCE: &str = "86e05affc7a7befcd513ab400";

/// A POST body unique to call `i`.
fn registration(i: usize) -> PostCustomerRequest {
    let person = PersonalInformation::new("en")
        .with_first_name("Soak")
        .with_last_name(format!("Registration {i}"))
        .with_email(format!("soak.{i}@example.com"))
        .with_consents(Vec::<Consent>::new());
    PostCustomerRequest::new(
        Customer::new(person),
        CustomerSourceRecord::new(SOURCE),
        false,
    )
}

/// A failure to set the scenario up (not a finding of the soak).
pub type SetupError = Box<dyn std::error::Error + Send + Sync>;

/// Runs the soak on a fresh sandbox.
pub async fn run(config: &SoakConfig) -> Result<SoakReport, SetupError> {
    // The checks read every request of the run back from the log: room for
    // each call, its replays and retries.
    let sandbox = Arc::new(
        Sandbox::start_with(SandboxConfig {
            log_capacity: config.requests.saturating_mul(2).max(DEFAULT_LOG_CAPACITY),
            ..SandboxConfig::default()
        })
        .await?,
    );
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;

    // The record, registered, read raw (what the server sends) and typed.
    let created = client.post_customer(subject()).send().await?;
    let id = created
        .into_inner()
        .data
        .customer_id
        .ok_or("no customer_id in the reply")?;
    let raw = HandClient::log_in(sandbox.url())
        .await?
        .get_json(&format!("/customers/{id}"))
        .await?;
    let record: Customer = client
        .get_customer(id.as_str())
        .send()
        .await?
        .into_inner()
        .data;
    // The run starts with no live token (the client still holds the
    // setup's, now ended): its first login is the "+ 1" of the count.
    sandbox.clear_requests();
    let _ = sandbox.expire_enterprise_tokens();

    let put = PutCustomerRequest::new(record);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..config.tasks {
        let (client, sandbox, next) = (client.clone(), sandbox.clone(), next.clone());
        let (put, id, config) = (put.clone(), id.clone(), config.clone());
        handles.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= config.requests {
                    break;
                }
                if config.invalidate_every > 0
                    && i % config.invalidate_every == config.invalidate_every - 1
                    && sandbox.expire_enterprise_tokens() > 0
                {
                    tally.invalidations += 1;
                }
                let op = if config.post_every > 0 && i % config.post_every == config.post_every / 2
                {
                    OperationId::PostCustomer
                } else if i % 2 == 0 {
                    OperationId::GetCustomer
                } else {
                    OperationId::PutCustomer
                };
                let mut rng =
                    Rng::new(config.seed ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
                if rng.chance(config.fault_percent) {
                    let which = rng.below(3) as usize;
                    tally.injected[which] += 1;
                    let fault = match which {
                        0 => Fault::TooManyRequests {
                            retry_after: Some(config.retry_after_secs),
                        },
                        1 => Fault::TooManyRequests { retry_after: None },
                        _ => Fault::Status(503),
                    };
                    sandbox.inject_on(op, fault);
                }
                let (method, result) = match op {
                    OperationId::GetCustomer => {
                        tally.gets += 1;
                        let r = client.get_customer(id.as_str()).send().await;
                        ("GET", r.map(|_| ()))
                    }
                    OperationId::PutCustomer => {
                        tally.puts += 1;
                        let r = client.put_customer(id.as_str(), put.clone()).send().await;
                        ("PUT", r.map(|_| ()))
                    }
                    _ => {
                        tally.posts += 1;
                        let r = client.post_customer(registration(i)).send().await;
                        ("POST", r.map(|_| ()))
                    }
                };
                if let Err(error) = result {
                    match method {
                        "GET" => tally.failed_gets += 1,
                        "PUT" => tally.failed_puts += 1,
                        _ => tally.failed_posts += 1,
                    }
                    *tally
                        .failures
                        .entry(format!("{method} {}", kind(&error)))
                        .or_default() += 1;
                }
            }
            tally
        }));
    }
    let mut report = SoakReport {
        calls: config.requests,
        ..SoakReport::default()
    };
    for handle in handles {
        let tally = handle.await?;
        report.gets += tally.gets;
        report.failed_gets += tally.failed_gets;
        report.puts += tally.puts;
        report.failed_puts += tally.failed_puts;
        report.posts += tally.posts;
        report.failed_posts += tally.failed_posts;
        for (k, n) in tally.failures {
            *report.failures.entry(k).or_default() += n;
        }
        for (total, n) in report.injected.iter_mut().zip(tally.injected) {
            *total += n;
        }
        report.invalidations += tally.invalidations;
    }
    report.elapsed = start.elapsed();
    let log = sandbox.requests();
    report.logins = sandbox.count(Interface::Enterprise, OperationId::PostUserLogin);
    report.faults_served = log.iter().filter(|r| matches!(r.status, 429 | 503)).count();
    let of = |op: OperationId| log.iter().filter(move |r| r.operation == Some(op));
    report.idempotent_requests =
        of(OperationId::GetCustomer).count() + of(OperationId::PutCustomer).count();
    let mut put_bodies: BTreeMap<&[u8], usize> = BTreeMap::new();
    for r in of(OperationId::PutCustomer) {
        *put_bodies.entry(&r.body).or_default() += 1;
        report.put_requests += 1;
    }
    report.distinct_put_bodies = put_bodies.len();
    report.put_sends_back_what_was_read = put_bodies.keys().all(|body| {
        serde_json::from_slice::<Value>(body)
            .is_ok_and(|sent| sent.get("customer") == raw.get("data"))
    }) && !put_bodies.is_empty();
    // Each POST body's answers, in the order the server gave them.
    let mut post_bodies: BTreeMap<&[u8], Vec<u16>> = BTreeMap::new();
    for r in of(OperationId::PostCustomer) {
        post_bodies.entry(&r.body).or_default().push(r.status);
        report.post_requests += 1;
    }
    for statuses in post_bodies.values().filter(|s| s.len() > 1) {
        if statuses[..statuses.len() - 1]
            .iter()
            .all(|s| matches!(s, 401 | 429))
        {
            report.post_replays_after_refusal += 1;
        } else {
            report.posts_sent_twice += 1;
        }
    }
    Ok(report)
}
