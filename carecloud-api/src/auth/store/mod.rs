//! Where a client looks for a token before it logs in, so that several
//! clients (or several processes) share one login: [`TokenStore`].
//!
//! Without a store (the default) a client keeps its token to itself, as
//! `auth`'s single flight describes. With one
//! ([`ClientBuilder::token_store`](super::ClientBuilder::token_store)), a
//! client that needs a token asks the store first; if there is none, the
//! clients compete for the store's lock, one logs in and stores its token,
//! and the others wait for it (at most the lock's lifetime, then they
//! compete again). A 401 removes the stored token only if it is still the
//! one that failed, so a burst of 401s across a fleet causes one re-login.
//!
//! A store that fails or answers slower than its
//! [`timeout`](TokenStore::timeout) never fails a call: the client logs in
//! by itself (once), logs one warning, and goes back to the shared token
//! once the store answers again.
//!
//! [`MemoryTokenStore`] shares tokens between the clients of one process;
//! the `carecloud-redis` crate's `RedisTokenStore` between processes. A
//! store of your own implements [`TokenStore`] (with [`StoredToken`],
//! [`LockToken`] and [`AuthError::unavailable`]).

mod memory;

use std::fmt;
use std::time::{Duration, SystemTime};

pub use self::memory::MemoryTokenStore;
use super::{AuthError, BoxFuture};
use crate::types::Secret;

/// How long a store call may take before the client stops waiting for it
/// and logs in by itself: 250 ms.
pub const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_millis(250);

/// How long a login lock is held at most before the other clients compete
/// again: 20 s (longer than a login's default timeout, 15 s).
pub const DEFAULT_LOCK_TTL: Duration = Duration::from_secs(20);

/// A token as a store keeps it: the token and when it stops being usable
/// by the client's reckoning (for an enterprise bearer token, its expiry
/// less the refresh margin; for a device token, which does not expire, how
/// long stores keep it). A store must not keep it past that moment.
///
/// A device token also says whether a customer is logged in on it, so
/// that a client taking it from the store knows (a store keeps that with
/// the token).
///
/// Its `Debug` does not show the token.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredToken {
    token: Secret,
    usable_until: SystemTime,
    customer_logged_in: bool,
}

impl StoredToken {
    /// A token usable until `usable_until` (no customer logged in on it).
    pub fn new(token: Secret, usable_until: SystemTime) -> Self {
        Self {
            token,
            usable_until,
            customer_logged_in: false,
        }
    }

    /// The same, with a customer logged in on it (or not).
    pub fn with_customer_logged_in(mut self, logged_in: bool) -> Self {
        self.customer_logged_in = logged_in;
        self
    }

    /// Whether a customer is logged in on it (device tokens only).
    pub fn customer_logged_in(&self) -> bool {
        self.customer_logged_in
    }

    /// The token (a secret).
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// When the store must have forgotten it.
    pub fn usable_until(&self) -> SystemTime {
        self.usable_until
    }

    /// How long it is still usable (zero: no longer).
    pub fn time_left(&self) -> Duration {
        self.usable_until
            .duration_since(SystemTime::now())
            .unwrap_or_default()
    }
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("token", &self.token)
            .field("usable_until", &self.usable_until)
            .field("customer_logged_in", &self.customer_logged_in)
            .finish()
    }
}

/// A held login lock: the random value only its holder knows, so that a
/// holder whose lock expired cannot store over, or release, its
/// successor's.
#[derive(Clone, PartialEq, Eq)]
pub struct LockToken(String);

impl LockToken {
    /// A new random lock value.
    pub fn random() -> Self {
        Self(random_hex())
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LockToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LockToken(..)")
    }
}

/// 128 random bits as hex, from the standard library's randomly keyed
/// hasher (no extra dependency; unpredictable enough for a lock value,
/// which guards against mistakes, not attackers).
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::with_capacity(32);
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out
}

/// A place several clients share tokens through (see the [module
/// docs](self)). Keys name a project, interface, application and login (or
/// device), never a password.
///
/// Every method may fail ([`AuthError::unavailable`]); the client then
/// logs in by itself. None may keep a token past its
/// [`usable_until`](StoredToken::usable_until), and errors must not
/// contain a token.
pub trait TokenStore: fmt::Debug + Send + Sync + 'static {
    /// The token stored under `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, AuthError>>;

    /// Takes the login lock of `key` for at most `ttl`, unless another
    /// holds it (`None`).
    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<LockToken>, AuthError>>;

    /// Stores `token` under `key` and releases the lock, only if `lock` is
    /// still held; `false` (nothing stored) if it expired meanwhile.
    fn put<'a>(
        &'a self,
        key: &'a str,
        lock: &'a LockToken,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<bool, AuthError>>;

    /// Releases the lock (a failed login), if still held.
    fn unlock<'a>(
        &'a self,
        key: &'a str,
        lock: &'a LockToken,
    ) -> BoxFuture<'a, Result<(), AuthError>>;

    /// Removes the token under `key` only if it is `token` (one the server
    /// refused); `true` if it was removed.
    fn remove<'a>(
        &'a self,
        key: &'a str,
        token: &'a Secret,
    ) -> BoxFuture<'a, Result<bool, AuthError>>;

    /// Writes `token` over the stored one only if that is the same token
    /// (what is kept with it changed: a customer logged in or out on a
    /// device token); `true` if it was written.
    fn update<'a>(
        &'a self,
        key: &'a str,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<bool, AuthError>>;

    /// How long a call may take before the client gives up on the store
    /// for that login (default [`DEFAULT_STORE_TIMEOUT`]).
    fn timeout(&self) -> Duration {
        DEFAULT_STORE_TIMEOUT
    }

    /// How long a login lock lasts (default [`DEFAULT_LOCK_TTL`]); the
    /// clients waiting for its holder wait this long at most.
    fn lock_ttl(&self) -> Duration {
        DEFAULT_LOCK_TTL
    }

    /// How often waiting clients look for the holder's token (default
    /// 25 ms).
    fn poll_interval(&self) -> Duration {
        Duration::from_millis(25)
    }
}
