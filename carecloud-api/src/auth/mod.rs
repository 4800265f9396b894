//! Authentication: tokens obtained, attached, reused, refreshed and recovered
//! for [`EnterpriseClient`](crate::EnterpriseClient) and
//! [`CustomerClient`](crate::CustomerClient).
//!
//! Everything here runs inside the executor every operation goes through
//! ([`crate::runtime`]): the operation says whether it needs the bearer
//! token (its `auth`, from the spec's `security`); if so the session
//! supplies one, logging in or creating a device token first when it has
//! none, and attaches it as a sensitive `Authorization` header. Public
//! operations never carry it. What an operation does to the session (a
//! logout, a customer login) is its `session` role, from the spec. When an
//! authenticated request is answered 401, the session drops that token (only
//! if it is still the cached one), obtains a new one and sends the request
//! again once, if its body could be cloned. A second 401 is the operation's
//! error.
//!
//! Both tokens go through one identity layer (`identity.rs`): the enterprise
//! API user and the customer device are two providers behind it.
//!
//! # Single flight
//! However many calls need a token at once, one login (or one `POST /tokens`)
//! is sent; the others wait for it and share its token or its error. A
//! failure is never cached: the next call tries again. See
//! `single_flight.rs`. Clients built separately, or processes, share one
//! login through a [`TokenStore`] ([`store`]).
//!
//! # Errors
//! Operations keep the crate's one error type, [`crate::Error`]. An
//! authentication failure of the client (login refused, no token could be
//! had, customer must log in again) is [`Error::Auth`](crate::Error::Auth)
//! holding an [`AuthError`]. Building a client fails with [`ConfigError`].
//!
//! # Enterprise token lifetime
//! See [`expiry`].

mod builder;
mod clock;
mod credentials;
#[cfg(feature = "customer")]
pub(crate) mod customer;
#[cfg(feature = "enterprise")]
pub(crate) mod enterprise;
mod error;
pub mod expiry;
mod identity;
mod shared;
mod single_flight;
mod source;
pub mod store;

use std::future::Future;
use std::pin::Pin;

use reqwest::header::{AUTHORIZATION, HeaderValue};

pub use self::builder::{ClientBuilder, ConfigError, DEFAULT_TIMEOUT};
pub use self::clock::{Clock, ManualClock, SystemClock};
#[cfg(feature = "enterprise")]
pub use self::credentials::EnterpriseCredentials;
#[cfg(feature = "customer")]
pub use self::credentials::{CustomerLogin, DeviceRegistration};
pub use self::error::{AuthError, AuthErrorKind};
use self::single_flight::SingleFlight;
#[cfg(feature = "customer")]
pub use self::source::DeviceSource;
pub use self::source::{AuthClient, Connect};
#[cfg(feature = "enterprise")]
pub use self::source::{CredentialSource, SavedBearerToken};
pub use self::store::{LockToken, MemoryTokenStore, StoredToken, TokenStore};
use crate::types::Secret;

/// A boxed, `Send` future: what [`CredentialSource::credentials`] returns.
/// (Token requests are boxed too, because they run generated operations,
/// whose hooks in turn call the session.)
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// `Authorization: Bearer <token>`, marked sensitive so that HTTP tooling
/// does not log it. A token the server sent that is not a valid header
/// value is an error, not a panic.
fn bearer_header(token: &Secret) -> Result<HeaderValue, AuthError> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
        AuthError::new(
            AuthErrorKind::Unavailable,
            None,
            "the server issued a token that is not a valid HTTP header value",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

fn set_bearer(request: &mut reqwest::Request, token: &Secret) -> Result<(), AuthError> {
    request
        .headers_mut()
        .insert(AUTHORIZATION, bearer_header(token)?);
    Ok(())
}

/// A token store key: `carecloud-token:` and the JSON array of `parts`
/// (the base URL, application, login or device), unambiguous whatever the
/// parts hold.
fn store_key(parts: &[&str]) -> String {
    let parts = serde_json::to_string(parts).unwrap_or_default();
    format!("carecloud-token:{parts}")
}

/// The token a request carries, if any.
fn bearer_of(request: &reqwest::Request) -> Option<String> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_header_is_sensitive_and_checked() {
        let header = bearer_header(&Secret::new("t0k3n")).unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Bearer t0k3n");
        let error = bearer_header(&Secret::new("bad\ntoken")).unwrap_err();
        assert!(!error.to_string().contains("bad"), "{error}");
    }
}
