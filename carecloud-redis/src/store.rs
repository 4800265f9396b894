//! [`RedisTokenStore`]: tokens shared by every process of a fleet through
//! Redis.

use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;

use carecloud_api::auth::store::{DEFAULT_LOCK_TTL, DEFAULT_STORE_TIMEOUT};
use carecloud_api::auth::{AuthError, BoxFuture, LockToken, StoredToken, TokenStore};
use carecloud_api::types::Secret;

use crate::sealed::{Keyring, TokenStoreKey, Unreadable};

/// Sets the token only if the lock (`KEYS[2]`) still holds this caller's
/// value (`ARGV[1]`), then releases the lock: a holder whose lock expired
/// (and may have been taken by another, who stored a newer token) writes
/// nothing.
const PUT_IF_LOCKED: &str = r"
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0";

/// Deletes the lock only if it still holds this caller's value.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0";

/// Deletes the value only if it is still the one read (`ARGV[1]`, the
/// token the server refused), so that a late 401 never removes a newer
/// token. Compared as stored, so it works on encrypted values too.
const DELETE_IF_VALUE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0";

/// Writes `ARGV[2]` (for `ARGV[3]` ms) only if the value is still the one
/// read (`ARGV[1]`).
const REPLACE_IF_VALUE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0";

/// What a key holds.
#[derive(Serialize, Deserialize)]
struct Entry {
    token: String,
    /// Milliseconds since the Unix epoch.
    until_ms: u64,
    /// Whether a customer is logged in on it (device tokens).
    #[serde(default)]
    customer: bool,
}

/// A [`TokenStore`] on a Redis server (or any server speaking its
/// protocol, e.g. Valkey): the processes of a fleet that use the same
/// server, project, application and login (or device) log in once between
/// them.
///
/// Each token is one key (`carecloud-token:[...]` naming the project,
/// application and login or device) whose expiry (`PX`) is the token's
/// [`usable_until`](StoredToken::usable_until); the login lock is the same
/// key with `:lock` appended, taken with `SET NX PX` and a random value.
/// Storing a token and removing a refused one are Lua scripts that check
/// the lock's value, or the token, first.
///
/// **Encryption at rest** (off unless given a key, since every process of
/// the fleet must share it):
/// [`with_encryption_key`](Self::with_encryption_key) seals each value with
/// XChaCha20-Poly1305 (a random nonce per write, the key's id in the value,
/// the Redis key name as associated data), so the server's operator, a
/// backup or `MONITOR` sees no token, and a value copied to another key
/// does not open. A value that does not open (another key, altered, or
/// written unencrypted) is treated as no token: one warning, and the
/// client logs in. [`with_previous_keys`](Self::with_previous_keys) lets a
/// fleet rotate keys without a login storm.
///
/// The connection is made at the first use and re-made after a failure
/// (the `redis` crate's `ConnectionManager`); a call that fails or takes
/// longer than [`timeout`](Self::timeout) makes the client log in by
/// itself for the while.
///
/// ```no_run
/// # #[cfg(feature = "enterprise")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use carecloud_api::{EnterpriseClient, EnterpriseCredentials};
/// use carecloud_redis::RedisTokenStore;
///
/// let store = Arc::new(RedisTokenStore::new("redis://10.0.0.5:6379/0")?);
/// let creds = EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "fabulous_user", "password_example");
/// let client = EnterpriseClient::builder("sandbox.crmcarecloud.com", creds)
///     .token_store(store)
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "enterprise"))]
/// # fn main() {}
/// ```
pub struct RedisTokenStore {
    client: Client,
    connection: OnceCell<ConnectionManager>,
    /// `host:port/db`, for `Debug` and errors (never a password).
    server: String,
    password: Option<String>,
    timeout: Duration,
    lock_ttl: Duration,
    put: Script,
    unlock: Script,
    remove: Script,
    replace: Script,
    keys: Keyring,
    /// A fingerprint of the last value refused (not a token), so that one
    /// bad value is warned about once, not at every poll.
    refused: Mutex<Option<u64>>,
}

impl RedisTokenStore {
    /// A store on the server at `url` (`redis://[:password@]host:port/db`,
    /// `rediss://` for TLS if the `redis` crate was built with it). Nothing
    /// is connected until the first use; a URL that does not parse is an
    /// error naming what is wrong (never the password).
    pub fn new(url: &str) -> Result<Self, AuthError> {
        let client = Client::open(url).map_err(|e| {
            AuthError::unavailable(format!(
                "not a usable Redis URL ({:?}): expected redis://[:password@]host:port/db",
                e.kind()
            ))
        })?;
        let info = client.get_connection_info();
        let server = format!("{}/{}", info.addr(), info.redis_settings().db());
        let password = info.redis_settings().password().map(str::to_owned);
        Ok(Self {
            client,
            connection: OnceCell::new(),
            server,
            password,
            timeout: DEFAULT_STORE_TIMEOUT,
            lock_ttl: DEFAULT_LOCK_TTL,
            put: Script::new(PUT_IF_LOCKED),
            unlock: Script::new(UNLOCK),
            remove: Script::new(DELETE_IF_VALUE),
            replace: Script::new(REPLACE_IF_VALUE),
            keys: Keyring::default(),
            refused: Mutex::new(None),
        })
    }

    /// Encrypts the tokens it stores with `key`, and reads only tokens
    /// encrypted with it (or a [previous key](Self::with_previous_keys)).
    /// Every process sharing the store needs the same key.
    pub fn with_encryption_key(mut self, key: TokenStoreKey) -> Self {
        self.keys.set_current(key);
        self
    }

    /// Keys it still reads tokens with (never writes with): during a key
    /// rotation, the old key, until every stored token was written with the
    /// new one (at most a token's life: a day for device tokens).
    pub fn with_previous_keys(mut self, keys: impl IntoIterator<Item = TokenStoreKey>) -> Self {
        self.keys.add_previous(keys);
        self
    }

    /// How long a call may take before the client gives up on the store
    /// for that login (default 250 ms).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a login lock lasts (default 20 s).
    pub fn with_lock_ttl(mut self, ttl: Duration) -> Self {
        self.lock_ttl = ttl;
        self
    }

    /// The server, as `host:port/db`.
    pub fn server(&self) -> &str {
        &self.server
    }

    async fn connection(&self) -> Result<ConnectionManager, AuthError> {
        let connection = self
            .connection
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.timeout))
                    .set_response_timeout(Some(self.timeout))
                    .set_number_of_retries(2)
                    .set_min_delay(Duration::from_millis(10))
                    .set_max_delay(Duration::from_millis(100));
                ConnectionManager::new_with_config(self.client.clone(), config)
                    .await
                    .map_err(|e| self.error(&e))
            })
            .await?;
        Ok(connection.clone())
    }

    /// A Redis error as an [`AuthError`], without the password.
    fn error(&self, error: &redis::RedisError) -> AuthError {
        let mut text = error.to_string();
        if let Some(password) = self.password.as_deref().filter(|p| !p.is_empty()) {
            text = text.replace(password, "<redacted>");
        }
        AuthError::unavailable(format!("Redis at {}: {text}", self.server))
    }

    fn lock_key(key: &str) -> String {
        format!("{key}:lock")
    }

    /// The raw value under `key`, if any.
    async fn raw(&self, key: &str) -> Result<Option<String>, AuthError> {
        let mut connection = self.connection().await?;
        redis::cmd("GET")
            .arg(key)
            .query_async(&mut connection)
            .await
            .map_err(|e| self.error(&e))
    }

    /// The raw value under `key` if it holds `token` (for a
    /// compare-and-set on the value as stored, which works sealed too).
    async fn raw_of(&self, key: &str, token: &Secret) -> Result<Option<String>, AuthError> {
        let value = self.raw(key).await?;
        Ok(value.filter(|value| {
            self.decode(key, value)
                .is_some_and(|entry| entry.token == token.expose())
        }))
    }

    /// The entry of `value` read under `key`; `None` (with one warning per
    /// bad value) if it is not a token this store can read.
    fn decode(&self, key: &str, value: &str) -> Option<Entry> {
        let entry = self.keys.open(key, value).and_then(|plain| {
            serde_json::from_str::<Entry>(&plain).map_err(|_| Unreadable::Malformed)
        });
        match entry {
            Ok(entry) => Some(entry),
            Err(reason) => {
                let fingerprint =
                    BuildHasherDefault::<DefaultHasher>::default().hash_one((key, value));
                let mut refused = self.refused.lock().unwrap_or_else(PoisonError::into_inner);
                if *refused != Some(fingerprint) {
                    *refused = Some(fingerprint);
                    tracing::warn!(
                        key,
                        %reason,
                        "token store: the stored value is not usable; ignored (logging in)"
                    );
                }
                None
            }
        }
    }

    /// `token` as stored under `key` (encrypted if the store has a key).
    fn encode(&self, key: &str, token: &StoredToken) -> Result<String, AuthError> {
        let entry = Entry {
            token: token.token().expose().to_owned(),
            until_ms: millis(token.usable_until()),
            customer: token.customer_logged_in(),
        };
        let plain = serde_json::to_string(&entry)
            .map_err(|e| AuthError::unavailable(format!("token store: {e}")))?;
        self.keys.seal(key, plain)
    }
}

/// A TTL for `PX`: whole milliseconds, at least 1.
fn ttl_ms(left: Duration) -> u64 {
    u64::try_from(left.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn millis(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl TokenStore for RedisTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, AuthError>> {
        Box::pin(async move {
            let Some(value) = self.raw(key).await? else {
                return Ok(None);
            };
            // Something else under our key is no token: as if none.
            let Some(entry) = self.decode(key, &value) else {
                return Ok(None);
            };
            let until = SystemTime::UNIX_EPOCH + Duration::from_millis(entry.until_ms);
            Ok((until > SystemTime::now()).then(|| {
                StoredToken::new(Secret::new(entry.token), until)
                    .with_customer_logged_in(entry.customer)
            }))
        })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<LockToken>, AuthError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let lock = LockToken::random();
            let set: Option<String> = redis::cmd("SET")
                .arg(Self::lock_key(key))
                .arg(lock.as_str())
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms(ttl))
                .query_async(&mut connection)
                .await
                .map_err(|e| self.error(&e))?;
            Ok(set.map(|_| lock))
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        lock: &'a LockToken,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<bool, AuthError>> {
        Box::pin(async move {
            let left = token.time_left();
            if left.is_zero() {
                self.unlock(key, lock).await?;
                return Ok(true);
            }
            let value = self.encode(key, token)?;
            let mut connection = self.connection().await?;
            let stored: i64 = self
                .put
                .key(key)
                .key(Self::lock_key(key))
                .arg(lock.as_str())
                .arg(value)
                .arg(ttl_ms(left))
                .invoke_async(&mut connection)
                .await
                .map_err(|e| self.error(&e))?;
            Ok(stored == 1)
        })
    }

    fn unlock<'a>(
        &'a self,
        key: &'a str,
        lock: &'a LockToken,
    ) -> BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let _: i64 = self
                .unlock
                .key(Self::lock_key(key))
                .arg(lock.as_str())
                .invoke_async(&mut connection)
                .await
                .map_err(|e| self.error(&e))?;
            Ok(())
        })
    }

    fn remove<'a>(
        &'a self,
        key: &'a str,
        token: &'a Secret,
    ) -> BoxFuture<'a, Result<bool, AuthError>> {
        Box::pin(async move {
            let Some(value) = self.raw_of(key, token).await? else {
                return Ok(false);
            };
            let mut connection = self.connection().await?;
            let removed: i64 = self
                .remove
                .key(key)
                .arg(value)
                .invoke_async(&mut connection)
                .await
                .map_err(|e| self.error(&e))?;
            Ok(removed == 1)
        })
    }

    fn update<'a>(
        &'a self,
        key: &'a str,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<bool, AuthError>> {
        Box::pin(async move {
            let left = token.time_left();
            if left.is_zero() {
                return Ok(false);
            }
            let Some(old) = self.raw_of(key, token.token()).await? else {
                return Ok(false);
            };
            let new = self.encode(key, token)?;
            let mut connection = self.connection().await?;
            let replaced: i64 = self
                .replace
                .key(key)
                .arg(old)
                .arg(new)
                .arg(ttl_ms(left))
                .invoke_async(&mut connection)
                .await
                .map_err(|e| self.error(&e))?;
            Ok(replaced == 1)
        })
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }

    fn lock_ttl(&self) -> Duration {
        self.lock_ttl
    }
}

/// The server and settings; never the password.
impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("server", &self.server)
            .field("timeout", &self.timeout)
            .field("lock_ttl", &self.lock_ttl)
            .field("encryption_key", &self.keys.current_id())
            .field("previous_keys", &self.keys.previous_ids())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "redis://:hunter2-secret@127.0.0.1:6379/3";

    #[test]
    fn the_password_is_in_neither_debug_nor_the_server() {
        let store = RedisTokenStore::new(URL)
            .unwrap()
            .with_encryption_key(TokenStoreKey::new([1; 32]));
        assert_eq!(store.server(), "127.0.0.1:6379/3");
        let debug = format!("{store:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("127.0.0.1:6379/3"), "{debug}");
        assert!(debug.contains(TokenStoreKey::new([1; 32]).id()), "{debug}");
    }

    #[test]
    fn a_bad_url_is_an_error_naming_the_form_not_the_password() {
        for url in [
            "http://:hunter2-secret@127.0.0.1/0",
            "redis://:hunter2-secret@[::1/0",
        ] {
            let error = RedisTokenStore::new(url).unwrap_err();
            let text = error.to_string();
            assert!(text.contains("redis://[:password@]host:port/db"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[tokio::test]
    async fn a_server_that_is_not_there_is_an_error_without_the_password() {
        // Port 9 (discard): nothing listens there on a test machine.
        let store = RedisTokenStore::new("redis://:hunter2-secret@127.0.0.1:9/0").unwrap();
        let error = store.get("carecloud-token:k").await.unwrap_err();
        let text = error.to_string();
        assert!(text.contains("Redis at 127.0.0.1:9/0"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    /// The test above cannot see the redaction if redis's error for a
    /// refused connection never repeats the URL; one that does (a server's
    /// reply quoting what it was sent, say) must still lose the password.
    #[test]
    fn an_error_quoting_the_password_is_redacted() {
        let store = RedisTokenStore::new("redis://:hunter2-secret@127.0.0.1:6379/0").unwrap();
        let quoted = redis::RedisError::from((
            redis::ErrorKind::AuthenticationFailed,
            "auth failed",
            "AUTH hunter2-secret refused".to_owned(),
        ));
        let text = store.error(&quoted).to_string();
        assert!(text.contains("Redis at 127.0.0.1:6379/0"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn an_entry_survives_encoding_sealed_or_not() {
        let until = SystemTime::UNIX_EPOCH + Duration::from_millis(4_102_444_800_000);
        let token = StoredToken::new(Secret::new("tok-1"), until).with_customer_logged_in(true);
        for store in [
            RedisTokenStore::new(URL).unwrap(),
            RedisTokenStore::new(URL)
                .unwrap()
                .with_encryption_key(TokenStoreKey::new([2; 32])),
        ] {
            let value = store.encode("k", &token).unwrap();
            let entry = store.decode("k", &value).expect("readable");
            assert_eq!(
                (entry.token.as_str(), entry.until_ms, entry.customer),
                ("tok-1", 4_102_444_800_000, true)
            );
            assert!(store.decode("k", "not a token").is_none());
        }
    }
}
