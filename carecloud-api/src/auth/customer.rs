//! The customer interface's session: a device token (`POST /tokens`) that
//! never expires by time, and whether a customer is logged in on it.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use reqwest::StatusCode;

use std::sync::Arc;

use super::{
    AuthError, AuthErrorKind, BoxFuture, ClientBuilder, ConfigError, Connect, CustomerLogin,
    DeviceSource, SingleFlight, bearer_of, set_bearer,
};
use crate::Error;
use crate::customer::Client;
use crate::error::TransportError;
use crate::error::scrub::Scrub;
use crate::operation::{Auth, Operation, SessionRole};
use crate::runtime::{Core, Session};
use crate::types::Secret;

impl<S: DeviceSource> Connect<S> for Client {
    fn connect<W>(builder: ClientBuilder<S, W>) -> Result<Self, ConfigError> {
        let parts = builder.parts(crate::Interface::Customer)?;
        let session = CustomerSession::new(
            Arc::new(builder.source),
            builder.device_token,
            builder.customer_logged_in,
        );
        let (url, http, runtime) = parts.runtime(Session::Customer(Arc::new(session)));
        Ok(Client::new_with_client(&url, http, runtime))
    }
}

impl<S: DeviceSource, W> ClientBuilder<S, W> {
    /// Goes on with a saved device token instead of creating one (see
    /// [`CustomerClient::resume`](crate::CustomerClient::resume)).
    pub fn device_token(mut self, token_id: Secret) -> Self {
        self.device_token = Some(token_id);
        self
    }

    /// Whether a customer may be logged in on the saved
    /// [`device_token`](Self::device_token), or on one the source loads
    /// (default `true`). With `false`, a saved token that no longer works is
    /// replaced silently.
    pub fn customer_logged_in(mut self, logged_in: bool) -> Self {
        self.customer_logged_in = logged_in;
        self
    }
}

/// One customer client's (and its clones') token state.
pub(crate) struct CustomerSession {
    source: Arc<dyn DeviceSource>,
    /// Whether the source's saved token was asked for (or a resumed token
    /// made that moot): it is asked once, before the first token.
    loaded: AtomicBool,
    /// Whether a customer may be logged in on a resumed or loaded token.
    customer_on_saved: bool,
    tokens: SingleFlight<DeviceToken>,
    /// The last token that stopped working while a customer was logged in
    /// on it, so that every call that used it reports the lost login.
    lost: Mutex<Option<Secret>>,
}

#[derive(Clone)]
struct DeviceToken {
    id: Secret,
    /// Whether a customer is (or, for a resumed token, may be) logged in.
    customer: bool,
}

impl CustomerSession {
    /// A session; `resumed` is a saved token, and `customer_on_saved`
    /// whether a customer may be logged in on a resumed or loaded one.
    pub(crate) fn new(
        source: Arc<dyn DeviceSource>,
        resumed: Option<Secret>,
        customer_on_saved: bool,
    ) -> Self {
        Self {
            source,
            loaded: AtomicBool::new(resumed.is_some()),
            customer_on_saved,
            tokens: SingleFlight::new(resumed.map(|id| DeviceToken {
                id,
                customer: customer_on_saved,
            })),
            lost: Mutex::new(None),
        }
    }

    /// The device token: the cached one, or a new one (one `POST /tokens`
    /// shared by every caller that needs it meanwhile).
    fn token<'a>(&'a self, core: &'a Core) -> BoxFuture<'a, Result<Secret, AuthError>> {
        Box::pin(async move {
            let token = self.tokens.get(|_| true, || self.create(core)).await?;
            Ok(token.id)
        })
    }

    /// The source's saved token the first time, then a new one from
    /// `POST /tokens`, which the source keeps.
    async fn create(&self, core: &Core) -> Result<DeviceToken, AuthError> {
        if !self.loaded.load(Ordering::SeqCst) {
            let saved = self.source.load_token().await?;
            self.loaded.store(true, Ordering::SeqCst);
            if let Some(id) = saved {
                return Ok(DeviceToken {
                    id,
                    customer: self.customer_on_saved,
                });
            }
        }
        let client = Client { core: core.clone() };
        let reply = client
            .post_token()
            .body(self.source.registration().request().clone())
            .send()
            .await
            .map_err(|e| {
                AuthError::from_request_failure(AuthErrorKind::DeviceTokenRejected, e, &[])
            })?;
        let id = reply.into_inner().data.token_id;
        tracing::info!("device token created");
        self.source.save_token(&id).await?;
        Ok(DeviceToken {
            id,
            customer: false,
        })
    }

    /// Sends `request` for `op` with the device token it needs, and keeps
    /// track of customer logins; on 401 either reports that the customer must
    /// log in again, or creates a new token and sends a copy of the request
    /// once (with the new token in the path too).
    pub(crate) async fn execute(
        &self,
        core: &Core,
        op: &'static Operation,
        mut request: reqwest::Request,
        scrub: &mut Scrub,
    ) -> crate::Result<reqwest::Response> {
        let http = &core.http;
        if op.auth == Auth::Bearer {
            let token = self.token(core).await?;
            set_bearer(&mut request, &token)?;
        }
        let token_in_path = op.path.contains("{token_id}");
        let Some(used) = bearer_of(&request) else {
            return execute(http, request).await;
        };
        scrub.add(&used);
        let ending = op.session == Some(SessionRole::CustomerLogout);
        let logging_in = op.session == Some(SessionRole::CustomerLogin);
        // Cloned before sending: a streamed body cannot be sent twice.
        let replay = if ending { None } else { request.try_clone() };
        let response = execute(http, request).await?;
        if response.status() != StatusCode::UNAUTHORIZED {
            if response.status().is_success() {
                self.track(op, &used);
            }
            return Ok(response);
        }
        if ending {
            // The token is gone, and with it the customer's login.
            self.tokens.invalidate(|token| token.id.expose() == used);
            return Ok(response);
        }
        tracing::info!(
            operation = op.operation_id,
            "device token refused (401): invalidated"
        );
        if self.customer_lost(&used, logging_in) {
            return Err(AuthError::new(AuthErrorKind::CustomerLoginRequired, Some(401), "").into());
        }
        let Some(mut replay) = replay else {
            return Ok(response);
        };
        let token = self.token(core).await?;
        scrub.add(token.expose());
        set_bearer(&mut replay, &token)?;
        if token_in_path {
            replace_path_segment(replay.url_mut(), &used, token.expose());
        }
        let response = execute(http, replay).await?;
        if response.status().is_success() {
            self.track(op, token.expose());
        }
        Ok(response)
    }

    /// Records a successful customer login or logout on token `used`.
    fn track(&self, op: &Operation, used: &str) {
        let customer = match op.session {
            Some(SessionRole::CustomerLogin) => true,
            Some(SessionRole::CustomerLogout) => false,
            _ => return,
        };
        self.tokens.update(|token| {
            if let Some(token) = token.as_mut().filter(|t| t.id.expose() == used) {
                token.customer = customer;
            }
        });
    }

    /// After a 401 with token `used`: drops it if it is still the cached
    /// one, and tells whether a customer's login was lost with it (then the
    /// call fails instead of going on anonymously with a new token).
    fn customer_lost(&self, used: &str, logging_in: bool) -> bool {
        let mut lost = self.lost.lock().unwrap_or_else(PoisonError::into_inner);
        self.tokens.update(|token| match token {
            Some(current) if current.id.expose() == used => {
                let had_customer = current.customer;
                if had_customer {
                    *lost = Some(current.id.clone());
                }
                *token = None;
                had_customer && !logging_in
            }
            _ => !logging_in && lost.as_ref().is_some_and(|l| l.expose() == used),
        })
    }

    fn current(&self) -> Option<DeviceToken> {
        self.tokens.current()
    }
}

/// Sends a request. (The reply's URL, which may hold the token, never
/// leaves the runtime, and transport errors drop it.)
async fn execute(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> crate::Result<reqwest::Response> {
    http.execute(request)
        .await
        .map_err(|e| Error::Transport(TransportError::new(e)))
}

/// Replaces the path segment that is `old` (as the generated code encoded
/// it) with `new`.
fn replace_path_segment(url: &mut reqwest::Url, old: &str, new: &str) {
    let (old, new) = (
        crate::runtime::encode_segment(old),
        crate::runtime::encode_segment(new),
    );
    let Some(segments) = url.path_segments() else {
        return;
    };
    let path: Vec<&str> = segments
        .map(|segment| {
            if segment == old {
                new.as_str()
            } else {
                segment
            }
        })
        .collect();
    let path = format!("/{}", path.join("/"));
    url.set_path(&path);
}

fn session(client: &Client) -> Result<&CustomerSession, AuthError> {
    match client.core.runtime.session() {
        Session::Customer(session) => Ok(session),
        _ => Err(AuthError::new(
            AuthErrorKind::Unavailable,
            None,
            "this client was not built with a device registration",
        )),
    }
}

/// `CustomerClient::log_in`: logs the customer in on the device token
/// (creating it first if needed) and returns the customer's ID.
pub async fn log_in(client: &Client, login: CustomerLogin) -> crate::Result<String> {
    let token = session(client)?.token(&client.core).await?;
    let reply = client
        .post_token_login()
        .token_id(token.expose())
        .body(login.into_request())
        .send()
        .await?;
    let status = reply.status().as_u16();
    reply.into_inner().data.customer_id.ok_or_else(|| {
        AuthError::new(
            AuthErrorKind::Unavailable,
            Some(status),
            "the login reply has no customer_id",
        )
        .into()
    })
}

/// `CustomerClient::log_out`: logs the customer out of the device token,
/// which stays valid. Without a token nothing is sent; a token the server no
/// longer knows has no customer either.
pub async fn log_out(client: &Client) -> crate::Result<()> {
    let Some(token) = session(client)?.current() else {
        return Ok(());
    };
    match client
        .post_token_logout()
        .token_id(token.id.expose())
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => Ok(()),
        Err(error) => Err(error),
    }
}

/// `CustomerClient::token_id`.
pub fn token_id(client: &Client) -> Option<Secret> {
    session(client).ok()?.current().map(|token| token.id)
}

impl Client {
    /// The device token: the one in use (resumed, or loaded from the
    /// client's [`DeviceSource`]), else a new one from `POST /tokens`, which
    /// the source keeps. For the operations that name the token in their
    /// path (`PUT /tokens/{token_id}`, the token's login actions): they need
    /// its ID before they are sent. Fails with [`Error::Auth`] on a client
    /// built without a device registration.
    pub async fn device_token(&self) -> crate::Result<Secret> {
        Ok(session(self)?.token(&self.core).await?)
    }
}

/// `CustomerClient::customer_logged_in`.
pub fn customer_logged_in(client: &Client) -> bool {
    session(client)
        .ok()
        .and_then(CustomerSession::current)
        .is_some_and(|token| token.customer)
}

impl fmt::Debug for CustomerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.current();
        f.debug_struct("CustomerSession")
            .field("registration", &self.source)
            .field(
                "token",
                &if current.is_some() {
                    "<cached>"
                } else {
                    "<none>"
                },
            )
            .field("customer_logged_in", &current.is_some_and(|t| t.customer))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_token_segment_only() {
        let mut url = reqwest::Url::parse(
            "http://h/webservice/rest-api/customer-interface/v1.0/tokens/old-1/actions/login?x=old-1",
        )
        .unwrap();
        replace_path_segment(&mut url, "old-1", "new-2");
        assert_eq!(
            url.as_str(),
            "http://h/webservice/rest-api/customer-interface/v1.0/tokens/new-2/actions/login?x=old-1"
        );
    }
}
