//! [`DecodeError`]: a success reply whose body is not what the operation
//! documents.

use std::fmt::{self, Write as _};

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_path_to_error::Segment;

use super::scrub::{self, Scrub};

/// A reply body that does not decode into the operation's type, or is
/// larger than the client accepts.
///
/// Its `Display` and `Debug` say where and what — the status, the JSON
/// path, line and column, the type expected and the kind of value found —
/// but never quote the reply: a customer page holds names, e-mail
/// addresses and phone numbers, and errors end up in logs. The start of
/// the body near the failure is kept apart, in [`excerpt`](Self::excerpt).
#[derive(Clone)]
pub struct DecodeError {
    status: StatusCode,
    reason: String,
    line: usize,
    column: usize,
    path: Option<String>,
    excerpt: String,
}

impl DecodeError {
    /// Why `body` does not decode as `T`: serde's reason without the value
    /// it may quote, where (line, column and the JSON path, found by
    /// decoding again with the path tracked — only on this failure path),
    /// and an excerpt from there (none if `scrub` withholds the reply).
    pub(crate) fn new<T: DeserializeOwned>(
        status: StatusCode,
        body: &[u8],
        error: &serde_json::Error,
        scrub: &Scrub,
    ) -> Self {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => json_path(e.path()),
            Ok(_) => None,
        };
        let offset = byte_offset(body, error.line(), error.column());
        Self {
            status,
            reason: scrub.text(&reason(error)),
            line: error.line(),
            column: error.column(),
            path,
            excerpt: scrub::excerpt(scrub, body, offset),
        }
    }

    /// A body larger than `limit` bytes: not read further.
    pub(crate) fn too_large(status: StatusCode, limit: usize) -> Self {
        Self {
            status,
            reason: format!("the body is larger than the client's limit of {limit} bytes"),
            line: 0,
            column: 0,
            path: None,
            excerpt: String::new(),
        }
    }

    /// The status of the reply.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What was wrong: serde's message without any value from the reply
    /// (`invalid type: string, expected i64`, ``missing field `email` ``,
    /// `EOF while parsing an object`).
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Where it went wrong, as (line, column) of the body, both from 1; `None`
    /// when the body was not parsed (too large).
    pub fn position(&self) -> Option<(usize, usize)> {
        (self.line > 0).then_some((self.line, self.column))
    }

    /// The JSON path of the value that did not decode (`data.customers[3].state`),
    /// when known. A member name that does not look like a field name (it
    /// may be data) shows as `?`.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The body from a little before the failure on (lossy, at most a few
    /// hundred characters), for a caller who wants to see what came.
    ///
    /// **It may hold personal data** (a customer's name, e-mail address,
    /// phone number): it is shown by neither `Display` nor `Debug`; log it
    /// only where such data may go. The secrets the call sent, any `Bearer`
    /// credential and the values of members named like a secret
    /// (`bearer_token`, `password`) are replaced by `<redacted>`. Empty for
    /// the reply of a login or token request (it carries a token), and for
    /// a body too large to read.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

/// serde_json's message without its trailing `at line L column C`, and
/// without any value from the input it quotes.
fn reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(end) => &text[..end],
        None => &text,
    };
    match error.classify() {
        // serde's messages, which may quote the value that did not fit.
        Category::Data => data_reason(text),
        // serde_json's own fixed texts (`EOF while parsing a string`).
        Category::Syntax | Category::Eof | Category::Io => text.to_owned(),
    }
}

/// A serde data error's message with the value it quotes left out:
/// `invalid type: string "jana@example.com", expected i64` becomes
/// `invalid type: string, expected i64`. A message of another form (a
/// type's own) is replaced by a general one: it may quote anything.
fn data_reason(text: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = text
            .strip_prefix(prefix)
            .and_then(|rest| rest.rsplit_once(", expected "))
        {
            return format!("{prefix}{}, expected {expected}", kind_of(found));
        }
    }
    for prefix in ["unknown variant `", "unknown field `"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let what = &prefix[..prefix.len() - 2];
            return match rest.rsplit_once("`, expected ") {
                Some((_, expected)) => format!("{what}, expected {expected}"),
                None => what.to_owned(),
            };
        }
    }
    // Names and lengths the type itself gives.
    if ["missing field `", "duplicate field `", "invalid length "]
        .iter()
        .any(|prefix| text.starts_with(prefix))
    {
        return text.to_owned();
    }
    "the value does not decode into the documented type".to_owned()
}

/// The kind of value serde's `Unexpected` describes, without the value:
/// `string "x"` → `string`, ``integer `4` `` → `integer`.
fn kind_of(unexpected: &str) -> &'static str {
    const KINDS: [&str; 17] = [
        "boolean",
        "integer",
        "floating point",
        "character",
        "string",
        "byte array",
        "null",
        "unit value",
        "Option value",
        "newtype struct",
        "sequence",
        "map",
        "enum",
        "unit variant",
        "newtype variant",
        "tuple variant",
        "struct variant",
    ];
    KINDS
        .into_iter()
        .find(|kind| {
            unexpected == *kind
                || unexpected
                    .strip_prefix(kind)
                    .is_some_and(|rest| rest.starts_with(" `") || rest.starts_with(" \""))
        })
        .unwrap_or("another value")
}

/// The JSON path `path` stands for (`data.customers[3].email`), `None` at
/// the root. Member names are kept when they look like field names;
/// anything else (a map key may be data) becomes `?`.
fn json_path(path: &serde_path_to_error::Path) -> Option<String> {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } => push_member(&mut out, field_name(key).unwrap_or("?")),
            Segment::Enum { variant } => {
                push_member(&mut out, field_name(variant).unwrap_or("?"));
            }
            Segment::Unknown => push_member(&mut out, "?"),
        }
    }
    (!out.is_empty()).then_some(out)
}

fn push_member(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

/// `key` if it reads like a field name (ASCII letters, digits, `_`, `-`;
/// at most 64).
fn field_name(key: &str) -> Option<&str> {
    let plain = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    plain.then_some(key)
}

/// The byte offset of (line, column), both from 1.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match body[offset..].iter().position(|&b| b == b'\n') {
            Some(n) => offset += n + 1,
            None => return body.len(),
        }
    }
    (offset + column.saturating_sub(1)).min(body.len())
}

/// Where and what; nothing of the reply (see [`DecodeError::excerpt`]).
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} reply is not the documented JSON: {}",
            self.status, self.reason
        )?;
        if let Some(path) = &self.path {
            write!(f, " at `{path}`")?;
        }
        if let Some((line, column)) = self.position() {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

/// Status, reason, position and path; not the excerpt.
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status.as_u16())
            .field("reason", &self.reason)
            .field("position", &self.position())
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Data,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Data {
        items: Vec<u32>,
    }

    fn decode(body: &str) -> DecodeError {
        let error = serde_json::from_slice::<Page>(body.as_bytes()).unwrap_err();
        DecodeError::new::<Page>(StatusCode::OK, body.as_bytes(), &error, &Scrub::default())
    }

    #[test]
    fn says_where_it_failed() {
        let error = decode("{\"data\":\n{\"items\":[1,2,\"three\"]}}");
        assert_eq!(error.path(), Some("data.items[2]"));
        assert_eq!(error.position(), Some((2, 21)));
        assert!(
            error.reason().starts_with("invalid type: string"),
            "{error}"
        );
        assert!(error.excerpt().contains("three"), "{error}");
        let text = error.to_string();
        assert!(
            text.contains("`data.items[2]`") && text.contains("line 2"),
            "{text}"
        );
    }

    #[test]
    fn truncated_html_and_deep_bodies_fail_cleanly() {
        for body in ["{\"data\": {\"items\"", "<html>oops</html>", ""] {
            let error = decode(body);
            assert!(error.to_string().len() < 800, "{error}");
        }
        let deep = format!("{{\"data\":{{\"items\":{}", "[".repeat(100_000));
        let error = decode(&deep);
        assert!(error.to_string().len() < 800, "{error}");
    }

    #[test]
    fn quotes_nothing_of_the_reply_outside_the_excerpt() {
        let body = r#"{"data":{"items":[1,"jana.novakova@example.com",3]}}"#;
        let error = decode(body);
        assert_eq!(error.reason(), "invalid type: string, expected u32");
        assert!(error.excerpt().contains("jana.novakova"), "{error:?}");
        for shown in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
        ] {
            assert!(!shown.contains("jana"), "{shown}");
            assert!(shown.contains("data.items[1]"), "{shown}");
        }
        let mut withheld = Scrub::default();
        withheld.withhold_reply();
        let e = serde_json::from_slice::<Page>(body.as_bytes()).unwrap_err();
        let error = DecodeError::new::<Page>(StatusCode::OK, body.as_bytes(), &e, &withheld);
        assert_eq!(error.excerpt(), "");
    }

    #[test]
    fn data_reasons_lose_the_values_they_quote() {
        for (message, reason) in [
            (
                r#"invalid type: string "+420 777 123 456", expected i64"#,
                "invalid type: string, expected i64",
            ),
            (
                "invalid value: integer `42`, expected an integer code",
                "invalid value: integer, expected an integer code",
            ),
            (
                "invalid type: floating point `1.5`, expected u32",
                "invalid type: floating point, expected u32",
            ),
            (
                "invalid type: null, expected a string",
                "invalid type: null, expected a string",
            ),
            (
                "invalid type: map, expected a Customer object",
                "invalid type: map, expected a Customer object",
            ),
            (
                "unknown variant `jana@example.com`, expected `a` or `b`",
                "unknown variant, expected `a` or `b`",
            ),
            (
                "unknown field `x@y`, expected one of `a`, `b`",
                "unknown field, expected one of `a`, `b`",
            ),
            ("missing field `email`", "missing field `email`"),
            (
                "could not parse 'jana@example.com'",
                "the value does not decode into the documented type",
            ),
            (
                "invalid type: what \"x\", expected u8",
                "invalid type: another value, expected u8",
            ),
        ] {
            assert_eq!(data_reason(message), reason, "{message}");
        }
    }

    #[test]
    fn paths_keep_field_names_only() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Keyed {
            data: std::collections::BTreeMap<String, u32>,
        }
        let body = br#"{"data":{"ok_key":1,"jana@example.com":"x"}}"#;
        let e = serde_json::from_slice::<Keyed>(body).unwrap_err();
        let error = DecodeError::new::<Keyed>(StatusCode::OK, body, &e, &Scrub::default());
        assert_eq!(error.path(), Some("data.?"));
    }
}
