//! Customer actions that change what CareCloud keeps about a customer:
//!
//! * `upload-customer-photo` takes base64 image data (a `data:` URL prefix
//!   is allowed), refuses what is not base64 (400 `invalid_value_format`)
//!   or not a PNG, JPEG, GIF or WebP image (400 `not_allowed_value`), and
//!   points the customer's `personal_information.photo_url` at the photo;
//! * `set-status-record` ends the status valid now (state 2, `valid_to`
//!   now) and adds the new one from `valid_from` (default now) to
//!   `valid_to` (default: `valid_from` plus the status's `validity_period`,
//!   such as `2 years`, less a second; open-ended for `unlimited`);
//! * `newsletters-sign-up` finds the customer with the contact (e-mail
//!   address when it has an `@`, else phone) or creates one with the
//!   contact, language and a source record, sets the consents given, and
//!   assigns the partners listed (every partner of the project's stores
//!   when the list is empty);
//! * push notifications: a subscription is a device's push token for a
//!   customer and a customer application; setting one replaces the one
//!   with the same token, cancelling removes the customer's subscriptions
//!   for the application (only the one with `push_token` when it is given;
//!   400 `not_found` if there is none).

use chrono::{Months, NaiveDateTime, TimeDelta};
use serde_json::{Value, json};

use super::customer_actions::known_application;
use super::customer_links::assign_partner;
use super::customer_records::customer_exists;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::listing;
use crate::resources::Kind;
use crate::scope::{self, OWNER};
use crate::store::text;

/// Where the sandbox says uploaded photos are.
const PHOTO_BASE: &str = "https://photos.sandbox.invalid/customers";
/// Push subscriptions (not a resource of the API: no operation lists them).
const SUBSCRIPTIONS: &str = "push_subscriptions";

/// `POST /customers/actions/upload-customer-photo`.
pub(crate) fn upload_photo(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let data = body["data"].as_str().unwrap_or_default();
    let encoded = data.split_once("base64,").map_or(data, |(_, rest)| rest);
    let Some(bytes) = decode_base64(encoded).filter(|b| !b.is_empty()) else {
        return Err(errors::bad_request(
            "data",
            "invalid_value_format",
            Value::Null,
            "data is not base64",
        ));
    };
    let Some(extension) = image_kind(&bytes) else {
        return Err(errors::bad_request(
            "data",
            "not_allowed_value",
            Value::Null,
            "data is not a PNG, JPEG, GIF or WebP image",
        ));
    };
    let url = format!(
        "{PHOTO_BASE}/{customer}/{}.{extension}",
        cx.state.store.new_id(12)
    );
    let now = cx.state.now();
    let customers = cx.state.store.entry("customers", OWNER);
    if let Some(record) = customers
        .records
        .iter_mut()
        .find(|r| r[OWNER] == json!(customer))
    {
        record["personal_information"]["photo_url"] = json!(url);
        record["last_change"] = json!(now);
    }
    Ok(Answer::NoContent)
}

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

/// `POST /customers/actions/set-push-notifications`.
pub(crate) fn set_push(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let application = body["external_application_id"].as_str().unwrap_or_default();
    known_application(cx, "external_application_id", application)?;
    let token = body["push_token"].clone();
    let id = cx.state.store.new_id(26);
    let record = json!({"push_subscription_id": id, OWNER: customer, "external_application_id": application,
        "push_token": token, "device": body["device"]});
    let subscriptions = &mut cx
        .state
        .store
        .entry(SUBSCRIPTIONS, "push_subscription_id")
        .records;
    subscriptions.retain(|s| {
        !(s["push_token"] == token && s["external_application_id"] == json!(application))
    });
    subscriptions.push(record);
    Ok(Answer::NoContent)
}

/// `POST /customers/actions/cancel-push-notifications`.
pub(crate) fn cancel_push(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let application = json!(body["external_application_id"]);
    known_application(
        cx,
        "external_application_id",
        application.as_str().unwrap_or_default(),
    )?;
    let token = body.get("push_token").filter(|t| !t.is_null());
    let cancelled = |s: &Value| {
        scope::is_mine(s, &customer)
            && s["external_application_id"] == application
            && token.is_none_or(|t| s["push_token"] == *t)
    };
    let subscriptions = &mut cx
        .state
        .store
        .entry(SUBSCRIPTIONS, "push_subscription_id")
        .records;
    let before = subscriptions.len();
    subscriptions.retain(|s| !cancelled(s));
    if let Some(token) = token
        && subscriptions.len() == before
    {
        let message = "The customer has no subscription with this push token";
        return Err(errors::bad_request(
            "push_token",
            "not_found",
            token.clone(),
            message,
        ));
    }
    Ok(Answer::NoContent)
}

/// The body's `customer_id`: an existing customer (400 `not_found`), on
/// the customer interface the logged-in one.
fn body_customer(cx: &Ctx<'_>, body: &Value) -> Result<String, ApiError> {
    let id = body[OWNER].as_str().unwrap_or_default().to_owned();
    if let Some(me) = scope::owner(cx, Kind::Get, "customers")?
        && me != id
    {
        return Err(scope::not_mine(OWNER, &id));
    }
    if customer_exists(cx, &id) {
        Ok(id)
    } else {
        Err(errors::bad_request(
            OWNER,
            "not_found",
            json!(id),
            "No customer with this ID",
        ))
    }
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

/// The file extension of an image by its first bytes.
fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: [(&[u8], &str); 4] = [
        (b"\x89PNG", "png"),
        (b"\xff\xd8\xff", "jpg"),
        (b"GIF8", "gif"),
        (b"RIFF", "webp"),
    ];
    KINDS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, ext)| *ext)
}

/// Standard or URL-safe base64, padding optional, whitespace ignored.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_image_kinds() {
        let png = decode_base64("iVBORw0KGgo=").expect("base64");
        assert_eq!(png, b"\x89PNG\r\n\x1a\n");
        assert_eq!(image_kind(&png), Some("png"));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(image_kind(b"hello"), None);
    }

    #[test]
    fn validity_periods_end_a_second_early() {
        let end = |p| period_end("2024-01-01 00:00:00", p);
        assert_eq!(end("2 years").as_deref(), Some("2025-12-31 23:59:59"));
        assert_eq!(end("1 month").as_deref(), Some("2024-01-31 23:59:59"));
        assert_eq!(end("unlimited"), None);
    }
}
