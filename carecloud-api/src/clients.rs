//! The auth-aware clients: a generated client whose runtime carries an auth
//! session. Each is one small struct, its constructors and `Deref` to the
//! generated client (so every operation keeps its builder API); all logic is
//! in [`crate::auth`] and [`crate::runtime`]. (Written by hand for now, in the
//! shape a derive macro can generate.)

use std::fmt;
use std::ops::Deref;
#[cfg(any(feature = "enterprise", feature = "customer"))]
use std::sync::Arc;

use crate::auth::{ClientBuilder, ConfigError};
#[cfg(feature = "customer")]
use crate::auth::{CustomerLogin, DeviceRegistration, customer::CustomerSession};
#[cfg(feature = "enterprise")]
use crate::auth::{EnterpriseCredentials, enterprise::EnterpriseSession};
use crate::runtime::Session;
#[cfg(feature = "customer")]
use crate::types::Secret;
use crate::{Interface, Result};

/// An enterprise interface client that logs its API user in by itself.
///
/// The first operation that needs authentication logs in
/// (`POST /users/actions/login`); the bearer token is cached, shared by all
/// clones, sent on every authenticated operation, refreshed shortly before
/// it expires ([`crate::auth::expiry`]) and renewed once when the server
/// answers 401. Every operation of [`enterprise::Client`](crate::enterprise::Client)
/// is called on it directly:
///
/// ```no_run
/// use carecloud_api::{EnterpriseClient, EnterpriseCredentials};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let creds = EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "fabulous_user", "password_example");
/// let client = EnterpriseClient::new("sandbox.crmcarecloud.com", creds)?;
/// let page = client.get_customers().count(10u64).send().await?;
/// println!("{} of {:?}", page.data.customers.len(), page.data.total_items);
/// client.log_out().await?;
/// # Ok(()) }
/// ```
#[cfg(feature = "enterprise")]
#[derive(Clone)]
pub struct EnterpriseClient {
    client: crate::enterprise::Client,
}

#[cfg(feature = "enterprise")]
impl EnterpriseClient {
    /// A client for the project URL (`sandbox.crmcarecloud.com` means
    /// HTTPS; `http://127.0.0.1:8080` is used as given) with default
    /// settings. Sends nothing yet.
    pub fn new(project_url: &str, credentials: EnterpriseCredentials) -> Result<Self, ConfigError> {
        Self::builder(project_url, credentials).build()
    }

    /// A builder for the settings beyond the defaults (`Accept-Language`,
    /// timeout, clock).
    pub fn builder(
        project_url: &str,
        credentials: EnterpriseCredentials,
    ) -> ClientBuilder<EnterpriseCredentials> {
        ClientBuilder::new(project_url, credentials)
    }

    /// Logs in now unless a valid token is cached, e.g. to check the
    /// credentials at start-up. Operations do this by themselves.
    pub async fn log_in(&self) -> Result<()> {
        crate::auth::enterprise::log_in(&self.client).await
    }

    /// Ends the cached token on the server (`POST /users/actions/logout`)
    /// and drops it; the next authenticated operation logs in again. Does
    /// nothing when no token is cached.
    pub async fn log_out(&self) -> Result<()> {
        crate::auth::enterprise::log_out(&self.client).await
    }
}

#[cfg(feature = "enterprise")]
impl ClientBuilder<EnterpriseCredentials> {
    /// Builds the [`EnterpriseClient`].
    pub fn build(self) -> Result<EnterpriseClient, ConfigError> {
        let parts = self.parts(Interface::Enterprise)?;
        let session = EnterpriseSession::new(self.source, self.clock);
        let (url, http, runtime) = parts.runtime(Session::Enterprise(Arc::new(session)));
        Ok(EnterpriseClient {
            client: crate::enterprise::Client::new_with_client(&url, http, runtime),
        })
    }
}

#[cfg(feature = "enterprise")]
impl Deref for EnterpriseClient {
    type Target = crate::enterprise::Client;

    fn deref(&self) -> &Self::Target {
        &self.client
    }
}

#[cfg(feature = "enterprise")]
impl fmt::Debug for EnterpriseClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_client(
            f,
            "EnterpriseClient",
            &self.client.baseurl,
            &self.client.inner,
        )
    }
}

/// A customer interface client (mobile app, portal, kiosk) that manages its
/// device token by itself.
///
/// The first operation that needs authentication creates the device token
/// (`POST /tokens`) from the [`DeviceRegistration`]; it never expires by
/// time and is shared by all clones. A customer may log in on it
/// ([`log_in`](Self::log_in)). When the server answers 401 (another token
/// was created for the same device), the client creates a new token and
/// sends the call again once if no customer was logged in; if one was, the
/// call fails with [`AuthErrorKind::CustomerLoginRequired`](crate::auth::AuthErrorKind::CustomerLoginRequired)
/// (the client never keeps the customer's password).
///
/// ```no_run
/// use carecloud_api::{CustomerClient, CustomerLogin, DeviceRegistration};
///
/// # async fn demo(registration: DeviceRegistration) -> Result<(), Box<dyn std::error::Error>> {
/// let app = CustomerClient::new("sandbox.crmcarecloud.com", registration)?;
/// let stores = app.get_stores().send().await?;
/// let customer_id = app.log_in(CustomerLogin::email("me@example.com", "password")).await?;
/// let me = app.get_customers().send().await?;
/// app.log_out().await?;
/// # Ok(()) }
/// ```
#[cfg(feature = "customer")]
#[derive(Clone)]
pub struct CustomerClient {
    client: crate::customer::Client,
}

#[cfg(feature = "customer")]
impl CustomerClient {
    /// A client for the project URL (`sandbox.crmcarecloud.com` means
    /// HTTPS; `http://127.0.0.1:8080` is used as given) with default
    /// settings. Sends nothing yet.
    pub fn new(project_url: &str, registration: DeviceRegistration) -> Result<Self, ConfigError> {
        Self::builder(project_url, registration).build()
    }

    /// A client that goes on with a device token saved earlier
    /// ([`token_id`](Self::token_id)) instead of creating one. A customer
    /// may still be logged in on it, so if it no longer works the first call
    /// fails with `CustomerLoginRequired`; the builder's
    /// [`customer_logged_in(false)`](ClientBuilder::customer_logged_in) says
    /// otherwise.
    pub fn resume(
        project_url: &str,
        registration: DeviceRegistration,
        token_id: Secret,
    ) -> Result<Self, ConfigError> {
        Self::builder(project_url, registration)
            .device_token(token_id)
            .build()
    }

    /// A builder for the settings beyond the defaults (`Accept-Language`,
    /// timeout, a saved token).
    pub fn builder(
        project_url: &str,
        registration: DeviceRegistration,
    ) -> ClientBuilder<DeviceRegistration> {
        ClientBuilder::new(project_url, registration)
    }

    /// Logs the customer in on the device token
    /// (`POST /tokens/{token_id}/actions/login`, creating the token first if
    /// needed) and returns the customer's ID. The credentials are not kept.
    pub async fn log_in(&self, login: CustomerLogin) -> Result<String> {
        crate::auth::customer::log_in(&self.client, login).await
    }

    /// Logs the customer out (`POST /tokens/{token_id}/actions/logout`); the
    /// device token stays. Does nothing without a token.
    pub async fn log_out(&self) -> Result<()> {
        crate::auth::customer::log_out(&self.client).await
    }

    /// The device token, once there is one: persist it (it is a secret) to
    /// [`resume`](Self::resume) later instead of creating a new token.
    pub fn token_id(&self) -> Option<Secret> {
        crate::auth::customer::token_id(&self.client)
    }

    /// Whether a customer is logged in on the device token, as far as this
    /// client knows.
    pub fn customer_logged_in(&self) -> bool {
        crate::auth::customer::customer_logged_in(&self.client)
    }
}

#[cfg(feature = "customer")]
impl ClientBuilder<DeviceRegistration> {
    /// Goes on with a saved device token instead of creating one (see
    /// [`CustomerClient::resume`]).
    pub fn device_token(mut self, token_id: Secret) -> Self {
        self.device_token = Some(token_id);
        self
    }

    /// Whether a customer may be logged in on the saved
    /// [`device_token`](Self::device_token) (default `true`). With `false`, a
    /// saved token that no longer works is replaced silently.
    pub fn customer_logged_in(mut self, logged_in: bool) -> Self {
        self.customer_logged_in = logged_in;
        self
    }

    /// Builds the [`CustomerClient`].
    pub fn build(self) -> Result<CustomerClient, ConfigError> {
        let parts = self.parts(Interface::Customer)?;
        let resumed = self
            .device_token
            .map(|token| (token, self.customer_logged_in));
        let session = CustomerSession::new(self.source, resumed);
        let (url, http, runtime) = parts.runtime(Session::Customer(Arc::new(session)));
        Ok(CustomerClient {
            client: crate::customer::Client::new_with_client(&url, http, runtime),
        })
    }
}

#[cfg(feature = "customer")]
impl Deref for CustomerClient {
    type Target = crate::customer::Client;

    fn deref(&self) -> &Self::Target {
        &self.client
    }
}

#[cfg(feature = "customer")]
impl fmt::Debug for CustomerClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_client(
            f,
            "CustomerClient",
            &self.client.baseurl,
            &self.client.inner,
        )
    }
}

#[cfg(any(feature = "enterprise", feature = "customer"))]
fn debug_client(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    base_url: &str,
    runtime: &crate::Runtime,
) -> fmt::Result {
    f.debug_struct(name)
        .field("base_url", &base_url)
        .field("runtime", runtime)
        .finish()
}
