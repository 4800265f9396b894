//! `POST /cards/actions/validate-isic-card`: a number is an ISIC number
//! when it is a letter, twelve digits and a letter, and, if a customer of
//! the project owns a card with it, the last name is theirs;
//! `is_free_to_use` (no customer owns a card with the number) only when
//! `check_usage` is true.

use axum::http::StatusCode;
use carecloud_api::types::ValidateIsicCardRequest;
use serde_json::json;

use crate::context::{Answer, Ctx, Reply};
use crate::store::{field, text};

/// Whether `number` looks like an ISIC number: a letter, twelve digits, a
/// letter.
fn isic_format(number: &str) -> bool {
    let bytes = number.as_bytes();
    bytes.len() == 14
        && bytes[0].is_ascii_alphabetic()
        && bytes[13].is_ascii_alphabetic()
        && bytes[1..13].iter().all(u8::is_ascii_digit)
}

/// `POST /cards/actions/validate-isic-card`.
pub(crate) fn validate_isic(cx: &mut Ctx<'_>) -> Reply {
    let body: ValidateIsicCardRequest = cx.body_as()?;
    let store = &cx.state.store;
    let owner = store
        .find_by("cards", "card_number", &body.card_number)
        .and_then(|card| card.get("customer_id"))
        .and_then(text);
    let holder = owner.as_deref().and_then(|o| store.find("customers", o));
    let name_fits = holder.is_none_or(|(_, customer)| {
        field(customer, "last_name")
            .and_then(text)
            .is_some_and(|n| n.eq_ignore_ascii_case(&body.last_name))
    });
    let valid = isic_format(&body.card_number) && !body.last_name.trim().is_empty() && name_fits;
    let mut data = json!({ "valid_isic": valid });
    if body.check_usage == Some(true) {
        data["is_free_to_use"] = json!(owner.is_none());
    }
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
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
