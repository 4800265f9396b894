//! Text that the server sends sometimes as a JSON string, sometimes as a
//! JSON number.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Number;

/// Text that CareCloud sends sometimes as a JSON string and sometimes as a
/// JSON number.
///
/// The API documents fields such as a user's phone number or a store's
/// `system_id` as strings, yet servers send them as numbers
/// (`"phone": 420123828931`, `"system_id": 2375303497`), and the same field
/// may come as a string in another response. A `String` field would reject
/// the numbers and a number field would reject the strings (and lose leading
/// zeros), so this type accepts both.
///
/// It remembers which JSON kind it came as and serializes back as the same
/// kind: a string stays a string and a number stays a number, with the text
/// that [`serde_json::Number`] gives for it (integers exactly as written).
/// [`as_str`](Self::as_str) gives the text in both cases.
///
/// Any other JSON value (boolean, object, array, `null`) is a deserialization
/// error naming what was found; use `Option<LooseString>` for nullable fields.
///
/// Equality and hashing take the kind into account: `"42"` and `42` differ.
///
/// # Example
///
/// ```
/// use carecloud_api::types::LooseString;
///
/// let phone: LooseString = serde_json::from_str("420123828931").unwrap();
/// assert_eq!(phone.as_str(), "420123828931");
/// assert!(phone.is_number());
/// assert_eq!(serde_json::to_string(&phone).unwrap(), "420123828931");
///
/// let phone: LooseString = serde_json::from_str(r#""+420 123 828 931""#).unwrap();
/// assert_eq!(phone.as_str(), "+420 123 828 931");
/// assert!(!phone.is_number());
/// assert_eq!(serde_json::to_string(&phone).unwrap(), r#""+420 123 828 931""#);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LooseString {
    text: String,
    /// `Some` if the value came as (or was made from) a JSON number; `text`
    /// is then its textual form.
    number: Option<Number>,
}

impl LooseString {
    /// The text, for the string and the number kind alike.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Unwraps the text, for the string and the number kind alike.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Whether the value came as (or was made from) a JSON number, and so
    /// serializes as one.
    pub fn is_number(&self) -> bool {
        self.number.is_some()
    }

    /// The JSON number, if the value is of the number kind.
    pub fn as_number(&self) -> Option<&Number> {
        self.number.as_ref()
    }

    fn from_number(number: Number) -> Self {
        Self {
            text: number.to_string(),
            number: Some(number),
        }
    }
}

/// Writes the text (without quotes), for both kinds.
impl fmt::Display for LooseString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Shows the kind and the text: `LooseString::Number(420123828931)` or
/// `LooseString::String("abc")`.
impl fmt::Debug for LooseString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            Some(_) => write!(f, "LooseString::Number({})", self.text),
            None => write!(f, "LooseString::String({:?})", self.text),
        }
    }
}

/// Makes the string kind.
impl From<String> for LooseString {
    fn from(text: String) -> Self {
        Self { text, number: None }
    }
}

/// Makes the string kind.
impl From<&str> for LooseString {
    fn from(text: &str) -> Self {
        Self::from(text.to_owned())
    }
}

/// Makes the number kind.
impl From<i64> for LooseString {
    fn from(value: i64) -> Self {
        Self::from_number(value.into())
    }
}

/// Makes the number kind.
impl From<u64> for LooseString {
    fn from(value: u64) -> Self {
        Self::from_number(value.into())
    }
}

/// Makes the number kind.
impl From<Number> for LooseString {
    fn from(value: Number) -> Self {
        Self::from_number(value)
    }
}

impl From<LooseString> for String {
    fn from(value: LooseString) -> Self {
        value.text
    }
}

impl AsRef<str> for LooseString {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Serialize for LooseString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.number {
            Some(number) => number.serialize(serializer),
            None => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for LooseString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = LooseString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Number::from_f64(v)
            .map(LooseString::from_number)
            .ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
    }

    // With serde_json's `arbitrary_precision` feature (enabled anywhere in the
    // dependency graph) numbers reach `deserialize_any` as a special map;
    // `Number` knows how to read it, and keeps the number's exact text.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Number::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(LooseString::from_number)
            .map_err(|_: A::Error| de::Error::invalid_type(Unexpected::Map, &self))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for LooseString {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        "LooseString".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{InstanceType, Metadata, SchemaObject, SubschemaValidation};
        let kind = |instance_type: InstanceType| {
            SchemaObject {
                instance_type: Some(instance_type.into()),
                ..SchemaObject::default()
            }
            .into()
        };
        SchemaObject {
            metadata: Some(Box::new(Metadata {
                description: Some(
                    "Text that the server sends either as a JSON string or as a JSON number."
                        .to_owned(),
                ),
                ..Metadata::default()
            })),
            subschemas: Some(Box::new(SubschemaValidation {
                one_of: Some(vec![kind(InstanceType::String), kind(InstanceType::Number)]),
                ..SubschemaValidation::default()
            })),
            ..SchemaObject::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn round_trip(json: &str) -> LooseString {
        let value: LooseString = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        value
    }

    #[test]
    fn number_stays_number() {
        let phone = round_trip("420123828931");
        assert!(phone.is_number());
        assert_eq!(phone.as_str(), "420123828931");
        assert_eq!(phone.to_string(), "420123828931");
        assert_eq!(phone.as_number(), Some(&Number::from(420_123_828_931_u64)));
        assert_eq!(format!("{phone:?}"), "LooseString::Number(420123828931)");

        let system_id = round_trip("2375303497");
        assert_eq!(system_id.as_str(), "2375303497");
        assert_eq!(round_trip("-17").as_str(), "-17");
        assert_eq!(
            round_trip("18446744073709551615").as_str(),
            "18446744073709551615"
        );
    }

    #[test]
    fn float_keeps_serde_json_text() {
        let json_number: Number = serde_json::from_str("1.50").unwrap();
        let loose: LooseString = serde_json::from_str("1.50").unwrap();
        assert!(loose.is_number());
        assert_eq!(loose.as_str(), json_number.to_string());
        assert_eq!(
            serde_json::to_string(&loose).unwrap(),
            serde_json::to_string(&json_number).unwrap()
        );
        // Serializing and parsing again is stable.
        let again = round_trip(&serde_json::to_string(&loose).unwrap());
        assert_eq!(again, loose);
    }

    #[test]
    fn string_stays_string() {
        let phone = round_trip(r#""420123828931""#);
        assert!(!phone.is_number());
        assert_eq!(phone.as_str(), "420123828931");
        assert_eq!(phone.as_number(), None);
        assert_eq!(
            format!("{phone:?}"),
            r#"LooseString::String("420123828931")"#
        );
        assert_eq!(round_trip(r#""00420 \"x\"""#).as_str(), "00420 \"x\"");
        assert_eq!(round_trip(r#""""#).as_str(), "");
    }

    #[test]
    fn kind_matters_for_equality() {
        let number = LooseString::from(42_i64);
        let string = LooseString::from("42");
        assert_eq!(number.as_str(), string.as_str());
        assert_ne!(number, string);
        assert_eq!(number, LooseString::from(42_u64));
        assert_eq!(string, LooseString::from(String::from("42")));
        let set: HashSet<_> = [number.clone(), string.clone(), number].into();
        assert_eq!(set.len(), 2);
        assert_eq!(serde_json::to_string(&string).unwrap(), r#""42""#);
        assert_eq!(
            serde_json::to_string(&LooseString::from(-42_i64)).unwrap(),
            "-42"
        );
        assert_eq!(String::from(string), "42");
    }

    #[test]
    fn other_kinds_are_errors_naming_what_was_found() {
        let error = serde_json::from_str::<LooseString>("true").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid type: boolean `true`, expected a string or a number at line 1 column 4"
        );
        for (json, found) in [
            ("false", "boolean `false`"),
            ("null", "null"),
            (r#"{"a":1}"#, "map"),
            ("[1]", "sequence"),
        ] {
            let message = serde_json::from_str::<LooseString>(json)
                .unwrap_err()
                .to_string();
            assert!(
                message.starts_with(&format!(
                    "invalid type: {found}, expected a string or a number"
                )),
                "{json}: {message}"
            );
        }
        assert_eq!(
            serde_json::from_str::<Option<LooseString>>("null").unwrap(),
            None
        );
    }

    #[test]
    fn inside_a_struct() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Store {
            system_id: LooseString,
            phone: Option<LooseString>,
        }
        let json = r#"{"system_id":2375303497,"phone":"+420123828931"}"#;
        let store: Store = serde_json::from_str(json).unwrap();
        assert!(store.system_id.is_number());
        assert_eq!(
            store.phone.as_ref().map(LooseString::as_str),
            Some("+420123828931")
        );
        assert_eq!(serde_json::to_string(&store).unwrap(), json);
        let value = serde_json::to_value(&store).unwrap();
        assert!(value["system_id"].is_u64());
        assert_eq!(serde_json::from_value::<Store>(value).unwrap(), store);
    }

    #[cfg(feature = "schemars")]
    #[test]
    fn schema_is_one_of_string_or_number() {
        let mut generator = schemars::r#gen::SchemaGenerator::default();
        let schema = serde_json::to_value(generator.subschema_for::<LooseString>()).unwrap();
        assert_eq!(
            schema["oneOf"],
            serde_json::json!([{ "type": "string" }, { "type": "number" }])
        );
        assert!(schema["description"].is_string());
        assert!(generator.definitions().is_empty());
    }
}
