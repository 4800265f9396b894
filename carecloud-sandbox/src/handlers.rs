//! Routing (from the generated `OPERATIONS` tables), auth, faults and the
//! operations themselves. Every handler answers; bad input gets the error
//! envelope, never a panic.

// Handlers return the finished error response as `Err`; its size does not
// matter on this path.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use carecloud_api::operation::{Auth, Operation};
use carecloud_api::types::{
    CardListResponse, CardListResponseData, CardResponse, CardTypeListResponse,
    CardTypeListResponseData, CardTypeResponse, CustomerIdResponse, CustomerIdResponseData,
    CustomerListResponse, CustomerListResponseData, CustomerResponse, CustomerState, DateTime,
    ErrorEnvelope, LanguageListResponse, LanguageListResponseData, PostCustomerRequest,
    PutCardRequest, PutCustomerRequest, Secret, StoreListResponse, StoreListResponseData,
    StoreResponse, TestConnectionResponse, TestConnectionResponseData,
};
use carecloud_api::{Interface, customer as cu, enterprise as en};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::state::{DeviceToken, State};
use crate::{Fault, LoggedRequest, Shared};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

type Reply = Result<Response, Response>;

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
    let full_path = uri.path().to_owned();
    let query = Q(Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|q| q.0)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.trim_end_matches("[]").to_owned(), v))
        .collect());
    let (interface, path) = split_interface(&full_path);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_owned());
    let mut state = shared.lock();
    let (operation, response) = match interface {
        None => (None, not_found("resource", &full_path)),
        Some(interface) => match route(interface, path, &method) {
            Err(response) => (None, response),
            Ok((op, params)) => {
                let response = serve(&mut state, interface, op, params, &query, token, &body)
                    .unwrap_or_else(|e| e);
                (Some(op.id), response)
            }
        },
    };
    let mut response = response;
    let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
    if let Ok(date) = HeaderValue::from_str(&now.format("%a, %d %b %Y %H:%M:%S GMT").to_string()) {
        response.headers_mut().insert(header::DATE, date);
    }
    state.log.push(LoggedRequest {
        interface,
        operation,
        method: method.to_string(),
        path: if interface.is_some() {
            path.to_owned()
        } else {
            full_path.clone()
        },
        authorized: headers.contains_key(header::AUTHORIZATION),
        status: response.status().as_u16(),
    });
    response
}

fn split_interface(path: &str) -> (Option<Interface>, &str) {
    for interface in [Interface::Enterprise, Interface::Customer] {
        if let Some(rest) = path.strip_prefix(interface.base_path())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return (Some(interface), rest);
        }
    }
    (None, path)
}

fn operations(interface: Interface) -> &'static [Operation] {
    match interface {
        Interface::Enterprise => en::OPERATIONS,
        Interface::Customer => cu::OPERATIONS,
    }
}

type Params = HashMap<&'static str, String>;

/// Matches `path` against a template; the number of literal segments when it
/// matches.
fn matches(template: &'static str, path: &str, params: &mut Params) -> Option<usize> {
    let t: Vec<&'static str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut literal = 0;
    for (ts, ps) in t.iter().zip(&p) {
        if let Some(name) = ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if ps.is_empty() {
                return None;
            }
            params.insert(name, (*ps).to_owned());
        } else if ts == ps {
            literal += 1;
        } else {
            return None;
        }
    }
    Some(literal)
}

fn route(
    interface: Interface,
    path: &str,
    method: &Method,
) -> Result<(&'static Operation, Params), Response> {
    if interface == Interface::Enterprise && (path == "/tokens" || path.starts_with("/tokens/")) {
        return Err(envelope(
            StatusCode::FORBIDDEN,
            "interface_not_allowed_exception",
            None,
            "Forbidden",
            "The resource is not available on this interface",
            json!({"invalid_resource_name": "tokens", "interface": "enterprise-interface"}),
        ));
    }
    let mut best: Option<(usize, &'static str)> = None;
    let mut found: Option<(usize, &'static Operation, Params)> = None;
    for op in operations(interface) {
        let mut params = Params::new();
        if let Some(score) = matches(op.path, path, &mut params) {
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, op.path));
            }
            if op.method == method.as_str() && found.as_ref().is_none_or(|(s, _, _)| score > *s) {
                found = Some((score, op, params));
            }
        }
    }
    match (best, found) {
        (Some((b, _)), Some((f, op, params))) if f >= b => Ok((op, params)),
        (Some(_), _) => Err(envelope(
            StatusCode::METHOD_NOT_ALLOWED,
            "about:blank",
            Some("method_not_allowed_exception"),
            "Method Not Allowed",
            &format!("{method} is not allowed on {path}"),
            json!({"http_method": method.as_str()}),
        )),
        (None, _) => Err(not_found("resource", path)),
    }
}

// ---------------------------------------------------------------------------
// Responses

fn envelope(
    status: StatusCode,
    type_: &str,
    exception: Option<&str>,
    title: &str,
    detail: &str,
    data: Value,
) -> Response {
    let mut error = json!({"type": type_, "title": title, "detail": detail});
    if let Some(exception) = exception {
        error["exception"] = json!(exception);
    }
    if data.as_object().is_some_and(|o| !o.is_empty()) {
        error["error_data"] = data;
    }
    let raw = json!({ "error": error });
    match serde_json::from_value::<ErrorEnvelope>(raw.clone()) {
        Ok(typed) => (status, axum::Json(typed)).into_response(),
        Err(_) => (status, axum::Json(raw)).into_response(),
    }
}

fn bad_request(name: &str, reason: &str, value: Value, message: &str) -> Response {
    envelope(
        StatusCode::BAD_REQUEST,
        "about:blank",
        Some("bad_request_exception"),
        "Bad Request",
        message,
        json!({"invalid_params": [{"name": name, "reason": reason, "value": value, "message": message}]}),
    )
}

fn not_found(resource: &str, id: &str) -> Response {
    envelope(
        StatusCode::NOT_FOUND,
        "about:blank",
        Some("not_found_exception"),
        "Not Found",
        &format!("No {resource} {id}"),
        json!({"resource_name": resource, "resource_id": id}),
    )
}

fn unauthorized(detail: &str) -> Response {
    envelope(
        StatusCode::UNAUTHORIZED,
        "about:blank",
        Some("unauthorized_exception"),
        "Unauthorized",
        detail,
        json!({}),
    )
}

fn forbidden(detail: &str) -> Response {
    envelope(
        StatusCode::FORBIDDEN,
        "about:blank",
        Some("forbidden_exception"),
        "Forbidden",
        detail,
        json!({}),
    )
}

fn fault_response(fault: &Fault) -> Response {
    match fault {
        Fault::Unauthorized => unauthorized("Invalid or expired token (injected)"),
        Fault::TooManyRequests { retry_after } => {
            let mut response = envelope(
                StatusCode::TOO_MANY_REQUESTS,
                "about:blank",
                Some("too_many_requests_exception"),
                "Too Many Requests",
                "Rate limit exceeded (injected)",
                json!({}),
            );
            if let Some(seconds) = retry_after
                && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Fault::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            envelope(
                status,
                "about:blank",
                Some("error_exception"),
                status.canonical_reason().unwrap_or("Error"),
                "Injected failure",
                json!({}),
            )
        }
        Fault::MalformedBody => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"data\": {\"truncated",
        )
            .into_response(),
    }
}

fn ok<T: Serialize>(status: StatusCode, value: &T) -> Reply {
    Ok((status, axum::Json(value)).into_response())
}

fn no_content() -> Reply {
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    let body: &[u8] = if body.is_empty() { b"{}" } else { body };
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next())
        {
            let name = if path == "." {
                field.to_owned()
            } else {
                format!("{path}.{field}")
            };
            bad_request(
                &name,
                "missing_argument",
                Value::Null,
                &format!("Missing required field {name}"),
            )
        } else {
            bad_request(&path, "invalid_argument", Value::Null, &message)
        }
    })
}

// ---------------------------------------------------------------------------
// Lists

struct Q(Vec<(String, String)>);

impl Q {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .collect::<Vec<_>>()
            })
            .filter(|s| !s.is_empty())
            .collect()
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        _ => None,
    }
}

fn find_key<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    if let Some(found) = object.get(key) {
        return Some(found);
    }
    object.values().find_map(|v| find_key(v, key))
}

/// Filters (`param` → JSON pointer), sorts and pages `items`.
fn page<T: Serialize + Clone>(
    items: &[T],
    q: &Q,
    filters: &[(&str, &str)],
    paged: bool,
) -> Result<(Vec<T>, i64), Response> {
    let count = match q.get("count") {
        Some(v) if paged => match v.parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(bad_request(
                    "count",
                    "invalid_argument",
                    json!(v),
                    "count must be an integer of at least 1",
                ));
            }
        },
        _ => 100,
    };
    let offset = match q.get("offset") {
        Some(v) if paged => v.parse::<usize>().map_err(|_| {
            bad_request(
                "offset",
                "invalid_argument",
                json!(v),
                "offset must be a non-negative integer",
            )
        })?,
        _ => 0,
    };
    let descending = match q.get("sort_direction") {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("asc") => false,
        Some(v) if v.eq_ignore_ascii_case("desc") => true,
        Some(v) => {
            return Err(bad_request(
                "sort_direction",
                "invalid_argument",
                json!(v),
                "sort_direction must be ASC or DESC",
            ));
        }
    };
    let mut rows: Vec<(Value, &T)> = items
        .iter()
        .map(|item| (serde_json::to_value(item).unwrap_or(Value::Null), item))
        .filter(|(value, _)| {
            filters.iter().all(|(param, pointer)| {
                let wanted = q.all(param);
                if wanted.is_empty() {
                    return true;
                }
                let have = value.pointer(pointer).and_then(text).unwrap_or_default();
                wanted.iter().any(|w| {
                    let w = match w.as_str() {
                        "true" => "1",
                        "false" => "0",
                        other => other,
                    };
                    have.eq_ignore_ascii_case(w)
                })
            })
        })
        .collect();
    if let Some(field) = q.get("sort_field") {
        rows.sort_by(|(a, _), (b, _)| {
            let (a, b) = (find_key(a, field), find_key(b, field));
            let ord = match (a.and_then(Value::as_f64), b.and_then(Value::as_f64)) {
                (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                _ => a.and_then(text).cmp(&b.and_then(text)),
            };
            if descending { ord.reverse() } else { ord }
        });
    }
    let total = rows.len() as i64;
    let page = rows
        .into_iter()
        .skip(offset)
        .take(count)
        .map(|(_, item)| item.clone())
        .collect();
    Ok((page, total))
}

const CUSTOMER_FILTERS: &[(&str, &str)] = &[
    ("email", "/personal_information/email"),
    ("phone", "/personal_information/phone"),
    ("first_name", "/personal_information/first_name"),
    ("last_name", "/personal_information/last_name"),
    ("birthdate", "/personal_information/birthdate"),
    ("email_list", "/personal_information/email"),
    ("customer_ids", "/customer_id"),
];

const CARD_FILTERS: &[(&str, &str)] = &[
    ("customer_id", "/customer_id"),
    ("card_number", "/card_number"),
    ("card_number_list", "/card_number"),
    ("card_type_id", "/card_type_id"),
    ("state", "/state"),
];

// ---------------------------------------------------------------------------
// Time

fn local_time(state: &State, at: SystemTime) -> DateTime {
    let utc = chrono::DateTime::<chrono::Utc>::from(at).naive_utc();
    let local = utc + chrono::TimeDelta::seconds(i64::from(state.config.utc_offset_seconds));
    DateTime::new(local.format("%Y-%m-%d %H:%M:%S").to_string())
}

fn now_local(state: &State) -> DateTime {
    local_time(state, SystemTime::now())
}

// ---------------------------------------------------------------------------
// Dispatch

struct Ctx<'a> {
    state: &'a mut State,
    interface: Interface,
    params: Params,
    q: &'a Q,
    token: Option<String>,
    body: &'a Bytes,
}

impl Ctx<'_> {
    fn param(&self, name: &str) -> String {
        self.params.get(name).cloned().unwrap_or_default()
    }

    /// The customer logged in on the caller's device token (customer
    /// interface), or `None` on the enterprise interface.
    fn logged_in(&self) -> Result<Option<String>, Response> {
        if self.interface == Interface::Enterprise {
            return Ok(None);
        }
        self.token
            .as_ref()
            .and_then(|t| self.state.device_tokens.get(t))
            .and_then(|t| t.customer_id.clone())
            .map(Some)
            .ok_or_else(|| forbidden("A customer must be logged in on this token"))
    }

    /// On the customer interface: `id` must be the logged-in customer.
    fn own(&self, id: &str) -> Result<(), Response> {
        match self.logged_in()? {
            Some(me) if me != id => Err(bad_request(
                "customer_id",
                "not_belong_to_logged_in_customer",
                json!(id),
                "The record does not belong to the logged-in customer",
            )),
            _ => Ok(()),
        }
    }

    /// The path's `token_id` must be the caller's token.
    fn own_token(&self) -> Result<String, Response> {
        let path_token = self.param("token_id");
        if self.token.as_deref() != Some(path_token.as_str()) {
            return Err(bad_request(
                "token_id",
                "invalid_argument",
                Value::Null,
                "token_id is not the token in Authorization",
            ));
        }
        Ok(path_token)
    }

    fn log_in_customer(&mut self, customer_id: &str) -> Reply {
        let token = self.own_token()?;
        if let Some(t) = self.state.device_tokens.get_mut(&token) {
            t.customer_id = Some(customer_id.to_owned());
        }
        customer_id_reply(StatusCode::OK, customer_id)
    }
}

fn customer_id_reply(status: StatusCode, id: &str) -> Reply {
    ok(
        status,
        &CustomerIdResponse {
            data: CustomerIdResponseData {
                customer_id: Some(id.to_owned()),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn serve(
    state: &mut State,
    interface: Interface,
    op: &'static Operation,
    params: Params,
    q: &Q,
    token: Option<String>,
    body: &Bytes,
) -> Reply {
    let fault = state
        .faults
        .iter()
        .position(|(only, _)| only.as_deref().is_none_or(|o| o == op.id))
        .and_then(|i| state.faults.remove(i));
    if let Some((_, fault)) = fault {
        return Err(fault_response(&fault));
    }
    if op.auth == Auth::Bearer {
        if state.force_401 > 0 {
            state.force_401 -= 1;
            return Err(unauthorized("Invalid or expired token"));
        }
        let valid = token.as_ref().is_some_and(|t| match interface {
            Interface::Enterprise => state
                .bearer_tokens
                .get(t)
                .is_some_and(|(_, expires)| *expires > SystemTime::now()),
            Interface::Customer => state.device_tokens.contains_key(t),
        });
        if !valid {
            return Err(unauthorized("Invalid or expired token"));
        }
    }
    let mut cx = Ctx {
        state,
        interface,
        params,
        q,
        token,
        body,
    };
    match (interface, op.id) {
        (Interface::Enterprise, "post_user_login") => user_login(&mut cx),
        (Interface::Enterprise, "post_user_logout") => user_logout(&mut cx),
        (Interface::Enterprise, "post_user_sso_login") => user_sso_login(&mut cx),
        (Interface::Enterprise, "post_user_verify_auth_token") => user_verify_auth_token(&mut cx),
        (Interface::Enterprise, "get_users") => get_users(&mut cx),
        (Interface::Enterprise, "get_user") => get_user(&mut cx),
        (Interface::Enterprise, "get_customer_search") => customer_search(&mut cx),
        (Interface::Enterprise, "post_card") => post_card(&mut cx),
        (Interface::Customer, "post_token") => post_token(&mut cx),
        (Interface::Customer, "put_token") => put_token(&mut cx),
        (Interface::Customer, "post_token_login") => token_login(&mut cx),
        (Interface::Customer, "post_token_logout") => token_logout(&mut cx),
        (Interface::Customer, "post_token_social_login") => token_social_login(&mut cx),
        (Interface::Customer, "post_token_auth_token_login") => token_auth_token_login(&mut cx),
        (Interface::Customer, "get_token_authentication") => token_authentication(&mut cx),
        (Interface::Customer, "post_token_send_password_setup") => send_password_setup(&mut cx),
        (Interface::Customer, "post_token_test_customer_login") => {
            let id = crate::TEST_CUSTOMER_ID;
            cx.log_in_customer(id)
        }
        (_, "get_tests_connection") => ok(
            StatusCode::OK,
            &TestConnectionResponse {
                data: TestConnectionResponseData {
                    test_string: Some(q.get("test_string").unwrap_or("").chars().rev().collect()),
                    extra: Default::default(),
                },
                extra: Default::default(),
            },
        ),
        (_, "get_customers") => get_customers(&mut cx),
        (_, "post_customer") => post_customer(&mut cx),
        (_, "get_customer") => get_customer(&mut cx),
        (_, "put_customer") => put_customer(&mut cx),
        (_, "get_sub_customer_cards") => customer_cards(&mut cx),
        (_, "get_cards") => get_cards(&mut cx),
        (_, "get_card") => get_card(&mut cx),
        (_, "put_card") => put_card(&mut cx),
        (_, "get_card_types") => {
            let (card_types, total) = page(
                &cx.state.card_types,
                q,
                &[("name", "/name"), ("text_id", "/text_id")],
                true,
            )?;
            ok(
                StatusCode::OK,
                &CardTypeListResponse {
                    data: CardTypeListResponseData {
                        card_types,
                        total_items: Some(total),
                        extra: Default::default(),
                    },
                    extra: Default::default(),
                },
            )
        }
        (_, "get_card_type") => {
            let id = cx.param("card_type_id");
            let found = cx
                .state
                .card_types
                .iter()
                .find(|c| c.card_type_id.as_deref() == Some(id.as_str()));
            let data = found.cloned().ok_or_else(|| not_found("card-type", &id))?;
            ok(
                StatusCode::OK,
                &CardTypeResponse {
                    data,
                    extra: Default::default(),
                },
            )
        }
        (_, "get_stores") => {
            let filters = [
                ("name", "/name"),
                ("system_id", "/system_id"),
                ("visible_for_customer", "/visibility_for_customer"),
            ];
            let (stores, total) = page(&cx.state.stores, q, &filters, true)?;
            ok(
                StatusCode::OK,
                &StoreListResponse {
                    data: StoreListResponseData {
                        stores,
                        total_items: Some(total),
                        extra: Default::default(),
                    },
                    extra: Default::default(),
                },
            )
        }
        (_, "get_store") => {
            let id = cx.param("store_id");
            let found = cx
                .state
                .stores
                .iter()
                .find(|s| s.store_id.as_deref() == Some(id.as_str()));
            let data = found.cloned().ok_or_else(|| not_found("store", &id))?;
            ok(
                StatusCode::OK,
                &StoreResponse {
                    data,
                    extra: Default::default(),
                },
            )
        }
        (_, "get_languages") => {
            let (languages, total) = page(&cx.state.languages, q, &[], false)?;
            ok(
                StatusCode::OK,
                &LanguageListResponse {
                    data: LanguageListResponseData {
                        languages,
                        total_items: Some(total),
                        extra: Default::default(),
                    },
                    extra: Default::default(),
                },
            )
        }
        _ => Err(envelope(
            StatusCode::INTERNAL_SERVER_ERROR,
            "about:blank",
            Some("error_exception"),
            "Internal Server Error",
            &format!("The sandbox does not implement {}", op.id),
            json!({}),
        )),
    }
}

// ---------------------------------------------------------------------------
// Enterprise: users

fn issue_bearer(cx: &mut Ctx<'_>, login: &str) -> Reply {
    let token = cx.state.new_id(40);
    let expires = SystemTime::now() + cx.state.config.token_lifetime;
    cx.state
        .bearer_tokens
        .insert(token.clone(), (login.to_owned(), expires));
    let user = cx
        .state
        .users
        .iter()
        .find(|u| u.login.as_deref() == Some(login))
        .cloned();
    let valid_to = local_time(cx.state, expires);
    ok(
        StatusCode::OK,
        &en::types::UserLoginResponse {
            data: en::types::UserLoginResponseData {
                bearer_token: Secret::new(token),
                user,
                valid_to: Some(valid_to),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn user_login(cx: &mut Ctx<'_>) -> Reply {
    let body: en::types::PostUserLoginRequest = parse(cx.body)?;
    let known = cx.state.config.api_users.iter().any(|u| {
        u.external_application_id == body.user_external_application_id
            && u.login == body.login
            && u.password == body.password.expose()
    });
    if !known {
        return Err(unauthorized("Invalid application, login or password"));
    }
    issue_bearer(cx, &body.login)
}

fn user_logout(cx: &mut Ctx<'_>) -> Reply {
    let body: en::types::PostUserLogoutRequest = parse(cx.body)?;
    cx.state.bearer_tokens.remove(body.bearer_token.expose());
    no_content()
}

fn user_sso_login(cx: &mut Ctx<'_>) -> Reply {
    let body: en::types::PostUserSsoLoginRequest = parse(cx.body)?;
    let user = cx
        .state
        .config
        .api_users
        .iter()
        .find(|u| u.external_application_id == body.user_external_application_id)
        .map(|u| u.login.clone());
    match user {
        Some(login) if body.sso_token.expose() == crate::SSO_TOKEN => issue_bearer(cx, &login),
        _ => Err(unauthorized("Invalid SSO token")),
    }
}

fn user_verify_auth_token(cx: &mut Ctx<'_>) -> Reply {
    let body: en::types::PostUserVerifyAuthTokenRequest = parse(cx.body)?;
    let Some((customer_id, _)) = cx.state.auth_tokens.remove(body.auth_token.expose()) else {
        return Err(bad_request(
            "auth_token",
            "invalid_argument",
            Value::Null,
            "Unknown or used authentication token",
        ));
    };
    ok(
        StatusCode::OK,
        &en::types::UserIdResponse {
            data: en::types::UserIdResponseData {
                user_id: Some(customer_id),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn get_users(cx: &mut Ctx<'_>) -> Reply {
    let (users, total) = page(
        &cx.state.users,
        cx.q,
        &[("login", "/login"), ("store_id", "/store_id")],
        true,
    )?;
    ok(
        StatusCode::OK,
        &en::types::UserListResponse {
            data: en::types::UserListResponseData {
                users,
                total_items: Some(total),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn get_user(cx: &mut Ctx<'_>) -> Reply {
    let id = cx.param("user_id");
    let found = cx
        .state
        .users
        .iter()
        .find(|u| u.user_id.as_deref() == Some(id.as_str()));
    let data = found.cloned().ok_or_else(|| not_found("user", &id))?;
    ok(
        StatusCode::OK,
        &en::types::UserResponse {
            data,
            extra: Default::default(),
        },
    )
}

// ---------------------------------------------------------------------------
// Customers

fn get_customers(cx: &mut Ctx<'_>) -> Reply {
    let me = cx.logged_in()?;
    let visible: Vec<_> = cx
        .state
        .customers
        .iter()
        .filter(|c| me.is_none() || c.customer_id == me)
        .cloned()
        .collect();
    let (customers, total) = page(&visible, cx.q, CUSTOMER_FILTERS, true)?;
    ok(
        StatusCode::OK,
        &CustomerListResponse {
            data: CustomerListResponseData {
                customers,
                total_items: Some(total),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn get_customer(cx: &mut Ctx<'_>) -> Reply {
    let id = cx.param("customer_id");
    cx.own(&id)?;
    let found = cx
        .state
        .customers
        .iter()
        .find(|c| c.customer_id.as_deref() == Some(id.as_str()));
    let data = found.cloned().ok_or_else(|| not_found("customer", &id))?;
    ok(
        StatusCode::OK,
        &CustomerResponse {
            data,
            extra: Default::default(),
        },
    )
}

fn email_taken(state: &State, email: Option<&str>, except: Option<&str>) -> Result<(), Response> {
    let Some(email) = email else { return Ok(()) };
    let taken = state.customers.iter().any(|c| {
        c.customer_id.as_deref() != except
            && c.personal_information
                .email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
    });
    if taken {
        return Err(bad_request(
            "email",
            "already_exists",
            json!(email),
            "Customer with this email already exists",
        ));
    }
    Ok(())
}

fn post_customer(cx: &mut Ctx<'_>) -> Reply {
    let body: PostCustomerRequest = parse(cx.body)?;
    email_taken(
        cx.state,
        body.customer.personal_information.email.as_deref(),
        None,
    )?;
    let id = cx.state.new_id(26);
    let mut customer = body.customer;
    customer.customer_id = Some(id.clone());
    customer.last_change = Some(now_local(cx.state));
    customer.state.get_or_insert(CustomerState::Active);
    if let Some(password) = &body.password {
        cx.state
            .passwords
            .insert(id.clone(), password.expose().to_owned());
    }
    if let Some(social) = &body.social_network_credentials {
        let key = (
            social.social_network_id.clone(),
            social.social_network_token.expose().to_owned(),
        );
        cx.state.social.insert(key, id.clone());
    }
    cx.state.customers.push(customer);
    if cx.interface == Interface::Customer
        && body.autologin
        && let Some(t) = cx
            .token
            .as_ref()
            .and_then(|t| cx.state.device_tokens.get_mut(t))
    {
        t.customer_id = Some(id.clone());
    }
    customer_id_reply(StatusCode::CREATED, &id)
}

fn put_customer(cx: &mut Ctx<'_>) -> Reply {
    let id = cx.param("customer_id");
    cx.own(&id)?;
    let body: PutCustomerRequest = parse(cx.body)?;
    let index = cx
        .state
        .customers
        .iter()
        .position(|c| c.customer_id.as_deref() == Some(id.as_str()))
        .ok_or_else(|| not_found("customer", &id))?;
    email_taken(
        cx.state,
        body.customer.personal_information.email.as_deref(),
        Some(&id),
    )?;
    let mut customer = body.customer;
    customer.customer_id = Some(id.clone());
    customer.last_change = Some(now_local(cx.state));
    cx.state.customers[index] = customer;
    if let Some(password) = &body.password {
        cx.state.passwords.insert(id, password.expose().to_owned());
    }
    no_content()
}

fn customer_search(cx: &mut Ctx<'_>) -> Reply {
    let criteria = ["first_name", "last_name", "birthdate", "card_number"];
    if criteria.iter().all(|c| cx.q.get(c).is_none()) {
        return Err(bad_request(
            "first_name",
            "missing_argument",
            Value::Null,
            "At least one search criterion is required",
        ));
    }
    let card_owner = cx.q.get("card_number").map(|number| {
        cx.state
            .cards
            .iter()
            .find(|c| c.card_number == number)
            .and_then(|c| c.customer_id.clone())
    });
    let (found, _) = page(&cx.state.customers, cx.q, &CUSTOMER_FILTERS[2..5], false)?;
    let strict = found
        .into_iter()
        .filter(|c| {
            card_owner
                .as_ref()
                .is_none_or(|owner| owner.is_some() && *owner == c.customer_id)
        })
        .map(|c| en::types::CustomerSearchMatch {
            customer_id: c.customer_id,
            match_: Some(100),
            extra: Default::default(),
        })
        .collect();
    ok(
        StatusCode::OK,
        &en::types::CustomerSearchResponse {
            data: en::types::CustomerSearchResponseData {
                strict,
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

// ---------------------------------------------------------------------------
// Cards

/// Active, and `now` (server-local text) within its validity.
fn card_is_valid(card: &carecloud_api::types::Card, now: &str) -> bool {
    let active = card.state == carecloud_api::types::CardState::Active;
    let started = card
        .valid_from
        .as_ref()
        .is_none_or(|from| from.as_str() <= now);
    let not_ended = card.valid_to.as_ref().is_none_or(|to| to.as_str() >= now);
    active && started && not_ended
}

fn card_list(cx: &mut Ctx<'_>, owner: Option<String>) -> Reply {
    let now = now_local(cx.state).as_str().to_owned();
    let visible: Vec<_> = cx
        .state
        .cards
        .iter()
        .filter(|c| owner.is_none() || c.customer_id == owner)
        .filter(|c| match cx.q.get("is_valid") {
            Some("true" | "1") => card_is_valid(c, &now),
            Some("false" | "0") => !card_is_valid(c, &now),
            _ => true,
        })
        .cloned()
        .collect();
    let (cards, total) = page(&visible, cx.q, CARD_FILTERS, true)?;
    ok(
        StatusCode::OK,
        &CardListResponse {
            data: CardListResponseData {
                cards,
                total_items: Some(total),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn customer_cards(cx: &mut Ctx<'_>) -> Reply {
    let id = cx.param("customer_id");
    cx.own(&id)?;
    if !cx
        .state
        .customers
        .iter()
        .any(|c| c.customer_id.as_deref() == Some(id.as_str()))
    {
        return Err(not_found("customer", &id));
    }
    card_list(cx, Some(id))
}

fn get_cards(cx: &mut Ctx<'_>) -> Reply {
    let me = cx.logged_in()?;
    card_list(cx, me)
}

fn find_card(cx: &Ctx<'_>) -> Result<usize, Response> {
    let id = cx.param("card_id");
    let index = cx
        .state
        .cards
        .iter()
        .position(|c| c.card_id.as_deref() == Some(id.as_str()))
        .ok_or_else(|| not_found("card", &id))?;
    if let Some(me) = cx.logged_in()?
        && cx.state.cards[index].customer_id.as_deref() != Some(me.as_str())
    {
        return Err(bad_request(
            "card_id",
            "not_belong_to_logged_in_customer",
            json!(id),
            "The card does not belong to the logged-in customer",
        ));
    }
    Ok(index)
}

fn get_card(cx: &mut Ctx<'_>) -> Reply {
    let index = find_card(cx)?;
    ok(
        StatusCode::OK,
        &CardResponse {
            data: cx.state.cards[index].clone(),
            extra: Default::default(),
        },
    )
}

fn check_card(
    state: &State,
    card: &carecloud_api::types::Card,
    except: Option<&str>,
) -> Result<(), Response> {
    if state
        .cards
        .iter()
        .any(|c| c.card_number == card.card_number && c.card_id.as_deref() != except)
    {
        return Err(bad_request(
            "card_number",
            "already_exists",
            json!(card.card_number),
            "A card with this number already exists",
        ));
    }
    if !state
        .card_types
        .iter()
        .any(|t| t.card_type_id.as_deref() == Some(card.card_type_id.as_str()))
    {
        return Err(not_found("card-type", &card.card_type_id));
    }
    if let Some(owner) = &card.customer_id
        && !state
            .customers
            .iter()
            .any(|c| c.customer_id.as_ref() == Some(owner))
    {
        return Err(not_found("customer", owner));
    }
    Ok(())
}

fn post_card(cx: &mut Ctx<'_>) -> Reply {
    let body: en::types::PostCardRequest = parse(cx.body)?;
    check_card(cx.state, &body.card, None)?;
    let id = cx.state.new_id(26);
    let mut card = body.card;
    card.card_id = Some(id.clone());
    card.last_change = Some(now_local(cx.state));
    cx.state.cards.push(card);
    ok(
        StatusCode::CREATED,
        &en::types::CardIdResponse {
            data: en::types::CardIdResponseData {
                card_id: Some(id),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn put_card(cx: &mut Ctx<'_>) -> Reply {
    let index = find_card(cx)?;
    let body: PutCardRequest = parse(cx.body)?;
    let id = cx.param("card_id");
    let mut card = body.card;
    if cx.interface == Interface::Customer {
        card.customer_id = cx.state.cards[index].customer_id.clone();
    }
    check_card(cx.state, &card, Some(&id))?;
    card.card_id = Some(id);
    card.last_change = Some(now_local(cx.state));
    cx.state.cards[index] = card;
    no_content()
}

// ---------------------------------------------------------------------------
// Customer interface: tokens

fn post_token(cx: &mut Ctx<'_>) -> Reply {
    let body: cu::types::PostTokenRequest = parse(cx.body)?;
    if !cx
        .state
        .config
        .customer_application_ids
        .contains(&body.external_application_id)
    {
        return Err(unauthorized("Unknown external application"));
    }
    let device_id = body.device.device_id.clone();
    let application_id = body.external_application_id.clone();
    // A new token for the same device and application kills the old one.
    cx.state
        .device_tokens
        .retain(|_, t| !(t.device_id == device_id && t.application_id == application_id));
    let token = cx.state.new_id(80);
    cx.state.device_tokens.insert(
        token.clone(),
        DeviceToken {
            device_id,
            application_id,
            customer_id: None,
        },
    );
    ok(
        StatusCode::CREATED,
        &cu::types::TokenIdResponse {
            data: cu::types::TokenIdResponseData {
                token_id: Secret::new(token),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn put_token(cx: &mut Ctx<'_>) -> Reply {
    cx.own_token()?;
    let _body: cu::types::PutTokenRequest = parse(cx.body)?;
    no_content()
}

fn token_login(cx: &mut Ctx<'_>) -> Reply {
    cx.own_token()?;
    let body: cu::types::PostTokenLoginRequest = parse(cx.body)?;
    let value = body.login_value.as_str();
    let by = serde_json::to_value(&body.login_type)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned));
    let customer_id = match by.as_deref() {
        Some("card") => cx
            .state
            .cards
            .iter()
            .find(|c| c.card_number == value)
            .and_then(|c| c.customer_id.clone()),
        Some("phone") => cx
            .state
            .customers
            .iter()
            .find(|c| {
                c.personal_information
                    .phone
                    .as_ref()
                    .is_some_and(|p| p.as_str() == value)
            })
            .and_then(|c| c.customer_id.clone()),
        _ => cx
            .state
            .customers
            .iter()
            .find(|c| {
                c.personal_information
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(value))
            })
            .and_then(|c| c.customer_id.clone()),
    };
    match customer_id {
        Some(id)
            if cx.state.passwords.get(&id).map(String::as_str) == Some(body.password.expose()) =>
        {
            cx.log_in_customer(&id)
        }
        _ => Err(bad_request(
            "login_value",
            "invalid_credentials",
            json!(value),
            "Invalid login or password",
        )),
    }
}

fn token_logout(cx: &mut Ctx<'_>) -> Reply {
    let token = cx.own_token()?;
    if let Some(t) = cx.state.device_tokens.get_mut(&token) {
        t.customer_id = None;
    }
    no_content()
}

fn token_social_login(cx: &mut Ctx<'_>) -> Reply {
    cx.own_token()?;
    let body: cu::types::PostTokenSocialLoginRequest = parse(cx.body)?;
    let creds = body.social_network_credentials;
    let key = (
        creds.social_network_id,
        creds.social_network_token.expose().to_owned(),
    );
    match cx.state.social.get(&key).cloned() {
        Some(id) => cx.log_in_customer(&id),
        None => Err(bad_request(
            "social_network_credentials",
            "invalid_credentials",
            Value::Null,
            "Unknown social network credentials",
        )),
    }
}

fn token_auth_token_login(cx: &mut Ctx<'_>) -> Reply {
    cx.own_token()?;
    let body: cu::types::PostTokenAuthTokenLoginRequest = parse(cx.body)?;
    let found = cx.state.auth_tokens.get(body.token.expose()).cloned();
    match found {
        Some((id, request_id)) if request_id == body.token_request_id => {
            cx.state.auth_tokens.remove(body.token.expose());
            cx.log_in_customer(&id)
        }
        _ => Err(bad_request(
            "token",
            "invalid_argument",
            Value::Null,
            "Unknown or used authentication token",
        )),
    }
}

fn token_authentication(cx: &mut Ctx<'_>) -> Reply {
    cx.own_token()?;
    for required in ["external_application_id", "token_type"] {
        if cx.q.get(required).is_none() {
            return Err(bad_request(
                required,
                "missing_argument",
                Value::Null,
                &format!("Missing required parameter {required}"),
            ));
        }
    }
    let Some(me) = cx.logged_in()? else {
        return Err(forbidden("A customer must be logged in on this token"));
    };
    let token = cx.state.new_id(40);
    let request_id = cx.state.new_id(26);
    cx.state
        .auth_tokens
        .insert(token.clone(), (me, request_id.clone()));
    let valid_to = local_time(cx.state, SystemTime::now() + Duration::from_secs(300));
    ok(
        StatusCode::OK,
        &cu::types::TokenAuthenticationResponse {
            data: cu::types::TokenAuthenticationResponseData {
                authentication_token: Some(Secret::new(token)),
                token_request_id: Some(request_id),
                valid_to: Some(valid_to),
                extra: Default::default(),
            },
            extra: Default::default(),
        },
    )
}

fn send_password_setup(cx: &mut Ctx<'_>) -> Reply {
    cx.own_token()?;
    let _body: cu::types::PostTokenSendPasswordSetupRequest = parse(cx.body)?;
    no_content()
}
