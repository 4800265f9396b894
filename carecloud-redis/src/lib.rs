//! A [`TokenStore`](carecloud_api::auth::TokenStore) on Redis for
//! [carecloud-api](carecloud_api): the processes of a fleet that talk to the
//! same CareCloud project share one login (one bearer token, one device
//! token) instead of each logging in by itself.
//!
//! [`RedisTokenStore`] is given to a client with
//! [`ClientBuilder::token_store`](carecloud_api::ClientBuilder::token_store);
//! how a client uses a store (the login lock, a 401 across the fleet, a
//! store that is down or slow) is described in
//! [`carecloud_api::auth::store`]. With a [`TokenStoreKey`] the tokens are
//! encrypted at rest.
//!
//! ```toml
//! [dependencies]
//! carecloud-redis = "0.1"
//! ```
//!
//! ```no_run
//! # #[cfg(feature = "customer")]
//! # mod demo {
//! use std::sync::Arc;
//! use carecloud_api::{CustomerClient, DeviceRegistration};
//! use carecloud_redis::{RedisTokenStore, TokenStoreKey};
//!
//! fn kiosk(registration: DeviceRegistration) -> Result<CustomerClient, Box<dyn std::error::Error>> {
//!     // Every process of the fleet is given the same key (32 bytes, base64).
//!     let key = TokenStoreKey::from_base64(&std::env::var("TOKEN_STORE_KEY")?)?;
//!     let store = RedisTokenStore::new("redis://10.0.0.5:6379/0")?.with_encryption_key(key);
//!     Ok(CustomerClient::builder("sandbox.crmcarecloud.com", registration)
//!         .token_store(Arc::new(store))
//!         .build()?)
//! }
//! # }
//! ```
//!
//! # Features
//! carecloud-api's `TokenStore` comes with either of its interfaces; this
//! crate asks for the ones named here. The default, `enterprise` and
//! `customer`, matches carecloud-api's; an app on one interface names it
//! (`default-features = false, features = ["customer"]`) so that the other
//! is not compiled for this crate's sake.

#[cfg(not(any(feature = "enterprise", feature = "customer")))]
compile_error!(
    "carecloud-redis needs carecloud-api's auth module: enable its feature `enterprise` or `customer` (or both, the default)"
);

mod sealed;
mod store;

pub use self::sealed::{TOKEN_STORE_KEY_LEN, TokenStoreKey};
pub use self::store::RedisTokenStore;
