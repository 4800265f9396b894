//! A small CareCloud stand-in on 127.0.0.1: both interfaces' auth endpoints
//! and a few operations, with counters, a request log and switches to
//! expire tokens, force 401s, hold requests together and refuse logins.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::{Barrier, Notify, Semaphore};

pub const API_USER_PASSWORD: &str = "correct-horse-battery-staple";
pub const APP_ID: &str = "89d1a6111b3fb6e74665d948";
pub const CUSTOMER_ID: &str = "8ea6abece4cd0a4ded0a29f093";

const ENTERPRISE: &str = "/webservice/rest-api/enterprise-interface/v1.0";
const CUSTOMER: &str = "/webservice/rest-api/customer-interface/v1.0";

/// A running mock server. Dropped with the test's runtime.
pub struct Mock {
    pub url: String,
    pub state: Arc<MockState>,
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Below the interface's base path, e.g. `/customers/c-1`.
    pub path: String,
    pub authorization: Option<String>,
    pub accept_language: Option<String>,
    /// The raw query string, as sent.
    pub query: Option<String>,
    /// The names of every header the request carried, lower case.
    pub header_names: Vec<String>,
    pub body: String,
}

#[derive(Default)]
pub struct MockState {
    /// `POST /users/actions/login` requests.
    pub logins: AtomicUsize,
    /// `POST /users/actions/logout` requests that ended a token.
    pub logouts: AtomicUsize,
    /// `POST /tokens` requests.
    pub tokens_created: AtomicUsize,
    /// 401 answers to authenticated requests.
    pub unauthorized: AtomicUsize,
    /// Signalled when a login arrives.
    pub login_arrived: Notify,
    inner: Mutex<Inner>,
}

struct Inner {
    bearer_tokens: HashSet<String>,
    /// Device token → (device_id, logged-in customer).
    device_tokens: HashMap<String, (String, Option<String>)>,
    reject_logins: bool,
    valid_to: String,
    date: Option<String>,
    force_401: usize,
    force_status: Option<u16>,
    hold: Option<(Arc<Barrier>, usize)>,
    login_gate: Option<Arc<Semaphore>>,
    requests: Vec<Recorded>,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            bearer_tokens: HashSet::new(),
            device_tokens: HashMap::new(),
            reject_logins: false,
            valid_to: "2026-12-01 19:00:00".to_owned(),
            date: Some("Tue, 01 Dec 2026 12:00:00 GMT".to_owned()),
            force_401: 0,
            force_status: None,
            hold: None,
            login_gate: None,
            requests: Vec::new(),
        }
    }
}

impl Mock {
    pub async fn start() -> Mock {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds 127.0.0.1:0");
        let addr = listener.local_addr().expect("has an address");
        let state = Arc::new(MockState::default());
        let app = Router::new().fallback(handle).with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Mock {
            url: format!("http://{addr}"),
            state,
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.state.inner()
    }

    pub fn logins(&self) -> usize {
        self.state.logins.load(Ordering::SeqCst)
    }

    pub fn logouts(&self) -> usize {
        self.state.logouts.load(Ordering::SeqCst)
    }

    pub fn tokens_created(&self) -> usize {
        self.state.tokens_created.load(Ordering::SeqCst)
    }

    pub fn unauthorized(&self) -> usize {
        self.state.unauthorized.load(Ordering::SeqCst)
    }

    /// The login reply's `valid_to` and `Date` header (`None`: no header).
    pub fn set_expiry(&self, valid_to: &str, date: Option<&str>) {
        let mut inner = self.inner();
        inner.valid_to = valid_to.to_owned();
        inner.date = date.map(str::to_owned);
    }

    /// Refuse every API user login with 401 (echoing the password, as a
    /// careless server might).
    pub fn reject_logins(&self) {
        self.inner().reject_logins = true;
    }

    /// Forget every bearer and device token, as if they had expired or been
    /// replaced.
    pub fn expire_all_tokens(&self) {
        let mut inner = self.inner();
        inner.bearer_tokens.clear();
        inner.device_tokens.clear();
    }

    /// Answer the next `n` authenticated requests 401, whatever their token.
    pub fn force_401(&self, n: usize) {
        self.inner().force_401 = n;
    }

    /// Answer every authenticated request with this status and no body.
    pub fn force_status(&self, status: u16) {
        self.inner().force_status = Some(status);
    }

    #[allow(dead_code)] // Used by tests/tracing.rs, which shares this file.
    pub fn clear_status(&self) {
        self.inner().force_status = None;
    }

    /// Hold the next `n` authenticated requests until all `n` have arrived.
    pub fn hold_together(&self, n: usize) {
        self.inner().hold = Some((Arc::new(Barrier::new(n)), n));
    }

    /// Hold logins until [`release_logins`](Self::release_logins).
    pub fn hold_logins(&self) {
        self.inner().login_gate = Some(Arc::new(Semaphore::new(0)));
    }

    pub fn release_logins(&self) {
        if let Some(gate) = self.inner().login_gate.take() {
            gate.add_permits(Semaphore::MAX_PERMITS);
        }
    }

    /// Requests whose path (below the base path) is `path`, in order.
    pub fn requests_to(&self, method: &str, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.path == path)
            .collect()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner().requests.clone()
    }
}

impl MockState {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn envelope(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = json!({"error": {"type": "about:blank", "title": title, "detail": detail}});
    (status, axum::Json(body)).into_response()
}

fn unauthorized(state: &MockState) -> Response {
    state.unauthorized.fetch_add(1, Ordering::SeqCst);
    envelope(
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
        "Invalid or expired token",
    )
}

fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// Checks the bearer token of an authenticated request; `Err` is the answer.
async fn authorize(
    state: &MockState,
    headers: &HeaderMap,
    customer: bool,
) -> Result<String, Response> {
    let hold = {
        let mut inner = state.inner();
        if let Some(status) = inner.force_status {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
            return Err(status.into_response());
        }
        match inner.hold.take() {
            Some((barrier, left)) => {
                if left > 1 {
                    inner.hold = Some((barrier.clone(), left - 1));
                }
                Some(barrier)
            }
            None => None,
        }
    };
    if let Some(barrier) = hold {
        barrier.wait().await;
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let mut inner = state.inner();
    if inner.force_401 > 0 {
        inner.force_401 -= 1;
        drop(inner);
        return Err(unauthorized(state));
    }
    let valid = token.as_ref().is_some_and(|t| {
        if customer {
            inner.device_tokens.contains_key(t)
        } else {
            inner.bearer_tokens.contains(t)
        }
    });
    drop(inner);
    match token {
        Some(token) if valid => Ok(token),
        _ => Err(unauthorized(state)),
    }
}

async fn handle(
    State(state): State<Arc<MockState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let full = uri.path();
    let (customer, path) = if let Some(path) = full.strip_prefix(ENTERPRISE) {
        (false, path.to_owned())
    } else if let Some(path) = full.strip_prefix(CUSTOMER) {
        (true, path.to_owned())
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    let header = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    state.inner().requests.push(Recorded {
        method: method.to_string(),
        path: path.clone(),
        authorization: header(header::AUTHORIZATION),
        accept_language: header(header::ACCEPT_LANGUAGE),
        query: uri.query().map(str::to_owned),
        header_names: headers.keys().map(|k| k.as_str().to_owned()).collect(),
        body: text.clone(),
    });
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let result = if customer {
        customer_route(&state, &method, &segments, &headers, &json).await
    } else {
        enterprise_route(&state, &method, &segments, &headers, &json).await
    };
    result.unwrap_or_else(|response| response)
}

async fn enterprise_route(
    state: &MockState,
    method: &Method,
    segments: &[&str],
    headers: &HeaderMap,
    body: &Value,
) -> Result<Response, Response> {
    match (method.as_str(), segments) {
        ("POST", ["users", "actions", "login"]) => {
            let n = state.logins.fetch_add(1, Ordering::SeqCst) + 1;
            state.login_arrived.notify_one();
            let gate = state.inner().login_gate.clone();
            if let Some(gate) = gate {
                let _permit = gate.acquire().await;
            }
            let password = body["password"].as_str().unwrap_or_default();
            let (reject, valid_to, date) = {
                let inner = state.inner();
                (
                    inner.reject_logins,
                    inner.valid_to.clone(),
                    inner.date.clone(),
                )
            };
            if reject
                || password != API_USER_PASSWORD
                || body["user_external_application_id"] != APP_ID
            {
                let detail = format!("Wrong login or password `{password}`");
                return Ok(envelope(StatusCode::UNAUTHORIZED, "Unauthorized", &detail));
            }
            let token = format!("bearer-{n}");
            state.inner().bearer_tokens.insert(token.clone());
            let mut response = ok(json!({"data": {
                "bearer_token": token, "valid_to": valid_to, "user": {"login": body["login"]}
            }}));
            if let Some(date) = date {
                let value = HeaderValue::from_str(&date).expect("a header value");
                response.headers_mut().insert(header::DATE, value);
            }
            Ok(response)
        }
        ("POST", ["users", "actions", "logout"]) => {
            let token = authorize(state, headers, false).await?;
            if body["bearer_token"].as_str() != Some(token.as_str()) {
                return Ok(envelope(
                    StatusCode::BAD_REQUEST,
                    "Bad request",
                    "token mismatch",
                ));
            }
            state.inner().bearer_tokens.remove(&token);
            state.logouts.fetch_add(1, Ordering::SeqCst);
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        ("GET", ["tests", "connection"]) => Ok(ok(json!({"data": {"test_string": "pong"}}))),
        ("GET", ["customers"]) => {
            authorize(state, headers, false).await?;
            Ok(ok(json!({"data": {"customers": [], "total_items": 0}})))
        }
        ("PUT", ["customers", _]) => {
            authorize(state, headers, false).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => Ok(StatusCode::NOT_FOUND.into_response()),
    }
}

async fn customer_route(
    state: &MockState,
    method: &Method,
    segments: &[&str],
    headers: &HeaderMap,
    body: &Value,
) -> Result<Response, Response> {
    match (method.as_str(), segments) {
        ("POST", ["tokens"]) => {
            let n = state.tokens_created.fetch_add(1, Ordering::SeqCst) + 1;
            let device_id = body["device"]["device_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if body["external_application_id"] != APP_ID {
                return Ok(envelope(
                    StatusCode::FORBIDDEN,
                    "Forbidden",
                    "Unknown application",
                ));
            }
            let token = format!("device-{n}");
            let mut inner = state.inner();
            // A new token for the device invalidates the older ones.
            inner
                .device_tokens
                .retain(|_, (device, _)| *device != device_id);
            inner.device_tokens.insert(token.clone(), (device_id, None));
            Ok((
                StatusCode::CREATED,
                axum::Json(json!({"data": {"token_id": token}})),
            )
                .into_response())
        }
        (
            "POST",
            [
                "tokens",
                path_token,
                "actions",
                action @ ("login" | "logout"),
            ],
        ) => {
            let token = authorize(state, headers, true).await?;
            if *path_token != token {
                return Ok(envelope(
                    StatusCode::BAD_REQUEST,
                    "Bad request",
                    "path and header differ",
                ));
            }
            let mut inner = state.inner();
            let Some((_, customer)) = inner.device_tokens.get_mut(&token) else {
                return Err(unauthorized(state));
            };
            if *action == "logout" {
                *customer = None;
                return Ok(StatusCode::NO_CONTENT.into_response());
            }
            *customer = Some(CUSTOMER_ID.to_owned());
            Ok(ok(json!({"data": {"customer_id": CUSTOMER_ID}})))
        }
        ("PUT", ["tokens", path_token]) => {
            let token = authorize(state, headers, true).await?;
            if *path_token != token {
                return Ok(envelope(
                    StatusCode::BAD_REQUEST,
                    "Bad request",
                    "path and header differ",
                ));
            }
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        ("GET", ["stores"]) => {
            authorize(state, headers, true).await?;
            Ok(ok(json!({"data": {"stores": [], "total_items": 0}})))
        }
        ("GET", ["customers"]) => {
            let token = authorize(state, headers, true).await?;
            let customer = state
                .inner()
                .device_tokens
                .get(&token)
                .and_then(|(_, c)| c.clone());
            let customers: Vec<Value> = customer
                .into_iter()
                .map(|id| json!({"customer_id": id, "personal_information": {"language_id": "en"}}))
                .collect();
            let total = customers.len();
            Ok(ok(
                json!({"data": {"customers": customers, "total_items": total}}),
            ))
        }
        ("GET", ["languages"]) => Ok(ok(json!({"data": {"languages": []}}))),
        _ => Ok(StatusCode::NOT_FOUND.into_response()),
    }
}
