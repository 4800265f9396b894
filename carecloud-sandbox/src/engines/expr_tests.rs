use serde_json::json;

use super::*;
use crate::decl::{Expr as E, Root as R};
use crate::engines::test_support::seeded;

const NOW: &str = "2026-01-01 00:00:00";
const BODY: E = E::Ref(R::Body, &[]);
const CODE: E = E::Ref(R::Body, &["code"]);
const NAME: E = E::Ref(R::Body, &["name"]);
const TAG_IDS: E = E::Ref(R::Body, &["tags[]", "id"]);
const JOHN: E = E::Lit("\"8ea6abece4cd0a4ded0a29f093\"");

#[test]
fn values_references_and_functions() {
    let store = seeded().store;
    let body = json!({"code": null, "name": "smith", "when": "2025-01-01T10:00:00",
        "tags": [{"id": "a"}, {"id": "b"}]});
    let env = Env {
        body: &body,
        ..Env::bare(NOW)
    };
    let is = |expr: &E, want: Value| assert_eq!(eval(expr, &env, &store), want);
    is(&E::Or(&[CODE, E::Lit("\"X\"")]), json!("X"));
    is(
        &E::Concat(&[E::Upper(&E::Initial(&NAME)), E::Lit("\".\"")]),
        json!("S."),
    );
    is(
        &E::DateTime(&E::Ref(R::Body, &["when"])),
        json!("2025-01-01 10:00:00"),
    );
    let two_years = E::PeriodEnd(&E::Lit("\"2024-01-01 00:00:00\""), &E::Lit("\"2 years\""));
    is(&two_years, json!("2025-12-31 23:59:59"));
    is(
        &E::PeriodEnd(&E::Now, &E::Lit("\"unlimited\"")),
        Value::Null,
    );
    is(&E::First(&TAG_IDS), json!("a"));
    is(&E::In(&E::Lit("\"B\""), &TAG_IDS), json!(true));
    is(
        &E::Pick(&E::Ref(R::Body, &["tags"]), &["id"]),
        json!([{"id": "a"}, {"id": "b"}]),
    );
    is(
        &E::Without(&BODY, &["tags", "when", "code"]),
        json!({"name": "smith"}),
    );
    is(
        &E::Map(&E::Lit("\"png\""), &[("png", E::Lit("\"card.png\""))]),
        json!("card.png"),
    );
    is(
        &E::If(&E::Empty(&CODE), &E::Lit("1"), &E::Lit("2")),
        json!(1),
    );
    is(
        &E::Cmp(Cmp::Le, &E::Lit("null"), &E::Lit("\"5\"")),
        json!(true),
    );
    // Dates compare as text, numbers (also written as text) by value.
    is(
        &E::Cmp(
            Cmp::Lt,
            &E::Lit("\"2026-01-17\""),
            &E::Lit("\"2026-11-28\""),
        ),
        json!(true),
    );
    is(
        &E::Cmp(
            Cmp::Ge,
            &E::Lit("\"2026-01-17\""),
            &E::Lit("\"2026-11-28\""),
        ),
        json!(false),
    );
    is(
        &E::Cmp(Cmp::Gt, &E::Lit("\"10\""), &E::Lit("\"9\"")),
        json!(true),
    );
    is(&E::Cmp(Cmp::Lt, &E::Lit("7"), &E::Lit("5")), json!(false));
    is(
        &E::All(&[
            E::Flag(&E::Lit("\"TRUE\"")),
            E::Not(&E::Present(&E::Lit("\"\""))),
        ]),
        json!(true),
    );
    is(&E::Contains(&NAME, &E::Lit("\"mit\"")), json!(true));
    is(&E::Reverse(&NAME), json!("htims"));
    is(&E::Balance("points", &JOHN), json!(500.0));
    is(
        &E::Lookup("customers", &JOHN, &["personal_information", "first_name"]),
        json!("John"),
    );
    is(&E::Today, json!("2026-01-01"));
    const PRICES: E = E::Lit(r#"[{"price": 12.5}, {"price": "7.5"}, {}]"#);
    const SPENT: E = E::Sum(&PRICES, &["price"]);
    const ARGS: &[E] = &[E::Lit("6"), E::Lit("\"4\""), E::Lit("0.5")];
    is(&SPENT, json!(20));
    is(
        &E::Floor(&E::Math(Arith::Div, &[SPENT, E::Lit("3")])),
        json!(6),
    );
    let ops = [Arith::Add, Arith::Sub, Arith::Mul, Arith::Min, Arith::Max];
    let results = ops.map(|op| eval(&E::Math(op, ARGS), &env, &store));
    assert_eq!(
        results,
        [json!(10.5), json!(1.5), json!(12), json!(0.5), json!(6)]
    );
    is(&E::Math(Arith::Div, &[E::Lit("1"), E::Lit("0")]), json!(0));
    assert_eq!(
        eval(&E::NewId(10), &env, &store).as_str().map(str::len),
        Some(10)
    );
}

static JOHNS_STORELESS_CARDS: Select = Select {
    resource: "cards",
    matching: &[
        (&["customer_id"], Match::Is(JOHN)),
        (&["store_id"], Match::Is(E::Lit("null"))),
    ],
    keep: Some(E::Valid(&E::Ref(R::It, &[]))),
    order: Some("card_number"),
};

static FREE_CARDS: Select = Select {
    resource: "cards",
    matching: &[(&["customer_id"], Match::Empty)],
    keep: None,
    order: None,
};

#[test]
fn selections_match_fields_skip_null_values_keep_and_order() {
    let (store, env) = (seeded().store, Env::bare(NOW));
    let cards = records(&JOHNS_STORELESS_CARDS, &env, &store);
    let numbers: Vec<&Value> = cards.iter().filter_map(|c| c.get("card_number")).collect();
    assert_eq!(numbers, [&json!("200000000001"), &json!("200000000002")]);
    let each = E::For(&JOHNS_STORELESS_CARDS, &E::Ref(R::It, &["card_number"]));
    assert_eq!(
        eval(&each, &env, &store),
        json!(["200000000001", "200000000002"])
    );
    assert_eq!(
        records(&FREE_CARDS, &env, &store).len(),
        1,
        "one card is nobody's"
    );
}
