//! [`DecodeError`]: a success reply whose body is not what the operation
//! documents.

use std::fmt;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::scrub::{self, Scrub};

/// A reply body that does not decode into the operation's type, or is
/// larger than the client accepts.
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
    /// Why `body` does not decode as `T`: serde's reason, where (line,
    /// column and the JSON path, found by decoding again with the path
    /// tracked — only on this failure path), and an excerpt from there.
    pub(crate) fn new<T: DeserializeOwned>(
        status: StatusCode,
        body: &[u8],
        error: &serde_json::Error,
        scrub: &Scrub,
    ) -> Self {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) if e.path().iter().next().is_some() => Some(e.path().to_string()),
            _ => None,
        };
        let offset = byte_offset(body, error.line(), error.column());
        Self {
            status,
            reason: scrub.text(&reason_without_position(error)),
            line: error.line(),
            column: error.column(),
            path: path.map(|p| scrub.text(&p)),
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

    /// What was wrong (serde's message, scrubbed and capped).
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Where it went wrong, as (line, column) of the body, both from 1; `None`
    /// when the body was not parsed (too large).
    pub fn position(&self) -> Option<(usize, usize)> {
        (self.line > 0).then_some((self.line, self.column))
    }

    /// The JSON path of the value that did not decode (`data.customers[3].state`),
    /// when known.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The body from a little before the failure on (lossy, scrubbed, at most
    /// a few hundred characters).
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

/// serde_json's message without its trailing `at line L column C`.
fn reason_without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
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
        if !self.excerpt.is_empty() {
            write!(f, " near: {}", self.excerpt)?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status.as_u16())
            .field("reason", &self.reason)
            .field("position", &self.position())
            .field("path", &self.path)
            .field("excerpt", &self.excerpt)
            .finish()
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
}
