//! Keeping secrets and size out of error texts.
//!
//! A server's error page may echo the request back (its `Authorization`
//! header, a login body), and a broken reply may be megabytes long. Every
//! text an [`Error`](crate::Error) keeps from the network goes through
//! [`Scrub::text`] first: the secrets the client knows it sent are replaced,
//! any `Bearer <token>` is cut, and the result is capped. An excerpt of a
//! reply body ([`excerpt`]) also loses the string value of every member
//! whose name says it is a secret (`"bearer_token": "…"`), and a reply to a
//! login or token request is never excerpted at all
//! ([`Scrub::withhold_reply`]).

use std::fmt::Write as _;

/// The most characters of a reply an error keeps (an excerpt of a body, a
/// server message).
pub(crate) const MAX_EXCERPT: usize = 240;

const REDACTED: &str = "<redacted>";

/// The secrets one call sent (its token, the passwords in its body), to be
/// removed from anything the reply echoes.
#[derive(Clone, Default)]
pub(crate) struct Scrub {
    secrets: Vec<String>,
    /// Whether the reply is a login's or token request's: it carries a
    /// token, so no excerpt of it is kept.
    withhold_reply: bool,
}

impl Scrub {
    /// Adds a secret (ignored when empty), as sent and as it reads inside
    /// a JSON string.
    pub(crate) fn add(&mut self, secret: &str) {
        self.add_form(secret);
        // Most secrets read the same inside a JSON string.
        if secret
            .chars()
            .any(|c| matches!(c, '"' | '\\') || c.is_control())
        {
            let escaped = serde_json::to_string(secret).unwrap_or_default();
            let escaped = escaped
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or_default();
            self.add_form(escaped);
        }
    }

    fn add_form(&mut self, form: &str) {
        if !form.is_empty() && !self.secrets.iter().any(|s| s == form) {
            self.secrets.push(form.to_owned());
        }
    }

    /// No excerpt of this call's reply is kept (a login or token reply).
    pub(crate) fn withhold_reply(&mut self) {
        self.withhold_reply = true;
    }

    /// `text` without any secret, cut to [`MAX_EXCERPT`] characters.
    pub(crate) fn text(&self, text: &str) -> String {
        self.text_within(text, MAX_EXCERPT)
    }

    /// `text` without any secret, cut to `limit` characters (marked `…`).
    pub(crate) fn text_within(&self, text: &str, limit: usize) -> String {
        // Cut before replacing so the work is bounded, with room for a
        // secret that straddles the cut.
        let longest = self.secrets.iter().map(String::len).max().unwrap_or(0);
        let mut head = truncate(text, limit.saturating_mul(4).saturating_add(longest));
        let mut cut_short = head.len() < text.len();
        for secret in &self.secrets {
            if head.contains(secret.as_str()) {
                head = head.replace(secret.as_str(), REDACTED);
            }
        }
        let mut out = cut_bearer(&head);
        // A secret the first cut split in two leaves its first part.
        if cut_short && let Some(tail) = self.partial_secret_at_end(&out) {
            out.truncate(out.len() - tail);
        }
        let mut cut = truncate(&out, limit);
        cut_short |= cut.len() < out.len();
        if cut_short {
            // Never end on half a secret.
            if let Some(tail) = self.partial_secret_at_end(&cut) {
                cut.truncate(cut.len() - tail);
            }
            cut.push('…');
        }
        cut
    }

    /// The length of a prefix of a secret that ends `text`, if any (at least
    /// four bytes, so ordinary words are left alone).
    fn partial_secret_at_end(&self, text: &str) -> Option<usize> {
        self.secrets.iter().find_map(|secret| {
            (4..secret.len())
                .rev()
                .filter(|&n| secret.is_char_boundary(n))
                .find(|&n| text.ends_with(&secret[..n]))
        })
    }
}

/// `text` cut to at most `limit` characters, on a character boundary.
pub(crate) fn truncate(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => text[..end].to_owned(),
        None => text.to_owned(),
    }
}

/// `text` with the credential after every `Bearer ` (any case) replaced.
fn cut_bearer(text: &str) -> String {
    const WORD: &str = "bearer ";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(WORD) {
        let start = from + found + WORD.len();
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '<'))
            .map_or(text.len(), |n| start + n);
        out.push_str(&text[rest..start]);
        if end > start && &text[start..end] != REDACTED {
            out.push_str(REDACTED);
        } else {
            out.push_str(&text[start..end]);
        }
        rest = end;
        from = end.max(start);
    }
    out.push_str(&text[rest..]);
    out
}

/// A body as text for an error: lossy UTF-8 (invalid bytes become `�`),
/// control characters escaped, from byte `at` on (backed up a little so the
/// excerpt shows what led there), without secret-named members' values,
/// scrubbed and capped. Empty for a reply the scrub withholds.
pub(crate) fn excerpt(scrub: &Scrub, body: &[u8], at: usize) -> String {
    if scrub.withhold_reply {
        return String::new();
    }
    let continuation = |i: usize| body.get(i).is_some_and(|b| b & 0xC0 == 0x80);
    // On character boundaries, when the body is UTF-8.
    let mut start = at.saturating_sub(MAX_EXCERPT / 4).min(body.len());
    while continuation(start) && start < at {
        start += 1;
    }
    let mut end = body.len().min(start.saturating_add(MAX_EXCERPT * 4));
    while continuation(end) && end > start + 1 {
        end -= 1;
    }
    let text = String::from_utf8_lossy(&body[start..end]);
    let mut clean = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != ' ' {
            let _ = write!(clean, "{}", c.escape_default());
        } else {
            clean.push(c);
        }
    }
    let clean = without_secret_members(&clean);
    let mut out = scrub.text(&clean);
    if start > 0 {
        out.insert(0, '…');
    }
    if end < body.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}

/// Words that mark a JSON member's value as a secret (`bearer_token`,
/// `token_id`, `password`, `client_secret`).
const SECRET_NAMES: [&str; 3] = ["token", "password", "secret"];

/// `text` (JSON, possibly cut anywhere) with the string value of every
/// member whose name holds one of [`SECRET_NAMES`] replaced; a value cut
/// off by the end of the text is replaced too.
fn without_secret_members(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(colon) = rest.find(':') {
        let (before, after) = rest.split_at(colon + 1);
        out.push_str(before);
        rest = after;
        if !member_name_before(before).is_some_and(is_secret_name) {
            continue;
        }
        let value = rest.trim_start();
        let Some(quoted) = value.strip_prefix('"') else {
            continue;
        };
        out.push_str(&rest[..rest.len() - value.len()]);
        out.push('"');
        out.push_str(REDACTED);
        match string_end(quoted) {
            Some(end) => {
                out.push('"');
                rest = &quoted[end + 1..];
            }
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The member name a text ending in `"name":` (spaces allowed) names.
fn member_name_before(text: &str) -> Option<&str> {
    let body = text.strip_suffix(':')?.trim_end().strip_suffix('"')?;
    let start = body.rfind('"')?;
    Some(&body[start + 1..])
}

fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|word| name.contains(word))
}

/// The byte index of the quote that ends a JSON string's contents.
fn string_end(contents: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in contents.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrub(secrets: &[&str]) -> Scrub {
        let mut scrub = Scrub::default();
        for secret in secrets {
            scrub.add(secret);
        }
        scrub
    }

    #[test]
    fn removes_known_secrets_and_bearer_credentials() {
        let s = scrub(&["hunter2-pass", "tok-123456"]);
        let text = s.text("login failed for password hunter2-pass, token tok-123456");
        assert_eq!(
            text,
            "login failed for password <redacted>, token <redacted>"
        );
        let echoed = s.text("GET /x HTTP/1.1\r\nAuthorization: Bearer abc.def-ghi\r\n");
        assert!(!echoed.contains("abc.def"), "{echoed}");
        assert!(echoed.contains("Bearer <redacted>"), "{echoed}");
        assert_eq!(s.text("BEARER x1"), "BEARER <redacted>");
    }

    #[test]
    fn caps_the_length_and_never_leaves_half_a_secret() {
        let s = scrub(&["SECRETSECRET"]);
        let long = "a".repeat(10_000);
        let text = s.text(&long);
        assert_eq!(text.chars().count(), MAX_EXCERPT + 1);
        assert!(text.ends_with('…'));
        let straddling = format!("{}SECRETSECRET", "a".repeat(MAX_EXCERPT - 4));
        let text = s.text(&straddling);
        assert!(!text.contains("SECR"), "{text}");
        assert_eq!(s.text("short"), "short");
    }

    #[test]
    fn excerpts_are_lossy_escaped_and_bounded() {
        let s = scrub(&["pw-0000"]);
        let body = b"<html>\n\xff\xfe pw-0000 </html>";
        let text = excerpt(&s, body, 0);
        assert_eq!(text, "<html>\\n\u{fffd}\u{fffd} <redacted> </html>");
        let huge = vec![b'x'; 50 << 20];
        let text = excerpt(&s, &huge, 25 << 20);
        assert!(text.chars().count() <= MAX_EXCERPT + 2, "{}", text.len());
        assert!(text.starts_with('…') && text.ends_with('…'));
        // Never half a character at either end.
        let accented = "č".repeat(2_000);
        let text = excerpt(&s, accented.as_bytes(), 1_001);
        assert!(!text.contains('\u{fffd}'), "{text}");
    }

    #[test]
    fn secret_named_members_lose_their_values() {
        let s = Scrub::default();
        let body =
            br#"{"data":{"bearer_token" : "eyJ.a\"b", "Token_ID":"t-1","name":"token","n":1}}"#;
        assert_eq!(
            excerpt(&s, body, 0),
            r#"{"data":{"bearer_token" : "<redacted>", "Token_ID":"<redacted>","name":"token","n":1}}"#
        );
        let cut = br#"{"password":"hunter2-and-mo"#;
        assert_eq!(excerpt(&s, cut, 0), r#"{"password":"<redacted>"#);
        assert_eq!(excerpt(&s, br#"{"token_id":42}"#, 0), r#"{"token_id":42}"#);
    }

    #[test]
    fn a_withheld_reply_has_no_excerpt() {
        let mut s = scrub(&["pw-0000"]);
        s.withhold_reply();
        assert!(s.withhold_reply);
        assert_eq!(excerpt(&s, b"{\"data\":\"anything\"}", 0), "");
        let plain = scrub(&["a\"b"]);
        assert_eq!(plain.text(r#"x a\"b a"b"#), "x <redacted> <redacted>");
    }
}
