//! Injected failures: [`Fault`] and the answers they give.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use carecloud_api::OperationId;

use crate::errors;
use crate::state::State;

/// A failure the sandbox answers with instead of serving a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 401 with the error envelope, whatever the token.
    Unauthorized,
    /// 429, with a `Retry-After` header of this many seconds when `Some`.
    TooManyRequests {
        /// The `Retry-After` value in seconds, if any.
        retry_after: Option<u64>,
    },
    /// This status with the error envelope (500, 503, ...).
    Status(u16),
    /// 200 with a truncated JSON body.
    MalformedBody,
}

/// Takes the first queued fault meant for `op` (or for any operation).
pub(crate) fn take(state: &mut State, op: OperationId) -> Option<Fault> {
    let index = state
        .faults
        .iter()
        .position(|(only, _)| only.is_none_or(|o| o == op))?;
    state.faults.remove(index).map(|(_, fault)| fault)
}

/// Marks an answer made by a fault (a response extension), for observers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Injected;

/// The answer `fault` gives.
pub(crate) fn response(fault: &Fault) -> Response {
    let mut response = answer(fault);
    response.extensions_mut().insert(Injected);
    response
}

fn answer(fault: &Fault) -> Response {
    match fault {
        Fault::Unauthorized => {
            errors::unauthorized("Invalid or expired token (injected)").into_response()
        }
        Fault::TooManyRequests { retry_after } => {
            let mut response = errors::status(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests_exception",
                "Rate limit exceeded (injected)",
            )
            .into_response();
            if let Some(seconds) = retry_after
                && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Fault::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            errors::status(status, "error_exception", "Injected failure").into_response()
        }
        Fault::MalformedBody => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"data\": {\"truncated",
        )
            .into_response(),
    }
}
