//! A typed client for the [CareCloud](https://www.crmcarecloud.com) CRM REST API,
//! generated from a hand-written OpenAPI description of its two interfaces.
//!
//! * [`enterprise`] — for POS systems, e-commerce backends and BI: an API
//!   user logs in (`POST /users/actions/login`) and gets a bearer token valid
//!   for about seven hours.
//! * [`customer`] — for mobile apps, portals and kiosks: a device token
//!   (`POST /tokens`) to which a customer may log in.
//!
//! Each interface is a cargo feature of the same name (both on by default), so
//! an app that needs one interface compiles only that one. Types both
//! interfaces use live once in [`types`].
//!
//! [`EnterpriseClient`] and [`CustomerClient`] handle authentication by
//! themselves: configure credentials once, then call operations. Every
//! operation is a method returning a builder; set parameters, then `send()`:
//!
//! ```no_run
//! # #[cfg(feature = "enterprise")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use carecloud_api::{EnterpriseClient, EnterpriseCredentials};
//!
//! let creds = EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "fabulous_user", "password_example");
//! let client = EnterpriseClient::new("sandbox.crmcarecloud.com", creds)?;
//! let reply = client.get_tests_connection().test_string("Hello").send().await?;
//! println!("{:?}", reply.data.test_string);
//! let page = client.get_customers().count(10u64).send().await?; // logs in first
//! # Ok(()) }
//! ```
//!
//! Tokens are obtained, attached, reused, refreshed and recovered as
//! [`auth`] describes. The generated clients ([`enterprise::Client`],
//! [`customer::Client`]) can also be used directly with
//! [`Runtime::default()`]; they then send requests exactly as built.
//!
//! Values the server is lax about are typed leniently: date-times keep their
//! text ([`types::DateTime`]), enums are open (a new code parses as
//! `Unknown(..)`), numbers-or-strings are [`types::LooseString`], and every
//! object keeps fields this version does not know in `extra`, so a
//! read-modify-write (`PUT` replaces the whole record) loses nothing.

// The derive's expansion names `::carecloud_api::__private::...`; this makes
// that path resolve inside this crate too.
extern crate self as carecloud_api;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
pub mod auth;
mod clients;
#[rustfmt::skip]
mod generated;
pub mod operation;
pub mod runtime;
mod wire;

#[cfg(feature = "enterprise")]
pub use auth::EnterpriseCredentials;
pub use auth::{ClientBuilder, ConfigError};
#[cfg(feature = "customer")]
pub use auth::{CustomerLogin, DeviceRegistration};
pub use carecloud_derive::CareCloudClient;
#[cfg(feature = "customer")]
pub use clients::CustomerClient;
#[cfg(feature = "enterprise")]
pub use clients::EnterpriseClient;

#[cfg(feature = "customer")]
pub use generated::customer;
#[cfg(feature = "enterprise")]
pub use generated::enterprise;
pub use operation::{Auth, Interface, Operation, base_url};
pub use runtime::Runtime;

/// Types used by both interfaces, plus the hand-written value types the
/// generated ones are built from.
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::wire::{Date, DateTime, LooseString, Secret};
}

/// The error every operation returns. A documented error status carries the
/// server's [`types::ErrorEnvelope`] (`Error::ErrorResponse`); a body that is
/// not the documented JSON (429 and 503 often have none) is
/// `Error::InvalidResponsePayload` or `Error::UnexpectedResponse`. When the
/// client itself could not authenticate the call, it is `Error::Custom`;
/// [`auth::AuthError::from_error`] gives that back typed.
pub type Error = progenitor_client::Error<types::ErrorEnvelope>;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub use progenitor_client::ResponseValue;

/// The README's code blocks, compiled as doctests so the quickstart stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
