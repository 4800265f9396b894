//! Customer actions about identity: checking credentials, one-time
//! authentication tokens, and the checks an app makes before registering a
//! customer.
//!
//! * `verify-credentials` checks a customer's password (`seed/meta/
//!   accounts.json`, and passwords set by registrations and updates) for an
//!   e-mail address or the number of a card they own; social-network
//!   credentials are the accounts' social logins. A mismatch is 400
//!   `invalid_credentials`.
//! * `auth-token` issues a one-time token for a customer and a known
//!   customer application (valid 5 minutes; digits only with `token_type`
//!   2); `verify-auth-token` names its customer once. The tokens are those
//!   of `GET /tokens/{token_id}/actions/auth-token`, so one issued here also
//!   logs the customer in on the customer interface and vice versa.
//! * `validate-customer-data`: a password is valid with at least 8
//!   characters including a letter and a digit; a referral code when a
//!   referral with that code can still be used.

use axum::http::StatusCode;
use carecloud_api::types::{
    AuthTokenType, CredentialLoginType, CustomerAuthTokenRequest, CustomerDataType,
    ValidateCustomerDataRequest, VerifyCredentialsRequest, VerifyCustomerAuthTokenRequest,
    VerifySocialNetworkCredentialsRequest,
};
use serde_json::{Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::engines::expr::is_valid;
use crate::errors::{self, ApiError};
use crate::store::text;

/// `POST /customers/actions/verify-credentials`.
pub(crate) fn verify_credentials(cx: &mut Ctx<'_>) -> Reply {
    let body: VerifyCredentialsRequest = cx.body_as()?;
    let value = body.login_value.as_str();
    let store = &cx.state.store;
    let customer = match body.login_type {
        CredentialLoginType::Card => store.find_by("cards", "card_number", value),
        _ => store.find_by("customers", "email", value),
    }
    .and_then(|record| record.get("customer_id"))
    .and_then(text);
    let passwords = &cx.state.accounts.customer_passwords;
    match customer {
        Some(id) if passwords.get(&id).map(String::as_str) == Some(body.password.expose()) => {
            Ok(customer_id(&id))
        }
        _ => Err(invalid_credentials("login_value", json!(value))),
    }
}

/// `POST /customers/actions/verify-social-network-credentials`.
pub(crate) fn verify_social_credentials(cx: &mut Ctx<'_>) -> Reply {
    let body: VerifySocialNetworkCredentialsRequest = cx.body_as()?;
    let sent = body.social_network_credentials;
    let found = cx.state.accounts.social_logins.iter().find(|s| {
        s.social_network_id == sent.social_network_id
            && s.social_network_token == sent.social_network_token.expose()
    });
    match found {
        Some(login) => Ok(customer_id(&login.customer_id)),
        None => Err(invalid_credentials(
            "social_network_credentials",
            Value::Null,
        )),
    }
}

/// `POST /customers/actions/auth-token`.
pub(crate) fn auth_token(cx: &mut Ctx<'_>) -> Reply {
    let body: CustomerAuthTokenRequest = cx.body_as()?;
    if cx
        .state
        .store
        .find("customers", &body.customer_id)
        .is_none()
    {
        let (id, message) = (json!(body.customer_id), "No customer with this ID");
        return Err(errors::unknown("customer_id", id, message));
    }
    known_application(cx, "external_application_id", &body.external_application_id)?;
    let mut token = cx.state.store.new_id(8).to_uppercase();
    if body.token_type == AuthTokenType::Numeric {
        token = token.bytes().map(|b| char::from(b'0' + b % 10)).collect();
    }
    let request_id = cx.state.store.new_id(72);
    let expires = cx
        .state
        .issue_auth_token(token.clone(), body.customer_id, request_id.clone());
    let valid_to = cx.state.local_time(expires);
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"authentication_token": token, "token_request_id": request_id, "valid_to": valid_to}}),
    ))
}

/// `POST /customers/actions/verify-auth-token`: the token's customer, once.
pub(crate) fn verify_auth_token(cx: &mut Ctx<'_>) -> Reply {
    let body: VerifyCustomerAuthTokenRequest = cx.body_as()?;
    known_application(cx, "application_id", &body.application_id)?;
    match cx
        .state
        .use_auth_token(body.token.expose(), &body.token_request_id)
    {
        Some(id) => Ok(customer_id(&id)),
        _ => Err(errors::used_token("token")),
    }
}

/// `POST /customers/actions/validate-customer-data`.
pub(crate) fn validate_data(cx: &mut Ctx<'_>) -> Reply {
    let body: ValidateCustomerDataRequest = cx.body_as()?;
    let value = body.value.expose();
    let is_valid = match body.type_ {
        CustomerDataType::Password => {
            value.chars().count() >= 8
                && value.chars().any(char::is_alphabetic)
                && value.chars().any(|c| c.is_ascii_digit())
        }
        CustomerDataType::ReferralCode => {
            let now = cx.state.now();
            cx.state
                .store
                .find_by("referrals", "code", value)
                .is_some_and(|referral| is_valid(referral, &now))
        }
        _ => {
            let message = "type must be password or referral_code";
            return Err(errors::not_allowed("type", Value::Null, message));
        }
    };
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"is_valid": is_valid}}),
    ))
}

/// 400 `not_found` (naming `field`) unless `id` is a customer application
/// the sandbox knows (its configuration, or `customer_external_applications`).
pub(crate) fn known_application(cx: &Ctx<'_>, field: &str, id: &str) -> Result<(), ApiError> {
    let known = cx
        .state
        .config
        .customer_application_ids
        .iter()
        .any(|a| a == id)
        || cx
            .state
            .store
            .find_by(
                "customer_external_applications",
                "external_application_id",
                id,
            )
            .is_some();
    if known {
        Ok(())
    } else {
        let message = "No customer external application with this ID";
        Err(errors::unknown(field, json!(id), message))
    }
}

fn customer_id(id: &str) -> Answer {
    Answer::Json(StatusCode::OK, json!({"data": {"customer_id": id}}))
}

fn invalid_credentials(name: &str, value: Value) -> ApiError {
    errors::bad_request(
        name,
        "invalid_credentials",
        value,
        "Invalid login or password",
    )
}
