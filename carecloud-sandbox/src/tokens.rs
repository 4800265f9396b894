//! The customer interface's device tokens and customer logins (hand-written:
//! the spec says what they take and return, not what they do).
//!
//! * `POST /tokens` creates a token for a device and application; a new one
//!   for the same pair ends the old one (one token per device+application).
//! * Every `/tokens/{token_id}/...` operation must name the caller's own
//!   token (the one in `Authorization`), else 400.
//! * Logins (e-mail, phone or card number with password; social network;
//!   one-time authentication token; the project's test customer) put a
//!   customer on the token; logout takes them off and keeps the token.
//! * Creating or replacing a customer with a `password` or
//!   `social_network_credentials` keeps them for logins; `autologin` logs
//!   the new customer in on the caller's token.

use axum::http::StatusCode;
use carecloud_api::Interface;
use carecloud_api::types::{
    CustomerLoginType, PostTokenAuthTokenLoginRequest, PostTokenLoginRequest, PostTokenRequest,
    PostTokenSocialLoginRequest,
};
use serde_json::{Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::seed::{SocialLogin, TEST_CUSTOMER_ID};
use crate::state::DeviceToken;
use crate::store::text;

/// `POST /tokens`.
pub(crate) fn create(cx: &mut Ctx<'_>) -> Reply {
    let body: PostTokenRequest = cx.body_as()?;
    if !cx
        .state
        .config
        .customer_application_ids
        .contains(&body.external_application_id)
    {
        return Err(errors::unauthorized("Unknown external application"));
    }
    let device_id = body.device.device_id;
    let application_id = body.external_application_id;
    cx.state
        .device_tokens
        .retain(|_, t| !(t.device_id == device_id && t.application_id == application_id));
    let token = cx.state.store.new_id(80);
    cx.state.device_tokens.insert(
        token.clone(),
        DeviceToken {
            device_id,
            application_id,
            customer_id: None,
        },
    );
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"token_id": token}}),
    ))
}

/// `PUT /tokens/{token_id}`: the setup and push token (accepted, not kept).
pub(crate) fn update(cx: &mut Ctx<'_>) -> Reply {
    own_token(cx)?;
    cx.body()?;
    Ok(Answer::NoContent)
}

/// `POST /tokens/{token_id}/actions/login`.
pub(crate) fn login(cx: &mut Ctx<'_>) -> Reply {
    own_token(cx)?;
    let body: PostTokenLoginRequest = cx.body_as()?;
    let value = body.login_value.as_str();
    let store = &cx.state.store;
    let customer = match body.login_type {
        CustomerLoginType::Card => store
            .find_by("cards", "card_number", value)
            .and_then(|c| c.get("customer_id"))
            .and_then(text),
        CustomerLoginType::Phone => store
            .find_by("customers", "phone", value)
            .and_then(|c| c.get("customer_id"))
            .and_then(text),
        _ => store
            .find_by("customers", "email", value)
            .and_then(|c| c.get("customer_id"))
            .and_then(text),
    };
    match customer {
        Some(id)
            if cx
                .state
                .accounts
                .customer_passwords
                .get(&id)
                .map(String::as_str)
                == Some(body.password.expose()) =>
        {
            log_in(cx, &id)
        }
        _ => Err(errors::bad_request(
            "login_value",
            "invalid_credentials",
            json!(value),
            "Invalid login or password",
        )),
    }
}

/// `POST /tokens/{token_id}/actions/social-network-login`.
pub(crate) fn social_login(cx: &mut Ctx<'_>) -> Reply {
    own_token(cx)?;
    let body: PostTokenSocialLoginRequest = cx.body_as()?;
    let creds = body.social_network_credentials;
    let found = cx.state.accounts.social_logins.iter().find(|s| {
        s.social_network_id == creds.social_network_id
            && s.social_network_token == creds.social_network_token.expose()
    });
    match found.map(|s| s.customer_id.clone()) {
        Some(id) => log_in(cx, &id),
        None => Err(errors::bad_request(
            "social_network_credentials",
            "invalid_credentials",
            Value::Null,
            "Unknown social network credentials",
        )),
    }
}

/// `GET /tokens/{token_id}/actions/auth-token`: a one-time token for the
/// logged-in customer, valid 5 minutes (then dropped).
pub(crate) fn auth_token(cx: &mut Ctx<'_>) -> Reply {
    own_token(cx)?;
    let Some(me) = cx.logged_in_customer() else {
        return Err(errors::forbidden(
            "A customer must be logged in on this token",
        ));
    };
    // token_type 2: digits only.
    let numeric = cx.query.one("token_type") == Some("2");
    let mut token = cx.state.store.new_id(12);
    if numeric {
        token = token.bytes().map(|b| char::from(b'0' + b % 10)).collect();
    }
    let request_id = cx.state.store.new_id(26);
    let expires = cx
        .state
        .issue_auth_token(token.clone(), me, request_id.clone());
    let valid_to = cx.state.local_time(expires);
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"authentication_token": token, "token_request_id": request_id, "valid_to": valid_to}}),
    ))
}

/// `POST /tokens/{token_id}/actions/authentication-token-login`.
pub(crate) fn auth_token_login(cx: &mut Ctx<'_>) -> Reply {
    own_token(cx)?;
    let body: PostTokenAuthTokenLoginRequest = cx.body_as()?;
    match cx
        .state
        .use_auth_token(body.token.expose(), &body.token_request_id)
    {
        Some(id) => log_in(cx, &id),
        None => Err(errors::bad_request(
            "token",
            "not_found",
            Value::Null,
            "Unknown or used authentication token",
        )),
    }
}

/// `POST /tokens/{token_id}/actions/login-test-customer`.
pub(crate) fn test_customer_login(cx: &mut Ctx<'_>) -> Reply {
    own_token(cx)?;
    log_in(cx, TEST_CUSTOMER_ID)
}

/// `POST /tokens/{token_id}/actions/logout`.
pub(crate) fn logout(cx: &mut Ctx<'_>) -> Reply {
    let token = own_token(cx)?;
    if let Some(t) = cx.state.device_tokens.get_mut(&token) {
        t.customer_id = None;
    }
    Ok(Answer::NoContent)
}

/// `POST /tokens/{token_id}/actions/send-password-setup-email` (nothing is
/// sent).
pub(crate) fn send_password_setup(cx: &mut Ctx<'_>) -> Reply {
    own_token(cx)?;
    cx.body()?;
    Ok(Answer::NoContent)
}

/// After a customer was created or replaced: keeps the body's password and
/// social login; `autologin` on create logs them in on the caller's token.
pub(crate) fn remember_customer(cx: &mut Ctx<'_>, customer_id: &str, body: &Value, created: bool) {
    if let Some(password) = body.get("password").and_then(Value::as_str) {
        cx.state
            .accounts
            .customer_passwords
            .insert(customer_id.to_owned(), password.to_owned());
    }
    if let Some(social) = body.get("social_network_credentials")
        && let (Some(network), Some(token)) = (
            social.get("social_network_id").and_then(Value::as_str),
            social.get("social_network_token").and_then(Value::as_str),
        )
    {
        // One per customer and network: a new token replaces the old.
        cx.state
            .accounts
            .social_logins
            .retain(|s| !(s.customer_id == customer_id && s.social_network_id == network));
        cx.state.accounts.social_logins.push(SocialLogin {
            social_network_id: network.to_owned(),
            social_network_token: token.to_owned(),
            customer_id: customer_id.to_owned(),
        });
    }
    let autologin = body.get("autologin") == Some(&Value::Bool(true));
    if created
        && autologin
        && cx.interface == Interface::Customer
        && let Some(t) = cx
            .token
            .as_ref()
            .and_then(|t| cx.state.device_tokens.get_mut(t))
    {
        t.customer_id = Some(customer_id.to_owned());
    }
}

/// The path's `token_id`, which must be the caller's token.
fn own_token(cx: &Ctx<'_>) -> Result<String, ApiError> {
    let in_path = cx.param("token_id");
    if cx.token.as_deref() != Some(in_path) {
        return Err(errors::bad_request(
            "token_id",
            "not_allowed_value",
            Value::Null,
            "token_id is not the token in Authorization",
        ));
    }
    Ok(in_path.to_owned())
}

fn log_in(cx: &mut Ctx<'_>, customer_id: &str) -> Reply {
    let token = own_token(cx)?;
    if let Some(t) = cx.state.device_tokens.get_mut(&token) {
        t.customer_id = Some(customer_id.to_owned());
    }
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"customer_id": customer_id}}),
    ))
}
