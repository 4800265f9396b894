//! The auth-aware clients: a generated client whose runtime carries an auth
//! session, declared with [`CareCloudClient`](crate::CareCloudClient). The
//! derive generates the constructors, `Deref` to the generated client (so
//! every operation keeps its builder API), a redacting `Debug` and the
//! session methods; all logic is in [`crate::auth`] and [`crate::runtime`].

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
/// let page = client.get_customers().count(10).send().await?;
/// println!("{} of {:?}", page.data.customers().len(), page.data.total_items);
/// client.log_out().await?;
/// # Ok(()) }
/// ```
#[cfg(feature = "enterprise")]
#[derive(crate::CareCloudClient)]
#[carecloud(interface = enterprise, credentials = crate::EnterpriseCredentials)]
pub struct EnterpriseClient {
    client: crate::enterprise::Client,
}

/// A customer interface client (mobile app, portal, kiosk) that manages its
/// device token by itself.
///
/// The first operation that needs authentication creates the device token
/// (`POST /tokens`) from the [`DeviceRegistration`](crate::DeviceRegistration); it never expires by
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
#[derive(crate::CareCloudClient)]
#[carecloud(interface = customer)]
pub struct CustomerClient {
    client: crate::customer::Client,
}
