//! The hand-written runtime every generated client carries (progenitor's
//! "inner type") and the hooks through which it acts on each request. The
//! generated code only calls the hooks; everything here can change without
//! regenerating.
//!
//! For every operation the generated `send()` runs, in order:
//! 1. `pre`: adds the default `Accept-Language`; for a client with an auth
//!    session ([`crate::EnterpriseClient`], [`crate::CustomerClient`]) and an
//!    operation that needs it, obtains the token and sets `Authorization`.
//! 2. `exec`: sends the request; on 401 the session recovers (new token,
//!    one replay) — see [`crate::auth`].
//! 3. `post`: fails the operation with the authentication error `exec` met,
//!    if any.
//!
//! A generated client built directly with [`Runtime::default()`] has no
//! session and sends requests as they are.

use std::fmt;
#[cfg(any(feature = "enterprise", feature = "customer"))]
use std::sync::Arc;

use reqwest::header::{HeaderValue, InvalidHeaderValue};

#[cfg(feature = "customer")]
use crate::auth::customer::CustomerSession;
#[cfg(feature = "enterprise")]
use crate::auth::enterprise::EnterpriseSession;

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
    /// None: requests go out as the generated code built them.
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

    #[cfg_attr(
        not(any(feature = "enterprise", feature = "customer")),
        allow(dead_code)
    )]
    pub(crate) fn session(&self) -> &Session {
        &self.session
    }

    /// Adds what the runtime adds to every request.
    #[cfg(any(feature = "enterprise", feature = "customer"))]
    fn prepare(&self, request: &mut reqwest::Request) {
        if let Some(language) = &self.accept_language {
            request
                .headers_mut()
                .entry(reqwest::header::ACCEPT_LANGUAGE)
                .or_insert_with(|| language.clone());
        }
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

/// The hooks of one interface's generated client, delegating to its session
/// variant.
#[cfg(any(feature = "enterprise", feature = "customer"))]
macro_rules! hooks_for {
    ($client:ty, $variant:ident) => {
        impl progenitor_client::ClientHooks<Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                let runtime = progenitor_client::ClientInfo::inner(self);
                runtime.prepare(request);
                match runtime.session() {
                    Session::$variant(session) => session
                        .pre(self, request, info.operation_id)
                        .await
                        .map_err(crate::auth::AuthError::into_error),
                    #[allow(unreachable_patterns)]
                    _ => Ok(()),
                }
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                match progenitor_client::ClientInfo::inner(self).session() {
                    Session::$variant(session) => {
                        session.exec(self, request, info.operation_id).await
                    }
                    #[allow(unreachable_patterns)]
                    _ => {
                        progenitor_client::ClientInfo::client(self)
                            .execute(request)
                            .await
                    }
                }
            }

            async fn post<E>(
                &self,
                result: &reqwest::Result<reqwest::Response>,
                _info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                crate::auth::failure_of(result)
            }
        }
    };
}

#[cfg(feature = "enterprise")]
hooks_for!(crate::enterprise::Client, Enterprise);
#[cfg(feature = "customer")]
hooks_for!(crate::customer::Client, Customer);
