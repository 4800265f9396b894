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
//! Every operation is a method returning a builder; set parameters, then
//! `send()`:
//!
//! ```no_run
//! # #[cfg(feature = "enterprise")]
//! # async fn demo() -> Result<(), carecloud_api::Error> {
//! use carecloud_api::{Interface, Runtime, enterprise};
//!
//! let url = carecloud_api::base_url("sandbox.crmcarecloud.com", Interface::Enterprise);
//! let client = enterprise::Client::new(&url, Runtime::default());
//! let reply = client.get_tests_connection().test_string("Hello").send().await?;
//! println!("{:?}", reply.data.test_string);
//! # Ok(()) }
//! ```
//!
//! Values the server is lax about are typed leniently: date-times keep their
//! text ([`types::DateTime`]), enums are open (a new code parses as
//! `Unknown(..)`), numbers-or-strings are [`types::LooseString`], and every
//! object keeps fields this version does not know in `extra`, so a
//! read-modify-write (`PUT` replaces the whole record) loses nothing.

#[rustfmt::skip]
mod generated;
pub mod operation;
pub mod runtime;
mod wire;

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
/// `Error::InvalidResponsePayload` or `Error::UnexpectedResponse`.
pub type Error = progenitor_client::Error<types::ErrorEnvelope>;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub use progenitor_client::ResponseValue;

/// The README's code blocks, compiled as doctests so the quickstart stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
