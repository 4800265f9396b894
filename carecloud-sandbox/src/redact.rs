//! What the request log keeps of a request: its body, query and path with
//! every password and token replaced by [`REDACTED`].
//!
//! Where a body holds a secret comes from the spec (the generated
//! `secret_paths`: the fields whose schema is `Password` or `SecretToken`,
//! at any depth); a body that matches no operation loses every field named
//! like one ([`SECRET_FIELDS`]). The caller's own token (the bearer token of
//! `Authorization`, which is also the `token_id` of `/tokens/{token_id}/...`)
//! is replaced wherever it appears as a whole value. A body without a secret
//! is kept byte for byte; one with a secret is written again as compact
//! JSON; one that is not JSON where a secret could be is replaced by a note
//! of its length.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::generated::secrets::{SECRET_FIELDS, secret_paths};

/// What a secret is replaced with.
pub(crate) const REDACTED: &str = "<redacted>";

/// The body to log of a request whose operation's body schema is `schema`
/// (`routed`: it matched an operation), sent with `token`.
pub(crate) fn body(schema: Option<&str>, routed: bool, raw: &[u8], token: Option<&str>) -> Vec<u8> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return raw.to_vec();
    }
    let paths = schema.map_or(&[][..], secret_paths);
    let holds_token = token.is_some_and(|t| contains(raw, t.as_bytes()));
    if routed && paths.is_empty() && !holds_token {
        return raw.to_vec();
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(raw) else {
        return format!("<{} bytes, not JSON: withheld>", raw.len()).into_bytes();
    };
    let mut changed = false;
    for path in paths {
        changed |= at_path(&mut value, path);
    }
    if !routed {
        changed |= named(&mut value);
    }
    if let Some(token) = token {
        changed |= equal_to(&mut value, token);
    }
    if changed {
        serde_json::to_vec(&value).unwrap_or_else(|_| REDACTED.as_bytes().to_vec())
    } else {
        raw.to_vec()
    }
}

/// The query to log: a parameter named like a secret field, or whose value
/// is `token`, gets [`REDACTED`] for its value; the rest is kept as sent.
pub(crate) fn query(raw: &str, token: Option<&str>) -> String {
    if raw.is_empty() {
        return String::new();
    }
    let mut changed = false;
    let pairs: Vec<String> = raw
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = percent_decode_str(name).decode_utf8_lossy();
            let bare = decoded.strip_suffix("[]").unwrap_or(&decoded);
            let secret = SECRET_FIELDS.contains(&bare)
                || token.is_some_and(|t| !t.is_empty() && percent_decode_str(value).eq(t.bytes()));
            if secret {
                changed = true;
                format!("{name}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    if changed {
        pairs.join("&")
    } else {
        raw.to_owned()
    }
}

/// The path to log: a segment that is `token` gets [`REDACTED`].
pub(crate) fn path(raw: &str, token: Option<&str>) -> String {
    match token.filter(|t| !t.is_empty()) {
        Some(token) if raw.contains(token) => raw
            .split('/')
            .map(|segment| {
                if percent_decode_str(segment).eq(token.bytes()) {
                    REDACTED
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/"),
        _ => raw.to_owned(),
    }
}

/// Replaces the strings at `path` (`[]`: every item, `*`: every value).
fn at_path(value: &mut Value, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return replace(value);
    };
    match (*first, value) {
        ("[]", Value::Array(items)) => items
            .iter_mut()
            .fold(false, |changed, item| at_path(item, rest) | changed),
        ("*", Value::Object(map)) => map
            .values_mut()
            .fold(false, |changed, item| at_path(item, rest) | changed),
        (key, Value::Object(map)) => map.get_mut(key).is_some_and(|inner| at_path(inner, rest)),
        _ => false,
    }
}

/// Replaces every value, at any depth, of a key in [`SECRET_FIELDS`].
fn named(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => map.iter_mut().fold(false, |changed, (key, inner)| {
            let this = if SECRET_FIELDS.contains(&key.as_str()) {
                replace(inner)
            } else {
                named(inner)
            };
            this | changed
        }),
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| named(item) | changed),
        _ => false,
    }
}

/// Replaces every string equal to `secret`, at any depth.
fn equal_to(value: &mut Value, secret: &str) -> bool {
    match value {
        Value::String(text) if text == secret => replace(value),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, item| equal_to(item, secret) | changed),
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| equal_to(item, secret) | changed),
        _ => false,
    }
}

/// Replaces a present, non-null value.
fn replace(value: &mut Value) -> bool {
    if value.is_null() {
        return false;
    }
    *value = Value::String(REDACTED.to_owned());
    true
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn logged(schema: Option<&str>, routed: bool, body: Value, token: Option<&str>) -> Value {
        let raw = serde_json::to_vec(&body).expect("JSON");
        serde_json::from_slice(&super::body(schema, routed, &raw, token)).expect("JSON")
    }

    #[test]
    fn passwords_and_tokens_of_the_spec_are_replaced_at_any_depth() {
        let sent = json!({
            "customer": {"personal_information": {"email": "a@example.com"}},
            "password": "hunter2",
            "social_network_credentials": {"social_network_id": "google", "social_network_token": "g-123"},
        });
        let kept = logged(Some("PostCustomerRequest"), true, sent, None);
        assert_eq!(
            kept,
            json!({
                "customer": {"personal_information": {"email": "a@example.com"}},
                "password": REDACTED,
                "social_network_credentials": {"social_network_id": "google", "social_network_token": REDACTED},
            })
        );
        let login =
            json!({"user_external_application_id": "app", "login": "api", "password": "hunter2"});
        let kept = logged(Some("PostUserLoginRequest"), true, login, None);
        assert_eq!(kept["password"], REDACTED);
        assert_eq!(kept["login"], "api");
    }

    #[test]
    fn a_body_without_secrets_is_kept_byte_for_byte() {
        let raw = br#"{ "customer" : {"value": "x"},  "b": [] }"#;
        assert_eq!(
            body(Some("PutCustomerRequest"), true, raw, Some("tok")),
            raw
        );
        assert_eq!(
            body(None, true, raw, None),
            raw,
            "an operation without a body"
        );
        assert_eq!(body(Some("PostUserLoginRequest"), true, b"", None), b"");
    }

    #[test]
    fn the_callers_token_and_unrouted_secret_names_are_replaced() {
        let kept = logged(
            Some("CardTypeRequest"),
            true,
            json!({"note": "tok-1", "other": "tok-10"}),
            Some("tok-1"),
        );
        assert_eq!(kept, json!({"note": REDACTED, "other": "tok-10"}));
        let kept = logged(
            None,
            false,
            json!({"nested": [{"password": "p", "value": "v", "name": "n"}]}),
            None,
        );
        assert_eq!(
            kept,
            json!({"nested": [{"password": REDACTED, "value": REDACTED, "name": "n"}]})
        );
    }

    #[test]
    fn a_body_that_is_not_json_where_a_secret_could_be_is_withheld() {
        let raw = b"login=api&password=hunter2";
        let kept = body(Some("PostUserLoginRequest"), true, raw, None);
        assert_eq!(kept, b"<26 bytes, not JSON: withheld>");
        let kept = body(None, false, raw, None);
        assert_eq!(kept, b"<26 bytes, not JSON: withheld>");
        assert_eq!(body(Some("CardTypeRequest"), true, raw, None), raw);
    }

    #[test]
    fn queries_and_paths_lose_secrets_only() {
        let q = "count=10&password=hunter2&token[]=a&x=tok%2D1&email_list[]=a%40b";
        assert_eq!(
            query(q, Some("tok-1")),
            "count=10&password=<redacted>&token[]=<redacted>&x=<redacted>&email_list[]=a%40b"
        );
        assert_eq!(query("count=10&offset=0", Some("tok")), "count=10&offset=0");
        assert_eq!(
            path("/tokens/abc123/actions/login", Some("abc123")),
            "/tokens/<redacted>/actions/login"
        );
        assert_eq!(
            path("/customers/abc1234", Some("abc123")),
            "/customers/abc1234"
        );
        assert_eq!(path("/customers/x", None), "/customers/x");
    }
}
