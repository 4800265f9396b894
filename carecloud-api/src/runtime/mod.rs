//! The hand-written runtime every generated client carries: per-client
//! settings, the auth session, and `Call`, through which every operation
//! builder encodes its parameters and sends its request. The generated code
//! only calls into this module; everything here can change without
//! regenerating.
//!
//! For every operation, `send()` runs, in order:
//! 1. the request is built from the parameters the builder collected (path
//!    segments percent-encoded, array query parameters as `name[]=value`,
//!    the body as JSON) plus the client's default `Accept-Language`;
//! 2. for a client with an auth session ([`crate::EnterpriseClient`],
//!    [`crate::CustomerClient`]) and an operation that needs it, the session
//!    obtains the token and sets `Authorization`, sends the request and, on
//!    401, recovers (new token, one replay) — see [`crate::auth`];
//! 3. the reply is read (at most [`Runtime::max_response_bytes`]); a 2xx
//!    reply is decoded into the operation's response type, any other
//!    becomes the crate's [`Error`](crate::Error);
//! 4. a failure that may pass is retried as the client's [`RetryPolicy`]
//!    allows (never a `POST` that may have been processed).
//!
//! Each call runs in a `tracing` span `carecloud.call` with the operation
//! id, method, path template, final status, attempts and duration; retries,
//! logins, token creation, refreshes, invalidations and a failed call are
//! events in it. No field ever holds a token, a password, a filled-in path
//! or anything of a reply's body, unless the client opted in to reply
//! excerpts ([`Runtime::with_log_bodies`]).
//!
//! A generated client built directly with [`Runtime::default()`] has no
//! session and sends requests as they are (with the standard retries).

mod call;
mod execute;
pub(crate) mod http;
mod pages;
mod response;
mod retry;
mod value;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::{HeaderValue, InvalidHeaderValue};

use crate::error::scrub::Scrub;
use crate::operation::Operation;
pub(crate) use call::Call;
#[cfg(feature = "customer")]
pub(crate) use call::encode_segment;
pub use pages::{DEFAULT_PAGE_SIZE, Items, Pages};
pub use response::ResponseValue;
pub(crate) use retry::Retrier;
pub use retry::RetryPolicy;
pub use value::Integer;
// Used by the setters of the groups compiled.
#[cfg_attr(any(test, not(feature = "full")), allow(unused_imports))]
pub(crate) use value::{Range, whole};

/// The largest success body a client reads by default (64 MiB): a page of
/// 1,000 customers is a few MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;

/// The environment variable that turns reply excerpts in the client's log
/// lines on (`1`, `true`, `yes` or `on`) for clients that do not choose themselves (see
/// [`Runtime::with_log_bodies`]).
pub const LOG_BODIES_ENV: &str = "CARECLOUD_LOG_BODIES";

/// Per-client settings applied to every request, and the client's auth
/// session (shared by its clones).
#[derive(Clone)]
pub struct Runtime {
    accept_language: Option<HeaderValue>,
    identity: Option<Arc<dyn Identity>>,
    retrier: Arc<Retrier>,
    max_response_bytes: usize,
    log_bodies: bool,
}

/// The standard settings; reply excerpts in log lines as
/// [`LOG_BODIES_ENV`] says (off when it is not set).
impl Default for Runtime {
    fn default() -> Self {
        Self {
            accept_language: None,
            identity: None,
            retrier: Arc::new(Retrier::new(RetryPolicy::standard())),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            log_bodies: log_bodies_from_env(),
        }
    }
}

/// Whether [`LOG_BODIES_ENV`] turns excerpts on.
fn log_bodies_from_env() -> bool {
    log_bodies_from(std::env::var(LOG_BODIES_ENV).ok().as_deref())
}

/// Whether a value of [`LOG_BODIES_ENV`] turns excerpts on.
fn log_bodies_from(value: Option<&str>) -> bool {
    value.is_some_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}

/// How a client with an identity sends a request: attaching its token and
/// recovering from a 401 (implemented by `auth`'s identity layer; the
/// runtime knows no concrete session).
pub(crate) trait Identity: Send + Sync + fmt::Debug + std::any::Any {
    /// Sends `request` for `op` with the token it needs.
    fn execute<'a>(
        &'a self,
        core: &'a Core,
        op: &'static Operation,
        request: reqwest::Request,
        scrub: &'a mut Scrub,
    ) -> Pin<Box<dyn Future<Output = crate::Result<reqwest::Response>> + Send + 'a>>;

    /// Itself, to reach the concrete session (`log_in`, `token_id`, ...).
    fn as_any(&self) -> &dyn std::any::Any;
}

impl Runtime {
    /// Sends `Accept-Language: <value>` on every request that does not set it
    /// itself (e.g. `"en"`, `"cs, en-gb;q=0.8"`). Localises names,
    /// descriptions and error messages.
    pub fn with_accept_language(mut self, value: &str) -> Result<Self, InvalidHeaderValue> {
        self.accept_language = Some(HeaderValue::from_str(value)?);
        Ok(self)
    }

    /// The default `Accept-Language`, if set.
    pub fn accept_language(&self) -> Option<&HeaderValue> {
        self.accept_language.as_ref()
    }

    /// Retries as `policy` says (with a new budget, shared by the clients
    /// built on this runtime and their clones).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retrier = Arc::new(Retrier::new(policy));
        self
    }

    /// Refuses success bodies larger than `bytes` (an [`Error::Decode`]
    /// without reading the rest). Default: [`DEFAULT_MAX_RESPONSE_BYTES`].
    ///
    /// [`Error::Decode`]: crate::Error::Decode
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The largest success body read.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// For debugging: whether the `call failed` log line of a failed call
    /// also carries an `excerpt` of the reply — the start of a body that did
    /// not decode or of an error page, an error envelope's title and detail
    /// (scrubbed of the call's secrets and of members named like a secret,
    /// at most a few hundred characters). **Such lines may hold personal
    /// data** (a customer's e-mail address, phone number): turn this on
    /// only where the logs may hold it. A login's or token request's reply
    /// is never excerpted. Default: off, unless [`LOG_BODIES_ENV`] is `1`.
    pub fn with_log_bodies(mut self, on: bool) -> Self {
        self.log_bodies = on;
        self
    }

    /// Whether failed calls' log lines carry reply excerpts.
    pub fn log_bodies(&self) -> bool {
        self.log_bodies
    }

    pub(crate) fn retrier(&self) -> &Retrier {
        &self.retrier
    }

    pub(crate) fn with_identity(mut self, identity: Arc<dyn Identity>) -> Self {
        self.identity = Some(identity);
        self
    }

    pub(crate) fn identity(&self) -> Option<&dyn Identity> {
        self.identity.as_deref()
    }
}

/// Shows the settings and the session without any password or token.
impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Runtime");
        out.field("accept_language", &self.accept_language);
        out.field("retry", &self.retrier);
        out.field("max_response_bytes", &self.max_response_bytes);
        out.field("log_bodies", &self.log_bodies);
        match &self.identity {
            None => out.field("session", &"<none>"),
            Some(identity) => out.field("session", identity),
        };
        out.finish()
    }
}

/// What every interface client holds: where to send, how, and the runtime.
/// One `Arc`: a clone (every request built takes one) is a reference count.
#[derive(Clone)]
pub(crate) struct Core(Arc<CoreParts>);

/// The parts of a [`Core`] (reached through `Deref`: `core.http`).
pub(crate) struct CoreParts {
    pub(crate) baseurl: Box<str>,
    pub(crate) http: reqwest::Client,
    pub(crate) runtime: Runtime,
}

impl Core {
    pub(crate) fn new(baseurl: &str, http: reqwest::Client, runtime: Runtime) -> Self {
        Self(Arc::new(CoreParts {
            baseurl: baseurl.trim_end_matches('/').into(),
            http,
            runtime,
        }))
    }
}

impl std::ops::Deref for Core {
    type Target = CoreParts;

    fn deref(&self) -> &CoreParts {
        &self.0
    }
}

/// Shows where the client sends and its runtime, never a token.
impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &&*self.baseurl)
            .field("runtime", &self.runtime)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_bodies_is_off_unless_the_variable_turns_it_on() {
        for on in ["1", "true", " TRUE ", "yes", "on"] {
            assert!(log_bodies_from(Some(on)), "{on:?}");
        }
        for off in [
            None,
            Some(""),
            Some("0"),
            Some("false"),
            Some("off"),
            Some("2"),
        ] {
            assert!(!log_bodies_from(off), "{off:?}");
        }
        assert!(Runtime::default().with_log_bodies(true).log_bodies());
        assert!(!Runtime::default().with_log_bodies(false).log_bodies());
    }
}
