//! Writes of a customer's additional addresses. The records are identified
//! by `additional_address_id`, which the path calls
//! `additional_customer_address_id_path`, so the standard create and replace
//! (which name the ID after the path parameter) do not fit. The address
//! type must exist when the project's `customer_address_types` are known
//! (400 `not_found`); a replacement is whole (lines left out are gone).

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::customer_records::{customer_in_path, push};
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::scope::{self, OWNER};

const ADDRESSES: &str = "addresses";
const ID: &str = "additional_address_id";
const ID_PARAM: &str = "additional_customer_address_id_path";

/// `POST /customers/{customer_id}/addresses`.
pub(crate) fn create(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let id = cx.state.store.new_id(26);
    let record = address(cx, &customer, &id)?;
    push(cx, ADDRESSES, record);
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": { ID: id }}),
    ))
}

/// `PUT /customers/{customer_id}/addresses/{additional_customer_address_id_path}`.
pub(crate) fn replace(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let id = cx.param(ID_PARAM).to_owned();
    let record = address(cx, &customer, &id)?;
    let slot = cx
        .state
        .store
        .entry(ADDRESSES, ID)
        .records
        .iter_mut()
        .find(|r| r[ID] == json!(id) && scope::is_mine(r, &customer));
    match slot {
        Some(slot) => {
            *slot = record;
            Ok(Answer::NoContent)
        }
        None => Err(errors::not_found("address", &id)),
    }
}

/// The stored form of the body's address for `customer`, with ID `id`.
fn address(cx: &Ctx<'_>, customer: &str, id: &str) -> Result<Value, ApiError> {
    let body = cx.body()?;
    let mut record: Map<String, Value> = body["additional_address"]
        .as_object()
        .cloned()
        .ok_or_else(|| errors::required("additional_address"))?;
    let kind = record.get("address_type").cloned().unwrap_or(Value::Null);
    if let Some(types) = cx.state.store.get("customer_address_types")
        && types.find(kind.as_str().unwrap_or_default()).is_none()
    {
        return Err(errors::bad_request(
            "address_type",
            "not_found",
            kind,
            "No customer address type with this ID",
        ));
    }
    record.insert(ID.to_owned(), json!(id));
    record.insert(OWNER.to_owned(), json!(customer));
    Ok(Value::Object(record))
}
