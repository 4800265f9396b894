//! One request being served: [`Ctx`] (the matched operation, its
//! parameters, the caller's token, the state) and what a handler answers.

use axum::http::StatusCode;
use carecloud_api::{Interface, Operation};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::errors::{self, ApiError};
use crate::query::Query;
use crate::router::PathParams;
use crate::schemas::round_trip_as;
use crate::state::State;

/// A handler's success: a JSON body (checked against the operation's
/// response schema before it is sent) or no body.
#[derive(Debug)]
pub(crate) enum Answer {
    Json(StatusCode, Value),
    NoContent,
}

/// What a handler returns.
pub(crate) type Reply = Result<Answer, ApiError>;

/// A handler of one operation.
pub(crate) type Handler = fn(&mut Ctx<'_>) -> Reply;

/// The request being served.
pub(crate) struct Ctx<'a> {
    pub state: &'a mut State,
    pub interface: Interface,
    pub op: &'static Operation,
    pub path: PathParams,
    pub query: Query,
    /// The bearer token of `Authorization`, if any.
    pub token: Option<String>,
    pub raw_body: &'a [u8],
}

impl Ctx<'_> {
    /// The path parameter `name` (empty if the template has none).
    pub fn param(&self, name: &str) -> &str {
        self.path
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The request body read through the generated type of the operation's
    /// body schema (unknown fields kept, absent optional ones dropped). An
    /// empty body is `{}`; one that is not JSON or does not fit the schema
    /// is a 400 naming the field.
    pub fn body(&self) -> Result<Value, ApiError> {
        let Some(schema) = self.op.body else {
            return Ok(Value::Null);
        };
        let raw: &[u8] = if self.raw_body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            self.raw_body
        };
        let value: Value = serde_json::from_slice(raw).map_err(|e| {
            errors::bad_format("body", Value::Null, &format!("The body is not JSON: {e}"))
        })?;
        match round_trip_as(schema, value) {
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err(errors::does_not_fit(&error)),
            None => Err(errors::sandbox_bug(&format!(
                "{schema} (the body of `{}`) is not in the schema registry",
                self.op.name
            ))),
        }
    }

    /// The body as its generated type.
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_value(self.body()?).map_err(|e| errors::does_not_fit(&format!(".: {e}")))
    }

    /// The customer logged in on the caller's device token (customer
    /// interface only).
    pub fn logged_in_customer(&self) -> Option<String> {
        if self.interface != Interface::Customer {
            return None;
        }
        self.token
            .as_ref()
            .and_then(|t| self.state.device_tokens.get(t))
            .and_then(|t| t.customer_id.clone())
    }
}

/// Checks a handler's answer against the operation's response schema: the
/// body sent is the handler's, once it is known to fit; one that does not
/// fit (e.g. a seed record gone wrong) is a 500 naming the schema and the
/// place, never a panic.
pub(crate) fn checked(
    op: &Operation,
    answer: Answer,
) -> Result<(StatusCode, Option<Value>), ApiError> {
    match (answer, op.response) {
        (Answer::NoContent, None) => Ok((StatusCode::NO_CONTENT, None)),
        (Answer::Json(status, body), Some(schema)) => match round_trip_as(schema, body.clone()) {
            Some(Ok(_)) => Ok((status, Some(body))),
            Some(Err(e)) => Err(errors::sandbox_bug(&format!(
                "the reply of `{}` does not fit {schema}: {e}",
                op.name
            ))),
            None => Err(errors::sandbox_bug(&format!(
                "{schema} (the reply of `{}`) is not in the schema registry",
                op.name
            ))),
        },
        (Answer::NoContent, Some(schema)) => Err(errors::sandbox_bug(&format!(
            "`{}` answered without a body; the spec says {schema}",
            op.name
        ))),
        (Answer::Json(..), None) => Err(errors::sandbox_bug(&format!(
            "`{}` answered with a body; the spec says it has none",
            op.name
        ))),
    }
}
