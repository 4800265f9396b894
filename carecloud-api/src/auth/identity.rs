//! The identity layer: the one code path that attaches a token to a
//! request, recovers from a 401 and refreshes ahead of expiry, for any
//! [`Provider`] (the enterprise API user's bearer token, the customer
//! interface's device token).
//!
//! A request for an operation that needs the token gets the cached one (or
//! a new one: from the [token store](super::store) if the client has one,
//! else by the provider's login, one for all callers at once). When the
//! server answers 401 the token is dropped only if it is still the cached
//! (and stored) one, a new one is obtained, and the request is sent again
//! once if its body could be copied.

use std::any::Any;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use reqwest::StatusCode;

use super::shared::Shared;
use super::{AuthError, BoxFuture, SingleFlight, bearer_of, set_bearer};
use crate::Error;
use crate::error::TransportError;
use crate::error::scrub::Scrub;
use crate::operation::Operation;
use crate::runtime::{Core, Identity};
use crate::types::Secret;

/// Which token a request carries.
pub(crate) enum Attach {
    /// None: it goes out as built.
    Nothing,
    /// The session's token.
    Session,
    /// This one (a logout names the token it ends).
    #[cfg_attr(not(feature = "enterprise"), allow(dead_code))]
    Given(Secret),
}

/// What the provider says about a 401 answer to a request that carried the
/// session's token.
pub(crate) enum Refusal {
    /// Obtain a new token and replay the request once.
    Renew,
    /// The call fails with this error (e.g. a customer's login was lost
    /// with the token).
    #[cfg_attr(not(feature = "customer"), allow(dead_code))]
    Fail(AuthError),
}

/// One kind of token: how it is obtained, how long it is good for, and
/// what operations do to it. Everything else is the identity layer's.
pub(crate) trait Provider: Send + Sync + fmt::Debug + Sized + 'static {
    /// The token and what the provider keeps with it.
    type Token: Clone + Send + Sync + 'static;
    /// What one login needs (e.g. the credentials asked for it).
    type Attempt: Send + Sync;

    /// The token's secret value.
    fn secret(token: &Self::Token) -> &Secret;

    /// Starts a login: asks for what it needs.
    fn begin(&self) -> BoxFuture<'_, Result<Self::Attempt, AuthError>>;

    /// The store key of the token `attempt` would obtain (project, interface,
    /// application, login or device; never a password).
    fn key(&self, core: &Core, attempt: &Self::Attempt) -> String;

    /// Obtains a token by itself (a saved one, or a login).
    fn obtain<'a>(
        &'a self,
        session: &'a Session<Self>,
        core: &'a Core,
        attempt: &'a Self::Attempt,
    ) -> BoxFuture<'a, Result<Self::Token, AuthError>>;

    /// The token as a store keeps it (`None`: not worth storing).
    fn to_stored(&self, token: &Self::Token) -> Option<super::StoredToken>;

    /// A stored token as this session's (`None`: too close to its end).
    fn adopt_stored(
        &self,
        attempt: &Self::Attempt,
        stored: super::StoredToken,
    ) -> Option<Self::Token>;

    /// Whether the token needs no refresh yet.
    fn fresh(&self, token: &Self::Token) -> bool;

    /// Whether the token may still be sent (while its refresh runs).
    fn valid(&self, token: &Self::Token) -> bool;

    /// Which token a request for `op` carries.
    fn attach(&self, op: &Operation, request: &reqwest::Request) -> Attach;

    /// Whether `op` ends the token's session (a logout): it is never
    /// replayed, and a 401 just drops the token.
    fn ends_session(&self, op: &Operation) -> bool;

    /// `op` succeeded with token `used`; `true` if that ended the token.
    fn succeeded(&self, session: &Session<Self>, op: &Operation, used: &str) -> bool;

    /// Whether a success of `op` changes what a store keeps with the token
    /// (e.g. a customer logged in on it): the session then writes it again.
    fn changes_stored(&self, op: &Operation) -> bool {
        let _ = op;
        false
    }

    /// `op` was answered 401 with token `used` (before it is dropped).
    fn refused(&self, session: &Session<Self>, op: &Operation, used: &str) -> Refusal {
        let _ = (session, op, used);
        Refusal::Renew
    }

    /// Puts `new` where the request names `old` beyond its
    /// `Authorization` (e.g. a path segment), before a replay.
    fn rewrite(&self, op: &Operation, replay: &mut reqwest::Request, old: &str, new: &str) {
        let _ = (op, replay, old, new);
    }
}

/// One client's (and its clones') identity: its provider, cached token and
/// token store.
pub(crate) struct Session<P: Provider> {
    pub(crate) provider: P,
    pub(crate) tokens: SingleFlight<P::Token>,
    shared: Option<Shared>,
    /// The last token the server refused (never taken from the store again).
    refused: Mutex<Option<Secret>>,
}

impl<P: Provider> Session<P> {
    pub(crate) fn new(
        provider: P,
        token: Option<P::Token>,
        store: Option<std::sync::Arc<dyn super::TokenStore>>,
    ) -> Self {
        Self {
            provider,
            tokens: SingleFlight::new(token),
            shared: store.map(Shared::new),
            refused: Mutex::new(None),
        }
    }

    /// A token: the cached one; or, once it is due for a refresh, a new one
    /// (one fetch, shared by every caller that needs it meanwhile) — while
    /// the old one is still valid, other callers go on using it instead of
    /// waiting.
    pub(crate) fn token<'a>(&'a self, core: &'a Core) -> BoxFuture<'a, Result<Secret, AuthError>> {
        Box::pin(async move {
            let provider = &self.provider;
            let token = self
                .tokens
                .get_or_stale(
                    |token| provider.fresh(token),
                    |token| provider.valid(token),
                    || self.fetch(core),
                )
                .await?;
            let secret = P::secret(&token).clone();
            if let Some(shared) = &self.shared
                && shared.should_probe(&secret)
            {
                self.converge(shared, core, &token).await;
                return Ok(self
                    .tokens
                    .current()
                    .map_or(secret, |t| P::secret(&t).clone()));
            }
            Ok(secret)
        })
    }

    /// A new token: through the store if there is one, else by the
    /// provider alone.
    async fn fetch(&self, core: &Core) -> Result<P::Token, AuthError> {
        let attempt = self.provider.begin().await?;
        let Some(shared) = &self.shared else {
            return self.provider.obtain(self, core, &attempt).await;
        };
        let key = self.provider.key(core, &attempt);
        let refused = self.last_refused();
        shared
            .obtain(
                &key,
                |stored| {
                    (Some(stored.token()) != refused.as_ref())
                        .then(|| self.provider.adopt_stored(&attempt, stored))
                        .flatten()
                },
                || self.provider.obtain(self, core, &attempt),
                |token| self.provider.to_stored(token),
                P::secret,
            )
            .await
    }

    /// A token obtained while the store failed: adopts the stored one if
    /// there is one now, else offers this one to the others.
    async fn converge(&self, shared: &Shared, core: &Core, token: &P::Token) {
        let Ok(attempt) = self.provider.begin().await else {
            return;
        };
        let key = self.provider.key(core, &attempt);
        let adopted = shared
            .converge(
                &key,
                P::secret(token),
                |stored| self.provider.adopt_stored(&attempt, stored),
                self.provider.to_stored(token),
            )
            .await;
        if let Some(adopted) = adopted {
            let old = P::secret(token);
            self.tokens.update(|current| {
                if current.as_ref().is_some_and(|c| P::secret(c) == old) {
                    *current = Some(adopted);
                }
            });
        }
    }

    fn last_refused(&self) -> Option<Secret> {
        self.refused
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Drops token `used` if it is still the cached one, and from the store
    /// if it is still the stored one.
    pub(crate) async fn invalidate(&self, core: &Core, used: &str) {
        self.tokens
            .invalidate(|token| P::secret(token).expose() == used);
        *self.refused.lock().unwrap_or_else(PoisonError::into_inner) = Some(Secret::new(used));
        if let Some(shared) = &self.shared
            && let Ok(attempt) = self.provider.begin().await
        {
            let key = self.provider.key(core, &attempt);
            shared.remove(&key, &Secret::new(used)).await;
        }
    }

    /// After `op` succeeded with `used`: the stored token updated if the
    /// provider says `op` changed it (and it is still the cached one).
    async fn succeeded(&self, core: &Core, op: &Operation, used: &str) {
        if self.provider.succeeded(self, op, used) {
            self.invalidate(core, used).await;
            return;
        }
        let Some(shared) = &self.shared else {
            return;
        };
        if !self.provider.changes_stored(op) {
            return;
        }
        let stored = self
            .tokens
            .current()
            .filter(|token| P::secret(token).expose() == used)
            .and_then(|token| self.provider.to_stored(&token));
        if let (Some(stored), Ok(attempt)) = (stored, self.provider.begin().await) {
            let key = self.provider.key(core, &attempt);
            shared.update(&key, &stored).await;
        }
    }

    /// Sends `request` for `op` (see the module docs).
    async fn send(
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
        match self.provider.attach(op, &request) {
            Attach::Nothing => {}
            Attach::Session => set_bearer(&mut request, &self.token(core).await?)?,
            Attach::Given(token) => set_bearer(&mut request, &token)?,
        }
        let Some(used) = bearer_of(&request) else {
            return send(request).await;
        };
        scrub.add(&used);
        let ending = self.provider.ends_session(op);
        // Cloned before sending: a streamed body cannot be sent twice.
        let replay = if ending { None } else { request.try_clone() };
        let response = send(request).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            if response.status().is_success() {
                self.succeeded(core, op, &used).await;
            }
            return Ok(response);
        }
        tracing::info!(
            operation = op.operation_id,
            "token refused (401): invalidated"
        );
        let refusal = if ending {
            None
        } else {
            Some(self.provider.refused(self, op, &used))
        };
        self.invalidate(core, &used).await;
        match refusal {
            Some(Refusal::Fail(error)) => return Err(error.into()),
            Some(Refusal::Renew) => {}
            None => return Ok(response),
        }
        let Some(mut replay) = replay else {
            return Ok(response);
        };
        let token = self.token(core).await?;
        scrub.add(token.expose());
        set_bearer(&mut replay, &token)?;
        self.provider
            .rewrite(op, &mut replay, &used, token.expose());
        let response = send(replay).await?;
        if response.status().is_success() {
            self.succeeded(core, op, token.expose()).await;
        }
        Ok(response)
    }

    /// The cached token, without fetching.
    pub(crate) fn current(&self) -> Option<P::Token> {
        self.tokens.current()
    }

    /// The session behind a generated client, if it has one of this kind.
    pub(crate) fn of(core: &Core) -> Option<&Self> {
        core.runtime.identity()?.as_any().downcast_ref::<Self>()
    }
}

impl<P: Provider> Identity for Session<P> {
    fn execute<'a>(
        &'a self,
        core: &'a Core,
        op: &'static Operation,
        request: reqwest::Request,
        scrub: &'a mut Scrub,
    ) -> BoxFuture<'a, crate::Result<reqwest::Response>> {
        Box::pin(self.send(core, op, request, scrub))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The provider (which keeps its own secrets out), whether a token is
/// cached, and the store.
impl<P: Provider> fmt::Debug for Session<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("provider", &self.provider)
            .field(
                "token",
                &if self.tokens.current().is_some() {
                    "<cached>"
                } else {
                    "<none>"
                },
            )
            .field("store", &self.shared)
            .finish()
    }
}
