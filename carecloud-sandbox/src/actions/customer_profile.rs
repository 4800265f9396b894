//! Customer actions that change a customer's standing:
//!
//! * `set-status-record` ends the status valid now (state 2, `valid_to`
//!   now) and adds the new one from `valid_from` (default now) to
//!   `valid_to` (default: `valid_from` plus the status's `validity_period`,
//!   such as `2 years`, less a second; open-ended for `unlimited`);
//! * `newsletters-sign-up` finds the customer with the contact (e-mail
//!   address when it has an `@`, else phone) or creates one with the
//!   contact, language and a source record, sets the consents given, and
//!   assigns the partners listed (every partner of the project's stores
//!   when the list is empty).

use chrono::{Months, NaiveDateTime, TimeDelta};
use serde_json::{Value, json};

use super::customer_links::assign_partner;
use super::customer_records::body_customer;
use crate::context::{Answer, Ctx, Reply};
use crate::errors;
use crate::listing;
use crate::scope::{self, OWNER};
use crate::store::text;

/// `POST /customers/actions/set-status-record`.
pub(crate) fn set_status_record(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let status_id = body["status_id"].as_str().unwrap_or_default().to_owned();
    let definition = match cx.state.store.get("statuses") {
        Some(statuses) => match statuses.find(&status_id) {
            Some((_, status)) => Some(status.clone()),
            None => {
                let message = "No status with this ID";
                return Err(errors::bad_request(
                    "status_id",
                    "not_found",
                    json!(status_id),
                    message,
                ));
            }
        },
        None => None,
    };
    let now = cx.state.now();
    let valid_from = body["valid_from"]
        .as_str()
        .map_or(now.clone(), |t| t.replacen('T', " ", 1));
    let period = definition
        .as_ref()
        .and_then(|d| d.get("validity_period"))
        .and_then(text);
    let valid_to = match body["valid_to"].as_str() {
        Some(to) => json!(to.replacen('T', " ", 1)),
        None => period
            .and_then(|p| period_end(&valid_from, &p))
            .map_or(Value::Null, |t| json!(t)),
    };
    for record in &mut cx
        .state
        .store
        .entry("status_records", "status_record_id")
        .records
    {
        if scope::is_mine(record, &customer) && listing::is_valid(record, &now) {
            record["valid_to"] = json!(now);
            record["state"] = json!(2);
            record["last_change"] = json!(now);
        }
    }
    let id = cx.state.store.new_id(26);
    let record = json!({
        "status_record_id": id, "status_id": status_id, OWNER: customer,
        "valid_from": valid_from, "valid_to": valid_to, "last_change": now, "state": 1,
    });
    cx.state
        .store
        .entry("status_records", "status_record_id")
        .records
        .push(record);
    Ok(Answer::Json(
        axum::http::StatusCode::OK,
        json!({"data": {"status_record_id": id}}),
    ))
}

/// `POST /customers/actions/newsletters-sign-up`.
pub(crate) fn newsletters_sign_up(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let source = body["customer_source_id"].clone();
    if let Some(sources) = cx.state.store.get("customer_sources")
        && sources.find(source.as_str().unwrap_or_default()).is_none()
    {
        return Err(errors::bad_request(
            "customer_source_id",
            "not_found",
            source,
            "No customer source with this ID",
        ));
    }
    let contact = body["contact"]
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if contact.is_empty() {
        return Err(errors::bad_request(
            "contact",
            "empty",
            json!(contact),
            "contact is empty",
        ));
    }
    let field = if contact.contains('@') {
        "email"
    } else {
        "phone"
    };
    let now = cx.state.now();
    let existing = cx
        .state
        .store
        .find_by("customers", field, &contact)
        .and_then(|c| c[OWNER].as_str().map(str::to_owned));
    let customer = match existing {
        Some(id) => id,
        None => {
            let id = cx.state.store.new_id(26);
            let language = body
                .get("language_id")
                .cloned()
                .unwrap_or_else(|| json!("en"));
            let record = json!({OWNER: id, "personal_information": {field: contact, "language_id": language},
                "last_change": now, "state": 1});
            cx.state
                .store
                .entry("customers", OWNER)
                .records
                .push(record);
            let source_record = json!({"customer_source_record_id": cx.state.store.new_id(26),
                "customer_source_id": source, OWNER: id, "last_change": now});
            cx.state
                .store
                .entry("customer_source_records", "customer_source_record_id")
                .records
                .push(source_record);
            id
        }
    };
    if let Some(agreements) = body.get("agreements") {
        let customers = cx.state.store.entry("customers", OWNER);
        if let Some(record) = customers
            .records
            .iter_mut()
            .find(|r| r[OWNER] == json!(customer))
        {
            record["personal_information"]["agreement"] = agreements.clone();
            record["last_change"] = json!(now);
        }
    }
    let mut partners: Vec<Value> = body["partner_records"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["partner_id"].clone())
        .collect();
    if partners.is_empty() {
        partners = cx
            .state
            .store
            .records("stores")
            .iter()
            .map(|s| s["partner_id"].clone())
            .collect();
    }
    partners.dedup();
    for partner in partners {
        let assigned = cx
            .state
            .store
            .records("partner_records")
            .iter()
            .any(|r| scope::is_mine(r, &customer) && r["partner_id"] == partner);
        if !assigned {
            assign_partner(cx, &customer, partner);
        }
    }
    Ok(Answer::NoContent)
}

/// The end of a validity `period` (`2 years`, `6 months`, `30 days`)
/// starting at `from`: a second before the period is over.
fn period_end(from: &str, period: &str) -> Option<String> {
    let start = NaiveDateTime::parse_from_str(from, "%Y-%m-%d %H:%M:%S").ok()?;
    let (count, unit) = period.trim().split_once(' ')?;
    let count: u32 = count.parse().ok()?;
    let end = match unit.trim_end_matches('s') {
        "year" => start.checked_add_months(Months::new(count.checked_mul(12)?)),
        "month" => start.checked_add_months(Months::new(count)),
        "day" => start.checked_add_signed(TimeDelta::days(i64::from(count))),
        _ => None,
    }?;
    Some(
        (end - TimeDelta::seconds(1))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_periods_end_a_second_early() {
        let end = |p| period_end("2024-01-01 00:00:00", p);
        assert_eq!(end("2 years").as_deref(), Some("2025-12-31 23:59:59"));
        assert_eq!(end("1 month").as_deref(), Some("2024-01-31 23:59:59"));
        assert_eq!(end("unlimited"), None);
    }
}
