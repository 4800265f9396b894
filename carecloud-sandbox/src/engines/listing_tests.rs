use serde_json::json;

use super::*;
use crate::decl::{Filter, List};
use crate::engines::test_support::why;

static CARDS: List = List {
    items: "cards",
    paged: true,
    filters: &[
        Filter {
            param: "card_number",
            test: Test::Equals {
                fields: &[&["card_number"]],
                also: Some(("search_secondary_card_number", &["secondary_card_number"])),
            },
        },
        Filter {
            param: "is_valid",
            test: Test::Valid,
        },
        Filter {
            param: "card_type_id",
            test: Test::From(&["valid_to"]),
        },
        Filter {
            param: "customer_id",
            test: Test::Present(&["store_id"]),
        },
    ],
    unnest: None,
    keep: None,
    order: &[("card_number", true)],
    omit: &[],
    customer: None,
};

/// The IDs and total of a page of three cards (GetCards's parameters).
fn ids(raw: &str) -> Result<(Vec<String>, usize), ApiError> {
    let records = [
        json!({"card_id": "a", "card_number": "1", "secondary_card_number": "S9", "state": 1, "valid_to": "2030-01-01", "store_id": "x"}),
        json!({"card_id": "b", "card_number": "2", "state": 0}),
        json!({"card_id": "c", "card_number": "3", "state": 1, "valid_to": "2020-01-01 00:00:00"}),
    ];
    let query = Query::parse(carecloud_api::OperationId::GetCards.operation(), raw)?;
    let (page, total) = page(
        records.iter().collect(),
        &query,
        &CARDS,
        "2025-01-01 00:00:00",
        &records,
    )?;
    Ok((
        page.iter()
            .filter_map(|r| r.get("card_id").and_then(text))
            .collect(),
        total,
    ))
}

#[test]
fn filters_by_field_validity_range_presence_and_secondary_numbers() {
    let found = |raw| ids(raw).expect("ok").0;
    assert_eq!(found("card_number=2"), ["b"]);
    assert_eq!(found("is_valid=true"), ["a"]);
    assert_eq!(found("is_valid=0"), ["c", "b"]);
    assert!(found("card_number=S9").is_empty());
    assert_eq!(
        found("card_number=s9&search_secondary_card_number=true"),
        ["a"]
    );
    assert_eq!(found("customer_id=false"), ["c", "b"]);
    assert_eq!(found("card_type_id=2025-01-01"), ["a"]);
}

#[test]
fn sorts_in_the_declared_order_or_by_sort_field_and_pages() {
    assert_eq!(
        ids("count=2").expect("ok"),
        (vec!["c".into(), "b".into()], 3)
    );
    assert_eq!(ids("sort_field=card_number&offset=2").expect("ok").0, ["c"]);
    for (bad, reason) in [
        ("count=0", "not_allowed_value"),
        ("count=x", "invalid_value_format"),
        ("offset=-1", "invalid_value_format"),
        ("sort_direction=UP", "not_allowed_value"),
        ("sort_field=nope", "not_allowed_value"),
    ] {
        assert_eq!(why(&ids(bad).expect_err(bad)).1, reason, "{bad}");
    }
}
