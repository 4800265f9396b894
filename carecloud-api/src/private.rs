//! What `#[derive(CareCloudClient)]` expands to refers to, by absolute
//! paths (`::carecloud_api::__private::...`), so the expansion works in any
//! crate, this one included (`extern crate self as carecloud_api`). Not
//! public API: it changes with the derive.

pub use std::clone::Clone;
pub use std::fmt::{Debug, Formatter, Result as FmtResult};
pub use std::ops::Deref;
pub use std::option::Option;
pub use std::result::Result;
pub use std::string::String;

pub use crate::auth::{AuthClient, ClientBuilder, ConfigError};
pub use crate::types::Secret;
#[cfg(feature = "customer")]
pub use crate::{CustomerLogin, DeviceRegistration};

/// `Wrapper::builder(project_url, source)`.
pub fn builder<S, W>(project_url: &str, source: S) -> ClientBuilder<S, W> {
    ClientBuilder::new(project_url, source)
}

/// `Wrapper::resume`: the builder going on with a saved device token. (Any
/// source type, so that a wrong `credentials = ...` is reported once, by the
/// `Connect` bound, not again here.)
pub fn with_device_token<S, W>(
    mut builder: ClientBuilder<S, W>,
    token_id: Secret,
) -> ClientBuilder<S, W> {
    builder.device_token = Some(token_id);
    builder
}

/// An interface client, as the wrappers' `Debug` sees it.
pub trait InterfaceClient {
    /// The base URL.
    fn base_url(&self) -> &str;
    /// The runtime (its session shows no password and no token).
    fn runtime(&self) -> &crate::Runtime;
}

#[cfg(feature = "enterprise")]
impl InterfaceClient for crate::enterprise::Client {
    fn base_url(&self) -> &str {
        self.baseurl()
    }
    fn runtime(&self) -> &crate::Runtime {
        crate::enterprise::Client::runtime(self)
    }
}

#[cfg(feature = "customer")]
impl InterfaceClient for crate::customer::Client {
    fn base_url(&self) -> &str {
        self.baseurl()
    }
    fn runtime(&self) -> &crate::Runtime {
        crate::customer::Client::runtime(self)
    }
}

/// The wrappers' `Debug`: the base URL and the runtime, whose session shows
/// no password and no token.
pub fn debug_client<C: InterfaceClient>(
    f: &mut Formatter<'_>,
    name: &str,
    client: &C,
) -> FmtResult {
    f.debug_struct(name)
        .field("base_url", &client.base_url())
        .field("runtime", client.runtime())
        .finish()
}

/// The enterprise session's methods on a generated client.
#[cfg(feature = "enterprise")]
pub mod enterprise {
    pub use crate::auth::enterprise::{log_in, log_out};
}

/// The customer session's methods on a generated client.
#[cfg(feature = "customer")]
pub mod customer {
    pub use crate::auth::customer::{customer_logged_in, log_in, log_out, token_id};
}
