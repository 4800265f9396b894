//! Writes of records that link a customer to something configured in the
//! project, with the rules the real API applies:
//!
//! * property values: one per property and customer, identified by
//!   `<property_id>:<customer_id>`; the property must be defined (when the
//!   project's `customer_properties` are known) and its name is filled in;
//!   a value that exists is refused by `POST` (400 `already_exists`) and
//!   replaced by `PUT` and by the batch. The batch with `error_processing`
//!   1 (the default) stores nothing if one record is invalid; with 2 it
//!   stores the valid ones and answers 400 naming the others;
//! * relations to other customers: the other customer must exist and be
//!   another one, the type must exist, and the same relation valid now
//!   cannot be made twice (400 `relation_already_exists`); `short_name` is
//!   the other customer's first name and initial;
//! * partners: a partner is assigned once (400 `relation_already_exists`);
//!   `set-partners` adds the missing partners and removes the others.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::customer_records::{customer_exists, customer_in_path};
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;
use crate::scope::{self, OWNER};
use crate::store::text;

const PROPERTIES: &str = "property_records";
const PARTNERS: &str = "partner_records";

/// `POST /customers/{customer_id}/property-records`.
pub(crate) fn create_property(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let record = property_record(cx, &customer, cx.body()?.get("property_record"))?;
    let id = record["property_record_id"].clone();
    if find(cx, PROPERTIES, "property_record_id", &id).is_some() {
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
    let Some(index) = find(cx, PROPERTIES, "property_record_id", &id)
        .filter(|&i| scope::is_mine(&cx.state.store.records(PROPERTIES)[i], &customer))
    else {
        return Err(errors::not_found(
            "property_record",
            cx.param("property_record_id"),
        ));
    };
    let record = property_record(cx, &customer, cx.body()?.get("property_record"))?;
    if record["property_record_id"] != id {
        return Err(errors::bad_request(
            "property_id",
            "not_allowed_value",
            record["property_id"].clone(),
            "property_id differs from the property of the record in the path",
        ));
    }
    cx.state
        .store
        .entry(PROPERTIES, "property_record_id")
        .records[index] = record;
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
        match find(
            cx,
            PROPERTIES,
            "property_record_id",
            &record["property_record_id"],
        ) {
            Some(index) => {
                cx.state
                    .store
                    .entry(PROPERTIES, "property_record_id")
                    .records[index] = record
            }
            None => push(cx, PROPERTIES, record),
        }
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

/// `POST /customers/{customer_id}/related-customers`.
pub(crate) fn create_relation(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let body = cx.body()?;
    let mut record = body["related_customer"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let other = record
        .get("related_customer_id")
        .and_then(text)
        .unwrap_or_default();
    let other_record = cx
        .state
        .store
        .get("customers")
        .and_then(|c| c.find(&other))
        .map(|(_, r)| r.clone());
    let Some(other_record) = other_record.filter(|_| other != customer) else {
        let reason = if other == customer {
            "not_allowed_value"
        } else {
            "not_found"
        };
        let message = "The related customer must be another existing customer";
        return Err(errors::bad_request(
            "related_customer_id",
            reason,
            json!(other),
            message,
        ));
    };
    let now = cx.state.now();
    let kind = record.get("customer_relation_type_id").cloned();
    let duplicate = cx.state.store.records("related_customers").iter().any(|r| {
        scope::is_mine(r, &customer)
            && r.get("related_customer_id").and_then(text).as_deref() == Some(&other)
            && r.get("customer_relation_type_id") == kind.as_ref()
            && listing::is_valid(r, &now)
    });
    if duplicate {
        return Err(errors::bad_request(
            "related_customer_id",
            "relation_already_exists",
            json!(other),
            "The customers already have this relation",
        ));
    }
    let info = &other_record["personal_information"];
    let initial: String = info["last_name"]
        .as_str()
        .and_then(|l| l.chars().next())
        .into_iter()
        .collect();
    let short_name = format!(
        "{} {initial}.",
        info["first_name"].as_str().unwrap_or_default()
    );
    let id = cx.state.store.new_id(26);
    for (key, value) in [
        ("customer_relation_id", json!(id)),
        (OWNER, json!(customer)),
        ("short_name", json!(short_name)),
        ("valid_from", json!(now)),
        ("valid_to", Value::Null),
        ("last_change", json!(now)),
        ("state", json!(1)),
    ] {
        record.insert(key.to_owned(), value);
    }
    let record = Value::Object(record);
    cx.state
        .store
        .check_references("related_customers", &record)?;
    push(cx, "related_customers", record);
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"customer_relation_id": id}}),
    ))
}

/// `POST /customers/{customer_id}/partner-records`.
pub(crate) fn create_partner_record(cx: &mut Ctx<'_>) -> Reply {
    let customer = customer_in_path(cx)?;
    let partner = cx.body()?["partner_record"]["partner_id"].clone();
    if partners_of(cx, &customer).contains(&partner) {
        return Err(errors::bad_request(
            "partner_id",
            "relation_already_exists",
            partner,
            "The customer already has this partner",
        ));
    }
    let id = assign_partner(cx, &customer, partner);
    Ok(Answer::Json(
        StatusCode::CREATED,
        json!({"data": {"partner_record_id": id}}),
    ))
}

/// `POST /customers/actions/set-partners`.
pub(crate) fn set_partners(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body["customer_id"].as_str().unwrap_or_default().to_owned();
    if !customer_exists(cx, &customer) {
        return Err(errors::bad_request(
            "customer_id",
            "not_found",
            json!(customer),
            "No customer with this ID",
        ));
    }
    let wanted: Vec<Value> = body["partner_records"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["partner_id"].clone())
        .collect();
    cx.state
        .store
        .entry(PARTNERS, "partner_record_id")
        .records
        .retain(|r| !scope::is_mine(r, &customer) || wanted.contains(&r["partner_id"]));
    for partner in wanted {
        if !partners_of(cx, &customer).contains(&partner) {
            assign_partner(cx, &customer, partner);
        }
    }
    Ok(Answer::NoContent)
}

/// A new partner record of `customer` for `partner`; its ID.
pub(crate) fn assign_partner(cx: &mut Ctx<'_>, customer: &str, partner: Value) -> String {
    let id = cx.state.store.new_id(26);
    let record = json!({"partner_record_id": id, OWNER: customer, "partner_id": partner, "last_change": cx.state.now()});
    push(cx, PARTNERS, record);
    id
}

fn partners_of(cx: &Ctx<'_>, customer: &str) -> Vec<Value> {
    cx.state
        .store
        .records(PARTNERS)
        .iter()
        .filter(|r| scope::is_mine(r, customer))
        .map(|r| r["partner_id"].clone())
        .collect()
}

/// Where in `collection` the record with `field` = `value` is.
fn find(cx: &Ctx<'_>, collection: &str, field: &str, value: &Value) -> Option<usize> {
    cx.state
        .store
        .records(collection)
        .iter()
        .position(|r| r.get(field) == Some(value))
}

fn push(cx: &mut Ctx<'_>, collection: &str, record: Value) {
    let id_field = crate::resources::id_field(collection);
    cx.state
        .store
        .entry(collection, &id_field)
        .records
        .push(record);
}
