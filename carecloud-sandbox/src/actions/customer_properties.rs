//! A customer's custom property values (`/customers/{customer_id}/
//! property-records`), with the rules the real API applies: one value per
//! property and customer, identified by `<property_id>:<customer_id>`; the
//! property must be defined (when the project's `customer_properties` are
//! known) and its name is filled in; a value that exists is refused by
//! `POST` (400 `already_exists`) and replaced by `PUT` and by the batch.
//! The batch with `error_processing` 1 (the default) stores nothing if one
//! record is invalid; with 2 it stores the valid ones and answers 400
//! naming the others.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::customer_records::{customer_in_path, push};
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::scope::{self, OWNER};
use crate::store::text;

const PROPERTIES: &str = "property_records";

/// `POST /customers/{customer_id}/property-records`.
pub(crate) fn create_property(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let record = property_record(cx, &customer, cx.body()?.get("property_record"))?;
    let id = record["property_record_id"].clone();
    if exists(cx, &id) {
        return Err(errors::bad_request(
            "property_id",
            "already_exists",
            record["property_id"].clone(),
            "The customer already has a value of this property; replace it with PUT",
        ));
    }
    push(cx, PROPERTIES, record);
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"property_record_id": id}}),
    ))
}

/// `PUT /customers/{customer_id}/property-records/{property_record_id}`.
pub(crate) fn replace_property(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let id = json!(cx.param("property_record_id"));
    let mine = cx
        .state
        .store
        .records(PROPERTIES)
        .iter()
        .any(|r| r.get("property_record_id") == Some(&id) && scope::is_mine(r, &customer));
    if !mine {
        return Err(errors::not_found(
            "property_record",
            cx.param("property_record_id"),
        ));
    }
    let record = property_record(cx, &customer, cx.body()?.get("property_record"))?;
    if record["property_record_id"] != id {
        return Err(errors::bad_request(
            "property_id",
            "not_allowed_value",
            record["property_id"].clone(),
            "property_id differs from the property of the record in the path",
        ));
    }
    upsert(cx, record);
    Ok(Answer::NoContent)
}

/// `POST /customers/{customer_id}/property-records/batch`.
pub(crate) fn property_batch(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let body = cx.body()?;
    let skip_invalid = body.get("error_processing").and_then(Value::as_i64) == Some(2);
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for (i, item) in body["property_records"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        match property_record(cx, &customer, Some(item)) {
            Ok(record) => valid.push(record),
            Err(error) if !skip_invalid => return Err(error),
            Err(_) => invalid.push(json!({
                "name": format!("property_records[{i}]"),
                "reason": "not_found",
                "value": item.get("property_id").cloned().unwrap_or(Value::Null),
                "message": "No such customer property",
            })),
        }
    }
    for record in valid {
        upsert(cx, record);
    }
    if invalid.is_empty() {
        return Ok(Answer::NoContent);
    }
    let mut error = errors::bad_request(
        "property_records",
        "not_found",
        Value::Null,
        "Some records were not stored",
    );
    error.body["error"]["error_data"]["invalid_params"] = Value::Array(invalid);
    Err(error)
}

/// The stored form of a property value of `customer` sent as `sent`.
fn property_record(cx: &Ctx<'_>, customer: &str, sent: Option<&Value>) -> Result<Value, ApiError> {
    let mut record: Map<String, Value> = sent
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| errors::required("property_record"))?;
    let Some(property_id) = record.get("property_id").and_then(text) else {
        return Err(errors::required("property_id"));
    };
    if let Some(definitions) = cx.state.store.get("customer_properties") {
        let Some((_, definition)) = definitions.find(&property_id) else {
            return Err(errors::bad_request(
                "property_id",
                "not_found",
                json!(property_id),
                "No customer property with this ID",
            ));
        };
        if let Some(name) = definition.get("name") {
            record.insert("property_name".to_owned(), name.clone());
        }
    }
    record.insert(
        "property_record_id".to_owned(),
        json!(format!("{property_id}:{customer}")),
    );
    record.insert(OWNER.to_owned(), json!(customer));
    record.insert("last_change".to_owned(), json!(cx.state.now()));
    Ok(Value::Object(record))
}

/// Whether the customer's value with this ID exists already.
fn exists(cx: &Ctx<'_>, id: &Value) -> bool {
    cx.state
        .store
        .records(PROPERTIES)
        .iter()
        .any(|r| r.get("property_record_id") == Some(id))
}

/// Stores `record`, replacing the value with its ID if there is one.
fn upsert(cx: &mut Ctx<'_>, record: Value) {
    let id = record.get("property_record_id").cloned();
    let records = &mut cx
        .state
        .store
        .entry(PROPERTIES, "property_record_id")
        .records;
    match records
        .iter_mut()
        .find(|r| r.get("property_record_id") == id.as_ref())
    {
        Some(slot) => *slot = record,
        None => push(cx, PROPERTIES, record),
    }
}
