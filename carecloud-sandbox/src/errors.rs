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
    fn new(
        status: StatusCode,
        type_: &str,
        exception: &str,
        title: &str,
        detail: &str,
        data: Value,
    ) -> Self {
        let mut error =
            json!({"type": type_, "exception": exception, "title": title, "detail": detail});
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
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "about:blank",
        "bad_request_exception",
        "Bad Request",
        message,
        json!({"invalid_params": [{"name": name, "reason": reason, "value": value, "message": message}]}),
    )
}

/// 400 `required` for a missing parameter or field.
pub(crate) fn required(name: &str) -> ApiError {
    bad_request(
        name,
        "required",
        Value::Null,
        &format!("`{name}` is required"),
    )
}

/// 404 for a record (`resource_name` singular, e.g. `customer`).
pub(crate) fn not_found(resource: &str, id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "about:blank",
        "not_found_exception",
        "Not Found",
        &format!("No {resource} with ID {id}"),
        json!({"resource_name": resource, "resource_id": id}),
    )
}

/// 404 for a path no operation of the interface has.
pub(crate) fn no_route(path: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "about:blank",
        "not_found_exception",
        "Not Found",
        &format!("No resource at {path}"),
        json!({"resource_name": "resource", "resource_id": path}),
    )
}

/// 405: the path exists, the method does not.
pub(crate) fn method_not_allowed(method: &str, path: &str) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "about:blank",
        "method_not_allowed_exception",
        "Method Not Allowed",
        &format!("{method} is not allowed on {path}"),
        json!({"http_method": method}),
    )
}

/// 403 for a customer-interface resource (`tokens`) on the enterprise
/// interface, as the real API words it.
pub(crate) fn interface_not_allowed(resource: &str) -> ApiError {
    let mut error = ApiError::new(
        StatusCode::FORBIDDEN,
        "interface_not_allowed_exception",
        "interface_not_allowed_exception",
        "Enterprise interface is not allowed for this resource",
        &format!("Resource name \"{resource}\" is not allowed in Enterprise interface"),
        json!({"invalid_resource_name": resource, "interface": "enterprise-interface"}),
    );
    // The documented 403 has no `exception`.
    if let Some(body) = error.body["error"].as_object_mut() {
        body.remove("exception");
    }
    error
}

/// 401: no, an unknown or an expired token (or refused credentials).
pub(crate) fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "about:blank",
        "unauthorized_exception",
        "Unauthorized",
        detail,
        json!({}),
    )
}

/// 403: allowed on this interface, but not now (no customer logged in).
pub(crate) fn forbidden(detail: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "about:blank",
        "forbidden_exception",
        "Forbidden",
        detail,
        json!({}),
    )
}

/// Any status with the plain envelope (injected faults).
pub(crate) fn status(status: StatusCode, exception: &str, detail: &str) -> ApiError {
    ApiError::new(
        status,
        "about:blank",
        exception,
        status.canonical_reason().unwrap_or("Error"),
        detail,
        json!({}),
    )
}

/// 500: a sandbox bug (a seed record or reply that does not fit the spec,
/// an action without a handler). Names what is wrong; never a panic.
pub(crate) fn sandbox_bug(detail: &str) -> ApiError {
    status(
        StatusCode::INTERNAL_SERVER_ERROR,
        "error_exception",
        &format!("Sandbox bug: {detail}"),
    )
}

/// 500 for an operation the sandbox cannot serve from the spec alone.
pub(crate) fn no_handler(op: &Operation) -> ApiError {
    sandbox_bug(&format!(
        "`{}` ({} {}) is an action, and carecloud-sandbox/src/actions.rs has no handler for it",
        op.name,
        op.method.as_str(),
        op.path
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
        return bad_request(
            &name,
            "required",
            Value::Null,
            &format!("`{name}` is required"),
        );
    }
    let name = if path.is_empty() { "body" } else { path };
    bad_request(name, "invalid_value_format", Value::Null, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_field_is_named_with_its_path() {
        let error = does_not_fit("customer.personal_information: missing field `language_id`");
        let param = &error.body["error"]["error_data"]["invalid_params"][0];
        assert_eq!(param["name"], "customer.personal_information.language_id");
        assert_eq!(param["reason"], "required");
        let error = does_not_fit(".: missing field `customer_source`");
        assert_eq!(
            error.body["error"]["error_data"]["invalid_params"][0]["name"],
            "customer_source"
        );
    }

    #[test]
    fn a_wrong_type_is_invalid_value_format() {
        let error = does_not_fit("card.state: invalid type: string \"x\", expected i64");
        let param = &error.body["error"]["error_data"]["invalid_params"][0];
        assert_eq!(param["name"], "card.state");
        assert_eq!(param["reason"], "invalid_value_format");
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
