//! An embedded CareCloud: an in-process HTTP server on `127.0.0.1` serving
//! both interfaces under their real base paths, with seeded in-memory data,
//! the real authentication rules and switches for tests.
//!
//! Every operation of [`carecloud_api::enterprise::OPERATIONS`] and
//! [`carecloud_api::customer::OPERATIONS`] is served. Request bodies are
//! parsed into, and responses built from, the generated types of
//! `carecloud-api`, so what the sandbox sends conforms to the spec.
//!
//! ```
//! use carecloud_api::{EnterpriseClient, Interface};
//! use carecloud_sandbox::{Fault, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
//!
//! let page = client.get_customers().count(10u64).send().await?; // logs in first
//! assert!(page.data.customers.iter().any(|c| c.customer_id.as_deref() == Some(carecloud_sandbox::JOHN_SMITH_ID)));
//!
//! // Knobs: the next call answers 503, then things go back to normal.
//! sandbox.inject(Fault::Status(503));
//! assert!(client.get_stores().send().await.is_err());
//! assert!(client.get_stores().send().await.is_ok());
//!
//! // The request log knows which operation each request was.
//! let called = sandbox.operations_called(Interface::Enterprise);
//! assert!(called.contains("post_user_login") && called.contains("get_customers"));
//! # Ok(()) }
//! ```
//!
//! The sandbox shuts down when the [`Sandbox`] handle is dropped.

mod handlers;
mod seed;
mod state;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use carecloud_api::customer::types::{Device, Setup};
use carecloud_api::{CustomerLogin, DeviceRegistration, EnterpriseCredentials, Interface};
use tokio::sync::oneshot;

pub use seed::{
    API_USER_ID, API_USER_LOGIN, API_USER_PASSWORD, CUSTOMER_APPLICATION_ID,
    ENTERPRISE_APPLICATION_ID, JOHN_SMITH_EMAIL, JOHN_SMITH_ID, JOHN_SMITH_PASSWORD, SSO_TOKEN,
    TEST_CUSTOMER_ID,
};
use state::State;

/// An API user the enterprise login accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiUser {
    /// `user_external_application_id` it logs in with.
    pub external_application_id: String,
    /// Login name.
    pub login: String,
    /// Password.
    pub password: String,
}

/// How a sandbox starts.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// API users the enterprise login accepts (the seeded one by default).
    /// Each must be one of the seeded users' logins to get a `user` record
    /// back; any login works for authentication.
    pub api_users: Vec<ApiUser>,
    /// External application IDs `POST /tokens` accepts
    /// ([`CUSTOMER_APPLICATION_ID`] by default).
    pub customer_application_ids: Vec<String>,
    /// How long an enterprise bearer token lives (7 hours by default).
    pub token_lifetime: Duration,
    /// The server's local time zone as an offset from UTC in seconds
    /// (`valid_to` is written in it; 0 by default).
    pub utc_offset_seconds: i32,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            api_users: vec![ApiUser {
                external_application_id: ENTERPRISE_APPLICATION_ID.to_owned(),
                login: API_USER_LOGIN.to_owned(),
                password: API_USER_PASSWORD.to_owned(),
            }],
            customer_application_ids: vec![CUSTOMER_APPLICATION_ID.to_owned()],
            token_lifetime: Duration::from_secs(7 * 3600),
            utc_offset_seconds: 0,
        }
    }
}

/// A failure the sandbox answers with instead of serving a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 401 with the error envelope, whatever the token.
    Unauthorized,
    /// 429, with a `Retry-After` header of this many seconds when `Some`.
    TooManyRequests {
        /// The `Retry-After` value in seconds, if any.
        retry_after: Option<u64>,
    },
    /// This status with the error envelope (500, 503, ...).
    Status(u16),
    /// 200 with a truncated JSON body.
    MalformedBody,
}

/// One request as the sandbox saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The interface its path was under (`None`: neither).
    pub interface: Option<Interface>,
    /// The operation (`OPERATIONS` id, e.g. `get_customers`) it matched.
    pub operation: Option<&'static str>,
    /// HTTP method.
    pub method: String,
    /// Path below the interface's base path (the full path if none).
    pub path: String,
    /// Whether it had an `Authorization` header.
    pub authorized: bool,
    /// The status the sandbox answered.
    pub status: u16,
}

/// A running sandbox; dropping it shuts the server down.
pub struct Sandbox {
    url: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

pub(crate) struct Shared {
    state: Mutex<State>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sandbox {
    /// Starts a sandbox with the default [`SandboxConfig`] on a free port of
    /// `127.0.0.1`.
    pub async fn start() -> std::io::Result<Sandbox> {
        Self::start_with(SandboxConfig::default()).await
    }

    /// Starts a sandbox with `config`.
    pub async fn start_with(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(config)),
        });
        let app = handlers::router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Sandbox {
            url: format!("http://{addr}"),
            shared,
            shutdown: Some(tx),
        })
    }

    /// The project URL to give `EnterpriseClient` / `CustomerClient`
    /// (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Credentials of the seeded API user.
    pub fn enterprise_credentials() -> EnterpriseCredentials {
        EnterpriseCredentials::new(ENTERPRISE_APPLICATION_ID, API_USER_LOGIN, API_USER_PASSWORD)
    }

    /// A device registration for [`CUSTOMER_APPLICATION_ID`] with this
    /// `device_id`.
    pub fn device_registration(device_id: &str) -> DeviceRegistration {
        let device = Device {
            device_id: device_id.to_owned(),
            device_name: "Sandbox device".to_owned(),
            device_system: "Rust".to_owned(),
            device_type: "sandbox".to_owned(),
            extra: Default::default(),
        };
        let setup = Setup {
            allowed_gps: false,
            allowed_notifications: false,
            language_id: "en".to_owned(),
            extra: Default::default(),
        };
        DeviceRegistration::new(CUSTOMER_APPLICATION_ID, device, setup)
    }

    /// The seeded John Smith's login (e-mail and password).
    pub fn john_smith_login() -> CustomerLogin {
        CustomerLogin::email(JOHN_SMITH_EMAIL, JOHN_SMITH_PASSWORD)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    /// Enterprise tokens issued from now on live this long.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.lock().config.token_lifetime = lifetime;
    }

    /// Makes every enterprise bearer token issued so far expire now.
    pub fn expire_enterprise_tokens(&self) {
        self.lock().bearer_tokens.clear();
    }

    /// Answers the next `n` requests that need a token with 401.
    pub fn force_unauthorized(&self, n: usize) {
        self.lock().force_401 = n;
    }

    /// Answers the next request (any operation) with `fault`.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push_back((None, fault));
    }

    /// Answers the next request to `operation` (an `OPERATIONS` id such as
    /// `get_customers`, on either interface) with `fault`.
    pub fn inject_on(&self, operation: &str, fault: Fault) {
        self.lock()
            .faults
            .push_back((Some(operation.to_owned()), fault));
    }

    /// Delays every answer by `latency` (zero: none).
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.lock().log.clone()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.lock().log.clear();
    }

    /// How many requests went to `operation` on `interface`.
    pub fn count(&self, interface: Interface, operation: &str) -> usize {
        self.lock()
            .log
            .iter()
            .filter(|r| r.interface == Some(interface) && r.operation == Some(operation))
            .count()
    }

    /// The operations of `interface` that received at least one request.
    pub fn operations_called(&self, interface: Interface) -> BTreeSet<&'static str> {
        self.lock()
            .log
            .iter()
            .filter(|r| r.interface == Some(interface))
            .filter_map(|r| r.operation)
            .collect()
    }

    /// The number of live customer device tokens.
    pub fn device_tokens(&self) -> usize {
        self.lock().device_tokens.len()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
