//! Passwords and tokens that must not leak into logs.

use std::cell::RefCell;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// A password or token: the enterprise bearer token, a customer device
/// token, or a password in a login request body.
///
/// CareCloud returns tokens in ordinary JSON fields and takes passwords in
/// ordinary request bodies, so generated request and response structs would
/// print them with `{:?}` (and so into logs and panic messages). This type
/// serializes and deserializes as a plain JSON string, but its `Debug` output
/// is always `Secret(<redacted>)`, hiding the value and its length. It has no
/// `Display` impl; [`expose`](Self::expose) is the only way to read the value.
///
/// Equality is an ordinary (not constant-time) string comparison.
///
/// # Example
///
/// ```
/// use carecloud_api::types::Secret;
///
/// let token: Secret = serde_json::from_str(r#""s3cr3t-t0k3n""#).unwrap();
/// assert_eq!(format!("{token:?}"), "Secret(<redacted>)");
/// assert_eq!(token.expose(), "s3cr3t-t0k3n");
/// assert_eq!(serde_json::to_string(&token).unwrap(), r#""s3cr3t-t0k3n""#);
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

thread_local! {
    /// The secrets serialized on this thread while [`collect_secrets`] runs.
    static SERIALIZED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Runs `serialize` and returns, beside its result, every [`Secret`] it
/// serialized: the client keeps them out of error messages (a server may
/// echo a login body back).
#[cfg_attr(
    not(any(feature = "enterprise", feature = "customer")),
    allow(dead_code)
)]
pub(crate) fn collect_secrets<R>(serialize: impl FnOnce() -> R) -> (R, Vec<String>) {
    let outer = SERIALIZED.with(|seen| seen.borrow_mut().replace(Vec::new()));
    let result = serialize();
    let secrets = SERIALIZED.with(|seen| std::mem::replace(&mut *seen.borrow_mut(), outer));
    (result, secrets.unwrap_or_default())
}

/// A plain JSON string (noted by `collect_secrets` when it runs, so that
/// the client keeps it out of error messages).
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SERIALIZED.with(|seen| {
            if let Some(seen) = seen.borrow_mut().as_mut() {
                seen.push(self.0.clone());
            }
        });
        serializer.serialize_str(&self.0)
    }
}

impl Secret {
    /// Wraps a password or token.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. This is the only way to read it: call it only where
    /// the value is actually sent, never to log or display it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Prints `Secret(<redacted>)`, never the value nor its length.
impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Secret {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        "Secret".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        super::string_schema(
            Some("password"),
            "A password or token; redacted in Debug output.",
            &[],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "hunter2-9f8e7d6c";

    #[derive(Debug, Serialize, Deserialize)]
    struct Login {
        login: String,
        password: Secret,
        token: Option<Secret>,
    }

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new(VALUE);
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        assert_eq!(format!("{secret:#?}"), "Secret(<redacted>)");
        let same_debug = format!("{:?}", Secret::new("x"));
        assert_eq!(format!("{secret:?}"), same_debug, "length must not show");

        let login = Login {
            login: "alice".to_owned(),
            password: secret.clone(),
            token: Some(Secret::from(String::from(VALUE))),
        };
        for debug in [format!("{login:?}"), format!("{login:#?}")] {
            assert!(!debug.contains(VALUE), "{debug}");
            assert!(!debug.contains("hunter"), "{debug}");
            assert!(debug.contains("alice"));
            assert!(debug.contains("<redacted>"));
        }
    }

    #[test]
    fn serde_is_a_plain_string() {
        let json = format!(r#"{{"login":"alice","password":"{VALUE}","token":"t\"ok"}}"#);
        let login: Login = serde_json::from_str(&json).unwrap();
        assert_eq!(login.password.expose(), VALUE);
        assert_eq!(login.token.as_ref().map(Secret::expose), Some("t\"ok"));
        assert_eq!(serde_json::to_string(&login).unwrap(), json);
        assert!(serde_json::from_str::<Secret>("42").is_err());
    }

    #[test]
    fn serializing_notes_the_secrets() {
        let login = Login {
            login: "alice".to_owned(),
            password: Secret::new(VALUE),
            token: Some(Secret::new("tok")),
        };
        let (json, secrets) = collect_secrets(|| serde_json::to_string(&login).unwrap());
        assert!(json.contains(VALUE));
        assert_eq!(secrets, [VALUE, "tok"]);
        let (_, none) = collect_secrets(|| serde_json::to_string(&"plain").unwrap());
        assert!(none.is_empty());
    }

    #[test]
    fn conversions_and_equality() {
        assert_eq!(Secret::from(VALUE), Secret::new(VALUE.to_owned()));
        assert_ne!(Secret::from(VALUE), Secret::from("other"));
    }

    #[cfg(feature = "schemars")]
    #[test]
    fn schema_is_a_password_string() {
        let mut generator = schemars::r#gen::SchemaGenerator::default();
        let schema = serde_json::to_value(generator.subschema_for::<Secret>()).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["format"], "password");
        assert!(schema.get("examples").is_none());
    }
}
