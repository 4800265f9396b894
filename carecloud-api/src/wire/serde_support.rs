//! The small pieces the generated `Serialize` and `Deserialize` impls of the
//! types call, so that each impl stays one line per field.

// Used by the generated types of whichever groups are compiled.
#![cfg_attr(any(test, not(feature = "full")), allow(dead_code))]

/// Writing an object.
pub(crate) mod ser {
    use serde::Serialize;
    use serde::ser::SerializeMap;

    /// `key: value` when the value is there (an absent optional field is
    /// not written; a present empty array is).
    pub(crate) fn some<M: SerializeMap, T: Serialize>(
        map: &mut M,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => map.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    /// The fields this version does not know, as they came.
    pub(crate) fn entries<M: SerializeMap>(
        map: &mut M,
        extra: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), M::Error> {
        extra.iter().try_for_each(|(key, value)| {
            map.serialize_entry(&*crate::wire::unknown::extra_key(key), value)
        })
    }
}

/// Reading an object.
pub(crate) mod de {
    use serde::de::{Error, MapAccess};

    use crate::wire::Key;

    /// A required field's value, or serde's "missing field" error.
    pub(crate) fn required<T, E: Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
        value.ok_or_else(|| E::missing_field(name))
    }

    /// Keeps an unknown field's value in `extra`.
    pub(crate) fn keep<'de, A: MapAccess<'de>>(
        map: &mut A,
        extra: &mut serde_json::Map<String, serde_json::Value>,
        key: Key<'de>,
    ) -> Result<(), A::Error> {
        let value = map.next_value()?;
        extra.insert(key.into_owned(), value);
        Ok(())
    }
}
