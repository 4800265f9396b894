//! The HTTP side: every request goes through [`handle`], which waits the
//! configured latency, routes it (`router.rs`), answers an injected fault,
//! checks the bearer token the spec asks for, reads the query
//! (`query.rs`), runs the operation's handler (`actions.rs`, else
//! `engines/`), checks the answer against the spec (`context.rs`), adds
//! a `Date` header, logs the request, its secrets left out (`redact.rs`),
//! and shows it to the observers (`observe.rs`). Requests under
//! `/_sandbox/` go to `inspect.rs` instead.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use carecloud_api::operation::Auth;
use carecloud_api::{Interface, Operation, OperationId};

use crate::context::{self, Ctx};
use crate::query::Query;
use crate::router::{self, PathParams};
use crate::state::State;
use crate::{
    Exchange, LoggedRequest, Shared, actions, auth, clock, engines, errors, faults, inspect,
    observe, redact,
};

pub(crate) fn app(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    AxState(shared): AxState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let latency = shared.lock().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let (operation, response) = answer(&shared, &method, &uri, &headers, &body);
    let observers = shared.observers().clone();
    if observers.is_empty() {
        return response;
    }
    let (interface, path) = router::split_interface(uri.path());
    let request = Exchange {
        interface,
        operation: operation.map(|id| id.operation()),
        method: method.as_str(),
        path: if interface.is_some() {
            path
        } else {
            uri.path()
        },
        request_body: &body,
        status: 0,
        reply_body: &[],
        injected: response.extensions().get::<faults::Injected>().is_some(),
    };
    observe::show(&observers, request, response).await
}

/// Answers one request under the sandbox's lock, and logs it.
fn answer(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> (Option<OperationId>, Response) {
    let full_path = uri.path();
    if full_path.starts_with(inspect::PREFIX) {
        return (None, inspect::serve(&shared.lock(), method, full_path));
    }
    let raw_query = uri.query().unwrap_or("");
    let (interface, path) = router::split_interface(full_path);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_owned());
    let routed = interface.map(|interface| {
        router::route(interface, method.as_str(), path).map(|(op, params)| (interface, op, params))
    });
    let op = match &routed {
        Some(Ok((_, op, _))) => Some(*op),
        _ => None,
    };
    // What the log keeps, worked out before the lock is taken.
    let mut logged = LoggedRequest {
        interface,
        operation: op.map(|op| op.id),
        method: method.to_string(),
        path: redact::path(
            if interface.is_some() { path } else { full_path },
            token.as_deref(),
        ),
        query: redact::query(raw_query, token.as_deref()),
        authorized: headers.contains_key(header::AUTHORIZATION),
        status: 0,
        body: redact::body(
            op.and_then(|op| op.body),
            op.is_some(),
            body,
            token.as_deref(),
        ),
    };
    let mut state = shared.lock();
    let (operation, mut response) = match routed {
        None => (None, errors::no_route(full_path).into_response()),
        Some(Err(error)) => (None, error.into_response()),
        Some(Ok((interface, op, params))) => {
            let request = Request {
                interface,
                op,
                path: params,
                raw_query,
                token,
                body,
            };
            (Some(op.id), serve(&mut state, request))
        }
    };
    if let Ok(date) = HeaderValue::from_str(&clock::http_date(SystemTime::now())) {
        response.headers_mut().insert(header::DATE, date);
    }
    logged.status = response.status().as_u16();
    state.log.push(logged);
    (operation, response)
}

/// A routed request.
struct Request<'a> {
    interface: Interface,
    op: &'static Operation,
    path: PathParams,
    raw_query: &'a str,
    token: Option<String>,
    body: &'a [u8],
}

fn serve(state: &mut State, request: Request<'_>) -> Response {
    let op = request.op;
    if let Some(fault) = faults::take(state, op.id) {
        return faults::response(&fault);
    }
    if op.auth == Auth::Bearer {
        if state.force_401 > 0 {
            state.force_401 -= 1;
            return errors::unauthorized("Invalid or expired token").into_response();
        }
        if !auth::token_valid(state, request.interface, request.token.as_deref()) {
            return errors::unauthorized("Invalid or expired token").into_response();
        }
    }
    let query = match Query::parse(op, request.raw_query) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let mut cx = Ctx {
        state,
        interface: request.interface,
        op,
        path: request.path,
        query,
        token: request.token,
        raw_body: request.body,
    };
    let reply = match actions::handler(op.id) {
        Some(handler) => handler(&mut cx),
        None => engines::serve(&mut cx),
    };
    match reply.and_then(|answer| context::checked(op, answer)) {
        Ok((status, Some(body))) => (status, Json(body)).into_response(),
        Ok((status, None)) => status.into_response(),
        Err(error) => error.into_response(),
    }
}
