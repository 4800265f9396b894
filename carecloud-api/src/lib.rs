//! A typed client for the [CareCloud](https://www.crmcarecloud.com) CRM REST API,
//! generated from a hand-written OpenAPI description of its two interfaces.
//!
//! * [`enterprise`] — for POS systems, e-commerce backends and BI: an API
//!   user logs in (`POST /users/actions/login`) and gets a bearer token valid
//!   for about seven hours.
//! * [`customer`] — for mobile apps, portals and kiosks: a device token
//!   (`POST /tokens`) to which a customer may log in.
//!
//! # Features
//! Each interface is a cargo feature of the same name, and each resource
//! group of the API (`customers`, `cards`, `stores`, ...) is one too; `full`
//! names every group. The default is both interfaces and `full`. An app
//! compiles what it names:
//!
//! ```toml
//! # A kiosk: the customer interface, customers and cards only.
//! carecloud-api = { version = "0.1", default-features = false, features = ["customer", "customers", "cards"] }
//! # A crate that only exchanges the types of the customers group: no HTTP stack at all.
//! carecloud-api = { version = "0.1", default-features = false, features = ["customers"] }
//! ```
//!
//! The operations every client needs (logins, device tokens, users, the
//! connection test) come with either interface. [`features`] lists every
//! group feature with its operations. `rustls` (default) gives HTTPS;
//! `schemars` adds `JsonSchema` to every type. Any operation by its
//! [`OperationId`] with JSON arguments (for tools) is the separate crate
//! `carecloud-dynamic`.
//!
//! # Use
//! [`EnterpriseClient`] and [`CustomerClient`] handle authentication by
//! themselves: configure credentials once, then call operations. Every
//! operation is a method taking the operation's required parameters (path
//! ones in path order, then required query and header ones) and its body
//! when the body is required, and returning a builder ([`builders`]) on
//! which the optional parameters are set; `send()` sends it. Leaving out a
//! required argument does not compile. Setters take plain values (`count(10)`,
//! `sort_field("name")`); one out of its range fails before sending, naming
//! the parameter.
//!
//! ```no_run
//! # #[cfg(all(feature = "enterprise", feature = "customers"))]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use carecloud_api::{EnterpriseClient, EnterpriseCredentials};
//!
//! let creds = EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "fabulous_user", "password_example");
//! let client = EnterpriseClient::new("sandbox.crmcarecloud.com", creds)?;
//! let reply = client.get_tests_connection().test_string("Hello").send().await?;
//! println!("{:?}", reply.data.test_string);
//! let page = client.get_customers().count(10).send().await?; // logs in first
//! let john = client.get_customer("8ea6abece4cd0a4ded0a29f093").send().await?;
//! # Ok(()) }
//! ```
//!
//! A built request owns what it needs (a clone of the client, which is one
//! `Arc` inside), so it, and the future `send()` returns, can be handed to
//! another task:
//!
//! ```no_run
//! # #[cfg(all(feature = "enterprise", feature = "stores"))]
//! # async fn demo(client: carecloud_api::EnterpriseClient) -> Result<(), Box<dyn std::error::Error>> {
//! let stores = tokio::spawn(client.get_stores().send());
//! drop(client); // the request does not borrow it
//! let stores = stores.await??;
//! println!("{} stores", stores.data.stores().len());
//! # Ok(()) }
//! ```
//!
//! Request bodies, and every other generated type, are built with their
//! constructors: `new(..)` takes the required fields in the order of the
//! schema's `required` list, a `with_<field>` method sets each optional one.
//! The types are `#[non_exhaustive]`: a field or enum value added to the
//! spec is not a breaking change (`docs/semver.md` in the repository says
//! which spec changes are).
//!
//! ```
//! # #[cfg(feature = "cards")]
//! # {
//! use carecloud_api::types::{Card, CardState, PostCardRequest};
//!
//! let card = Card::new("86e05affc7a7befcd513ab400", "2000999900001111", CardState::Active)
//!     .with_customer_id("8ea6abece4cd0a4ded0a29f093");
//! let body = PostCardRequest::new(card);
//! assert_eq!(
//!     serde_json::to_value(&body).unwrap(),
//!     serde_json::json!({"card": {
//!         "card_type_id": "86e05affc7a7befcd513ab400",
//!         "card_number": "2000999900001111",
//!         "state": 1,
//!         "customer_id": "8ea6abece4cd0a4ded0a29f093"
//!     }})
//! );
//! # }
//! ```
//!
//! Tokens are obtained, attached, reused, refreshed and recovered as
//! [`auth`] describes. The interface clients ([`enterprise::Client`],
//! [`customer::Client`]) can also be used directly with
//! [`Runtime::default()`]; they then send requests exactly as built.
//!
//! Values the server is lax about are typed leniently: date-times keep their
//! text ([`types::DateTime`]), enums are open (a new code parses as
//! `Unknown(..)`), numbers-or-strings are [`types::LooseString`], and every
//! object keeps fields this version does not know in `extra`, so a
//! read-modify-write (`PUT` replaces the whole record) loses nothing;
//! [`unknown_fields`] lists where a value holds any.

// On docs.rs (`--cfg docsrs`, a nightly rustdoc) every item shows the
// features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The derive's expansion names `::carecloud_api::__private::...`; this makes
// that path resolve inside this crate too.
#[cfg(any(feature = "enterprise", feature = "customer"))]
extern crate self as carecloud_api;

#[cfg(any(feature = "enterprise", feature = "customer"))]
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub mod auth;
#[cfg(any(feature = "enterprise", feature = "customer"))]
mod clients;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub mod error;
#[rustfmt::skip]
mod generated;
#[cfg(any(feature = "enterprise", feature = "customer"))]
mod interfaces;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub mod operation;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub mod runtime;
mod wire;

#[cfg(feature = "enterprise")]
pub use auth::EnterpriseCredentials;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub use auth::{ClientBuilder, ConfigError};
#[cfg(feature = "customer")]
pub use auth::{CustomerLogin, DeviceRegistration};
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub use carecloud_derive::CareCloudClient;
#[cfg(feature = "customer")]
pub use clients::CustomerClient;
#[cfg(feature = "enterprise")]
pub use clients::EnterpriseClient;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub use error::Error;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub use operation::{Auth, Interface, Operation, OperationId, base_url};
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub use runtime::{ResponseValue, RetryPolicy, Runtime};
pub use wire::unknown_fields;

/// Every type of the API (each compiled when a group that uses it is), plus
/// the hand-written value types the generated ones are built from.
pub mod types {
    #[allow(unused_imports)] // Nothing to import without a group.
    pub use crate::generated::types::*;
    pub use crate::wire::{Date, DateTime, Extra, LooseString, Secret};
}

/// The operation builders, one per operation: made by a client's method of
/// the same name in snake case, which takes the required parameters
/// (`client.get_customer(id)` → [`GetCustomer`](builders::GetCustomer)); set
/// the optional parameters, then `send()`. A builder owns its request, so it
/// can move to another task. An operation both interfaces serve has one
/// builder for both. Each builder's `OPERATION` says what the runtime knows
/// of it.
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub mod builders {
    pub use crate::generated::builders::*;
}

/// The Enterprise interface (`/webservice/rest-api/enterprise-interface/v1.0`):
/// its [`Client`](enterprise::Client) and its operation table.
#[cfg(feature = "enterprise")]
pub mod enterprise {
    crate::interfaces::interface_client!("enterprise");
    pub use crate::generated::operations::ENTERPRISE as OPERATIONS;
}

/// The Customer interface (`/webservice/rest-api/customer-interface/v1.0`):
/// its [`Client`](customer::Client) and its operation table.
#[cfg(feature = "customer")]
pub mod customer {
    crate::interfaces::interface_client!("customer");
    pub use crate::generated::operations::CUSTOMER as OPERATIONS;
}

/// Group features and the operations each compiles.
///
#[doc = include_str!("generated/features.md")]
pub mod features {}

/// `Result` with this crate's [`Error`].
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The README's code blocks, compiled as doctests so the quickstart stays true.
#[cfg(all(
    doctest,
    feature = "enterprise",
    feature = "customer",
    feature = "full"
))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
