//! What the generated dispatch arms are written with: [`Taken`] hands out
//! an operation's arguments (the required ones for the client method, the
//! rest for the builder's setters), [`arg`] reads one JSON value as the
//! Rust type it goes in, [`respond`] turns the typed reply into JSON; and
//! the errors, each raised before anything is sent.

use carecloud_api::{Error, Interface, Operation, ResponseValue, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::Args;

/// `value` as a `T`, leniently (see [`Args::params`]). The error names the
/// argument and the operation and, when the bad part is inside an object or
/// array, its JSON path: `` `body` of `post_customer` at `customer.state`: ``
/// and serde's reason.
///
/// Only the two reads are generic; the rest is [`leniently`], compiled once
/// rather than once for each of the ~120 types the dispatch reads.
pub(crate) fn arg<T: DeserializeOwned>(op: &Operation, name: &str, value: Value) -> Result<T> {
    let mut typed = None;
    leniently(
        op,
        name,
        value,
        &mut |v| T::deserialize(v).map(|t| typed = Some(t)),
        &|v| match serde_path_to_error::deserialize::<_, T>(v) {
            Err(e) if e.path().iter().next().is_some() => Some(e.path().to_string()),
            _ => None,
        },
    )?;
    typed.ok_or_else(|| Error::InvalidRequest(format!("`{name}` of `{}`: not read", op.name)))
}

/// Reads `value` with `read`, else the text of a JSON value (`"5"`,
/// `"true"`, `"[1,2]"`), else a single value as a one-item array; on
/// failure, the error with the first attempt's reason and the JSON path
/// `path_of` finds for the bad part of `value` (`None` at its root).
fn leniently(
    op: &Operation,
    name: &str,
    value: Value,
    read: &mut dyn FnMut(&Value) -> serde_json::Result<()>,
    path_of: &dyn Fn(&Value) -> Option<String>,
) -> Result<()> {
    let first = match read(&value) {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    // The text of a JSON value (`"5"`, `"true"`, `"[1,2]"`) ...
    let mut candidates: Vec<Value> = match &value {
        Value::String(text) => serde_json::from_str(text).into_iter().collect(),
        _ => Vec::new(),
    };
    // ... and a single value for an array.
    let singles: Vec<Value> = std::iter::once(&value)
        .chain(&candidates)
        .filter(|v| !(v.is_array() || v.is_object() || v.is_null()))
        .map(|v| Value::Array(vec![v.clone()]))
        .collect();
    candidates.extend(singles);
    if candidates.iter().any(|v| read(v).is_ok()) {
        return Ok(());
    }
    // Where in the value it went wrong (`customer.personal_information.gender`),
    // found by decoding again with the path tracked: only on this path.
    let path = match path_of(&value) {
        Some(path) => format!(" at `{path}`"),
        None => String::new(),
    };
    Err(Error::InvalidRequest(format!(
        "`{name}` of `{}`{path}: {first}",
        op.name
    )))
}

/// The arguments of one call as a dispatch arm takes them: the required
/// ones first (the arguments of the client's method), then the rest (its
/// builder's setters).
pub(crate) struct Taken {
    op: &'static Operation,
    params: Map<String, Value>,
    body: Option<Value>,
}

impl Taken {
    pub(crate) fn new(op: &'static Operation, args: Args) -> Self {
        Self {
            op,
            params: args.params,
            body: args.body,
        }
    }

    /// The required parameter `name` (as the API names it) as a `T`.
    pub(crate) fn param<T: DeserializeOwned>(&mut self, name: &str) -> Result<T> {
        match self.params.remove(name) {
            Some(value) => arg(self.op, name, value),
            None => Err(Error::InvalidRequest(format!(
                "`{name}` is required by `{}` but was not given",
                self.op.name
            ))),
        }
    }

    /// The required body as a `T`.
    pub(crate) fn required_body<T: DeserializeOwned>(&mut self) -> Result<T> {
        self.body()?
            .ok_or_else(|| Error::InvalidRequest(format!("`{}` needs a body", self.op.name)))
    }

    /// The body as a `T`, if one was given.
    pub(crate) fn body<T: DeserializeOwned>(&mut self) -> Result<Option<T>> {
        self.body
            .take()
            .map(|body| arg(self.op, "body", body))
            .transpose()
    }

    /// The parameters left for the setters; a body the operation does not
    /// take is an error, not dropped.
    pub(crate) fn rest(self) -> Result<Map<String, Value>> {
        if self.body.is_some() {
            return Err(Error::InvalidRequest(format!(
                "`{}` takes no body",
                self.op.name
            )));
        }
        Ok(self.params)
    }
}

/// A typed reply as JSON.
pub(crate) fn respond<T: Serialize>(reply: ResponseValue<T>) -> Result<ResponseValue<Value>> {
    let (inner, status, headers) = reply.into_parts();
    let value = serde_json::to_value(inner)
        .map_err(|e| Error::InvalidRequest(format!("the reply does not serialize: {e}")))?;
    Ok(ResponseValue::new(value, status, headers))
}

/// A parameter the operation does not have, with the ones it has.
pub(crate) fn no_such_param(op: &Operation, name: &str) -> Error {
    let known: Vec<&str> = op.params.iter().map(|p| p.name).collect();
    Error::InvalidRequest(format!(
        "`{}` has no parameter `{name}` (it has: {})",
        op.name,
        if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        }
    ))
}

/// An operation the client's interface does not serve.
pub(crate) fn not_served(op: &Operation, interface: Interface) -> Error {
    Error::InvalidRequest(format!(
        "`{}` is not an operation of the {interface:?} interface",
        op.name
    ))
}
