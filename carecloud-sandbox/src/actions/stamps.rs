//! Stamp cards as the API shows them: the stamps on a card are the records
//! of the `stamps` collection naming it (by `stamp_order`), so a stamp
//! stored for a card is on it at the next read, and a card is filled up
//! once it holds its campaign's `stamp_count` active stamps. Listing,
//! filtering, paging and customer scoping are `standard.rs`'s; the
//! `filled_up` filter compares the card's stored flag.

use serde_json::{Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::store::{Store, text};

/// `GET /stamper-cards` and `GET /stamper-cards/{stamper_card_id}`.
pub(crate) fn cards(cx: &mut Ctx<'_>) -> Reply {
    let answer = crate::standard::serve(cx)?;
    let Answer::Json(status, mut body) = answer else {
        return Ok(answer);
    };
    let store = &cx.state.store;
    if let Some(cards) = body
        .pointer_mut("/data/stamper_cards")
        .and_then(Value::as_array_mut)
    {
        cards.iter_mut().for_each(|card| with_stamps(store, card));
    } else if let Some(card) = body.get_mut("data") {
        with_stamps(store, card);
    }
    Ok(Answer::Json(status, body))
}

/// `card` with its stamps and whether they fill it.
fn with_stamps(store: &Store, card: &mut Value) {
    let id = card.get("stamper_card_id").and_then(text);
    let mut stamps: Vec<Value> = store
        .records("stamps")
        .iter()
        .filter(|s| id.is_some() && s.get("stamper_card_id").and_then(text) == id)
        .cloned()
        .collect();
    stamps.sort_by_key(|s| s.get("stamp_order").and_then(Value::as_i64));
    let active = stamps
        .iter()
        .filter(|s| s.get("state").is_none_or(|v| v.as_i64() == Some(1)))
        .count();
    let needed = card
        .get("stamper_campaign_id")
        .and_then(text)
        .and_then(|c| store.get("stamper_campaigns")?.find(&c).map(|(_, r)| r))
        .and_then(|campaign| campaign.get("stamp_count"))
        .and_then(Value::as_u64);
    if let Some(needed) = needed {
        card["is_filled_up"] = json!(active as u64 >= needed);
    }
    card["stamps"] = Value::Array(stamps);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_stored_for_a_card_is_on_it_and_can_fill_it() {
        let mut store = Store::default();
        store
            .entry("stamper_campaigns", "stamper_campaign_id")
            .records = vec![json!({"stamper_campaign_id": "camp", "stamp_count": 2})];
        store.entry("stamps", "stamp_id").records = vec![
            json!({"stamp_id": "s2", "stamper_card_id": "card", "stamp_order": 2, "state": 0}),
            json!({"stamp_id": "x", "stamper_card_id": "other", "stamp_order": 1}),
        ];
        let mut card = json!({"stamper_card_id": "card", "stamper_campaign_id": "camp"});
        with_stamps(&store, &mut card);
        assert_eq!(card["stamps"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            card["is_filled_up"], false,
            "an inactive stamp does not count"
        );
        store.entry("stamps", "stamp_id").records.push(
            json!({"stamp_id": "s1", "stamper_card_id": "card", "stamp_order": 1, "state": 1}),
        );
        store.entry("stamps", "stamp_id").records.push(
            json!({"stamp_id": "s3", "stamper_card_id": "card", "stamp_order": 3, "state": 1}),
        );
        with_stamps(&store, &mut card);
        let ids: Vec<&str> = card["stamps"]
            .as_array()
            .map(|s| s.iter().filter_map(|s| s["stamp_id"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(ids, ["s1", "s2", "s3"], "in stamp order");
        assert_eq!(card["is_filled_up"], true);
    }
}
