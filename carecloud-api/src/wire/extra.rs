//! [`Extra`]: the fields of a generated object that the spec does not name.
//!
//! Every generated object keeps them (field `extra`), so that a record read
//! and written back loses nothing. Nearly every object has none, and a
//! `serde_json::Map` is 72 bytes (an `IndexMap`, with the `preserve_order`
//! this crate enables) even when empty: four of them made a `Customer`
//! 1,032 bytes instead of 840, and decoding a page of customers moved and
//! copied that much more (docs/benchmarks.md, "Decode"). `Extra` is one
//! pointer wide and allocates its map on the first field put in it.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::LazyLock;

use serde_json::{Map, Value};

/// What [`Extra`] reads as while it holds nothing.
static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// The fields of a JSON object that this version of the crate does not
/// know, in the order the server sent them; written back unchanged.
///
/// It is a [`serde_json::Map`] to use (`Deref` and `DerefMut`:
/// `customer.extra.get("segment")`, `customer.extra.insert(..)`), made only
/// when there is something in it: an empty `Extra` is one pointer wide and
/// allocates nothing. Convert with `From` both ways.
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Map<String, Value>>>);

impl Extra {
    /// No fields.
    #[inline]
    pub const fn new() -> Self {
        Extra(None)
    }

    /// The fields as a map of their own.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

impl Deref for Extra {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Map<String, Value> {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        if map.is_empty() {
            Extra(None)
        } else {
            Extra(Some(Box::new(map)))
        }
    }
}

impl From<Extra> for Map<String, Value> {
    fn from(extra: Extra) -> Self {
        extra.into_map()
    }
}

/// Equal when they hold the same fields (an emptied map equals a new one).
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl IntoIterator for Extra {
    type Item = (String, Value);
    type IntoIter = serde_json::map::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.into_map().into_iter()
    }
}

impl serde::Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Extra::from)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Extra {
    fn is_referenceable() -> bool {
        <Map<String, Value>>::is_referenceable()
    }

    fn schema_name() -> String {
        <Map<String, Value>>::schema_name()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        <Map<String, Value>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_one_pointer_wide_and_allocates_on_the_first_field() {
        assert_eq!(size_of::<Extra>(), size_of::<usize>());
        let mut extra = Extra::new();
        assert!(extra.is_empty() && extra.0.is_none());
        assert_eq!(extra.get("a"), None);
        extra.insert("b".into(), Value::from(2));
        extra.insert("a".into(), Value::from(1));
        assert!(extra.0.is_some());
        let keys: Vec<_> = (&extra).into_iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a"], "in the order they were put in");
        assert_eq!(format!("{extra:?}"), r#"{"b": Number(2), "a": Number(1)}"#);
    }

    #[test]
    fn equal_by_content_and_converts_both_ways() {
        let mut emptied = Extra::new();
        emptied.insert("a".into(), Value::Null);
        emptied.clear();
        assert_eq!(emptied, Extra::new());
        assert_eq!(format!("{emptied:?}"), "{}");

        let map: Map<String, Value> = serde_json::from_str(r#"{"z": 1, "y": [2]}"#).unwrap();
        let extra = Extra::from(map.clone());
        assert_eq!(*extra, map);
        assert_eq!(
            Extra::from(Map::new()).0,
            None,
            "an empty map allocates nothing"
        );
        assert_eq!(
            serde_json::to_string(&extra).unwrap(),
            r#"{"z":1,"y":[2]}"#,
            "written in the order read"
        );
        let back: Extra = serde_json::from_str(r#"{"z":1,"y":[2]}"#).unwrap();
        assert_eq!(back, extra);
        assert_eq!(Map::from(back), map);
        assert_eq!(extra.into_iter().count(), 2);
    }
}
