//! The enterprise interface's session: an API user's bearer token, from
//! `POST /users/actions/login`, refreshed ahead of its expiry.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::DATE;

use super::identity::{Attach, Provider, Session};
use super::{
    AuthError, AuthErrorKind, BoxFuture, ClientBuilder, Clock, ConfigError, Connect,
    CredentialSource, EnterpriseCredentials, SavedBearerToken, StoredToken, expiry, store_key,
};
use crate::enterprise::Client;
use crate::operation::{Auth, Operation, SessionRole};
use crate::runtime::Core;
use crate::types::{PostUserLogoutRequest, Secret};

impl<S: CredentialSource> Connect<S> for Client {
    fn connect<W>(builder: ClientBuilder<S, W>) -> Result<Self, ConfigError> {
        let parts = builder.parts(crate::Interface::Enterprise)?;
        let provider = ApiUser {
            source: Arc::new(builder.source),
            clock: builder.clock,
            loaded: AtomicBool::new(false),
        };
        let session = Session::new(provider, None, builder.token_store);
        let (url, http, runtime) = parts.runtime(Arc::new(session));
        Ok(Client::new_with_client(&url, http, runtime))
    }
}

/// The enterprise interface's identity provider: an API user's bearer
/// token, from `POST /users/actions/login`.
pub(crate) struct ApiUser {
    source: Arc<dyn CredentialSource>,
    clock: Arc<dyn Clock>,
    /// Whether the source's saved token was asked for (once, before the
    /// first login).
    loaded: AtomicBool,
}

#[derive(Clone)]
pub(crate) struct BearerToken {
    value: Secret,
    /// The external application the token was issued to (the logout body
    /// names it).
    application_id: String,
    /// When to log in again (see [`expiry`]); until `expires_at` the token
    /// stays in use while that login runs.
    refresh_at: Instant,
    /// When the token stops being valid.
    expires_at: Instant,
    /// `expires_at` on the system clock (for stores shared by processes).
    expires_at_system: SystemTime,
}

impl ApiUser {
    /// The source's saved token the first time, if it has time left; else
    /// a login, whose token the source keeps.
    async fn log_in(
        &self,
        core: &Core,
        credentials: &EnterpriseCredentials,
    ) -> Result<BearerToken, AuthError> {
        if !self.loaded.load(Ordering::SeqCst) {
            let saved = self.source.load_token().await?;
            self.loaded.store(true, Ordering::SeqCst);
            if let Some(token) = saved.and_then(|saved| self.resume(saved)) {
                return Ok(token);
            }
        }
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
        // The lifetime counts from when the login was sent; the system clock
        // has moved on by the reply's round trip since.
        let elapsed = self.clock.now().saturating_duration_since(sent_at);
        let token = BearerToken {
            value: reply.into_inner().data.bearer_token,
            application_id: credentials.user_external_application_id().to_owned(),
            refresh_at: sent_at + expiry::refresh_after(lifetime),
            expires_at: sent_at + lifetime,
            expires_at_system: SystemTime::now() + lifetime.saturating_sub(elapsed),
        };
        let saved = SavedBearerToken::new(
            token.value.clone(),
            token.application_id.clone(),
            token.expires_at_system,
        );
        if let Err(error) = self.source.save_token(&saved).await {
            tracing::warn!(%error, "the bearer token could not be saved");
        }
        Ok(token)
    }

    /// A saved token as this session's, if it has more than the refresh
    /// margin left.
    fn resume(&self, saved: SavedBearerToken) -> Option<BearerToken> {
        let token = self.adopt(
            saved.token().clone(),
            saved.application_id().to_owned(),
            saved.expires_at(),
        )?;
        tracing::info!("saved bearer token used");
        Some(token)
    }

    /// A token valid until `expires_at` (system clock), if it has more than
    /// the refresh margin left.
    fn adopt(
        &self,
        value: Secret,
        application_id: String,
        expires_at: SystemTime,
    ) -> Option<BearerToken> {
        let left = expires_at
            .duration_since(SystemTime::now())
            .ok()
            .filter(|left| *left > expiry::REFRESH_MARGIN)?;
        let now = self.clock.now();
        Some(BearerToken {
            value,
            application_id,
            refresh_at: now + expiry::refresh_after(left),
            expires_at: now + left,
            expires_at_system: expires_at,
        })
    }
}

impl Provider for ApiUser {
    type Token = BearerToken;
    type Attempt = EnterpriseCredentials;

    fn secret(token: &BearerToken) -> &Secret {
        &token.value
    }

    fn begin(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
        self.source.credentials()
    }

    fn key(&self, core: &Core, credentials: &EnterpriseCredentials) -> String {
        store_key(&[
            &core.baseurl,
            credentials.user_external_application_id(),
            credentials.login(),
        ])
    }

    fn obtain<'a>(
        &'a self,
        _session: &'a Session<Self>,
        core: &'a Core,
        credentials: &'a EnterpriseCredentials,
    ) -> BoxFuture<'a, Result<BearerToken, AuthError>> {
        Box::pin(self.log_in(core, credentials))
    }

    /// Kept until the token is due for a refresh: then the fleet's next
    /// login replaces it.
    fn to_stored(&self, token: &BearerToken) -> Option<StoredToken> {
        let until = token
            .expires_at_system
            .checked_sub(expiry::REFRESH_MARGIN)?;
        (until > SystemTime::now()).then(|| StoredToken::new(token.value.clone(), until))
    }

    fn adopt_stored(
        &self,
        credentials: &EnterpriseCredentials,
        stored: StoredToken,
    ) -> Option<BearerToken> {
        let expires_at = stored.usable_until() + expiry::REFRESH_MARGIN;
        self.adopt(
            stored.token().clone(),
            credentials.user_external_application_id().to_owned(),
            expires_at,
        )
    }

    fn fresh(&self, token: &BearerToken) -> bool {
        self.clock.now() < token.refresh_at
    }

    fn valid(&self, token: &BearerToken) -> bool {
        self.clock.now() < token.expires_at
    }

    fn attach(&self, op: &Operation, request: &reqwest::Request) -> Attach {
        if op.session == Some(SessionRole::Logout) {
            logout_token(request).map_or(Attach::Nothing, Attach::Given)
        } else if op.auth == Auth::Bearer {
            Attach::Session
        } else {
            Attach::Nothing
        }
    }

    fn ends_session(&self, op: &Operation) -> bool {
        op.session == Some(SessionRole::Logout)
    }

    fn succeeded(&self, _session: &Session<Self>, op: &Operation, _used: &str) -> bool {
        self.ends_session(op)
    }
}

/// The token named in a logout body (`{"bearer_token": ...}`).
fn logout_token(request: &reqwest::Request) -> Option<Secret> {
    let body = request.body()?.as_bytes()?;
    let body: PostUserLogoutRequest = serde_json::from_slice(body).ok()?;
    Some(body.bearer_token)
}

fn session(client: &Client) -> Result<&Session<ApiUser>, AuthError> {
    Session::of(&client.core).ok_or_else(|| {
        AuthError::new(
            AuthErrorKind::Unavailable,
            None,
            "this client was not built with enterprise credentials",
        )
    })
}

/// `EnterpriseClient::log_in`: makes sure a valid token is cached.
pub async fn log_in(client: &Client) -> crate::Result<()> {
    session(client)?.token(&client.core).await?;
    Ok(())
}

/// `EnterpriseClient::log_out`: ends the cached token on the server
/// (`POST /users/actions/logout`) and drops it (from the token store too).
/// Without a cached token there is nothing to end and nothing is sent.
pub async fn log_out(client: &Client) -> crate::Result<()> {
    let session = session(client)?;
    let Some(token) = session.current() else {
        return Ok(());
    };
    let body = PostUserLogoutRequest::new(token.application_id.clone(), token.value.clone());
    let result = client.post_user_logout(body).send().await;
    session.invalidate(&client.core, token.value.expose()).await;
    match result {
        Ok(_) => Ok(()),
        // The token had ended already.
        Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => Ok(()),
        Err(error) => Err(error),
    }
}

impl fmt::Debug for ApiUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiUser")
            .field("credentials", &self.source)
            .field("clock", &self.clock)
            .finish()
    }
}
