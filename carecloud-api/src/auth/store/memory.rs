//! [`MemoryTokenStore`]: tokens shared by the clients of one process.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use super::{LockToken, StoredToken, TokenStore};
use crate::auth::{AuthError, BoxFuture};
use crate::types::Secret;

/// A [`TokenStore`] in this process's memory: clients built separately
/// (each with its own settings) that share one `Arc<MemoryTokenStore>` log
/// in once between them, with the same locking and invalidation as a store
/// shared by processes.
///
/// ```
/// use std::sync::Arc;
/// use carecloud_api::auth::MemoryTokenStore;
/// use carecloud_api::{EnterpriseClient, EnterpriseCredentials};
///
/// let store = Arc::new(MemoryTokenStore::new());
/// let creds = EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "fabulous_user", "password_example");
/// let reports = EnterpriseClient::builder("sandbox.crmcarecloud.com", creds.clone())
///     .token_store(store.clone())
///     .build()?;
/// let orders = EnterpriseClient::builder("sandbox.crmcarecloud.com", creds)
///     .accept_language("cs")
///     .token_store(store)
///     .build()?;
/// # let _ = (reports, orders);
/// # Ok::<(), carecloud_api::ConfigError>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug, Default)]
struct Entry {
    token: Option<StoredToken>,
    lock: Option<(LockToken, Instant)>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `key`'s entry, with what has expired dropped.
    fn with<R>(&self, key: &str, f: impl FnOnce(&mut Entry) -> R) -> R {
        let mut entries = self.entries();
        let entry = entries.entry(key.to_owned()).or_default();
        if entry
            .token
            .as_ref()
            .is_some_and(|t| t.usable_until() <= SystemTime::now())
        {
            entry.token = None;
        }
        if entry
            .lock
            .as_ref()
            .is_some_and(|(_, until)| *until <= Instant::now())
        {
            entry.lock = None;
        }
        f(entry)
    }

    fn holds(entry: &Entry, lock: &LockToken) -> bool {
        entry.lock.as_ref().is_some_and(|(held, _)| held == lock)
    }
}

impl TokenStore for MemoryTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, AuthError>> {
        let token = self.with(key, |entry| entry.token.clone());
        Box::pin(async move { Ok(token) })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<LockToken>, AuthError>> {
        let lock = self.with(key, |entry| {
            if entry.lock.is_some() {
                return None;
            }
            let lock = LockToken::random();
            entry.lock = Some((lock.clone(), Instant::now() + ttl));
            Some(lock)
        });
        Box::pin(async move { Ok(lock) })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        lock: &'a LockToken,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<bool, AuthError>> {
        let stored = self.with(key, |entry| {
            if !Self::holds(entry, lock) {
                return false;
            }
            entry.lock = None;
            entry.token = Some(token.clone());
            true
        });
        Box::pin(async move { Ok(stored) })
    }

    fn unlock<'a>(
        &'a self,
        key: &'a str,
        lock: &'a LockToken,
    ) -> BoxFuture<'a, Result<(), AuthError>> {
        self.with(key, |entry| {
            if Self::holds(entry, lock) {
                entry.lock = None;
            }
        });
        Box::pin(async { Ok(()) })
    }

    fn remove<'a>(
        &'a self,
        key: &'a str,
        token: &'a Secret,
    ) -> BoxFuture<'a, Result<bool, AuthError>> {
        let removed = self.with(key, |entry| {
            if entry.token.as_ref().is_some_and(|t| t.token() == token) {
                entry.token = None;
                return true;
            }
            false
        });
        Box::pin(async move { Ok(removed) })
    }

    fn update<'a>(
        &'a self,
        key: &'a str,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<bool, AuthError>> {
        let updated = self.with(key, |entry| match &mut entry.token {
            Some(stored) if stored.token() == token.token() => {
                *stored = token.clone();
                true
            }
            _ => false,
        });
        Box::pin(async move { Ok(updated) })
    }
}
