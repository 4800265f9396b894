//! [`unknown_fields`]: where a value holds fields the spec does not name.
//!
//! Every generated object keeps the fields it does not know in `extra` and
//! writes them back in place. To find them, a value is serialized once with
//! their keys tagged (a flag of this thread, set only for that call, read by
//! the generated `Serialize` impls through `ser::entries`), and the tagged
//! keys are collected with their JSON paths. Ordinary serialization is
//! untouched.

use std::cell::Cell;

use serde::Serialize;
use serde_json::Value;

/// Put before each key written from an `extra` map while [`TAGGING`] is on;
/// no real field name starts with it.
const TAG: &str = "\u{0}carecloud-unknown\u{0}";

thread_local! {
    /// Whether `ser::entries` tags the keys it writes (only inside
    /// [`unknown_fields`]).
    static TAGGING: Cell<bool> = const { Cell::new(false) };
}

/// The key to write for an `extra` entry: `key`, tagged while
/// [`unknown_fields`] runs.
#[cfg_attr(any(test, not(feature = "full")), allow(dead_code))] // Used by the generated types.
pub(crate) fn extra_key(key: &str) -> std::borrow::Cow<'_, str> {
    if TAGGING.with(Cell::get) {
        format!("{TAG}{key}").into()
    } else {
        key.into()
    }
}

/// Turns tagging off again, also when serialization panics.
struct Untag(bool);

impl Drop for Untag {
    fn drop(&mut self) {
        TAGGING.with(|t| t.set(self.0));
    }
}

/// The JSON paths (`$.data.cards[0].colour`) of every field that `value`
/// keeps in an `extra` map, at any depth: what it was read from that the
/// spec does not name, in sorted order. Empty when the spec named
/// everything.
///
/// For drift checks: decode real replies (or the vendor's examples) and
/// assert that nothing is left over, so a field the spec misses shows up
/// as a failure instead of passing silently through `extra`.
///
/// ```
/// # #[cfg(feature = "cards")] {
/// use carecloud_api::types::Card;
///
/// let card: Card = serde_json::from_value(serde_json::json!({
///     "card_type_id": "t1", "card_number": "100", "state": 1, "colour": "gold"
/// })).unwrap();
/// assert_eq!(carecloud_api::unknown_fields(&card), ["$.colour"]);
/// # }
/// ```
pub fn unknown_fields<T: Serialize + ?Sized>(value: &T) -> Vec<String> {
    let _restore = Untag(TAGGING.with(|t| t.replace(true)));
    let tagged = serde_json::to_value(value);
    drop(_restore);
    let mut found = Vec::new();
    if let Ok(tagged) = tagged {
        collect("$", &tagged, &mut found);
    }
    found.sort();
    found
}

fn collect(path: &str, value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match key.strip_prefix(TAG) {
                    Some(unknown) => found.push(format!("{path}.{unknown}")),
                    None => collect(&format!("{path}.{key}"), item, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(&format!("{path}[{i}]"), item, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value that writes one known and the unknown fields, the way the
    /// generated impls do.
    struct Object {
        known: Vec<Object>,
        extra: serde_json::Map<String, Value>,
    }

    impl Serialize for Object {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("known", &self.known)?;
            crate::wire::ser::entries(&mut map, &self.extra)?;
            map.end()
        }
    }

    fn object(known: Vec<Object>, extra: Value) -> Object {
        let Value::Object(extra) = extra else {
            unreachable!("an object literal")
        };
        Object { known, extra }
    }

    #[test]
    fn names_each_unknown_field_with_its_path_and_leaves_output_alone() {
        let value = object(
            vec![
                object(Vec::new(), serde_json::json!({})),
                object(Vec::new(), serde_json::json!({"colour": {"deep": 1}})),
            ],
            serde_json::json!({"top": true}),
        );
        assert_eq!(
            unknown_fields(&value),
            ["$.known[1].colour", "$.top"],
            "nested values of an unknown field are not searched"
        );
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            serde_json::json!({"known": [{"known": []}, {"known": [], "colour": {"deep": 1}}], "top": true}),
            "outside `unknown_fields` keys are written as they came"
        );
        assert!(unknown_fields(&object(Vec::new(), serde_json::json!({}))).is_empty());
    }
}
