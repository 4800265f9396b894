//! [`Call`]: one request being built by an operation builder, and the one
//! executor every operation's `send()` goes through.
//!
//! The builders are generated; they turn each value into text and hand it
//! to the method for its location (`path`, `query`, `query_each`, `header`,
//! `integer`, `body`). Nothing here is generic but the serializing of a body
//! and the decoding of one response type, so the executor is compiled once
//! here instead of once per operation.

use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, HeaderName, HeaderValue};
use serde::Serialize;

use super::Core;
use super::value::{Range, Whole};
use crate::error::scrub::Scrub;
use crate::operation::{Location, Operation};
use crate::{Error, Result};

/// What a path segment escapes: everything but RFC 3986's unreserved
/// characters and the sub-delimiters a segment may hold.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// What a query name or value escapes: everything but the unreserved
/// characters (so `&`, `=`, `+` and `#` in a value stay data).
const QUERY: &AsciiSet = &SEGMENT
    .add(b'!')
    .add(b'$')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b':')
    .add(b';')
    .add(b'=')
    .add(b'@');

/// `text` percent-encoded as one path segment.
#[cfg(feature = "customer")]
pub(crate) fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// One request being built: the operation, the client it goes through (a
/// cheap clone of its [`Core`]: the request owns what it needs, so a built
/// request or its `send()` future can move to another task), and every value
/// set so far, already in wire form.
#[derive(Clone)]
pub(crate) struct Call {
    pub(super) core: Core,
    pub(super) op: &'static Operation,
    path: Vec<(&'static str, String)>,
    /// `(name as sent, value)`; an array's items share the name `name[]`.
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    /// The secrets the body holds (its `Secret` fields), kept out of errors.
    pub(super) scrub: Scrub,
    /// The first value that could not be used; `send()` fails with it.
    error: Option<String>,
}

/// Names what was set, never a value (a body or header may hold a secret).
impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut set: Vec<&str> = self.path.iter().map(|(n, _)| *n).collect();
        set.extend(self.query.iter().map(|(n, _)| n.as_str()));
        set.extend(self.headers.iter().map(|(n, _)| *n));
        set.dedup();
        f.debug_struct("Call")
            .field("operation", &self.op.name)
            .field("set", &set)
            .field("body", &self.body.is_some())
            .finish_non_exhaustive()
    }
}

// Which setters the generated builders use depends on the groups compiled.
#[cfg_attr(any(test, not(feature = "full")), allow(dead_code))]
impl Call {
    pub(crate) fn new(core: Core, op: &'static Operation) -> Self {
        Self {
            core,
            op,
            path: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            scrub: Scrub::default(),
            error: None,
        }
    }

    /// Records why a value cannot be sent (the first such reason wins).
    fn fail(&mut self, reason: String) {
        if self.error.is_none() {
            self.error = Some(reason);
        }
    }

    /// Sets the path parameter `name`. An empty value would change which
    /// resource the path names (`/customers/` is the list), so `send()`
    /// fails instead.
    pub(crate) fn path(&mut self, name: &'static str, value: String) {
        if value.is_empty() {
            return self.fail(format!(
                "`{name}` of `{}`: expected a value, not an empty text (it goes in the path)",
                self.op.name
            ));
        }
        self.path.retain(|(n, _)| *n != name);
        self.path.push((name, value));
    }

    /// Sets the query parameter `name` (replacing an earlier value).
    pub(crate) fn query(&mut self, name: &'static str, value: String) {
        self.set_query(name, vec![value], false);
    }

    /// The value set for the (scalar) query parameter `name`, if any.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets the array query parameter `name`: sent as `name[]=a&name[]=b`,
    /// the form CareCloud documents for every list filter.
    pub(crate) fn query_each(&mut self, name: &'static str, values: Vec<String>) {
        self.set_query(name, values, true);
    }

    fn set_query(&mut self, name: &'static str, values: Vec<String>, array: bool) {
        let sent = if array {
            format!("{name}[]")
        } else {
            name.to_owned()
        };
        self.query
            .retain(|(n, _)| n.strip_suffix("[]").unwrap_or(n) != name);
        self.query
            .extend(values.into_iter().map(|value| (sent.clone(), value)));
    }

    /// Sets the header `name`.
    pub(crate) fn header(&mut self, name: &'static str, value: String) {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
    }

    /// Sets the whole-number parameter `name` (at `location`) if `value`
    /// lies in `range`; otherwise `send()` fails without sending, naming the
    /// parameter as the caller wrote it (`setter`) and what it takes.
    pub(crate) fn integer(
        &mut self,
        location: Location,
        name: &'static str,
        setter: &'static str,
        value: Whole,
        range: Range,
    ) {
        let value = value.get();
        if !range.contains(value) {
            return self.fail(format!(
                "`{setter}` of `{}`: expected {}, not {value}",
                self.op.name,
                range.describe()
            ));
        }
        let text = value.to_string();
        match location {
            Location::Path => self.path(name, text),
            Location::Query => self.query(name, text),
            Location::Header => self.header(name, text),
        }
    }

    /// Sets the JSON body.
    pub(crate) fn body<T: Serialize>(&mut self, value: &T) {
        let (bytes, secrets) = crate::wire::collect_secrets(|| serde_json::to_vec(value));
        for secret in &secrets {
            self.scrub.add(secret);
        }
        match bytes {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.fail(format!(
                "the body of `{}` does not serialize: {e}",
                self.op.name
            )),
        }
    }

    /// The request: URL from the path template and query, headers, body.
    pub(super) fn build(&self) -> Result<reqwest::Request> {
        if let Some(error) = &self.error {
            return Err(Error::InvalidRequest(error.clone()));
        }
        let mut url = String::with_capacity(self.core.baseurl.len() + self.op.path.len() + 64);
        url.push_str(&self.core.baseurl);
        url.push_str(&self.filled_path());
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(
                name.strip_suffix("[]").unwrap_or(name),
                QUERY,
            ));
            if name.ends_with("[]") {
                url.push_str("[]");
            }
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY));
        }
        let url = reqwest::Url::parse(&url).map_err(|e| {
            Error::InvalidRequest(format!("`{}`: not a valid URL: {e}", self.op.name))
        })?;
        let method = reqwest::Method::from_bytes(self.op.method.as_str().as_bytes())
            .map_err(|e| Error::InvalidRequest(e.to_string()))?;
        let mut request = reqwest::Request::new(method, url);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(format!("`{name}` is not a valid header name"))
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidRequest(format!(
                    "`{name}` of `{}`: not a valid header value",
                    self.op.name
                ))
            })?;
            headers.insert(name, value);
        }
        if let Some(language) = self.core.runtime.accept_language() {
            headers
                .entry(ACCEPT_LANGUAGE)
                .or_insert_with(|| language.clone());
        }
        if let Some(body) = &self.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *request.body_mut() = Some(body.clone().into());
        }
        Ok(request)
    }

    /// The path template with every `{name}` replaced by its value,
    /// percent-encoded as one segment.
    fn filled_path(&self) -> String {
        let mut out = String::with_capacity(self.op.path.len() + 32);
        let mut rest = self.op.path;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            let name = &rest[start + 1..start + end];
            if let Some((_, value)) = self.path.iter().find(|(n, _)| *n == name) {
                out.extend(utf8_percent_encode(value, SEGMENT));
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        out
    }
}
