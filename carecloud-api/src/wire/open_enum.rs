//! Open enumerations: the known values plus a catch-all for values that a
//! newer server may send.
//!
//! The [`open_enum!`] macro is what generated code invokes; the functions here
//! keep each expansion small by holding the bodies that do not depend on the
//! enum being declared.
// Until the generated code invokes `open_enum!`, only the tests use this file.
#![cfg_attr(not(test), allow(dead_code, unused_macros))]

use std::fmt;
use std::marker::PhantomData;

#[cfg(feature = "schemars")]
use schemars::schema::{InstanceType, Metadata, Schema, SchemaObject};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};
use serde_json::Number;

/// Declares an *open* enum: the known values as unit variants plus
/// `Unknown(..)`, which keeps any value this client version does not know.
///
/// CareCloud adds enumeration values over time (customer states, record
/// types, ...), and a closed Rust enum would fail to deserialize a whole
/// response because of one new value. An open enum never fails on a new value
/// of the right JSON kind, and round-trips it unchanged.
///
/// Two forms exist: `integer` enums carry `i64` codes, `string` enums carry
/// string values. Attributes (including doc comments) on the enum and on the
/// variants pass through. The caller documents the enum and each variant; the
/// macro documents `Unknown` and the generated methods.
///
/// # Example
///
/// This macro is crate-internal; the unit tests of this module compile and
/// check exactly these declarations.
///
/// ```ignore
/// crate::wire::open_enum! {
///     /// State of a customer record.
///     pub enum CustomerState: integer {
///         /// Deleted record.
///         Deleted = 0,
///         /// Active record.
///         Active = 1,
///         /// Registered but not active.
///         NonActive = 2,
///     }
/// }
///
/// crate::wire::open_enum! {
///     /// Sort order.
///     pub enum SortDirection: string {
///         /// Ascending.
///         Asc = "ASC",
///         /// Descending.
///         Desc = "DESC",
///     }
/// }
///
/// assert_eq!(CustomerState::from(1), CustomerState::Active);
/// assert_eq!(CustomerState::from(7), CustomerState::Unknown(7));
/// assert_eq!(SortDirection::from("RANDOM").as_str(), "RANDOM");
/// ```
///
/// # Integer form
///
/// Generates a `#[non_exhaustive]` enum with
/// `#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]` and `Unknown(i64)`, with `KNOWN`, `code`, `is_known`, `From<i64>`,
/// `From<Enum> for i64`, `Ord` by code (a known variant before `Unknown` of
/// the same code), `Display` (the code) and `FromStr` (an `i64`). serde writes
/// the code as a JSON integer and reads a JSON integer, or leniently a string
/// holding one (`"1"`). The JSON schema is an integer with the known codes as
/// `enum` and a description saying that other codes may appear.
///
/// # String form
///
/// Generates a `#[non_exhaustive]` enum with
/// `#[derive(Clone, Debug, PartialEq, Eq, Hash)]` and `Unknown(String)`, with `KNOWN`, `as_str`, `is_known`, `From<&str>`,
/// `From<String>`, `Display`, and an infallible `FromStr`. serde writes and
/// reads a JSON string. The JSON schema is a string with the known values as
/// `enum` and a description saying that other values may appear.
macro_rules! open_enum {
    (
        $(#![cfg($cfg:meta)])?
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : integer {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => { $crate::wire::cfg_items! { $(cfg($cfg))?;
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this client version does not know.
            Unknown(i64),
        }

        impl $name {
            /// The known values, in declaration order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),+];

            /// The integer code sent on the wire.
            pub const fn code(self) -> i64 {
                match self {
                    $( Self::$variant => $code, )+
                    Self::Unknown(code) => code,
                }
            }

            /// Whether this is one of the values this client version knows
            /// (not `Unknown`).
            pub const fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::core::convert::From<i64> for $name {
            fn from(code: i64) -> Self {
                match code {
                    $( $code => Self::$variant, )+
                    code => Self::Unknown(code),
                }
            }
        }

        impl ::core::convert::From<$name> for i64 {
            fn from(value: $name) -> Self {
                value.code()
            }
        }

        impl ::core::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::core::cmp::Ordering {
                $crate::wire::open_enum::cmp_codes(
                    (self.code(), self.is_known()),
                    (other.code(), other.is_known()),
                )
            }
        }

        impl ::core::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
                ::core::option::Option::Some(::core::cmp::Ord::cmp(self, other))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.code(), f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::num::ParseIntError;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                s.parse::<i64>().map(Self::from)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::wire::open_enum::deserialize_code(deserializer).map(Self::from)
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(stringify!($name))
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(concat!(module_path!(), "::", stringify!($name)))
            }

            fn json_schema(
                _: &mut ::schemars::r#gen::SchemaGenerator,
            ) -> ::schemars::schema::Schema {
                $crate::wire::open_enum::integer_schema(&[$( ($code, stringify!($variant)) ),+])
            }
        }
    } };

    (
        $(#![cfg($cfg:meta)])?
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : string {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => { $crate::wire::cfg_items! { $(cfg($cfg))?;
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this client version does not know.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The known values, in declaration order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),+];

            /// The string sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(value) => value,
                }
            }

            /// Whether this is one of the values this client version knows
            /// (not `Unknown`).
            pub const fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            fn known(value: &str) -> ::core::option::Option<Self> {
                match value {
                    $( $value => ::core::option::Option::Some(Self::$variant), )+
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(value.into()))
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or(Self::Unknown(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(s))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::wire::open_enum::deserialize_string(deserializer)
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(stringify!($name))
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(concat!(module_path!(), "::", stringify!($name)))
            }

            fn json_schema(
                _: &mut ::schemars::r#gen::SchemaGenerator,
            ) -> ::schemars::schema::Schema {
                $crate::wire::open_enum::string_schema(&[$( $value ),+])
            }
        }
    } };
}
pub(crate) use open_enum;

/// Orders integer open-enum values by code; for equal codes, a known variant
/// comes before `Unknown` (which only happens for a hand-made `Unknown`).
pub(crate) fn cmp_codes(a: (i64, bool), b: (i64, bool)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then(b.1.cmp(&a.1))
}

/// Reads the code of an integer open enum: a JSON integer, or leniently a
/// string holding one (surrounding whitespace allowed) or an integral float.
pub(crate) fn deserialize_code<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<i64, D::Error> {
    deserializer.deserialize_any(CodeVisitor)
}

struct CodeVisitor;

impl<'de> Visitor<'de> for CodeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer code (or a string holding one)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // `as` saturates; the round trip check rejects fractions and overflow.
        let code = v as i64;
        if code as f64 == v && code != i64::MAX {
            Ok(code)
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }

    // With serde_json's `arbitrary_precision` feature (enabled anywhere in the
    // dependency graph) non-integer numbers reach `deserialize_any` as a
    // special map, which `Number` knows how to read.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<i64, A::Error> {
        let number = Number::deserialize(de::value::MapAccessDeserializer::new(map))
            .map_err(|_: A::Error| de::Error::invalid_type(Unexpected::Map, &self))?;
        match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(code), _, _) => Ok(code),
            (None, Some(big), _) => self.visit_u64(big),
            (None, None, Some(float)) => self.visit_f64(float),
            (None, None, None) => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }
}

/// Reads a string open enum from a JSON string, without allocating for known
/// values when the deserializer lends the string.
pub(crate) fn deserialize_string<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    deserializer.deserialize_str(StringVisitor(PhantomData))
}

struct StringVisitor<T>(PhantomData<fn() -> T>);

impl<T> Visitor<'_> for StringVisitor<T>
where
    T: for<'a> From<&'a str> + From<String>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}

#[cfg(feature = "schemars")]
/// The schema of an integer open enum with the given known codes and names.
pub(crate) fn integer_schema(known: &[(i64, &str)]) -> Schema {
    let listed: Vec<String> = known
        .iter()
        .map(|(code, name)| format!("{code} ({name})"))
        .collect();
    enum_schema(
        InstanceType::Integer,
        known.iter().map(|(code, _)| (*code).into()).collect(),
        format!(
            "Known codes: {}. Other codes may appear: a newer server may send \
             values this client version does not know.",
            listed.join(", ")
        ),
    )
}

#[cfg(feature = "schemars")]
/// The schema of a string open enum with the given known values.
pub(crate) fn string_schema(known: &[&str]) -> Schema {
    enum_schema(
        InstanceType::String,
        known.iter().map(|value| (*value).into()).collect(),
        format!(
            "Known values: {}. Other values may appear: a newer server may send \
             values this client version does not know.",
            known.join(", ")
        ),
    )
}

#[cfg(feature = "schemars")]
fn enum_schema(kind: InstanceType, known: Vec<serde_json::Value>, description: String) -> Schema {
    SchemaObject {
        instance_type: Some(kind.into()),
        enum_values: Some(known),
        metadata: Some(Box::new(Metadata {
            description: Some(description),
            ..Metadata::default()
        })),
        ..SchemaObject::default()
    }
    .into()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    crate::wire::open_enum! {
        /// State of a customer record.
        #[allow(clippy::enum_variant_names)]
        pub enum CustomerState: integer {
            /// Deleted record.
            Deleted = 0,
            /// Active record.
            Active = 1,
            /// Registered but not active.
            NonActive = 2,
        }
    }

    crate::wire::open_enum! {
        /// Sort order.
        pub enum SortDirection: string {
            /// Ascending.
            Asc = "ASC",
            /// Descending.
            Desc = "DESC",
        }
    }

    crate::wire::open_enum! {
        /// Declared out of code order, with a negative code and no trailing comma.
        #[derive(Default)]
        pub(crate) enum Shuffled: integer {
            /// Two.
            #[default]
            Two = 2,
            /// Minus one.
            MinusOne = -1
        }
    }

    fn round_trip<T>(json: &str) -> T
    where
        T: serde::Serialize + for<'de> serde::Deserialize<'de>,
    {
        let value: T = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        value
    }

    #[test]
    fn integer_known_values_map_to_variants() {
        assert_eq!(round_trip::<CustomerState>("0"), CustomerState::Deleted);
        assert_eq!(round_trip::<CustomerState>("1"), CustomerState::Active);
        assert_eq!(round_trip::<CustomerState>("2"), CustomerState::NonActive);
        assert_eq!(CustomerState::from(1), CustomerState::Active);
        assert_eq!(i64::from(CustomerState::NonActive), 2);
        assert_eq!(CustomerState::Deleted.code(), 0);
        assert!(CustomerState::Active.is_known());
        assert_eq!(
            CustomerState::KNOWN,
            [
                CustomerState::Deleted,
                CustomerState::Active,
                CustomerState::NonActive
            ]
        );
    }

    #[test]
    fn integer_unknown_value_round_trips() {
        let state = round_trip::<CustomerState>("7");
        assert_eq!(state, CustomerState::Unknown(7));
        assert!(!state.is_known());
        assert_eq!(state.code(), 7);
        assert_eq!(serde_json::to_value(state).unwrap(), json!(7));
        assert_eq!(
            round_trip::<CustomerState>("-9223372036854775808"),
            CustomerState::Unknown(i64::MIN)
        );
        assert_eq!(round_trip::<Shuffled>("-1"), Shuffled::MinusOne);
    }

    #[test]
    fn integer_is_lenient_about_strings_and_integral_floats() {
        let state: CustomerState = serde_json::from_str(r#""1""#).unwrap();
        assert_eq!(state, CustomerState::Active);
        assert_eq!(serde_json::to_string(&state).unwrap(), "1");
        let state: CustomerState = serde_json::from_str(r#"" 7 ""#).unwrap();
        assert_eq!(state, CustomerState::Unknown(7));
        let state: CustomerState = serde_json::from_str("2.0").unwrap();
        assert_eq!(state, CustomerState::NonActive);
        let state: CustomerState = serde_json::from_value(json!("0")).unwrap();
        assert_eq!(state, CustomerState::Deleted);
    }

    #[test]
    fn integer_rejects_non_integers() {
        for (json, found) in [
            (r#""active""#, r#"invalid value: string "active""#),
            ("1.5", "invalid value: floating point `1.5`"),
            ("1e300", "invalid value: floating point `1e+300`"),
            (
                "9223372036854775808",
                "invalid value: integer `9223372036854775808`",
            ),
            ("true", "invalid type: boolean `true`"),
            ("null", "invalid type: null"),
            ("[1]", "invalid type: sequence"),
        ] {
            let message = serde_json::from_str::<CustomerState>(json)
                .unwrap_err()
                .to_string();
            assert!(
                message.starts_with(&format!(
                    "{found}, expected an integer code (or a string holding one)"
                )),
                "{json}: {message}"
            );
        }
        assert_eq!(
            serde_json::from_str::<Option<CustomerState>>("null").unwrap(),
            None
        );
    }

    #[test]
    fn integer_display_from_str_and_order() {
        assert_eq!(CustomerState::Active.to_string(), "1");
        assert_eq!(CustomerState::Unknown(-3).to_string(), "-3");
        assert_eq!("2".parse::<CustomerState>(), Ok(CustomerState::NonActive));
        assert_eq!(
            "42".parse::<CustomerState>(),
            Ok(CustomerState::Unknown(42))
        );
        assert!("x".parse::<CustomerState>().is_err());

        // By code, not by declaration order.
        assert!(Shuffled::MinusOne < Shuffled::Two);
        assert!(Shuffled::Two < Shuffled::Unknown(3));
        assert!(Shuffled::Unknown(0) < Shuffled::Two);
        // A hand-made `Unknown` with a known code sorts after the variant and
        // differs from it, consistently with `Eq`.
        assert!(Shuffled::Two < Shuffled::Unknown(2));
        assert_ne!(Shuffled::Two, Shuffled::Unknown(2));
        let sorted: Vec<_> = [
            Shuffled::Unknown(2),
            Shuffled::Two,
            Shuffled::Unknown(-5),
            Shuffled::MinusOne,
        ]
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
        assert_eq!(
            sorted,
            [
                Shuffled::Unknown(-5),
                Shuffled::MinusOne,
                Shuffled::Two,
                Shuffled::Unknown(2)
            ]
        );
        assert_eq!(Shuffled::default(), Shuffled::Two);
        assert_eq!(Shuffled::KNOWN, [Shuffled::Two, Shuffled::MinusOne]);
    }

    #[test]
    fn string_known_values_map_to_variants() {
        assert_eq!(round_trip::<SortDirection>(r#""ASC""#), SortDirection::Asc);
        assert_eq!(
            round_trip::<SortDirection>(r#""DESC""#),
            SortDirection::Desc
        );
        assert_eq!(SortDirection::from("ASC"), SortDirection::Asc);
        assert_eq!(
            SortDirection::from(String::from("DESC")),
            SortDirection::Desc
        );
        assert_eq!(SortDirection::Desc.as_str(), "DESC");
        assert!(SortDirection::Asc.is_known());
        assert_eq!(
            SortDirection::KNOWN,
            [SortDirection::Asc, SortDirection::Desc]
        );
        // Case matters: the server's values are exact.
        assert_eq!(
            SortDirection::from("asc"),
            SortDirection::Unknown("asc".into())
        );
        // From a reader, serde_json hands out transient strings.
        let from_reader: SortDirection = serde_json::from_reader(&b"\"ASC\""[..]).unwrap();
        assert_eq!(from_reader, SortDirection::Asc);
        let escaped: SortDirection = serde_json::from_str(r#""\u0041SC""#).unwrap();
        assert_eq!(escaped, SortDirection::Asc);
    }

    #[test]
    fn string_unknown_value_round_trips() {
        let direction = round_trip::<SortDirection>(r#""RANDOM""#);
        assert_eq!(direction, SortDirection::Unknown("RANDOM".to_owned()));
        assert!(!direction.is_known());
        assert_eq!(direction.as_str(), "RANDOM");
        assert_eq!(direction.to_string(), "RANDOM");
        assert_eq!(
            round_trip::<SortDirection>(r#""""#),
            SortDirection::Unknown(String::new())
        );
        let parsed: SortDirection = "RANDOM".parse().unwrap();
        assert_eq!(parsed, direction);
    }

    #[test]
    fn string_rejects_non_strings() {
        let message = serde_json::from_str::<SortDirection>("1")
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("invalid type: integer `1`, expected a string"),
            "{message}"
        );
        assert!(serde_json::from_str::<SortDirection>("null").is_err());
    }

    #[cfg(feature = "schemars")]
    #[test]
    fn integer_schema_lists_known_codes() {
        let mut generator = schemars::r#gen::SchemaGenerator::default();
        let reference = serde_json::to_value(generator.subschema_for::<CustomerState>()).unwrap();
        assert_eq!(reference, json!({ "$ref": "#/definitions/CustomerState" }));
        let schema = serde_json::to_value(&generator.definitions()["CustomerState"]).unwrap();
        assert_eq!(schema["type"], "integer");
        assert_eq!(schema["enum"], json!([0, 1, 2]));
        let description = schema["description"].as_str().unwrap();
        assert!(
            description.contains("0 (Deleted), 1 (Active), 2 (NonActive)"),
            "{description}"
        );
        assert!(
            description.contains("Other codes may appear"),
            "{description}"
        );
    }

    #[cfg(feature = "schemars")]
    #[test]
    fn string_schema_lists_known_values() {
        let schema = serde_json::to_value(schemars::schema_for!(SortDirection)).unwrap();
        assert_eq!(schema["title"], "SortDirection");
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["enum"], json!(["ASC", "DESC"]));
        let description = schema["description"].as_str().unwrap();
        assert!(description.contains("ASC, DESC"), "{description}");
        assert!(
            description.contains("Other values may appear"),
            "{description}"
        );
    }
}
