//! The enterprise interface's session: an API user's bearer token, from
//! `POST /users/actions/login`, refreshed ahead of its expiry.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::DATE;

use super::{
    AuthError, AuthErrorKind, BoxFuture, ClientBuilder, Clock, ConfigError, Connect,
    CredentialSource, SavedBearerToken, SingleFlight, bearer_of, expiry, set_bearer,
};
use crate::Error;
use crate::enterprise::Client;
use crate::error::TransportError;
use crate::error::scrub::Scrub;
use crate::operation::{Auth, Operation, SessionRole};
use crate::runtime::{Core, Session};
use crate::types::{PostUserLogoutRequest, Secret};

impl<S: CredentialSource> Connect<S> for Client {
    fn connect<W>(builder: ClientBuilder<S, W>) -> Result<Self, ConfigError> {
        let parts = builder.parts(crate::Interface::Enterprise)?;
        let session = EnterpriseSession::new(Arc::new(builder.source), builder.clock);
        let (url, http, runtime) = parts.runtime(Session::Enterprise(Arc::new(session)));
        Ok(Client::new_with_client(&url, http, runtime))
    }
}

/// One enterprise client's (and its clones') token state.
pub(crate) struct EnterpriseSession {
    source: Arc<dyn CredentialSource>,
    clock: Arc<dyn Clock>,
    tokens: SingleFlight<BearerToken>,
    /// Whether the source's saved token was asked for (once, before the
    /// first login).
    loaded: AtomicBool,
}

#[derive(Clone)]
struct BearerToken {
    value: Secret,
    /// The external application the token was issued to (the logout body
    /// names it).
    application_id: String,
    /// When to log in again (see [`expiry`]); until `expires_at` the token
    /// stays in use while that login runs.
    refresh_at: Instant,
    /// When the token stops being valid.
    expires_at: Instant,
}

impl EnterpriseSession {
    pub(crate) fn new(source: Arc<dyn CredentialSource>, clock: Arc<dyn Clock>) -> Self {
        Self {
            source,
            clock,
            tokens: SingleFlight::new(None),
            loaded: AtomicBool::new(false),
        }
    }

    /// A token: the cached one; or, once it is due for a refresh, a new
    /// login (one, shared by every caller that needs it meanwhile) — while
    /// the old token is still valid, other callers go on using it instead of
    /// waiting for that login.
    fn token<'a>(&'a self, core: &'a Core) -> BoxFuture<'a, Result<Secret, AuthError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let token = self
                .tokens
                .get_or_stale(
                    |token| now < token.refresh_at,
                    |token| now < token.expires_at,
                    || self.log_in(core),
                )
                .await?;
            Ok(token.value)
        })
    }

    /// The source's saved token the first time, if it has time left; else
    /// a login, whose token the source keeps.
    async fn log_in(&self, core: &Core) -> Result<BearerToken, AuthError> {
        if !self.loaded.load(Ordering::SeqCst) {
            let saved = self.source.load_token().await?;
            self.loaded.store(true, Ordering::SeqCst);
            if let Some(token) = saved.and_then(|saved| self.resume(saved)) {
                return Ok(token);
            }
        }
        let credentials = self.source.credentials().await?;
        let sent_at = self.clock.now();
        let client = Client { core: core.clone() };
        let reply = client
            .post_user_login(credentials.request().clone())
            .send()
            .await
            .map_err(|e| {
                AuthError::from_request_failure(
                    AuthErrorKind::LoginRejected,
                    e,
                    &[credentials.password().expose()],
                )
            })?;
        let lifetime =
            expiry::token_lifetime(reply.data.valid_to.as_ref(), reply.headers().get(DATE));
        tracing::info!(lifetime_s = lifetime.as_secs(), "API user logged in");
        let token = BearerToken {
            value: reply.into_inner().data.bearer_token,
            application_id: credentials.user_external_application_id().to_owned(),
            refresh_at: sent_at + expiry::refresh_after(lifetime),
            expires_at: sent_at + lifetime,
        };
        // The lifetime counts from when the login was sent; the system clock
        // has moved on by the reply's round trip since.
        let elapsed = self.clock.now().saturating_duration_since(sent_at);
        let saved = SavedBearerToken::new(
            token.value.clone(),
            token.application_id.clone(),
            SystemTime::now() + lifetime.saturating_sub(elapsed),
        );
        if let Err(error) = self.source.save_token(&saved).await {
            tracing::warn!(%error, "the bearer token could not be saved");
        }
        Ok(token)
    }

    /// A saved token as this session's, if it has more than the refresh
    /// margin left.
    fn resume(&self, saved: SavedBearerToken) -> Option<BearerToken> {
        let left = saved
            .expires_at()
            .duration_since(SystemTime::now())
            .ok()
            .filter(|left| *left > expiry::REFRESH_MARGIN)?;
        tracing::info!(left_s = left.as_secs(), "saved bearer token used");
        let now = self.clock.now();
        Some(BearerToken {
            value: saved.token().clone(),
            application_id: saved.application_id().to_owned(),
            refresh_at: now + expiry::refresh_after(left),
            expires_at: now + left,
        })
    }

    /// Sends `request` for `op`: with the token it needs (the cached one, or
    /// a login's); on 401 drops the token, logs in again and sends a copy of
    /// the request once. A logout is sent with the token its body names.
    pub(crate) async fn execute(
        &self,
        core: &Core,
        op: &'static Operation,
        mut request: reqwest::Request,
        scrub: &mut Scrub,
    ) -> crate::Result<reqwest::Response> {
        let http = &core.http;
        let send = |request| async {
            http.execute(request)
                .await
                .map_err(|e| Error::Transport(TransportError::new(e)))
        };
        let ending = op.session == Some(SessionRole::Logout);
        if ending {
            if let Some(token) = logout_token(&request) {
                set_bearer(&mut request, &token)?;
            }
        } else if op.auth == Auth::Bearer {
            let token = self.token(core).await?;
            set_bearer(&mut request, &token)?;
        }
        let Some(used) = bearer_of(&request) else {
            return send(request).await;
        };
        scrub.add(&used);
        // Cloned before sending: a streamed body cannot be sent twice.
        let replay = if ending { None } else { request.try_clone() };
        let response = send(request).await?;
        let unauthorized = response.status() == StatusCode::UNAUTHORIZED;
        if ending && (unauthorized || response.status().is_success()) {
            self.tokens.invalidate(|token| token.value.expose() == used);
        }
        if ending || !unauthorized {
            return Ok(response);
        }
        tracing::info!(
            operation = op.operation_id,
            "bearer token refused (401): invalidated, logging in again"
        );
        self.tokens.invalidate(|token| token.value.expose() == used);
        let Some(mut replay) = replay else {
            return Ok(response);
        };
        let token = self.token(core).await?;
        scrub.add(token.expose());
        set_bearer(&mut replay, &token)?;
        send(replay).await
    }

    fn has_token(&self) -> bool {
        self.tokens.current().is_some()
    }
}

/// The token named in a logout body (`{"bearer_token": ...}`).
fn logout_token(request: &reqwest::Request) -> Option<Secret> {
    let body = request.body()?.as_bytes()?;
    let body: PostUserLogoutRequest = serde_json::from_slice(body).ok()?;
    Some(body.bearer_token)
}

fn session(client: &Client) -> Result<&EnterpriseSession, AuthError> {
    match client.core.runtime.session() {
        Session::Enterprise(session) => Ok(session),
        _ => Err(AuthError::new(
            AuthErrorKind::Unavailable,
            None,
            "this client was not built with enterprise credentials",
        )),
    }
}

/// `EnterpriseClient::log_in`: makes sure a valid token is cached.
pub async fn log_in(client: &Client) -> crate::Result<()> {
    session(client)?.token(&client.core).await?;
    Ok(())
}

/// `EnterpriseClient::log_out`: ends the cached token on the server
/// (`POST /users/actions/logout`) and drops it. Without a cached token there
/// is nothing to end and nothing is sent.
pub async fn log_out(client: &Client) -> crate::Result<()> {
    let session = session(client)?;
    let Some(token) = session.tokens.current() else {
        return Ok(());
    };
    let body = PostUserLogoutRequest::new(token.application_id.clone(), token.value.clone());
    let result = client.post_user_logout(body).send().await;
    session.tokens.invalidate(|t| t.value == token.value);
    match result {
        Ok(_) => Ok(()),
        // The token had ended already.
        Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => Ok(()),
        Err(error) => Err(error),
    }
}

impl fmt::Debug for EnterpriseSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterpriseSession")
            .field("credentials", &self.source)
            .field(
                "token",
                &if self.has_token() {
                    "<cached>"
                } else {
                    "<none>"
                },
            )
            .field("clock", &self.clock)
            .finish()
    }
}
