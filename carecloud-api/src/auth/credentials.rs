//! What the clients authenticate with. Each type deserializes from exactly
//! the JSON body of the request it is sent in, so an app can keep it in its
//! configuration, and wraps the generated request type.

use std::fmt;

use serde::{Deserialize, Serialize};

#[cfg(feature = "enterprise")]
use crate::types::PostUserLoginRequest;
use crate::types::Secret;
#[cfg(feature = "customer")]
use crate::types::{CustomerLoginType, Device, PostTokenLoginRequest, PostTokenRequest, Setup};

/// An enterprise API user's credentials: the body of
/// `POST /users/actions/login`.
///
/// ```
/// use carecloud_api::EnterpriseCredentials;
///
/// let creds: EnterpriseCredentials = serde_json::from_str(
///     r#"{"user_external_application_id": "89d1a6111b3fb6e74665d948",
///         "login": "fabulous_user", "password": "password_example"}"#,
/// ).unwrap();
/// assert!(!format!("{creds:?}").contains("password_example"));
/// ```
#[cfg(feature = "enterprise")]
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EnterpriseCredentials(PostUserLoginRequest);

#[cfg(feature = "enterprise")]
impl EnterpriseCredentials {
    /// Credentials from the external application ID (CareCloud
    /// administration, System configuration, External applications), the
    /// API user's login and password.
    pub fn new(
        user_external_application_id: impl Into<String>,
        login: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        Self(PostUserLoginRequest::new(
            user_external_application_id.into(),
            login.into(),
            password.into(),
        ))
    }

    /// The external application ID.
    pub fn user_external_application_id(&self) -> &str {
        &self.0.user_external_application_id
    }

    /// The API user's login name.
    pub fn login(&self) -> &str {
        &self.0.login
    }

    /// The login request body.
    pub(crate) fn request(&self) -> &PostUserLoginRequest {
        &self.0
    }

    pub(crate) fn password(&self) -> &Secret {
        &self.0.password
    }
}

#[cfg(feature = "enterprise")]
impl fmt::Debug for EnterpriseCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterpriseCredentials")
            .field(
                "user_external_application_id",
                &self.0.user_external_application_id,
            )
            .field("login", &self.0.login)
            .field("password", &self.0.password)
            .finish_non_exhaustive()
    }
}

/// How an app installation registers with the customer interface: the body
/// of `POST /tokens`, which creates the device token.
///
/// ```
/// use carecloud_api::DeviceRegistration;
/// use carecloud_api::types::{Device, Setup};
///
/// let registration = DeviceRegistration::new(
///     "89d1a6111b3fb6e74665d948",
///     // device_id, device_system, device_name, device_type
///     Device::new("6f1c1b9e-0c4e-4c2a-9d55-6a0f5d1c2b3a", "Android 15", "Jane's phone", "phone"),
///     // language_id, allowed_gps, allowed_notifications
///     Setup::new("en", false, true),
/// );
/// let same: DeviceRegistration = serde_json::from_value(serde_json::json!({
///     "device": {"device_id": "6f1c1b9e-0c4e-4c2a-9d55-6a0f5d1c2b3a",
///                "device_name": "Jane's phone", "device_system": "Android 15",
///                "device_type": "phone"},
///     "setup": {"language_id": "en", "allowed_gps": false, "allowed_notifications": true},
///     "external_application_id": "89d1a6111b3fb6e74665d948"
/// })).unwrap();
/// assert_eq!(serde_json::to_value(&registration).unwrap(), serde_json::to_value(&same).unwrap());
/// ```
#[cfg(feature = "customer")]
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceRegistration(PostTokenRequest);

/// Shows the device and settings; the push token only as `<redacted>`.
#[cfg(feature = "customer")]
impl fmt::Debug for DeviceRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceRegistration")
            .field("external_application_id", &self.0.external_application_id)
            .field("device", &self.0.device)
            .field("setup", &self.0.setup)
            .field(
                "push_token",
                &self.0.push_token.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "customer")]
impl DeviceRegistration {
    /// A registration for the external application (your app, as registered
    /// in the CareCloud administration), this device and its settings. Use a
    /// `device_id` unique to the installation: creating a token with the same
    /// one invalidates the older token.
    pub fn new(external_application_id: impl Into<String>, device: Device, setup: Setup) -> Self {
        Self(PostTokenRequest::new(
            device,
            setup,
            external_application_id.into(),
        ))
    }

    /// A registration for a device that is no phone (a server, a kiosk, a
    /// command line): named `device_name`, its system the operating system
    /// this runs on (`std::env::consts::OS`), its type `headless`, no GPS,
    /// no notifications, language `en`.
    pub fn headless(
        external_application_id: impl Into<String>,
        device_id: impl Into<String>,
        device_name: impl Into<String>,
    ) -> Self {
        let device = Device::new(device_id, std::env::consts::OS, device_name, "headless");
        let setup = Setup::new("en", false, false);
        Self::new(external_application_id, device, setup)
    }

    /// Also registers the device's push-notification token (APNs, FCM).
    pub fn with_push_token(mut self, push_token: impl Into<String>) -> Self {
        self.0 = self.0.with_push_token(push_token);
        self
    }

    /// The `POST /tokens` body.
    pub(crate) fn request(&self) -> &PostTokenRequest {
        &self.0
    }
}

/// A customer's credentials: the body of
/// `POST /tokens/{token_id}/actions/login`. Used once by
/// `CustomerClient::log_in` and never stored by the client.
///
/// ```
/// use carecloud_api::CustomerLogin;
///
/// let login: CustomerLogin = serde_json::from_str(
///     r#"{"login_type": "email", "login_value": "me@example.com", "password": "s3cret"}"#,
/// ).unwrap();
/// assert!(!format!("{login:?}").contains("s3cret"));
/// ```
#[cfg(feature = "customer")]
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomerLogin(PostTokenLoginRequest);

#[cfg(feature = "customer")]
impl CustomerLogin {
    /// Logs in with the given kind of identifier (`login_type`).
    pub fn new(
        login_type: CustomerLoginType,
        login_value: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        Self(PostTokenLoginRequest::new(
            login_type,
            login_value.into(),
            password.into(),
        ))
    }

    /// Logs in with an e-mail address.
    pub fn email(email: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::new(CustomerLoginType::Email, email, password)
    }

    /// Logs in with a phone number.
    pub fn phone(phone: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::new(CustomerLoginType::Phone, phone, password)
    }

    /// Logs in with a loyalty card number.
    pub fn card(card_number: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::new(CustomerLoginType::Card, card_number, password)
    }

    /// The login request body.
    pub(crate) fn into_request(self) -> PostTokenLoginRequest {
        self.0
    }
}

#[cfg(feature = "customer")]
impl fmt::Debug for CustomerLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomerLogin")
            .field("login_type", &self.0.login_type)
            .field("login_value", &self.0.login_value)
            .field("password", &self.0.password)
            .finish_non_exhaustive()
    }
}
