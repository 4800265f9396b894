//! Card actions: handing out a free card, checking card numbers (free to
//! use, ISIC), producing card files and creating cards in a batch.
//!
//! A card is free while it has no `customer_id`. A card number is free to
//! use while no customer owns a card with it. Generated files are not
//! rendered: their URL names the card (and the file kind or template), so
//! the same request always gives the same URL.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::customer_records::body_customer;
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::resources::Kind;
use crate::scope::{self, OWNER};
use crate::store::{field, text};

const CARDS: &str = "cards";
const CARD_TYPES: &str = "card_types";
/// Where the sandbox says generated card files are.
const FILES: &str = "https://files.sandbox.crmcarecloud.invalid";

fn is_free(card: &Value) -> bool {
    card.get(OWNER).and_then(text).is_none()
}

fn same(value: Option<&Value>, wanted: &str) -> bool {
    value
        .and_then(text)
        .is_some_and(|have| have.eq_ignore_ascii_case(wanted))
}

fn not_found(name: &str, value: &str, message: &str) -> ApiError {
    errors::bad_request(name, "not_found", json!(value), message)
}

/// `POST /cards/actions/assign-free-card`: the free card with the body's
/// number (which must be of the body's card type), else the first active
/// free card of that type, becomes the customer's.
pub(crate) fn assign_free(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let card_type = body["card_type_id"].as_str().unwrap_or_default().to_owned();
    let type_exists = cx
        .state
        .store
        .get(CARD_TYPES)
        .is_some_and(|c| c.find(&card_type).is_some());
    if !type_exists {
        return Err(not_found(
            "card_type_id",
            &card_type,
            "No card type with this ID",
        ));
    }
    let number = body.get("card_number").and_then(Value::as_str);
    let now = cx.state.now();
    let cards = &mut cx.state.store.entry(CARDS, "card_id").records;
    let slot = match number {
        Some(number) => {
            let index = cards
                .iter()
                .position(|c| same(c.get("card_number"), number))
                .ok_or_else(|| not_found("card_number", number, "No card with this number"))?;
            let card = cards.get(index).cloned().unwrap_or_default();
            if !same(card.get("card_type_id"), &card_type) {
                return Err(errors::bad_request(
                    "card_number",
                    "not_allowed_value",
                    json!(number),
                    "The card is of another card type",
                ));
            }
            if !is_free(&card) {
                return Err(errors::bad_request(
                    "card_number",
                    "not_allowed_value",
                    json!(number),
                    "The card already belongs to a customer",
                ));
            }
            index
        }
        None => cards
            .iter()
            .position(|c| {
                is_free(c)
                    && same(c.get("card_type_id"), &card_type)
                    && c.get("state").and_then(Value::as_i64) == Some(1)
            })
            .ok_or_else(|| {
                not_found("card_type_id", &card_type, "No free card of this card type")
            })?,
    };
    let Some(card) = cards.get_mut(slot) else {
        return Err(errors::sandbox_bug("the free card vanished"));
    };
    card[OWNER] = json!(customer);
    card["last_change"] = json!(now);
    let card_id = card["card_id"].clone();
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"card_id": card_id}}),
    ))
}

/// Whether no customer owns a card numbered `number`.
fn number_is_free(cx: &Ctx<'_>, number: &str) -> bool {
    !cx.state
        .store
        .records(CARDS)
        .iter()
        .any(|c| same(c.get("card_number"), number) && !is_free(c))
}

/// `POST /cards/actions/validate-free-card`.
pub(crate) fn validate_free(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let number = body["card_number"].as_str().unwrap_or_default();
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"is_free_to_use": number_is_free(cx, number)}}),
    ))
}

/// `POST /cards/actions/generate-digital-card-file`: the card must exist
/// (and be the logged-in customer's on the customer interface).
pub(crate) fn digital_card(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let card_id = body["card_id"].as_str().unwrap_or_default();
    let file_type = body["file_type"].as_str().unwrap_or_default();
    let file = match file_type {
        "png" => "card.png",
        "qr-png" => "qr.png",
        "wallet" => "card.pkpass",
        other => {
            return Err(errors::bad_request(
                "file_type",
                "not_allowed_value",
                json!(other),
                "file_type must be png, qr-png or wallet",
            ));
        }
    };
    let Some((_, card)) = cx.state.store.get(CARDS).and_then(|c| c.find(card_id)) else {
        return Err(not_found("card_id", card_id, "No card with this ID"));
    };
    if let Some(me) = scope::owner(cx, Kind::Get, CARDS)?
        && !scope::is_mine(card, &me)
    {
        return Err(scope::not_mine("card_id", card_id));
    }
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"file_url": format!("{FILES}/cards/{card_id}/{file}")}}),
    ))
}

/// `POST /cards/actions/generate-pass-machine-card`: a pass of the
/// customer's first active card (400 `not_found` if they have none).
pub(crate) fn pass_machine(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let card = cx.state.store.records(CARDS).iter().find(|c| {
        scope::is_mine(c, &customer) && c.get("state").and_then(Value::as_i64) == Some(1)
    });
    let Some(card_id) = card.and_then(|c| c.get("card_id")).and_then(text) else {
        return Err(not_found(
            OWNER,
            &customer,
            "The customer has no active card",
        ));
    };
    let template = body
        .get("passmachine_template_id")
        .and_then(Value::as_str)
        .unwrap_or("default");
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"file_url": format!("{FILES}/passmachine/{template}/{card_id}.pkpass")}}),
    ))
}

/// Whether `number` looks like an ISIC number: a letter, twelve digits, a
/// letter.
fn isic_format(number: &str) -> bool {
    let bytes = number.as_bytes();
    bytes.len() == 14
        && bytes[0].is_ascii_alphabetic()
        && bytes[13].is_ascii_alphabetic()
        && bytes[1..13].iter().all(u8::is_ascii_digit)
}

/// `POST /cards/actions/validate-isic-card`: valid when the number has the
/// ISIC form and, if a customer of the project owns it, the last name is
/// theirs; `is_free_to_use` only when `check_usage` is `true`.
pub(crate) fn validate_isic(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let number = body["card_number"].as_str().unwrap_or_default();
    let last_name = body["last_name"].as_str().unwrap_or_default();
    let store = &cx.state.store;
    let holder = store
        .records(CARDS)
        .iter()
        .find(|c| same(c.get("card_number"), number))
        .and_then(|c| c.get(OWNER))
        .and_then(text)
        .and_then(|owner| store.get("customers").and_then(|c| c.find(&owner)))
        .map(|(_, customer)| customer);
    let name_fits = holder.is_none_or(|customer| same(field(customer, "last_name"), last_name));
    let valid = isic_format(number) && !last_name.trim().is_empty() && name_fits;
    let mut data = json!({ "valid_isic": valid });
    if body.get("check_usage").and_then(Value::as_bool) == Some(true) {
        data["is_free_to_use"] = json!(number_is_free(cx, number));
    }
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

/// `POST /cards/batch`: each card is created as `POST /cards` would (new
/// ID, `last_change`, unique number, existing card type). With
/// `error_processing` 2 invalid cards are skipped; otherwise the first one
/// rejects the whole batch and nothing is stored.
pub(crate) fn batch(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let skip_invalid = body.get("error_processing").and_then(Value::as_i64) == Some(2);
    let cards = body["cards"].as_array().cloned().unwrap_or_default();
    let now = cx.state.now();
    let before = cx.state.store.records(CARDS).len();
    for (i, card) in cards.into_iter().enumerate() {
        let Value::Object(mut record) = card else {
            return Err(errors::required(&format!("cards[{i}]")));
        };
        let id = cx.state.store.new_id(26);
        record.insert("card_id".to_owned(), json!(id));
        record.insert("last_change".to_owned(), json!(now));
        let record = Value::Object(record);
        let checked = cx
            .state
            .store
            .check_unique(CARDS, &record, None)
            .and_then(|()| cx.state.store.check_references(CARDS, &record));
        match checked {
            Ok(()) => cx.state.store.entry(CARDS, "card_id").records.push(record),
            Err(_) if skip_invalid => {}
            Err(error) => {
                cx.state
                    .store
                    .entry(CARDS, "card_id")
                    .records
                    .truncate(before);
                return Err(error);
            }
        }
    }
    Ok(Answer::NoContent)
}

#[cfg(test)]
mod tests {
    use super::isic_format;

    #[test]
    fn isic_numbers_are_a_letter_twelve_digits_and_a_letter() {
        assert!(isic_format("S123456789012X"));
        assert!(!isic_format("S12345678901X"));
        assert!(!isic_format("1234567890123X"));
        assert!(!isic_format("S1234567890É2X"));
    }
}
