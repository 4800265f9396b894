//! The distributed single flight: a session's use of its [`TokenStore`],
//! and what it does when the store fails (see [`super::store`]).

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::AuthError;
use super::store::{StoredToken, TokenStore};
use crate::types::Secret;

/// How often a session holding a token it obtained while the store failed
/// asks the store again, to go back to the shared token.
const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// A session's store, and whether it is failing.
pub(crate) struct Shared {
    store: Arc<dyn TokenStore>,
    /// Whether the last store call failed (the warning is logged when this
    /// turns true, once per outage).
    degraded: AtomicBool,
    /// The token obtained while the store failed, and when to try the store
    /// again.
    local: Mutex<Option<(Secret, Instant)>>,
}

impl Shared {
    pub(crate) fn new(store: Arc<dyn TokenStore>) -> Self {
        Self {
            store,
            degraded: AtomicBool::new(false),
            local: Mutex::new(None),
        }
    }

    /// `call` within the store's timeout; `None` (and the store marked as
    /// failing) if it failed or took too long.
    async fn call<T>(&self, call: impl Future<Output = Result<T, AuthError>>) -> Option<T> {
        let outcome = match tokio::time::timeout(self.store.timeout(), call).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err(format!(
                "no answer within {} ms",
                self.store.timeout().as_millis()
            )),
        };
        match outcome {
            Ok(value) => {
                if self.degraded.swap(false, Ordering::SeqCst) {
                    tracing::info!("token store answering again: tokens are shared again");
                }
                Some(value)
            }
            Err(reason) => {
                if !self.degraded.swap(true, Ordering::SeqCst) {
                    tracing::warn!(
                        store = ?self.store,
                        %reason,
                        "token store failing: logging in without it until it answers again"
                    );
                }
                None
            }
        }
    }

    /// A token: the stored one (`adopt` says if it is usable), or this
    /// session's login (`obtain`) as the holder of the store's lock, or
    /// the holder's token once it is stored. If the store fails, `obtain`
    /// alone.
    pub(crate) async fn obtain<T, Fut>(
        &self,
        key: &str,
        adopt: impl Fn(StoredToken) -> Option<T>,
        obtain: impl FnOnce() -> Fut,
        to_stored: impl Fn(&T) -> Option<StoredToken>,
        secret: impl Fn(&T) -> &Secret,
    ) -> Result<T, AuthError>
    where
        Fut: Future<Output = Result<T, AuthError>>,
    {
        let store = &*self.store;
        let stored = |found: Option<Option<StoredToken>>| found.flatten().and_then(&adopt);
        loop {
            let Some(found) = self.call(store.get(key)).await else {
                break;
            };
            if let Some(token) = stored(Some(found)) {
                return Ok(token);
            }
            let Some(lock) = self.call(store.try_lock(key, store.lock_ttl())).await else {
                break;
            };
            let Some(lock) = lock else {
                // Another holds the lock: wait for its token, at most as long
                // as the lock lasts; then compete again.
                let until = Instant::now() + store.lock_ttl();
                while Instant::now() < until {
                    tokio::time::sleep(store.poll_interval()).await;
                    let Some(found) = self.call(store.get(key)).await else {
                        break;
                    };
                    if let Some(token) = stored(Some(found)) {
                        return Ok(token);
                    }
                }
                if self.degraded.load(Ordering::SeqCst) {
                    break;
                }
                continue;
            };
            // A holder may have stored its token between the look and the lock.
            if let Some(token) = stored(self.call(store.get(key)).await) {
                self.call(store.unlock(key, &lock)).await;
                return Ok(token);
            }
            let token = match obtain().await {
                Ok(token) => token,
                Err(error) => {
                    self.call(store.unlock(key, &lock)).await;
                    return Err(error);
                }
            };
            let put = match to_stored(&token) {
                Some(value) => self.call(store.put(key, &lock, &value)).await,
                None => {
                    self.call(store.unlock(key, &lock)).await;
                    Some(true)
                }
            };
            match put {
                Some(true) => {}
                Some(false) => {
                    // The lock expired while logging in: a newer token may be
                    // stored, and this one is not written over it.
                    tracing::info!("login lock expired before the token was stored: not stored");
                    if let Some(newer) = stored(self.call(store.get(key)).await) {
                        return Ok(newer);
                    }
                }
                None => self.mark_local(secret(&token)),
            }
            return Ok(token);
        }
        let token = obtain().await?;
        self.mark_local(secret(&token));
        Ok(token)
    }

    fn mark_local(&self, token: &Secret) {
        *self.local.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((token.clone(), Instant::now() + PROBE_INTERVAL));
    }

    /// Whether `token` was obtained while the store failed and it is time
    /// to ask the store again.
    pub(crate) fn should_probe(&self, token: &Secret) -> bool {
        let mut local = self.local.lock().unwrap_or_else(PoisonError::into_inner);
        match &mut *local {
            Some((held, next)) if held == token => {
                if Instant::now() < *next {
                    return false;
                }
                *next = Instant::now() + PROBE_INTERVAL;
                true
            }
            Some(_) => {
                *local = None;
                false
            }
            None => false,
        }
    }

    /// After a token was obtained without the store: the stored token to
    /// use instead, if there is one; else `ours` is offered to the others.
    pub(crate) async fn converge<T>(
        &self,
        key: &str,
        ours: &Secret,
        adopt: impl Fn(StoredToken) -> Option<T>,
        stored: Option<StoredToken>,
    ) -> Option<T> {
        let store = &*self.store;
        let found = self.call(store.get(key)).await?;
        if let Some(found) = found {
            if found.token() == ours {
                self.clear_local();
                return None;
            }
            let token = adopt(found)?;
            self.clear_local();
            return Some(token);
        }
        let lock = self.call(store.try_lock(key, store.lock_ttl())).await??;
        let Some(stored) = stored else {
            self.call(store.unlock(key, &lock)).await;
            return None;
        };
        if self.call(store.put(key, &lock, &stored)).await == Some(true) {
            self.clear_local();
        }
        None
    }

    fn clear_local(&self) {
        *self.local.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Writes `token` over the stored one if that is the same token (what
    /// is kept with it changed).
    pub(crate) async fn update(&self, key: &str, token: &StoredToken) {
        self.call(self.store.update(key, token)).await;
    }

    /// Removes `token` from the store if it is still the stored one.
    pub(crate) async fn remove(&self, key: &str, token: &Secret) {
        self.call(self.store.remove(key, token)).await;
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.store, f)
    }
}
