//! An embedded CareCloud: an in-process HTTP server on `127.0.0.1` serving
//! both interfaces under their real base paths, with seeded in-memory data,
//! the real authentication rules and switches for tests.
//!
//! It is driven by the spec: every operation of
//! [`carecloud_api::enterprise::OPERATIONS`] and
//! [`carecloud_api::customer::OPERATIONS`] is routed from its path template
//! and served as its `x-sandbox` declaration says (the plan
//! `carecloud-codegen` checks and generates, `docs/sandbox.md`): a
//! resource's standard list, get, create, replace or delete, a ledger verb
//! (points, credits), an action (state transitions and the records they
//! write), a view or a batch, each by a small engine (`src/engines/`), so
//! adding an operation to the spec needs no sandbox code. Request bodies are
//! read, and every reply checked, through the generated types of
//! `carecloud-api`, so what the sandbox accepts and sends conforms to the
//! spec. Hand-written code is left for sessions (logins, device tokens) and
//! a few one-off actions (`src/actions.rs`).
//!
//! ```
//! use carecloud_api::types::{Card, CardState, PostCardRequest};
//! use carecloud_api::{EnterpriseClient, Interface, OperationId};
//! use carecloud_sandbox::{Fault, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
//!
//! let page = client.get_customers().count(10).send().await?; // logs in first
//! assert!(page.data.customers().iter().any(|c| c.customer_id.as_deref() == Some(carecloud_sandbox::JOHN_SMITH_ID)));
//!
//! // Knobs: the next call answers 503, then things go back to normal
//! // (a GET is retried: the client sees a success).
//! sandbox.inject(Fault::Status(503));
//! assert!(client.get_stores().send().await.is_ok());
//! // A POST is not: it may have reached the server.
//! sandbox.inject(Fault::Status(503));
//! let card = Card::new("86e05affc7a7befcd513ab400", "991", CardState::Active);
//! let err = client.post_card(PostCardRequest::new(card)).send().await.unwrap_err();
//! assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
//!
//! // The request log knows which operation each request was, and its query.
//! let called = sandbox.operations_called(Interface::Enterprise);
//! assert!(called.contains(&OperationId::PostUserLogin) && called.contains(&OperationId::GetCustomers));
//! assert!(sandbox.requests().iter().any(|r| r.query == "count=10"));
//! # Ok(()) }
//! ```
//!
//! # What it serves, and how
//! * **Routing** by the method and path template of each `Operation` (the
//!   template with the most literal segments wins; 404, 405, and 403
//!   `interface_not_allowed_exception` for `/tokens` on the enterprise
//!   interface), **query strings** read as CareCloud's PHP reads them
//!   (`name[]=a&name[]=b` is a list, a plain repeated `name` its last value).
//! * **Engines** serve what the spec declares (`docs/sandbox.md`): standard
//!   lists (declared filters, `is_valid`, sorting, paging, `total_items`),
//!   gets, creates, replacements and deletions under the parents the path
//!   names, with each resource's references, unique fields, checks and
//!   capacity; ledgers (balances computed from lots, spent in expiry order,
//!   reservations); actions (preconditions → error codes, effects → records
//!   written; atomic); views (the wallet) and batches (`error_processing`).
//! * **Customer scoping** on the customer interface: a resource's records
//!   are the logged-in customer's only (another's ID: 400
//!   `not_belong_to_logged_in_customer`; no customer logged in: 403).
//! * **Sessions**: enterprise logins (`valid_to` in server-local time, a
//!   `Date` header on every reply, 401 for missing, unknown and expired
//!   tokens), SSO login, logout, user authentication tokens; device tokens
//!   (one per device and application) and customer logins; one-time
//!   passwords are all [`ONE_TIME_PASSWORD`].
//! * **Conformance**: a request body is read through the generated type of
//!   its schema (a body that does not fit is a 400 naming the field), and
//!   every reply is checked against its response schema before it is sent
//!   (one that does not fit is a 500 naming it). The types by schema name
//!   are [`schemas`].
//! * **Observers** ([`Sandbox::observe`]): a test sees every request and
//!   answer ([`Exchange`]); the sandbox's own tests validate each against
//!   the spec's JSON Schema, stricter than the types.
//!
//! # Running for days
//! Nothing grows with the number of requests alone. The request log
//! ([`Sandbox::requests`]) keeps the last [`SandboxConfig::log_capacity`]
//! requests ([`DEFAULT_LOG_CAPACITY`] by default) with every password and
//! token `<redacted>` (the spec says which fields hold one; plus the
//! caller's own token wherever it appears; `Authorization` itself is never
//! kept); [`Sandbox::count`] and [`Sandbox::operations_called`] stay exact
//! beyond it. Expired and logged-out enterprise tokens, replaced device
//! tokens and used or expired authentication tokens are dropped.
//! [`Sandbox::status`] tells the sizes; a standalone server answers them at
//! `GET /_sandbox/status` and its log at `GET /_sandbox/requests`.
//!
//! # Seed data and adding an operation
//! `seed/<collection>.json`, one JSON array per declared resource, compiled
//! in and checked against the resource's schema when a sandbox starts;
//! `seed/meta/accounts.json` holds passwords, social logins and user
//! authentication tokens; the constants ([`JOHN_SMITH_ID`], ...) name the
//! documented records. An operation is served by declaring how next to it
//! in the spec (`x-sandbox`) and regenerating; only a true one-off
//! (`x-sandbox: handler`) needs code, in `src/actions.rs`.
//!
//! The sandbox shuts down when the [`Sandbox`] handle is dropped.

mod actions;
mod auth;
mod clock;
mod config;
mod context;
mod engines;
mod errors;
mod faults;
#[rustfmt::skip]
mod generated;
mod inspect;
mod log;
pub mod observe;
mod otp;
mod query;
mod redact;
mod router;
pub mod schemas;
mod scope;
mod seed;
mod server;
mod state;
mod store;
mod tokens;

// The plan's types, generated with the plan from carecloud-codegen's model.
use generated::decl;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use carecloud_api::{
    CustomerLogin, DeviceRegistration, EnterpriseCredentials, Interface, OperationId,
};
use tokio::sync::oneshot;

pub use config::{ApiUser, DEFAULT_LOG_CAPACITY, SandboxConfig};
pub use faults::Fault;
pub use inspect::Status;
pub use log::LoggedRequest;
pub use observe::Exchange;
pub use otp::ONE_TIME_PASSWORD;
pub use seed::{
    API_USER_ID, API_USER_LOGIN, API_USER_PASSWORD, CUSTOMER_APPLICATION_ID,
    ENTERPRISE_APPLICATION_ID, JOHN_SMITH_EMAIL, JOHN_SMITH_ID, JOHN_SMITH_PASSWORD, SSO_TOKEN,
    TEST_CUSTOMER_ID, USER_AUTH_TOKEN,
};
use state::State;

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
    /// Apart from the state: observers run outside its lock.
    observers: Mutex<Vec<observe::Observer>>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn observers(&self) -> MutexGuard<'_, Vec<observe::Observer>> {
        self.observers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sandbox {
    /// Starts a sandbox with the default [`SandboxConfig`] on a free port of
    /// `127.0.0.1`.
    pub async fn start() -> std::io::Result<Sandbox> {
        Self::start_with(SandboxConfig::default()).await
    }

    /// Starts a sandbox with `config`. Fails if the port cannot be bound, or
    /// if a seed record does not fit the spec (the error names it).
    pub async fn start_with(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::start_on_port(config, 0).await
    }

    /// Starts a sandbox with `config` on `port` of `127.0.0.1` (0: a free
    /// one), for a standalone server (`carecloud sandbox serve --port N`).
    pub async fn start_on_port(config: SandboxConfig, port: u16) -> std::io::Result<Sandbox> {
        let state = State::new(config).map_err(std::io::Error::other)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            observers: Mutex::new(Vec::new()),
        });
        let app = server::app(shared.clone());
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
        DeviceRegistration::headless(CUSTOMER_APPLICATION_ID, device_id, "Sandbox device")
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

    /// Makes every enterprise bearer token issued so far expire now;
    /// returns how many were still valid (0: there was nothing to end).
    pub fn expire_enterprise_tokens(&self) -> usize {
        let mut state = self.lock();
        let now = std::time::SystemTime::now();
        let live = state
            .bearer_tokens
            .values()
            .filter(|expires| **expires > now)
            .count();
        state.bearer_tokens.clear();
        live
    }

    /// Answers the next `n` requests that need a token with 401.
    pub fn force_unauthorized(&self, n: usize) {
        self.lock().force_401 = n;
    }

    /// Answers the next request (any operation) with `fault`.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push_back((None, fault));
    }

    /// Answers the next request to `operation` (on either interface) with
    /// `fault`.
    pub fn inject_on(&self, operation: OperationId, fault: Fault) {
        self.lock().faults.push_back((Some(operation), fault));
    }

    /// Delays every answer by `latency` (zero: none).
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// The requests the log keeps, oldest first: every request so far, up
    /// to [`SandboxConfig::log_capacity`] (then the last ones). Passwords
    /// and tokens in them are `<redacted>` (see [`LoggedRequest`]).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.lock().log.entries().cloned().collect()
    }

    /// Forgets the request log and its counts.
    pub fn clear_requests(&self) {
        self.lock().log.clear();
    }

    /// How many requests went to `operation` on `interface` (exact, whether
    /// the log still keeps them or not).
    pub fn count(&self, interface: Interface, operation: OperationId) -> usize {
        self.lock().log.count(interface, operation)
    }

    /// The operations of `interface` that received at least one request
    /// (kept in the log or not).
    pub fn operations_called(&self, interface: Interface) -> BTreeSet<OperationId> {
        self.lock().log.operations(interface).collect()
    }

    /// The number of live customer device tokens.
    pub fn device_tokens(&self) -> usize {
        self.lock().device_tokens.len()
    }

    /// The request log's size and the live sessions (what `GET
    /// /_sandbox/status` answers).
    pub fn status(&self) -> Status {
        Status::of(&self.lock())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
