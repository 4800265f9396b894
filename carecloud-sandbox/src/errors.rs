//! The error envelope (`{"error": {type, exception, title, detail,
//! error_data}}`) with the statuses and `error_data` shapes the real API
//! documents; each one is checked against the generated `ErrorEnvelope`
//! before it is sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use carecloud_api::Operation;
use carecloud_api::types::ErrorEnvelope;
use serde_json::{Value, json};

/// An error answer: its status and its envelope.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub body: Value,
}

impl ApiError {
    /// An envelope of `type` `about:blank` titled by the status.
    fn new(status: StatusCode, exception: &str, detail: &str, data: Value) -> Self {
        let title = status.canonical_reason().unwrap_or("Error");
        let mut error = json!({"type": "about:blank", "exception": exception, "title": title, "detail": detail});
        if data.as_object().is_some_and(|o| !o.is_empty()) {
            error["error_data"] = data;
        }
        Self {
            status,
            body: json!({ "error": error }),
        }
    }

    /// The HTTP response (the envelope as the generated type writes it).
    pub fn into_response(self) -> Response {
        let body = match serde_json::from_value::<ErrorEnvelope>(self.body.clone()) {
            Ok(typed) => serde_json::to_value(typed).unwrap_or(self.body),
            Err(_) => self.body,
        };
        (self.status, Json(body)).into_response()
    }
}

/// 400 with one `invalid_params` entry: `name` of the parameter or field,
/// `reason` (one of the API's codes: `required`, `invalid_value_format`,
/// `not_allowed_value`, `already_exists`, `not_found`,
/// `not_belong_to_logged_in_customer`, ...), the `value` sent.
pub(crate) fn bad_request(name: &str, reason: &str, value: Value, message: &str) -> ApiError {
    let param = json!({"name": name, "reason": reason, "value": value, "message": message});
    let (status, data) = (
        StatusCode::BAD_REQUEST,
        json!({ "invalid_params": [param] }),
    );
    ApiError::new(status, "bad_request_exception", message, data)
}

/// 400 `not_found`: `name` names a record that does not exist.
pub(crate) fn unknown(name: &str, value: Value, message: &str) -> ApiError {
    bad_request(name, "not_found", value, message)
}

/// 400 `not_found` for a one-time authentication token.
pub(crate) fn used_token(name: &str) -> ApiError {
    unknown(name, Value::Null, "Unknown or used authentication token")
}

/// 400 `not_allowed_value`.
pub(crate) fn not_allowed(name: &str, value: Value, message: &str) -> ApiError {
    bad_request(name, "not_allowed_value", value, message)
}

/// 400 `invalid_value_format`.
pub(crate) fn bad_format(name: &str, value: Value, message: &str) -> ApiError {
    bad_request(name, "invalid_value_format", value, message)
}

/// 400 `required` for a missing parameter or field.
pub(crate) fn required(name: &str) -> ApiError {
    let message = format!("`{name}` is required");
    bad_request(name, "required", Value::Null, &message)
}

/// 404 for a record (`resource_name` singular, e.g. `customer`).
pub(crate) fn not_found(resource: &str, id: &str) -> ApiError {
    missing(resource, id, &format!("No {resource} with ID {id}"))
}

/// 404 for a path no operation of the interface has.
pub(crate) fn no_route(path: &str) -> ApiError {
    missing("resource", path, &format!("No resource at {path}"))
}

fn missing(resource: &str, id: &str, detail: &str) -> ApiError {
    let data = json!({"resource_name": resource, "resource_id": id});
    ApiError::new(StatusCode::NOT_FOUND, "not_found_exception", detail, data)
}

/// 405: the path exists, the method does not.
pub(crate) fn method_not_allowed(method: &str, path: &str) -> ApiError {
    let detail = format!("{method} is not allowed on {path}");
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed_exception",
        &detail,
        json!({"http_method": method}),
    )
}

/// 403 for a customer-interface resource (`tokens`) on the enterprise
/// interface, as the real API words it (no `exception`).
pub(crate) fn interface_not_allowed(resource: &str) -> ApiError {
    let error = json!({
        "type": "interface_not_allowed_exception",
        "title": "Enterprise interface is not allowed for this resource",
        "detail": format!("Resource name \"{resource}\" is not allowed in Enterprise interface"),
        "error_data": {"invalid_resource_name": resource, "interface": "enterprise-interface"},
    });
    ApiError {
        status: StatusCode::FORBIDDEN,
        body: json!({ "error": error }),
    }
}

/// 401: no, an unknown or an expired token (or refused credentials).
pub(crate) fn unauthorized(detail: &str) -> ApiError {
    status(StatusCode::UNAUTHORIZED, "unauthorized_exception", detail)
}

/// 403: allowed on this interface, but not now (no customer logged in).
pub(crate) fn forbidden(detail: &str) -> ApiError {
    status(StatusCode::FORBIDDEN, "forbidden_exception", detail)
}

/// Any status with the plain envelope (injected faults).
pub(crate) fn status(status: StatusCode, exception: &str, detail: &str) -> ApiError {
    ApiError::new(status, exception, detail, json!({}))
}

/// 500: a sandbox bug (a seed record or reply that does not fit the spec,
/// an operation without a handler). Names what is wrong; never a panic.
pub(crate) fn sandbox_bug(detail: &str) -> ApiError {
    status(
        StatusCode::INTERNAL_SERVER_ERROR,
        "error_exception",
        &format!("Sandbox bug: {detail}"),
    )
}

/// 500 for an operation declared `x-sandbox: handler` without a handler.
pub(crate) fn no_handler(op: &Operation) -> ApiError {
    let (method, path) = (op.method.as_str(), op.path);
    sandbox_bug(&format!(
        "`{}` ({method} {path}) has no handler in src/actions.rs",
        op.name
    ))
}

/// A body or value that does not fit a schema, as the round trip through the
/// generated type reports it (`path: message`), as a 400 naming the field.
pub(crate) fn does_not_fit(error: &str) -> ApiError {
    let (path, message) = error.split_once(": ").unwrap_or((".", error));
    let path = path.trim_start_matches('.');
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        let name = if path.is_empty() {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        };
        return required(&name);
    }
    let name = if path.is_empty() { "body" } else { path };
    bad_request(name, "invalid_value_format", Value::Null, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(error: &ApiError) -> (&Value, &Value) {
        let at = |key: &str| {
            error
                .body
                .pointer(&format!("/error/error_data/invalid_params/0/{key}"))
        };
        (
            at("name").unwrap_or(&Value::Null),
            at("reason").unwrap_or(&Value::Null),
        )
    }

    #[test]
    fn a_missing_field_is_named_with_its_path_and_a_wrong_type_is_a_format_error() {
        let error = does_not_fit("customer.personal_information: missing field `language_id`");
        assert_eq!(
            param(&error),
            (
                &json!("customer.personal_information.language_id"),
                &json!("required")
            )
        );
        assert_eq!(
            param(&does_not_fit(".: missing field `customer_source`")).0,
            "customer_source"
        );
        let error = does_not_fit("card.state: invalid type: string \"x\", expected i64");
        assert_eq!(
            param(&error),
            (&json!("card.state"), &json!("invalid_value_format"))
        );
    }

    #[test]
    fn every_envelope_fits_the_generated_type() {
        for error in [
            required("x"),
            not_found("card", "1"),
            no_route("/x"),
            method_not_allowed("DELETE", "/customers"),
            interface_not_allowed("tokens"),
            unauthorized("no"),
            forbidden("no"),
            sandbox_bug("x"),
        ] {
            serde_json::from_value::<ErrorEnvelope>(error.body.clone()).expect("fits");
        }
    }
}
