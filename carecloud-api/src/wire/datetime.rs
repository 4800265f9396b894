//! Dates and date-times kept exactly as the CareCloud server wrote them.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A CareCloud date-time, kept verbatim as the text the server wrote.
///
/// CareCloud does not send RFC 3339 timestamps. It writes
/// `"YYYY-MM-DD HH:MM:SS"` in the project's local time **without a time
/// zone**, sometimes with microseconds (`"2021-04-16 18:22:35.052987"`), and
/// sometimes the MySQL zero date `"0000-00-00 00:00:00"` for "never". Requests
/// may also use a `T` separator (`"2023-01-04T10:31:56"`).
///
/// A strict parser would reject some of those, so this type stores the text
/// as is: deserializing never fails for any JSON string, and serializing
/// writes back exactly the same text. Parse it on demand with
/// [`to_naive`](Self::to_naive); the zone is not known to the client, hence a
/// [`NaiveDateTime`].
///
/// Equality, hashing and ordering compare the text. For texts in the same
/// format that is chronological order.
///
/// # Example
///
/// ```
/// use carecloud_api::types::DateTime;
///
/// let dt: DateTime = serde_json::from_str(r#""2021-04-16 18:22:35.052987""#).unwrap();
/// assert_eq!(dt.to_naive().unwrap().to_string(), "2021-04-16 18:22:35.052987");
/// assert_eq!(serde_json::to_string(&dt).unwrap(), r#""2021-04-16 18:22:35.052987""#);
///
/// let never = DateTime::new("0000-00-00 00:00:00");
/// assert!(never.is_zero());
/// assert_eq!(never.to_naive(), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DateTime(String);

/// A CareCloud calendar date (`"YYYY-MM-DD"`), kept verbatim.
///
/// The server does not validate dates it stores: the vendor's own quickstart
/// shows a customer birthdate of `"985-02-12"`, and MySQL zero dates
/// (`"0000-00-00"`) occur. This type stores the text as is, so deserializing
/// never fails for any JSON string and serializing writes back exactly the
/// same text. Parse it on demand with [`to_naive`](Self::to_naive), which
/// returns `None` for anything that is not a real `YYYY-MM-DD` date.
///
/// Equality, hashing and ordering compare the text.
///
/// # Example
///
/// ```
/// use carecloud_api::types::Date;
///
/// let ok = Date::new("1985-02-12");
/// assert_eq!(ok.to_naive(), chrono::NaiveDate::from_ymd_opt(1985, 2, 12));
///
/// let odd: Date = serde_json::from_str(r#""985-02-12""#).unwrap();
/// assert_eq!(odd.to_naive(), None);
/// assert_eq!(serde_json::to_string(&odd).unwrap(), r#""985-02-12""#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(String);

/// The API shared by the verbatim text types of this file.
macro_rules! verbatim_text {
    ($ty:ident) => {
        impl $ty {
            /// Wraps the given text verbatim, without validating it.
            pub fn new(text: impl Into<String>) -> Self {
                Self(text.into())
            }

            /// The text exactly as the server wrote it (or as it was given).
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the verbatim text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        /// Writes the verbatim text.
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Never fails: any text is kept verbatim.
        impl FromStr for $ty {
            type Err = Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self(s.to_owned()))
            }
        }

        impl From<String> for $ty {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        impl From<&str> for $ty {
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.0
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

verbatim_text!(DateTime);
verbatim_text!(Date);

impl DateTime {
    /// Parses the text as a local date-time without zone.
    ///
    /// Accepts `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, optionally
    /// followed by `.` and 1 to 9 fraction digits. Returns `None` for the
    /// zero date, for impossible dates or times, and for any other text.
    pub fn to_naive(&self) -> Option<NaiveDateTime> {
        parse_date_time(self.0.as_bytes())
    }

    /// Whether this is the MySQL zero date (`"0000-00-00 00:00:00"`, or any
    /// text whose date part is `0000-00-00`), which CareCloud uses for
    /// "not set".
    pub fn is_zero(&self) -> bool {
        self.0.starts_with("0000-00-00")
    }
}

/// Formats as `"YYYY-MM-DD HH:MM:SS"`, the server's format.
///
/// Fractional seconds are dropped: the API does not need them in requests.
impl From<NaiveDateTime> for DateTime {
    fn from(value: NaiveDateTime) -> Self {
        Self(value.format("%Y-%m-%d %H:%M:%S").to_string())
    }
}

impl Date {
    /// Parses the text as a calendar date.
    ///
    /// Accepts exactly `YYYY-MM-DD` (four-digit year). Returns `None` for the
    /// zero date `0000-00-00`, for impossible dates, for short years such as
    /// `985-02-12`, and for any other text.
    pub fn to_naive(&self) -> Option<NaiveDate> {
        parse_date(self.0.as_bytes().try_into().ok()?)
    }

    /// Whether this is the MySQL zero date `"0000-00-00"`, which CareCloud
    /// uses for "not set".
    pub fn is_zero(&self) -> bool {
        self.0 == "0000-00-00"
    }
}

/// Formats as `"YYYY-MM-DD"`.
impl From<NaiveDate> for Date {
    fn from(value: NaiveDate) -> Self {
        Self(value.format("%Y-%m-%d").to_string())
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for DateTime {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        "DateTime".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        super::string_schema(
            None,
            "Local date-time of the CareCloud project, without time zone: \
             \"YYYY-MM-DD HH:MM:SS\", optionally with fractional seconds; \
             \"0000-00-00 00:00:00\" means not set. Requests may use a \"T\" \
             separator.",
            &["2021-04-16 18:22:35", "2021-04-16 18:22:35.052987"],
        )
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Date {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        "Date".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        super::string_schema(
            None,
            "Calendar date \"YYYY-MM-DD\"; \"0000-00-00\" means not set. The \
             server does not validate dates, so malformed values may appear.",
            &["1985-02-12"],
        )
    }
}

/// Parses exactly `[0-9]{len}` as a number.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// Parses exactly `YYYY-MM-DD`.
fn parse_date(bytes: &[u8; 10]) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *bytes else {
        return None;
    };
    let year = i32::try_from(number(&[y0, y1, y2, y3])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&[m0, m1])?, number(&[d0, d1])?)
}

/// Parses `YYYY-MM-DD[ T]HH:MM:SS(.F{1,9})?`.
fn parse_date_time(bytes: &[u8]) -> Option<NaiveDateTime> {
    let (head, fraction) = bytes.split_at_checked(19)?;
    let (date, time) = head.split_at(10);
    let [sep, h0, h1, b':', m0, m1, b':', s0, s1] = *time else {
        return None;
    };
    if sep != b' ' && sep != b'T' {
        return None;
    }
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            // At most 9 digits, so neither this nor the scaling overflows.
            number(digits)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    parse_date(date.try_into().ok()?)?.and_hms_nano_opt(
        number(&[h0, h1])?,
        number(&[m0, m1])?,
        number(&[s0, s1])?,
        nanos,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(json: &str) -> T {
        let value: T = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        value
    }

    fn ndt(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nano: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_nano_opt(h, mi, s, nano)
            .unwrap()
    }

    #[test]
    fn date_time_round_trips_verbatim() {
        for json in [
            r#""2021-04-16 18:22:35""#,
            r#""2021-04-16 18:22:35.052987""#,
            r#""0000-00-00 00:00:00""#,
            r#""2023-01-04T10:31:56""#,
            r#""""#,
            r#""not a date at all""#,
            r#""2021-13-45 99:99:99""#,
            r#""žluťoučký \"kůň\"""#,
        ] {
            round_trip::<DateTime>(json);
        }
        let dt: DateTime = round_trip(r#""2021-04-16 18:22:35.052987""#);
        assert_eq!(dt.as_str(), "2021-04-16 18:22:35.052987");
        assert_eq!(dt.to_string(), "2021-04-16 18:22:35.052987");
        assert_eq!(
            format!("{dt:?}"),
            r#"DateTime("2021-04-16 18:22:35.052987")"#
        );
    }

    #[test]
    fn date_time_rejects_non_strings() {
        assert!(serde_json::from_str::<DateTime>("20210416").is_err());
        assert!(serde_json::from_str::<DateTime>("null").is_err());
        assert_eq!(
            serde_json::from_str::<Option<DateTime>>("null").unwrap(),
            None
        );
    }

    #[test]
    fn date_time_to_naive() {
        assert_eq!(
            DateTime::new("2021-04-16 18:22:35").to_naive(),
            Some(ndt(2021, 4, 16, 18, 22, 35, 0))
        );
        assert_eq!(
            DateTime::new("2021-04-16 18:22:35.052987").to_naive(),
            Some(ndt(2021, 4, 16, 18, 22, 35, 52_987_000))
        );
        assert_eq!(
            DateTime::new("2023-01-04T10:31:56").to_naive(),
            Some(ndt(2023, 1, 4, 10, 31, 56, 0))
        );
        assert_eq!(
            DateTime::new("2023-01-04T10:31:56.5").to_naive(),
            Some(ndt(2023, 1, 4, 10, 31, 56, 500_000_000))
        );
        assert_eq!(
            DateTime::new("2023-01-04 10:31:56.123456789").to_naive(),
            Some(ndt(2023, 1, 4, 10, 31, 56, 123_456_789))
        );
    }

    #[test]
    fn date_time_to_naive_none() {
        for text in [
            "0000-00-00 00:00:00",
            "",
            "garbage",
            "2021-04-16",
            "2021-04-16 18:22",
            "2021-04-16 18:22:35.",
            "2021-04-16 18:22:35.1234567890",
            "2021-04-16 18:22:35Z",
            "2021-04-16 18:22:35+02:00",
            "2021-04-16x18:22:35",
            "2021-02-30 18:22:35",
            "2021-04-16 24:00:00",
            "2021-04-16 18:60:00",
            "985-02-12 18:22:35",
            "+2021-04-16 18:22:35",
            "2021-04-16 18:22:3ž",
            "ž021-04-16 18:22:35",
        ] {
            assert_eq!(DateTime::new(text).to_naive(), None, "{text:?}");
        }
    }

    #[test]
    fn date_time_zero() {
        assert!(DateTime::new("0000-00-00 00:00:00").is_zero());
        assert!(DateTime::new("0000-00-00T00:00:00").is_zero());
        assert!(!DateTime::new("2021-04-16 18:22:35").is_zero());
        assert!(!DateTime::default().is_zero());
    }

    #[test]
    fn date_time_conversions() {
        let from_naive = DateTime::from(ndt(2021, 4, 16, 8, 2, 5, 52_987_000));
        assert_eq!(from_naive.as_str(), "2021-04-16 08:02:05");
        assert_eq!(from_naive.to_naive(), Some(ndt(2021, 4, 16, 8, 2, 5, 0)));
        let parsed: DateTime = "2023-01-04T10:31:56".parse().unwrap();
        assert_eq!(parsed, DateTime::from("2023-01-04T10:31:56"));
        assert_eq!(parsed, DateTime::from(String::from("2023-01-04T10:31:56")));
        assert_eq!(parsed.clone().into_string(), "2023-01-04T10:31:56");
        assert_eq!(String::from(parsed), "2023-01-04T10:31:56");
        assert!(DateTime::new("2021-04-16 18:22:35") < DateTime::new("2021-04-17 00:00:00"));
    }

    #[test]
    fn date_round_trips_verbatim() {
        for json in [
            r#""1985-02-12""#,
            r#""985-02-12""#,
            r#""0000-00-00""#,
            r#""""#,
            r#""garbage""#,
        ] {
            round_trip::<Date>(json);
        }
    }

    #[test]
    fn date_to_naive() {
        assert_eq!(
            Date::new("1985-02-12").to_naive(),
            NaiveDate::from_ymd_opt(1985, 2, 12)
        );
        assert_eq!(
            Date::new("2024-02-29").to_naive(),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for text in [
            "985-02-12",
            "0000-00-00",
            "",
            "garbage",
            "2023-02-29",
            "1985-2-12",
            "1985-02-12 00:00:00",
            "01985-02-12",
            "+985-02-12",
            "1985/02/12",
            "ž985-02-1",
        ] {
            assert_eq!(Date::new(text).to_naive(), None, "{text:?}");
        }
        assert!(Date::new("0000-00-00").is_zero());
        assert!(!Date::new("1985-02-12").is_zero());
    }

    #[test]
    fn date_conversions() {
        let date = Date::from(NaiveDate::from_ymd_opt(985, 2, 12).unwrap());
        assert_eq!(date.as_str(), "0985-02-12");
        assert_eq!(date.to_naive(), NaiveDate::from_ymd_opt(985, 2, 12));
        assert_eq!(
            "985-02-12".parse::<Date>().unwrap().to_string(),
            "985-02-12"
        );
        assert_eq!(
            format!("{:?}", Date::new("985-02-12")),
            r#"Date("985-02-12")"#
        );
    }

    #[cfg(feature = "schemars")]
    #[test]
    fn schemas_are_inline_strings() {
        let mut generator = schemars::r#gen::SchemaGenerator::default();
        let schema = serde_json::to_value(generator.subschema_for::<DateTime>()).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["examples"][0], "2021-04-16 18:22:35");
        assert!(
            schema["description"]
                .as_str()
                .unwrap()
                .contains("time zone")
        );
        assert!(schema.get("format").is_none());
        let schema = serde_json::to_value(generator.subschema_for::<Date>()).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["examples"][0], "1985-02-12");
        assert!(generator.definitions().is_empty());
    }
}
