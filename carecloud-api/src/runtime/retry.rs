//! Retries: which failed calls are sent again, after how long, and the
//! budget that keeps an outage from multiplying the load.

use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::PoisonError;
use std::time::Duration;

use crate::Error;
use crate::error::TransportKind;
use crate::operation::Method;

/// How a client retries failed calls. On by default
/// ([`RetryPolicy::standard`]); set with
/// [`ClientBuilder::retry`](crate::ClientBuilder::retry) or
/// [`Runtime::with_retry`](crate::Runtime::with_retry).
///
/// What is retried, and nothing else:
/// * `GET`, `PUT` and `DELETE` (which CareCloud treats as idempotent), after
///   a 429, 502, 503 or 504, a timeout, a connection lost before the reply
///   came, or a reply cut off
///   ([`TransportKind`](crate::error::TransportKind) `Timeout`,
///   `ConnectionLost`, `Body`);
/// * any call, `POST` included, that the server did not process: no
///   connection could be made (`Connect`), no token could be had for a
///   passing reason, or the server answered 429 (it refused the request
///   without processing it). A `POST` that may have been processed — after
///   a 5xx, a timeout or a lost connection — is never sent twice (CareCloud
///   has no idempotency keys: a duplicated purchase or redemption costs
///   money).
///
/// Never retried, whatever the method: a redirect loop, a reply that is not
/// valid HTTP (a garbage status line, a head too large, conflicting
/// `Content-Length`s), a failed TLS handshake, any other transport error,
/// and every other status.
///
/// The wait before each retry is the server's `Retry-After` when it sent
/// one (a longer one than [`max_retry_after`](Self::max_retry_after) ends
/// the call at once, with the error), else a random time up to
/// `initial_backoff × 2^(retry − 1)`, capped at `max_backoff` ("full
/// jitter"). Each client (and its clones) shares a budget of retries: a
/// retry takes 5 tokens (a timeout 10), a call that succeeds at once gives
/// 1 back and one that succeeds after retrying gives its retries' tokens
/// back; with an empty budget failures are returned without retrying, so a
/// long outage does not multiply the load. The 401 recovery (one new token
/// and one replay) is separate and comes on top.
///
/// ```
/// use std::time::Duration;
/// use carecloud_api::RetryPolicy;
///
/// let patient = RetryPolicy::standard()
///     .max_attempts(5)
///     .max_backoff(Duration::from_secs(2));
/// assert_eq!(patient.get_max_attempts(), 5);
/// assert_eq!(RetryPolicy::disabled().get_max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    budget: u32,
}

/// Tokens a retry takes from the budget.
const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout takes (a timeout is costlier to repeat).
const TIMEOUT_RETRY_COST: u32 = 10;

impl RetryPolicy {
    /// Up to 4 attempts, backoff from 200 ms up to 5 s, `Retry-After`
    /// honoured up to 20 s, a budget of 500 tokens.
    pub const fn standard() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(20),
            budget: 500,
        }
    }

    /// No retries: every failure is returned as it happens.
    pub const fn disabled() -> Self {
        Self::standard().max_attempts(1)
    }

    /// Attempts per call, the first included (at least 1).
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The longest wait before the first retry (doubling with each retry).
    pub const fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait before any retry.
    pub const fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` waited for; a longer one returns the error.
    pub const fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The size of the client's retry budget, in tokens (see the type's
    /// docs); 0 disables retries once the budget's first token is needed.
    pub const fn budget(mut self, tokens: u32) -> Self {
        self.budget = tokens;
        self
    }

    /// Attempts per call.
    pub const fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` waited for.
    pub const fn get_max_retry_after(&self) -> Duration {
        self.max_retry_after
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

/// A policy and the budget its client's calls share.
#[derive(Debug)]
pub(crate) struct Retrier {
    policy: RetryPolicy,
    tokens: Mutex<u32>,
}

/// What to do after a failed attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Send again after `delay`; `cost` tokens were taken from the budget.
    Retry {
        delay: Duration,
        reason: &'static str,
        cost: u32,
    },
    /// Return the error; `why` says why it was not retried (for the log),
    /// if it could have been.
    Stop { why: Option<&'static str> },
}

impl Retrier {
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        Self {
            tokens: Mutex::new(policy.budget),
            policy,
        }
    }

    /// Whether and when to send the call again after `error` ended attempt
    /// number `attempt` (from 1) of a `method` call.
    pub(crate) fn decide(&self, method: Method, error: &Error, attempt: u32) -> Decision {
        let idempotent = matches!(
            method,
            Method::Get | Method::Put | Method::Delete | Method::Head | Method::Options
        );
        let (reason, cost) = match error {
            Error::Transport(e) => match (e.kind(), idempotent) {
                // Nothing was sent: safe for any method.
                (TransportKind::Connect, _) => ("connect", RETRY_COST),
                (TransportKind::Timeout, true) => ("timeout", TIMEOUT_RETRY_COST),
                (TransportKind::ConnectionLost, true) => ("connection lost", RETRY_COST),
                (TransportKind::Body, true) => ("reply cut off", RETRY_COST),
                _ => return Decision::Stop { why: None },
            },
            // The token request failed, so the call was not sent. What the
            // token request's own attempts already retried (no connection,
            // a 429) is not tried again here: that would multiply them.
            Error::Auth(e)
                if e.is_transient()
                    && e.transport_kind() != Some(TransportKind::Connect)
                    && e.status() != Some(429) =>
            {
                ("token unavailable", RETRY_COST)
            }
            Error::Api(_) | Error::UnexpectedStatus(_) => {
                match (error.status().map(|s| s.as_u16()), idempotent) {
                    // Refused without being processed: safe for any method.
                    (Some(429), _) => ("429 too many requests", RETRY_COST),
                    (Some(502), true) => ("502 bad gateway", RETRY_COST),
                    (Some(503), true) => ("503 unavailable", RETRY_COST),
                    (Some(504), true) => ("504 gateway timeout", RETRY_COST),
                    _ => return Decision::Stop { why: None },
                }
            }
            _ => return Decision::Stop { why: None },
        };
        if attempt >= self.policy.max_attempts {
            return Decision::Stop {
                why: (self.policy.max_attempts > 1).then_some("attempts exhausted"),
            };
        }
        let delay = match error.retry_after() {
            Some(wait) if wait > self.policy.max_retry_after => {
                return Decision::Stop {
                    why: Some("Retry-After beyond the policy's limit"),
                };
            }
            Some(wait) => wait,
            None => self.backoff(attempt),
        };
        if !self.take(cost) {
            return Decision::Stop {
                why: Some("retry budget exhausted"),
            };
        }
        Decision::Retry {
            delay,
            reason,
            cost,
        }
    }

    /// A call succeeded: give back what its retries took, or one token if
    /// it needed none.
    pub(crate) fn succeeded(&self, taken: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        *tokens = tokens
            .saturating_add(if taken == 0 { 1 } else { taken })
            .min(self.policy.budget);
    }

    /// The budget's tokens left.
    #[cfg(test)]
    pub(crate) fn tokens(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self, cost: u32) -> bool {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        match tokens.checked_sub(cost) {
            Some(left) => {
                *tokens = left;
                true
            }
            None => false,
        }
    }

    /// Full jitter: uniform in `[0, min(max, initial × 2^(attempt−1))]`.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .policy
            .initial_backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.policy.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(random() % nanos.saturating_add(1))
    }
}

/// A random number from the standard library's per-process random hash
/// keys (enough for jitter; no dependency).
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    use super::*;
    use crate::auth::{AuthError, AuthErrorKind};
    use crate::error::StatusError;
    use crate::error::scrub::Scrub;

    fn status(code: u16, retry_after: Option<&'static str>) -> Error {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
        }
        let status = StatusCode::from_u16(code).unwrap();
        Error::UnexpectedStatus(StatusError::new(status, &headers, b"", &Scrub::default()))
    }

    fn retried(decision: &Decision) -> bool {
        matches!(decision, Decision::Retry { .. })
    }

    fn transport(kind: TransportKind) -> Error {
        Error::Transport(crate::error::TransportError::of_kind(kind))
    }

    #[test]
    fn only_idempotent_methods_are_retried_after_the_request_was_sent() {
        let retrier = Retrier::new(RetryPolicy::standard());
        for code in [502, 503, 504] {
            assert!(retried(&retrier.decide(
                Method::Get,
                &status(code, None),
                1
            )));
            assert!(retried(&retrier.decide(
                Method::Put,
                &status(code, None),
                1
            )));
            assert!(retried(&retrier.decide(
                Method::Delete,
                &status(code, None),
                1
            )));
            assert!(!retried(&retrier.decide(
                Method::Post,
                &status(code, None),
                1
            )));
        }
        for code in [400, 401, 404, 409, 500] {
            for method in [Method::Get, Method::Post] {
                assert!(!retried(&retrier.decide(method, &status(code, None), 1)));
            }
        }
        let invalid = Error::InvalidRequest("x".into());
        assert!(!retried(&retrier.decide(Method::Get, &invalid, 1)));
    }

    #[test]
    fn a_429_is_retried_for_every_method() {
        let retrier = Retrier::new(RetryPolicy::standard());
        for method in [Method::Get, Method::Put, Method::Delete, Method::Post] {
            match retrier.decide(method, &status(429, Some("2")), 1) {
                Decision::Retry { delay, reason, .. } => {
                    assert_eq!(delay, Duration::from_secs(2), "{method:?}");
                    assert_eq!(reason, "429 too many requests");
                }
                other => panic!("{method:?}: {other:?}"),
            }
        }
        // A Retry-After beyond the policy's limit ends a POST too.
        assert!(!retried(&retrier.decide(
            Method::Post,
            &status(429, Some("60")),
            1
        )));
    }

    #[test]
    fn transport_failures_are_retried_by_class() {
        let retrier = Retrier::new(RetryPolicy::standard());
        let reason = |method, kind| match retrier.decide(method, &transport(kind), 1) {
            Decision::Retry { reason, .. } => Some(reason),
            Decision::Stop { .. } => None,
        };
        // Nothing was sent.
        assert_eq!(
            reason(Method::Post, TransportKind::Connect),
            Some("connect")
        );
        assert_eq!(reason(Method::Get, TransportKind::Connect), Some("connect"));
        // Sent, and may have been processed: idempotent methods only.
        for (kind, why) in [
            (TransportKind::Timeout, "timeout"),
            (TransportKind::ConnectionLost, "connection lost"),
            (TransportKind::Body, "reply cut off"),
        ] {
            for method in [Method::Get, Method::Put, Method::Delete] {
                assert_eq!(reason(method, kind), Some(why), "{method:?} {kind:?}");
            }
            assert_eq!(reason(Method::Post, kind), None, "POST {kind:?}");
        }
        // Not passing: never.
        for kind in [
            TransportKind::Redirect,
            TransportKind::MalformedReply,
            TransportKind::Tls,
            TransportKind::Other,
        ] {
            for method in [Method::Get, Method::Put, Method::Delete, Method::Post] {
                assert_eq!(
                    retrier.decide(method, &transport(kind), 1),
                    Decision::Stop { why: None },
                    "{method:?} {kind:?}"
                );
            }
        }
        // A timeout costs more of the budget.
        match retrier.decide(Method::Get, &transport(TransportKind::Timeout), 1) {
            Decision::Retry { cost, .. } => assert_eq!(cost, TIMEOUT_RETRY_COST),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_post_is_retried_when_nothing_was_sent() {
        let retrier = Retrier::new(RetryPolicy::standard());
        let mut no_token =
            AuthError::from_request_failure(AuthErrorKind::LoginRejected, status(503, None), &[]);
        assert!(no_token.is_transient());
        assert!(retried(&retrier.decide(
            Method::Post,
            &Error::Auth(no_token.clone()),
            1
        )));
        no_token = AuthError::new(AuthErrorKind::LoginRejected, Some(401), "");
        assert!(!retried(&retrier.decide(
            Method::Post,
            &Error::Auth(no_token),
            1
        )));
        // The login's own attempts already retried these: not again per call.
        for inner in [transport(TransportKind::Connect), status(429, None)] {
            let no_token =
                AuthError::from_request_failure(AuthErrorKind::LoginRejected, inner, &[]);
            assert!(no_token.is_transient());
            assert!(!retried(&retrier.decide(
                Method::Get,
                &Error::Auth(no_token),
                1
            )));
        }
    }

    #[test]
    fn attempts_retry_after_and_backoff_are_bounded() {
        let policy = RetryPolicy::standard()
            .max_attempts(3)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(300));
        let retrier = Retrier::new(policy);
        let error = status(503, None);
        for attempt in 1..=2 {
            match retrier.decide(Method::Get, &error, attempt) {
                Decision::Retry { delay, .. } => {
                    assert!(
                        delay <= Duration::from_millis(100 << (attempt - 1)),
                        "{delay:?}"
                    )
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            retrier.decide(Method::Get, &error, 3),
            Decision::Stop {
                why: Some("attempts exhausted")
            }
        );
        for attempt in 1..=8 {
            assert!(retrier.backoff(attempt) <= Duration::from_millis(300));
        }
        match retrier.decide(Method::Get, &status(429, Some("3")), 1) {
            Decision::Retry { delay, .. } => assert_eq!(delay, Duration::from_secs(3)),
            other => panic!("{other:?}"),
        }
        assert!(!retried(&retrier.decide(
            Method::Get,
            &status(429, Some("60")),
            1
        )));
        let off = Retrier::new(RetryPolicy::disabled());
        assert_eq!(
            off.decide(Method::Get, &error, 1),
            Decision::Stop { why: None }
        );
    }

    #[test]
    fn the_budget_runs_dry_and_refills_on_success() {
        let retrier = Retrier::new(RetryPolicy::standard().budget(12));
        let error = status(503, None);
        assert!(retried(&retrier.decide(Method::Get, &error, 1)));
        assert!(retried(&retrier.decide(Method::Get, &error, 1)));
        assert_eq!(retrier.tokens(), 2);
        assert_eq!(
            retrier.decide(Method::Get, &error, 1),
            Decision::Stop {
                why: Some("retry budget exhausted")
            }
        );
        retrier.succeeded(5);
        retrier.succeeded(0);
        assert_eq!(retrier.tokens(), 8);
        retrier.succeeded(100);
        assert_eq!(retrier.tokens(), 12);
    }
}
