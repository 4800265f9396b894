//! What a sandbox shows about itself: [`Status`] (the request log's size and
//! the live sessions), in process and, for a standalone server (`carecloud
//! sandbox serve`) and apps not written in Rust, over HTTP under
//! [`PREFIX`], a path no CareCloud interface has:
//!
//! * `GET /_sandbox/status`: the [`Status`] as JSON;
//! * `GET /_sandbox/requests`: the request log as a JSON array, oldest
//!   first (each entry as [`LoggedRequest`](crate::LoggedRequest) has it,
//!   secrets already left out; the body as text).
//!
//! These requests are not logged themselves.

use axum::Json;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

use crate::errors;
use crate::state::State;

/// The path prefix of the sandbox's own endpoints.
pub(crate) const PREFIX: &str = "/_sandbox/";

/// What a running sandbox holds: the size of its request log and its live
/// sessions (`GET /_sandbox/status` gives the same as JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Status {
    /// Requests the log keeps now (at most `log_capacity`).
    pub requests_logged: usize,
    /// Requests the log keeps at most (`SandboxConfig::log_capacity`).
    pub log_capacity: usize,
    /// Requests served since the start (or the last `clear_requests`),
    /// kept in the log or not.
    pub requests_total: u64,
    /// Enterprise bearer tokens the sandbox holds (live ones: expired and
    /// logged-out tokens are dropped).
    pub enterprise_tokens: usize,
    /// Customer device tokens (one per device and application: a new one
    /// replaces the old).
    pub device_tokens: usize,
    /// One-time customer authentication tokens not yet used or expired.
    pub authentication_tokens: usize,
}

impl Status {
    pub(crate) fn of(state: &State) -> Self {
        Self {
            requests_logged: state.log.len(),
            log_capacity: state.log.capacity(),
            requests_total: state.log.total(),
            enterprise_tokens: state.bearer_tokens.len(),
            device_tokens: state.device_tokens.len(),
            authentication_tokens: state.auth_tokens.len(),
        }
    }
}

/// The answer to a request for `path` (under [`PREFIX`]).
pub(crate) fn serve(state: &State, method: &Method, path: &str) -> Response {
    match (method, path.strip_prefix(PREFIX)) {
        (&Method::GET, Some("status")) => Json(Status::of(state)).into_response(),
        (&Method::GET, Some("requests")) => {
            let entries: Vec<Value> = state.log.entries().map(entry).collect();
            Json(Value::Array(entries)).into_response()
        }
        _ => errors::no_route(path).into_response(),
    }
}

fn entry(r: &crate::LoggedRequest) -> Value {
    json!({
        "interface": r.interface.map(|i| match i {
            carecloud_api::Interface::Enterprise => "enterprise",
            carecloud_api::Interface::Customer => "customer",
        }),
        "operation": r.operation.map(|id| id.operation().operation_id),
        "method": r.method,
        "path": r.path,
        "query": r.query,
        "authorized": r.authorized,
        "status": r.status,
        "body": String::from_utf8_lossy(&r.body),
    })
}
