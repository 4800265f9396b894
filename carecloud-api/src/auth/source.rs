//! Where a client's credentials (enterprise) or device registration and
//! token (customer) come from, and how a wrapper
//! declared with [`CareCloudClient`](crate::CareCloudClient) plugs into the
//! runtime (the seam for downstream crates: the generated clients' hooks can
//! only be implemented here, so wrappers reach them through these traits).

#[cfg(any(feature = "enterprise", feature = "customer"))]
use std::fmt;

#[cfg(feature = "customer")]
use super::DeviceRegistration;
#[cfg(feature = "enterprise")]
use super::EnterpriseCredentials;
#[cfg(any(feature = "enterprise", feature = "customer"))]
use super::{AuthError, BoxFuture};
use super::{ClientBuilder, ConfigError};
#[cfg(feature = "enterprise")]
use std::time::SystemTime;

#[cfg(any(feature = "enterprise", feature = "customer"))]
use crate::types::Secret;

/// Supplies the enterprise API user's credentials, asked again at every
/// login (the first authenticated call, each refresh ahead of expiry, each
/// re-login after a 401), so a source backed by a secret store picks up a
/// rotated password without rebuilding the client.
///
/// [`EnterpriseCredentials`] is itself a source that always gives the same
/// credentials. A downstream wrapper names its own with
/// `#[carecloud(credentials = MySource)]`:
///
/// ```
/// use carecloud_api::auth::{AuthError, BoxFuture, CredentialSource};
/// use carecloud_api::EnterpriseCredentials;
///
/// /// Reads the password from the environment at each login.
/// #[derive(Debug)]
/// pub struct FromEnv;
///
/// impl CredentialSource for FromEnv {
///     fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
///         Box::pin(async {
///             let password = std::env::var("CARECLOUD_PASSWORD")
///                 .map_err(|_| AuthError::unavailable("CARECLOUD_PASSWORD is not set"))?;
///             Ok(EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "fabulous_user", password))
///         })
///     }
/// }
///
/// #[derive(carecloud_api::CareCloudClient)]
/// #[carecloud(interface = enterprise, credentials = FromEnv)]
/// pub struct EnvClient {
///     client: carecloud_api::enterprise::Client,
/// }
///
/// let client = EnvClient::new("sandbox.crmcarecloud.com", FromEnv).unwrap();
/// # let _ = client;
/// ```
///
/// Its `Debug` is shown in the client's: it must not show a secret.
#[cfg(feature = "enterprise")]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot supply enterprise credentials",
    label = "not a `CredentialSource`",
    note = "an enterprise wrapper's `credentials = ...` names a type implementing `carecloud_api::auth::CredentialSource`, e.g. `EnterpriseCredentials`"
)]
pub trait CredentialSource: fmt::Debug + Send + Sync + 'static {
    /// The credentials for the next login. An error fails the call that
    /// needed the login (use [`AuthError::unavailable`]); it is not cached.
    fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>>;

    /// A bearer token saved earlier (by [`save_token`](Self::save_token),
    /// maybe by another process), asked once before the client's first
    /// login (default: none). It is used instead of logging in if it has
    /// more than [`REFRESH_MARGIN`](super::expiry::REFRESH_MARGIN) left; a
    /// 401 drops it like any token. An error fails the call that needed the
    /// token; it is asked again by the next one.
    fn load_token(&self) -> BoxFuture<'_, Result<Option<SavedBearerToken>, AuthError>> {
        Box::pin(async { Ok(None) })
    }

    /// Keeps the token of each login (default: nothing), e.g. for the next
    /// process. An error does not fail the call (the token is good): it is
    /// logged as a warning (`tracing`).
    fn save_token<'a>(
        &'a self,
        token: &'a SavedBearerToken,
    ) -> BoxFuture<'a, Result<(), AuthError>> {
        let _ = token;
        Box::pin(async { Ok(()) })
    }
}

/// An enterprise bearer token kept outside the client (see
/// [`CredentialSource::load_token`]): the token, the external application
/// it was issued to, and when it stops being valid by the client's
/// reckoning (the lifetime rule of [`expiry`](super::expiry), measured on
/// the system clock).
///
/// Its `Debug` does not show the token.
#[cfg(feature = "enterprise")]
#[derive(Clone)]
pub struct SavedBearerToken {
    token: Secret,
    application_id: String,
    expires_at: SystemTime,
}

#[cfg(feature = "enterprise")]
impl SavedBearerToken {
    /// A token issued to `application_id` and valid until `expires_at`.
    pub fn new(token: Secret, application_id: impl Into<String>, expires_at: SystemTime) -> Self {
        Self {
            token,
            application_id: application_id.into(),
            expires_at,
        }
    }

    /// The bearer token (a secret: keep it where only its owner can read).
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// The external application the token was issued to.
    pub fn application_id(&self) -> &str {
        &self.application_id
    }

    /// When the token stops being valid.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }
}

#[cfg(feature = "enterprise")]
impl fmt::Debug for SavedBearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SavedBearerToken")
            .field("token", &self.token)
            .field("application_id", &self.application_id)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(feature = "enterprise")]
impl CredentialSource for EnterpriseCredentials {
    fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// What a customer-interface client registers its device with, and where
/// it keeps the device token: asked to [`load_token`](Self::load_token) once
/// before the client's first token (e.g. one another instance of the app
/// created and shared), and told to [`save_token`](Self::save_token) each
/// token the client creates.
///
/// [`DeviceRegistration`] is itself a source that keeps nothing. A
/// downstream wrapper names its own with
/// `#[carecloud(interface = customer, credentials = MyDevice)]`.
///
/// A loaded token is treated like one given to `resume`: a customer may be
/// logged in on it unless the builder says `customer_logged_in(false)`. Its
/// `Debug` is shown in the client's: it must not show a token.
#[cfg(feature = "customer")]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot register a customer-interface device",
    label = "not a `DeviceSource`",
    note = "a customer wrapper's `credentials = ...` names a type implementing `carecloud_api::auth::DeviceSource`, e.g. `DeviceRegistration`"
)]
pub trait DeviceSource: fmt::Debug + Send + Sync + 'static {
    /// The body of `POST /tokens`.
    fn registration(&self) -> &DeviceRegistration;

    /// A device token saved earlier, used instead of creating one (default:
    /// none). An error fails the call that needed the token; it is asked
    /// again by the next one.
    fn load_token(&self) -> BoxFuture<'_, Result<Option<Secret>, AuthError>> {
        Box::pin(async { Ok(None) })
    }

    /// Keeps a device token the client just created (default: nothing). An
    /// error fails the call that needed the token, and the token is not
    /// used.
    fn save_token<'a>(&'a self, token: &'a Secret) -> BoxFuture<'a, Result<(), AuthError>> {
        let _ = token;
        Box::pin(async { Ok(()) })
    }
}

#[cfg(feature = "customer")]
impl DeviceSource for DeviceRegistration {
    fn registration(&self) -> &DeviceRegistration {
        self
    }
}

/// A generated client (`enterprise::Client`, `customer::Client`) that an
/// auth-aware wrapper can be built around from a source of type `S`:
/// `S: CredentialSource` for the enterprise interface, `S: DeviceSource`
/// (e.g. a [`DeviceRegistration`](crate::DeviceRegistration)) for the
/// customer interface. Implemented in this crate only (the hooks it relies on must
/// be).
pub trait Connect<S>: Sized + private::Sealed {
    /// Builds the client with the builder's settings and a fresh auth
    /// session.
    fn connect<W>(builder: ClientBuilder<S, W>) -> Result<Self, ConfigError>;
}

/// An auth-aware wrapper around a generated client. Implemented by
/// `#[derive(CareCloudClient)]`; [`ClientBuilder::build`] uses it to make
/// the wrapper.
pub trait AuthClient: Sized {
    /// The generated client it wraps and derefs to.
    type Client: Connect<Self::Source>;
    /// What it authenticates with (`credentials = ...`).
    type Source;
    /// Wraps a client built by [`Connect::connect`].
    fn from_client(client: Self::Client) -> Self;
}

mod private {
    pub trait Sealed {}
    #[cfg(feature = "enterprise")]
    impl Sealed for crate::enterprise::Client {}
    #[cfg(feature = "customer")]
    impl Sealed for crate::customer::Client {}
}
