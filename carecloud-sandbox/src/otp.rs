//! One-time passwords (`POST /one-time-password/actions/send` and
//! `.../verify`), both interfaces.
//!
//! * **send** checks the request (a known external application: an API
//!   user's, a device-token application or a `customer_external_applications`
//!   record; a recipient that fits the channel: an e-mail address for
//!   e-mail, digits for SMS), "sends" nothing, and keeps the password under a
//!   new 40-digit `request_id`. Every password is [`ONE_TIME_PASSWORD`],
//!   whatever `otp_type` asks for, so tests can type it back.
//! * **verify** finds the request (400 `not_found` on `request_id` if there
//!   is none for that ID and external application) and answers
//!   `is_valid`: `true` once for the right code (the password is then used
//!   up), `false` for a wrong code or a used-up password.
//!
//! The real API's messages and expiry times are project configuration and
//! are not modelled: a sandbox password does not expire.
//!
//! The requests live in the store as the internal collection [`REQUESTS`]
//! (no operation lists it), keyed by a field that does not end in `_id`,
//! so no record's reference is ever checked against it.

use axum::http::StatusCode;
use carecloud_api::OperationId;
use carecloud_api::types::{OtpCommunicationChannel, SendOtpRequest, VerifyOtpRequest};
use serde_json::{Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::store::text;

/// The code every one-time password the sandbox sends has.
pub const ONE_TIME_PASSWORD: &str = "123456";

/// The internal collection of sent passwords.
const REQUESTS: &str = "one_time_password_requests";
/// Its key: the `request_id`.
const KEY: &str = "otp_request";

/// `POST /one-time-password/actions/send` and `.../verify`, by operation.
pub(crate) fn serve(cx: &mut Ctx<'_>) -> Reply {
    if cx.op.id == OperationId::PostSendOtp {
        send(cx)
    } else {
        verify(cx)
    }
}

/// `POST /one-time-password/actions/send`.
fn send(cx: &mut Ctx<'_>) -> Reply {
    let body: SendOtpRequest = cx.body_as()?;
    known_application(cx, &body.external_application_id)?;
    check_recipient(&body.communication_channel_id, &body.recipient)?;
    let request_id = cx.state.store.new_id(40);
    let record = json!({
        KEY: request_id,
        "external_application_id": body.external_application_id,
        "recipient": body.recipient,
        "code": ONE_TIME_PASSWORD,
        "used": false,
    });
    cx.state.store.entry(REQUESTS, KEY).records.push(record);
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"request_id": request_id}}),
    ))
}

/// `POST /one-time-password/actions/verify`.
fn verify(cx: &mut Ctx<'_>) -> Reply {
    let body: VerifyOtpRequest = cx.body_as()?;
    let requests = cx.state.store.entry(REQUESTS, KEY);
    let found = requests.records.iter_mut().find(|r| {
        r.get(KEY).and_then(Value::as_str) == Some(body.request_id.as_str())
            && r.get("external_application_id").and_then(Value::as_str)
                == Some(body.external_application_id.as_str())
    });
    let Some(request) = found else {
        let message = "No one-time password was sent with this request ID for this application";
        return Err(errors::unknown(
            "request_id",
            json!(body.request_id),
            message,
        ));
    };
    let unused = request.get("used").and_then(Value::as_bool) == Some(false);
    let matches =
        request.get("code").and_then(text).as_deref() == Some(body.verification_code.expose());
    let is_valid = unused && matches;
    if is_valid {
        request["used"] = json!(true);
    }
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"is_valid": is_valid}}),
    ))
}

/// 400 `not_found` unless `id` is an external application the sandbox
/// knows.
fn known_application(cx: &Ctx<'_>, id: &str) -> Result<(), ApiError> {
    let config = &cx.state.config;
    if config
        .api_users
        .iter()
        .any(|u| u.external_application_id == id)
    {
        return Ok(());
    }
    crate::actions::customer_actions::known_application(cx, "external_application_id", id)
}

/// 400 `empty` for a blank recipient, `invalid_value_format` for one that
/// cannot receive over `channel` (e-mail needs an `@`, SMS digits only).
fn check_recipient(channel: &OtpCommunicationChannel, recipient: &str) -> Result<(), ApiError> {
    let recipient = recipient.trim();
    if recipient.is_empty() {
        return Err(errors::bad_request(
            "recipient",
            "empty",
            json!(recipient),
            "The recipient is empty",
        ));
    }
    let fits = match channel {
        OtpCommunicationChannel::Email => recipient.contains('@'),
        OtpCommunicationChannel::Sms => recipient.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    };
    if fits {
        Ok(())
    } else {
        let message = "The recipient cannot receive messages over this communication channel";
        Err(errors::bad_format("recipient", json!(recipient), message))
    }
}
