//! Tokens encrypted at rest in the store: [`TokenStoreKey`], and the
//! sealed value format.
//!
//! A sealed value is `ccs1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`:
//! XChaCha20-Poly1305 with a random 192-bit nonce for every write, and as
//! associated data the format and key id together with the store key the
//! value is written under, so a value copied to another key (another login,
//! another project) does not open. The key id names which key sealed it, so
//! that keys can rotate: a store reads with its current key and any
//! previous ones, and writes with the current one.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, Generate, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};

use carecloud_api::auth::AuthError;

/// The sealed format's tag (and version).
const FORMAT: &str = "ccs1";

/// A key's length: 32 bytes (256 bits).
pub const TOKEN_STORE_KEY_LEN: usize = 32;

/// A 256-bit key that encrypts the tokens a store keeps (XChaCha20-Poly1305),
/// so that whoever reads the store (its operator, a backup, `MONITOR`)
/// sees no usable token.
///
/// Its [`id`](Self::id) is derived from the key and written beside each
/// value, so a store knows which of its keys opens a value; it reveals
/// nothing about the key. The key is wiped from memory when dropped and
/// never shown by `Debug`.
///
/// ```
/// use carecloud_redis::TokenStoreKey;
///
/// let key = TokenStoreKey::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
/// assert_eq!(format!("{key:?}"), format!("TokenStoreKey {{ id: {:?}, .. }}", key.id()));
/// # Ok::<(), carecloud_api::auth::AuthError>(())
/// ```
#[derive(Clone)]
pub struct TokenStoreKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl TokenStoreKey {
    /// The key of these 32 bytes (e.g. read from a secret manager).
    pub fn new(bytes: [u8; TOKEN_STORE_KEY_LEN]) -> Self {
        let cipher = XChaCha20Poly1305::new(&bytes.into());
        // The id: the tag of an empty message under the all-zero nonce,
        // used for nothing else (random nonces never are all zero).
        let tag = cipher
            .encrypt(
                &XNonce::default(),
                Payload {
                    msg: &[],
                    aad: b"carecloud token store key id",
                },
            )
            .unwrap_or_default();
        let id = tag.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Self { id, cipher }
    }

    /// The key of `bytes`, which must be exactly 32; the error says how
    /// many there were (never which).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, AuthError> {
        let bytes: [u8; TOKEN_STORE_KEY_LEN] = bytes.try_into().map_err(|_| {
            AuthError::unavailable(format!(
                "a token store key is {TOKEN_STORE_KEY_LEN} bytes; this one has {}",
                bytes.len()
            ))
        })?;
        Ok(Self::new(bytes))
    }

    /// The key of 32 bytes in base64 (standard or URL-safe alphabet,
    /// padded or not), as `openssl rand -base64 32` prints one.
    pub fn from_base64(text: &str) -> Result<Self, AuthError> {
        let text = text.trim().trim_end_matches('=');
        let text: String = text
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect();
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| {
            AuthError::unavailable(
                "a token store key must be 32 bytes in base64; this is not base64",
            )
        })?;
        Self::from_bytes(&bytes)
    }

    /// The key's id (12 hex digits derived from the key; written beside
    /// every value it seals).
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The id only.
impl fmt::Debug for TokenStoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenStoreKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A store's keys: the one it writes with (if any) and the ones it still
/// reads with.
#[derive(Clone, Debug, Default)]
pub(crate) struct Keyring {
    current: Option<TokenStoreKey>,
    previous: Vec<TokenStoreKey>,
}

/// Why a stored value was not taken (said in the warning; never the value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// Encrypted, but by no key this store has.
    UnknownKey,
    /// Encrypted by one of its keys, but it does not open: altered, or
    /// written under another store key.
    Tampered,
    /// Not encrypted, and this store only takes encrypted values.
    NotEncrypted,
    /// Encrypted, and this store has no key.
    NoKey,
    /// Not a stored token at all.
    Malformed,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnknownKey => "encrypted with a key this store does not have",
            Self::Tampered => "it fails authentication (altered, or copied from another key)",
            Self::NotEncrypted => "not encrypted, and this store encrypts its tokens",
            Self::NoKey => "encrypted, and this store has no key",
            Self::Malformed => "not a stored token",
        })
    }
}

impl Keyring {
    pub(crate) fn set_current(&mut self, key: TokenStoreKey) {
        self.current = Some(key);
    }

    pub(crate) fn add_previous(&mut self, keys: impl IntoIterator<Item = TokenStoreKey>) {
        self.previous.extend(keys);
    }

    /// The id of the key values are written with, if any.
    pub(crate) fn current_id(&self) -> Option<&str> {
        self.current.as_ref().map(TokenStoreKey::id)
    }

    /// The ids of the keys only read with.
    pub(crate) fn previous_ids(&self) -> Vec<&str> {
        self.previous.iter().map(TokenStoreKey::id).collect()
    }

    /// `plain` as written under `store_key`: sealed with the current key,
    /// or as it is without one.
    pub(crate) fn seal(&self, store_key: &str, plain: String) -> Result<String, AuthError> {
        let Some(key) = &self.current else {
            return Ok(plain);
        };
        let nonce = XNonce::try_generate().map_err(|_| {
            AuthError::unavailable("token store: no random nonce from the operating system")
        })?;
        let aad = associated_data(key.id(), store_key);
        let sealed = key
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| AuthError::unavailable("token store: the token could not be encrypted"))?;
        let mut body = nonce.to_vec();
        body.extend_from_slice(&sealed);
        Ok(format!(
            "{FORMAT}.{}.{}",
            key.id(),
            URL_SAFE_NO_PAD.encode(body)
        ))
    }

    /// The plain text of `value` read under `store_key`, or why it is not
    /// taken.
    pub(crate) fn open(&self, store_key: &str, value: &str) -> Result<String, Unreadable> {
        let Some(rest) = value.strip_prefix(FORMAT).and_then(|r| r.strip_prefix('.')) else {
            return if self.current.is_some() {
                Err(Unreadable::NotEncrypted)
            } else {
                Ok(value.to_owned())
            };
        };
        if self.current.is_none() && self.previous.is_empty() {
            return Err(Unreadable::NoKey);
        }
        let (id, body) = rest.split_once('.').ok_or(Unreadable::Malformed)?;
        let key = self
            .current
            .iter()
            .chain(&self.previous)
            .find(|k| k.id() == id)
            .ok_or(Unreadable::UnknownKey)?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| Unreadable::Malformed)?;
        let nonce_len = XNonce::default().len();
        if body.len() < nonce_len {
            return Err(Unreadable::Malformed);
        }
        let (nonce, sealed) = body.split_at(nonce_len);
        let nonce = XNonce::try_from(nonce).map_err(|_| Unreadable::Malformed)?;
        let aad = associated_data(id, store_key);
        let plain = key
            .cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| Unreadable::Tampered)?;
        String::from_utf8(plain).map_err(|_| Unreadable::Malformed)
    }
}

/// What a sealed value is bound to: the format, the key id and the store
/// key it is written under.
fn associated_data(key_id: &str, store_key: &str) -> String {
    format!("{FORMAT}.{key_id}.{store_key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> TokenStoreKey {
        TokenStoreKey::new([byte; 32])
    }

    fn ring(current: Option<u8>, previous: &[u8]) -> Keyring {
        let mut ring = Keyring::default();
        if let Some(byte) = current {
            ring.set_current(key(byte));
        }
        ring.add_previous(previous.iter().map(|b| key(*b)));
        ring
    }

    #[test]
    fn a_sealed_value_opens_under_its_key_only() {
        let ring = ring(Some(1), &[]);
        let sealed = ring.seal("k", "secret-token".to_owned()).unwrap();
        assert!(sealed.starts_with(&format!("ccs1.{}.", key(1).id())));
        assert!(!sealed.contains("secret-token"));
        assert_eq!(ring.open("k", &sealed).unwrap(), "secret-token");
        // Random nonces: the same text seals differently each time.
        assert_ne!(sealed, ring.seal("k", "secret-token".to_owned()).unwrap());
        assert_eq!(ring.open("other", &sealed), Err(Unreadable::Tampered));
        assert_eq!(
            self::ring(Some(2), &[]).open("k", &sealed),
            Err(Unreadable::UnknownKey)
        );
        assert_eq!(
            self::ring(None, &[]).open("k", &sealed),
            Err(Unreadable::NoKey)
        );
    }

    #[test]
    fn previous_keys_read_and_the_current_one_writes() {
        let old = ring(Some(1), &[]);
        let sealed = old.seal("k", "t".to_owned()).unwrap();
        let rotated = ring(Some(2), &[1]);
        assert_eq!(rotated.open("k", &sealed).unwrap(), "t");
        assert!(
            rotated
                .seal("k", "t".to_owned())
                .unwrap()
                .starts_with(&format!("ccs1.{}.", key(2).id()))
        );
    }

    #[test]
    fn an_altered_or_foreign_value_is_refused_not_used() {
        let ring = ring(Some(1), &[]);
        let sealed = ring.seal("k", "t".to_owned()).unwrap();
        let mut bytes = sealed.into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(ring.open("k", &altered), Err(Unreadable::Tampered));
        assert_eq!(
            ring.open("k", r#"{"token":"t","until_ms":1}"#),
            Err(Unreadable::NotEncrypted)
        );
        assert_eq!(
            ring.open("k", &format!("ccs1.{}.%%", key(1).id())),
            Err(Unreadable::Malformed)
        );
        assert_eq!(
            ring.open("k", &format!("ccs1.{}", key(1).id())),
            Err(Unreadable::Malformed)
        );
        assert_eq!(
            ring.open("k", &format!("ccs1.{}.AAAA", key(1).id())),
            Err(Unreadable::Malformed)
        );
    }

    #[test]
    fn keys_parse_from_base64_and_show_no_material() {
        let text = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        let parsed = TokenStoreKey::from_base64(text).unwrap();
        let bytes: Vec<u8> = (0..32).collect();
        assert_eq!(parsed.id(), TokenStoreKey::from_bytes(&bytes).unwrap().id());
        assert_eq!(parsed.id().len(), 12);
        assert_ne!(parsed.id(), key(0).id());
        let debug = format!("{parsed:?}");
        assert!(!debug.contains("AAECAw") && !debug.contains("[0, 1, 2"));
        let short = TokenStoreKey::from_base64("AAEC").unwrap_err();
        assert!(short.message().contains("this one has 3"), "{short}");
        assert!(TokenStoreKey::from_base64("not base64!").is_err());
    }
}
