//! Enterprise authentication (hand-written): login, SSO login, logout, user
//! authentication tokens, and the bearer check of every operation the spec
//! secures.
//!
//! A login answers `bearer_token`, `valid_to` (server-local time, no zone)
//! and the `users` record of the login; the token lives
//! `SandboxConfig::token_lifetime`. Every reply carries a `Date` header, so
//! a client can compute the lifetime as `valid_to - Date`.

use std::time::SystemTime;

use axum::http::StatusCode;
use carecloud_api::Interface;
use carecloud_api::types::{
    PostUserLoginRequest, PostUserLogoutRequest, PostUserSsoLoginRequest,
    PostUserVerifyAuthTokenRequest,
};
use serde_json::json;

use crate::context::{Answer, Ctx, Reply};
use crate::errors;
use crate::seed::SSO_TOKEN;
use crate::state::State;

/// Whether `token` may call a bearer-secured operation of `interface`: a
/// live enterprise bearer token, or an existing customer device token.
pub(crate) fn token_valid(state: &State, interface: Interface, token: Option<&str>) -> bool {
    let Some(token) = token else { return false };
    match interface {
        Interface::Enterprise => state
            .bearer_tokens
            .get(token)
            .is_some_and(|expires| *expires > SystemTime::now()),
        Interface::Customer => state.device_tokens.contains_key(token),
    }
}

/// `POST /users/actions/login`.
pub(crate) fn login(cx: &mut Ctx<'_>) -> Reply {
    let body: PostUserLoginRequest = cx.body_as()?;
    let known = cx.state.config.api_users.iter().any(|u| {
        u.external_application_id == body.user_external_application_id
            && u.login == body.login
            && u.password == body.password.expose()
    });
    if !known {
        return Err(errors::unauthorized(
            "Invalid application, login or password",
        ));
    }
    issue_bearer(cx, &body.login)
}

/// `POST /users/actions/sso-login`: [`SSO_TOKEN`] logs in the first API
/// user of the application.
pub(crate) fn sso_login(cx: &mut Ctx<'_>) -> Reply {
    let body: PostUserSsoLoginRequest = cx.body_as()?;
    let user = cx
        .state
        .config
        .api_users
        .iter()
        .find(|u| u.external_application_id == body.user_external_application_id)
        .map(|u| u.login.clone());
    match user {
        Some(login) if body.sso_token.expose() == SSO_TOKEN => issue_bearer(cx, &login),
        _ => Err(errors::unauthorized("Invalid SSO token")),
    }
}

/// `POST /users/actions/logout`: ends the token the body names.
pub(crate) fn logout(cx: &mut Ctx<'_>) -> Reply {
    let body: PostUserLogoutRequest = cx.body_as()?;
    cx.state.bearer_tokens.remove(body.bearer_token.expose());
    Ok(Answer::NoContent)
}

/// `POST /users/actions/verify-auth-token`: a user authentication token of
/// `seed/meta/accounts.json`, each valid once.
pub(crate) fn verify_auth_token(cx: &mut Ctx<'_>) -> Reply {
    let body: PostUserVerifyAuthTokenRequest = cx.body_as()?;
    match cx
        .state
        .accounts
        .user_auth_tokens
        .remove(body.auth_token.expose())
    {
        Some(user_id) => Ok(Answer::Json(
            StatusCode::OK,
            json!({"data": {"user_id": user_id}}),
        )),
        None => Err(errors::used_token("auth_token")),
    }
}

/// A new bearer token for `login`; the expired ones are dropped first.
fn issue_bearer(cx: &mut Ctx<'_>, login: &str) -> Reply {
    let now = SystemTime::now();
    cx.state.bearer_tokens.retain(|_, expires| *expires > now);
    let token = cx.state.store.new_id(40);
    let expires = now + cx.state.config.token_lifetime;
    cx.state.bearer_tokens.insert(token.clone(), expires);
    let mut data = json!({"bearer_token": token, "valid_to": cx.state.local_time(expires)});
    if let Some(user) = cx.state.store.find_by("users", "login", login) {
        data["user"] = user.clone();
    }
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}
