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
//! 3. a 2xx reply is decoded into the operation's response type; any other
//!    becomes the crate's [`Error`](crate::Error).
//!
//! A generated client built directly with [`Runtime::default()`] has no
//! session and sends requests as they are.

mod call;

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderValue, InvalidHeaderValue};

#[cfg(feature = "customer")]
use crate::auth::customer::CustomerSession;
#[cfg(feature = "enterprise")]
use crate::auth::enterprise::EnterpriseSession;
pub(crate) use call::Call;
#[cfg(feature = "customer")]
pub(crate) use call::encode_segment;

/// Per-client settings applied to every request, and the client's auth
/// session (shared by its clones).
#[derive(Clone, Default)]
pub struct Runtime {
    accept_language: Option<HeaderValue>,
    session: Session,
}

/// Which token a client obtains and attaches by itself.
#[derive(Clone, Default)]
pub(crate) enum Session {
    /// None: requests go out as the builders made them.
    #[default]
    None,
    /// An enterprise API user's bearer token.
    #[cfg(feature = "enterprise")]
    Enterprise(Arc<EnterpriseSession>),
    /// A customer interface device token.
    #[cfg(feature = "customer")]
    Customer(Arc<CustomerSession>),
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

    pub(crate) fn with_session(mut self, session: Session) -> Self {
        self.session = session;
        self
    }

    pub(crate) fn session(&self) -> &Session {
        &self.session
    }
}

/// Shows the settings and the session without any password or token.
impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Runtime");
        out.field("accept_language", &self.accept_language);
        match &self.session {
            Session::None => out.field("session", &"<none>"),
            #[cfg(feature = "enterprise")]
            Session::Enterprise(session) => out.field("session", session),
            #[cfg(feature = "customer")]
            Session::Customer(session) => out.field("session", session),
        };
        out.finish()
    }
}

/// What every interface client holds: where to send, how, and the runtime.
/// Cheap to clone (the HTTP client and the session are shared).
#[derive(Clone)]
pub(crate) struct Core {
    pub(crate) baseurl: Arc<str>,
    pub(crate) http: reqwest::Client,
    pub(crate) runtime: Runtime,
}

impl Core {
    pub(crate) fn new(baseurl: &str, http: reqwest::Client, runtime: Runtime) -> Self {
        Self {
            baseurl: Arc::from(baseurl.trim_end_matches('/')),
            http,
            runtime,
        }
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
