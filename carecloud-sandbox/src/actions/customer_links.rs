//! A customer's links to other customers and to partners, with the rules
//! the real API applies:
//!
//! * relations to other customers: the other customer must exist and be
//!   another one, the type must exist, and the same relation valid now
//!   cannot be made twice (400 `relation_already_exists`); `short_name` is
//!   the other customer's first name and initial;
//! * partners: a partner is assigned once (400 `relation_already_exists`);
//!   `set-partners` adds the missing partners and removes the others.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::customer_records::{customer_exists, customer_in_path, push};
use crate::context::{Answer, Ctx, Reply};
use crate::errors;
use crate::listing;
use crate::scope::{self, OWNER};
use crate::store::text;

const PARTNERS: &str = "partner_records";

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
