//! Object keys as the generated `Deserialize` impls read them: borrowed from
//! the input when the deserializer can lend them (no allocation for the
//! known fields of a struct), owned otherwise.

// Used by the generated types of whichever groups are compiled.
#![cfg_attr(any(test, not(feature = "full")), allow(dead_code))]

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// One key of a JSON object.
pub(crate) enum Key<'de> {
    /// Lent by the input.
    Borrowed(&'de str),
    /// Copied (escaped keys, or a deserializer that cannot lend).
    Owned(String),
}

impl Key<'_> {
    /// The key's text.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }

    /// The key as an owned string (for the map of unknown fields).
    pub(crate) fn into_owned(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key::Borrowed(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key::Owned(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key::Owned(v))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_borrowed_when_they_can_be() {
        let mut de = serde_json::Deserializer::from_str(r#""plain""#);
        assert!(matches!(
            Key::deserialize(&mut de),
            Ok(Key::Borrowed("plain"))
        ));
        let mut de = serde_json::Deserializer::from_str(r#""esc\u0061ped""#);
        let key = Key::deserialize(&mut de).unwrap();
        assert!(matches!(key, Key::Owned(_)));
        assert_eq!(key.as_str(), "escaped");
        assert_eq!(key.into_owned(), "escaped");
    }
}
