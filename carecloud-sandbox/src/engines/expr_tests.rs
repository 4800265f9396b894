use serde_json::json;

use super::*;
use crate::decl::{Expr as E, Root as R};
use crate::engines::test_support::seeded;

const NOW: &str = "2026-01-01 00:00:00";
const BODY: &E = &E::Ref(R::Body, &[]);

#[test]
fn values_references_and_functions() {
    let store = seeded().store;
    let body = json!({"code": null, "name": "smith", "when": "2025-01-01T10:00:00",
        "tags": [{"id": "a"}, {"id": "b"}]});
    let env = Env {
        body: &body,
        ..Env::bare(NOW)
    };
    let cases: &[(E, Value)] = &[
        (
            E::Or(&[E::Ref(R::Body, &["code"]), E::Lit("\"X\"")]),
            json!("X"),
        ),
        (
            E::Concat(&[
                E::Upper(&E::Initial(&E::Ref(R::Body, &["name"]))),
                E::Lit("\".\""),
            ]),
            json!("S."),
        ),
        (
            E::DateTime(&E::Ref(R::Body, &["when"])),
            json!("2025-01-01 10:00:00"),
        ),
        (
            E::PeriodEnd(&E::Lit("\"2024-01-01 00:00:00\""), &E::Lit("\"2 years\"")),
            json!("2025-12-31 23:59:59"),
        ),
        (E::PeriodEnd(&E::Now, &E::Lit("\"unlimited\"")), Value::Null),
        (E::First(&E::Ref(R::Body, &["tags[]", "id"])), json!("a")),
        (
            E::In(&E::Lit("\"B\""), &E::Ref(R::Body, &["tags[]", "id"])),
            json!(true),
        ),
        (
            E::Pick(&E::Ref(R::Body, &["tags"]), &["id"]),
            json!([{"id": "a"}, {"id": "b"}]),
        ),
        (
            E::Without(BODY, &["tags", "when", "code"]),
            json!({"name": "smith"}),
        ),
        (
            E::Map(&E::Lit("\"qr-png\""), &[("qr-png", E::Lit("\"qr.png\""))]),
            json!("qr.png"),
        ),
        (
            E::If(
                &E::Empty(&E::Ref(R::Body, &["code"])),
                &E::Lit("1"),
                &E::Lit("2"),
            ),
            json!(1),
        ),
        (
            E::Cmp(Cmp::Le, &E::Lit("null"), &E::Lit("\"5\"")),
            json!(true),
        ),
        (E::Cmp(Cmp::Lt, &E::Lit("7"), &E::Lit("5")), json!(false)),
        (
            E::All(&[
                E::Flag(&E::Lit("\"TRUE\"")),
                E::Not(&E::Present(&E::Lit("\"\""))),
            ]),
            json!(true),
        ),
        (
            E::Balance("points", &E::Lit("\"8ea6abece4cd0a4ded0a29f093\"")),
            json!(500.0),
        ),
        (E::Today, json!("2026-01-01")),
    ];
    for (expr, want) in cases {
        assert_eq!(&eval(expr, &env, &store), want, "{want}");
    }
    assert_eq!(
        eval(&E::NewId(10), &env, &store).as_str().map(str::len),
        Some(10)
    );
}

static JOHNS_STORELESS_CARDS: Select = Select {
    resource: "cards",
    matching: &[
        (
            &["customer_id"],
            Match::Is(E::Lit("\"8ea6abece4cd0a4ded0a29f093\"")),
        ),
        (&["store_id"], Match::Is(E::Lit("null"))),
    ],
    keep: Some(E::Valid(&E::Ref(R::It, &[]))),
    order: Some("card_number"),
};

#[test]
fn selections_match_fields_skip_null_values_keep_and_order() {
    let (store, env) = (seeded().store, Env::bare(NOW));
    let cards = records(&JOHNS_STORELESS_CARDS, &env, &store);
    let numbers: Vec<&Value> = cards.iter().filter_map(|c| c.get("card_number")).collect();
    assert_eq!(numbers, [&json!("200000000001"), &json!("200000000002")]);
    let free = Select {
        resource: "cards",
        matching: &[(&["customer_id"], Match::Empty)],
        keep: None,
        order: None,
    };
    assert_eq!(
        records(&free, &env, &store).len(),
        1,
        "one card is nobody's"
    );
    const JOHN: &E = &E::Lit("\"8ea6abece4cd0a4ded0a29f093\"");
    let first_name = eval(
        &E::Lookup("customers", JOHN, &["personal_information", "first_name"]),
        &env,
        &store,
    );
    assert_eq!(first_name, json!("John"));
}
