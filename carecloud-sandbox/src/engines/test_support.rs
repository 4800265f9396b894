//! Calling an engine as the server would, on the seeded state.

use carecloud_api::{Interface, OperationId};
use serde_json::Value;

use crate::context::{Answer, Ctx};
use crate::errors::ApiError;
use crate::query::Query;
use crate::state::{DeviceToken, State};
use crate::{JOHN_SMITH_ID, SandboxConfig};

/// The seeded state.
pub(crate) fn seeded() -> State {
    State::new(SandboxConfig::default()).expect("the seed loads")
}

/// A success's status and `data`, or an error's status and first reason.
pub(crate) type Outcome = Result<(u16, Value), (u16, String)>;

/// Serves `id` with these path parameters, query and body through the
/// engines; on the customer interface with John Smith logged in.
pub(crate) fn call(
    state: &mut State,
    (interface, id): (Interface, OperationId),
    path: &[(&'static str, &str)],
    query: &str,
    body: Value,
) -> Outcome {
    let token = (interface == Interface::Customer).then(|| {
        let (device_id, application_id) = ("test".to_owned(), "test".to_owned());
        let customer_id = Some(JOHN_SMITH_ID.to_owned());
        let device = DeviceToken {
            device_id,
            application_id,
            customer_id,
        };
        state.device_tokens.insert("test-token".into(), device);
        "test-token".to_owned()
    });
    let (op, raw) = (id.operation(), body.to_string().into_bytes());
    let reply = Query::parse(op, query).and_then(|query| {
        let path = path.iter().map(|(n, v)| (*n, (*v).to_owned())).collect();
        super::serve(&mut Ctx {
            state,
            interface,
            op,
            path,
            query,
            token,
            raw_body: &raw,
        })
    });
    match reply {
        Ok(Answer::Json(status, body)) => Ok((
            status.as_u16(),
            body.get("data").cloned().unwrap_or_default(),
        )),
        Ok(Answer::NoContent) => Ok((204, Value::Null)),
        Err(error) => Err((error.status.as_u16(), why(&error).1)),
    }
}

/// The (name, reason) of an error's first invalid parameter.
pub(crate) fn why(error: &ApiError) -> (String, String) {
    let param = |key: &str| {
        let found = error
            .body
            .pointer(&format!("/error/error_data/invalid_params/0/{key}"));
        found.and_then(Value::as_str).unwrap_or_default().to_owned()
    };
    (param("name"), param("reason"))
}

/// A 400 with `reason`.
pub(crate) fn refused(reason: &str) -> Outcome {
    Err((400, reason.to_owned()))
}
