//! The customer interface's session: a device token (`POST /tokens`) that
//! never expires by time, and whether a customer is logged in on it.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

use super::identity::{Attach, Provider, Refusal, Session};
use super::{
    AuthError, AuthErrorKind, BoxFuture, ClientBuilder, ConfigError, Connect, CustomerLogin,
    DeviceSource, StoredToken, store_key,
};
use crate::customer::Client;
use crate::operation::{Auth, Operation, SessionRole};
use crate::runtime::Core;
use crate::types::Secret;

impl<S: DeviceSource> Connect<S> for Client {
    fn connect<W>(builder: ClientBuilder<S, W>) -> Result<Self, ConfigError> {
        let parts = builder.parts(crate::Interface::Customer)?;
        let customer_on_saved = builder.customer_logged_in;
        let resumed = builder.device_token.map(|id| DeviceToken {
            id,
            customer: customer_on_saved,
        });
        let provider = Device {
            source: Arc::new(builder.source),
            loaded: AtomicBool::new(resumed.is_some()),
            customer_on_saved,
            lost: Mutex::new(None),
        };
        let session = Session::new(provider, resumed, builder.token_store);
        let (url, http, runtime) = parts.runtime(Arc::new(session));
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

/// The customer interface's identity provider: a device token, and
/// whether a customer is logged in on it.
pub(crate) struct Device {
    source: Arc<dyn DeviceSource>,
    /// Whether the source's saved token was asked for (or a resumed token
    /// made that moot): it is asked once, before the first token.
    loaded: AtomicBool,
    /// Whether a customer may be logged in on a resumed or loaded token (a
    /// shared one says so itself).
    customer_on_saved: bool,
    /// The last token that stopped working while a customer was logged in
    /// on it, so that every call that used it reports the lost login.
    lost: Mutex<Option<Secret>>,
}

#[derive(Clone)]
pub(crate) struct DeviceToken {
    id: Secret,
    /// Whether a customer is (or, for a resumed token, may be) logged in.
    customer: bool,
}

/// How long a token store keeps a device token (which does not expire by
/// time): a day.
const STORED_DEVICE_TOKEN_LIFE: Duration = Duration::from_secs(24 * 3600);

impl Device {
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
            .post_token(self.source.registration().request().clone())
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
}

impl Provider for Device {
    type Token = DeviceToken;
    type Attempt = ();

    fn secret(token: &DeviceToken) -> &Secret {
        &token.id
    }

    fn begin(&self) -> BoxFuture<'_, Result<(), AuthError>> {
        Box::pin(async { Ok(()) })
    }

    fn key(&self, core: &Core, _: &()) -> String {
        let request = self.source.registration().request();
        store_key(&[
            &core.baseurl,
            &request.external_application_id,
            &request.device.device_id,
        ])
    }

    fn obtain<'a>(
        &'a self,
        _session: &'a Session<Self>,
        core: &'a Core,
        _: &'a (),
    ) -> BoxFuture<'a, Result<DeviceToken, AuthError>> {
        Box::pin(self.create(core))
    }

    fn to_stored(&self, token: &DeviceToken) -> Option<StoredToken> {
        Some(
            StoredToken::new(
                token.id.clone(),
                SystemTime::now() + STORED_DEVICE_TOKEN_LIFE,
            )
            .with_customer_logged_in(token.customer),
        )
    }

    /// The stored token, logged in or not as the store says (the client
    /// that logged a customer in or out on it wrote that down).
    fn adopt_stored(&self, _: &(), stored: StoredToken) -> Option<DeviceToken> {
        Some(DeviceToken {
            customer: stored.customer_logged_in(),
            id: stored.token().clone(),
        })
    }

    fn fresh(&self, _: &DeviceToken) -> bool {
        true
    }

    fn valid(&self, _: &DeviceToken) -> bool {
        true
    }

    fn attach(&self, op: &Operation, _: &reqwest::Request) -> Attach {
        if op.auth == Auth::Bearer {
            Attach::Session
        } else {
            Attach::Nothing
        }
    }

    fn ends_session(&self, op: &Operation) -> bool {
        op.session == Some(SessionRole::CustomerLogout)
    }

    /// Records a successful customer login or logout on token `used`.
    fn succeeded(&self, session: &Session<Self>, op: &Operation, used: &str) -> bool {
        let customer = match op.session {
            Some(SessionRole::CustomerLogin) => true,
            Some(SessionRole::CustomerLogout) => false,
            _ => return false,
        };
        session.tokens.update(|token| {
            if let Some(token) = token.as_mut().filter(|t| t.id.expose() == used) {
                token.customer = customer;
            }
        });
        false
    }

    /// A customer's login or logout: the stored token says so for the
    /// clients that take it from the store.
    fn changes_stored(&self, op: &Operation) -> bool {
        matches!(
            op.session,
            Some(SessionRole::CustomerLogin | SessionRole::CustomerLogout)
        )
    }

    /// Drops `used` if it is still the cached token, and fails the call if
    /// a customer's login was lost with it (instead of going on anonymously
    /// with a new token).
    fn refused(&self, session: &Session<Self>, op: &Operation, used: &str) -> Refusal {
        let logging_in = op.session == Some(SessionRole::CustomerLogin);
        let mut lost = self.lost.lock().unwrap_or_else(PoisonError::into_inner);
        let lost_customer = session.tokens.update(|token| match token {
            Some(current) if current.id.expose() == used => {
                let had_customer = current.customer;
                if had_customer {
                    *lost = Some(current.id.clone());
                }
                *token = None;
                had_customer && !logging_in
            }
            _ => !logging_in && lost.as_ref().is_some_and(|l| l.expose() == used),
        });
        if lost_customer {
            Refusal::Fail(AuthError::new(
                AuthErrorKind::CustomerLoginRequired,
                Some(401),
                "",
            ))
        } else {
            Refusal::Renew
        }
    }

    /// The token in the path too (`/tokens/{token_id}/...`).
    fn rewrite(&self, op: &Operation, replay: &mut reqwest::Request, old: &str, new: &str) {
        if op.path.contains("{token_id}") {
            replace_path_segment(replay.url_mut(), old, new);
        }
    }
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

fn session(client: &Client) -> Result<&Session<Device>, AuthError> {
    Session::of(&client.core).ok_or_else(|| {
        AuthError::new(
            AuthErrorKind::Unavailable,
            None,
            "this client was not built with a device registration",
        )
    })
}

/// `CustomerClient::log_in`: logs the customer in on the device token
/// (creating it first if needed) and returns the customer's ID.
pub async fn log_in(client: &Client, login: CustomerLogin) -> crate::Result<String> {
    let token = session(client)?.token(&client.core).await?;
    let reply = client
        .post_token_login(token.expose(), login.into_request())
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
    match client.post_token_logout(token.id.expose()).send().await {
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
    /// its ID before they are sent. Fails with [`Error::Auth`](crate::Error::Auth) on a client
    /// built without a device registration.
    pub async fn device_token(&self) -> crate::Result<Secret> {
        Ok(session(self)?.token(&self.core).await?)
    }
}

/// `CustomerClient::customer_logged_in`.
pub fn customer_logged_in(client: &Client) -> bool {
    session(client)
        .ok()
        .and_then(Session::current)
        .is_some_and(|token| token.customer)
}

impl fmt::Debug for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Device")
            .field("registration", &self.source)
            .finish_non_exhaustive()
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
