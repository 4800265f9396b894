//! Any operation by its [`OperationId`], with JSON arguments (feature
//! `dynamic`): for tools that do not know at compile time which operation
//! they call, such as a command-line client or a table-driven test. Each
//! call still goes through the operation's generated client method and
//! builder, so a missing required parameter or body is reported, and
//! arguments are checked against their parameter and body types, before
//! anything is sent; the reply is decoded into its response type before it
//! is handed back as JSON.
//!
//! `Args`' `Debug` names the parameters, never their values.
//!
//! ```no_run
//! # async fn demo(client: carecloud_api::EnterpriseClient) -> carecloud_api::Result<()> {
//! use carecloud_api::OperationId;
//! use carecloud_api::dynamic::Args;
//!
//! let args = Args::new().param("count", 5).param("customer_ids", ["a1", "b2"]);
//! let reply = client.invoke(OperationId::GetCustomers, args).await?;
//! println!("{}", reply.into_inner()["data"]["total_items"]);
//! # Ok(()) }
//! ```

// The crate's error (progenitor's, with the envelope inline) is large; it
// is returned, not stored.
#![allow(clippy::result_large_err)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::operation::Operation;
pub use crate::operation::OperationId;
use crate::{Error, ResponseValue, Result};

/// The arguments of a call: parameters by their name in the API
/// (`customer_ids`, `Accept-Language`), and the body.
#[derive(Clone, Default, PartialEq)]
pub struct Args {
    /// Parameter values. A value that does not fit the parameter's type as
    /// JSON is also tried as the text of a JSON value (`"5"` for a number),
    /// and a single value stands for a one-item array.
    pub params: Map<String, Value>,
    /// The request body, if the operation takes one.
    pub body: Option<Value>,
}

/// Names the parameters set, never a value (a body or parameter may hold
/// a password or token).
impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("params", &self.params.keys().collect::<Vec<_>>())
            .field("body", &self.body.is_some())
            .finish()
    }
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// These arguments and parameter `name`.
    pub fn param(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// These arguments and the body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// `value` as a `T`, leniently (see [`Args::params`]). The error names the
/// argument and the operation and, when the bad part is inside an object or
/// array, its JSON path: `` `body` of `post_customer` at `customer.state`: `` and
/// serde's reason.
pub(crate) fn arg<T: DeserializeOwned>(op: &Operation, name: &str, value: Value) -> Result<T> {
    let first = match serde_json::from_value::<T>(value.clone()) {
        Ok(v) => return Ok(v),
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
    candidates
        .into_iter()
        .find_map(|v| serde_json::from_value::<T>(v).ok())
        .ok_or_else(|| {
            // Where in the value it went wrong (`customer.personal_information.gender`),
            // found by decoding again with the path tracked: only on this path.
            let path = match serde_path_to_error::deserialize::<_, T>(&value) {
                Err(e) if e.path().iter().next().is_some() => format!(" at `{}`", e.path()),
                _ => String::new(),
            };
            Error::InvalidRequest(format!("`{name}` of `{}`{path}: {first}", op.name))
        })
}

/// The arguments of one call as a generated `invoke` arm takes them: the
/// required ones first (the arguments of the client's method), then the
/// rest (its builder's setters).
pub(crate) struct Taken {
    op: &'static Operation,
    params: Map<String, Value>,
    body: Option<Value>,
}

// Which parts a build uses depends on the groups compiled.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
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
    let (status, headers) = (reply.status(), reply.headers().clone());
    let value = serde_json::to_value(reply.into_inner())
        .map_err(|e| Error::InvalidRequest(format!("the reply does not serialize: {e}")))?;
    Ok(ResponseValue::new(value, status, headers))
}

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

pub(crate) fn unknown(op: &Operation) -> Error {
    Error::InvalidRequest(format!("`{}` is not in its group's table", op.name))
}

pub(crate) fn not_compiled(op: &Operation) -> Error {
    Error::InvalidRequest(format!(
        "`{}` is in the group `{}`, whose feature is off in this build",
        op.name, op.group
    ))
}

pub(crate) fn not_served(op: &Operation, interface: crate::Interface) -> Error {
    Error::InvalidRequest(format!(
        "`{}` is not an operation of the {interface:?} interface",
        op.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_value() {
        let args = Args::new()
            .param("token_id", "t0k3n-secret")
            .body(serde_json::json!({"password": "hunter2"}));
        let debug = format!("{args:?}");
        assert!(
            debug.contains("token_id") && debug.contains("body: true"),
            "{debug}"
        );
        assert!(
            !debug.contains("t0k3n") && !debug.contains("hunter2"),
            "{debug}"
        );
    }

    #[test]
    fn a_bad_part_of_a_body_is_named_by_its_json_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            gender: Option<u8>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        let op = crate::Interface::Enterprise.operations()[0];
        let body = serde_json::json!({"items": [{"gender": 1}, {"gender": "x"}]});
        let error = arg::<Outer>(op, "body", body).unwrap_err().to_string();
        let prefix = format!("`body` of `{}` at `items[1].gender`: ", op.name);
        assert!(error.contains(&prefix), "{error}");
        // A bad value at the top has no path.
        let error = arg::<Outer>(op, "body", serde_json::json!(5))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&format!("`body` of `{}`: ", op.name)),
            "{error}"
        );
    }
}
