//! Views: reads aggregating a customer's records as they are when asked
//! (`totals` and `expiry` of a ledger, a field summed per another), of the
//! records within a day range and matching a filter. The customer must
//! exist (400 `not_found`) and, on the customer interface, be the logged-in
//! one.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::expr::{Env, eval, number, same};
use super::{declared, env, ledger};
use crate::context::{Answer, Ctx, Reply};
use crate::decl::{Match, View, ViewKind};
use crate::errors;
use crate::scope::OWNER;
use crate::store::{at, text};

pub(super) fn serve(cx: &mut Ctx<'_>, view: &View) -> Reply {
    let now = cx.state.now();
    let env = env!(cx, &Value::Null, &now);
    let customer = super::customer(cx, &view.customer, &env)?;
    let store = &cx.state.store;
    let selected = |collection: &str| -> Vec<&Value> {
        let owner = super::resource(collection)
            .and_then(|r| r.owner)
            .unwrap_or(OWNER);
        store
            .records(collection)
            .iter()
            .filter(|r| r.get(owner).and_then(text).as_deref() == Some(customer.as_str()))
            .filter(|r| within(cx, view, r))
            .filter(|r| filtered(view, r, &env, cx))
            .collect()
    };
    let book = |name| ledger(name).ok_or_else(|| errors::sandbox_bug("no such ledger"));
    let mut data = Map::new();
    match &view.kind {
        ViewKind::Totals {
            ledger: name,
            names,
            split,
        } => {
            let (book, now) = (book(name)?, now.as_str());
            let lots = selected(book.lots);
            data.extend(totals(book, &lots, names, now));
            if let Some((by, into)) = split {
                let rows = group(&lots, by).into_iter().map(|(key, lots)| {
                    let mut row = totals(book, &lots, names, now);
                    row.insert((*by).to_owned(), json!(key));
                    Value::Object(row)
                });
                data.insert((*into).to_owned(), rows.collect());
            }
        }
        ViewKind::Expiry {
            ledger: name,
            names,
        } => {
            let (next, month) = ledger::expiry(store, book(name)?, &customer, &now);
            data.insert(
                names[0].to_owned(),
                json!(next.as_ref().map_or(0.0, |(_, a)| *a)),
            );
            data.insert(names[1].to_owned(), json!(next.map(|(day, _)| day)));
            data.insert(names[2].to_owned(), json!(month));
        }
        ViewKind::SumBy {
            resource,
            value,
            by,
            into,
            names,
        } => {
            let records = selected(declared(resource)?.name);
            let rows = group(&records, by).into_iter().map(|(key, records)| {
                let sum: f64 = records.iter().map(|r| number(&at(r, &[value]))).sum();
                json!({names[0]: key, names[1]: sum})
            });
            data.insert((*into).to_owned(), rows.collect());
        }
    }
    for (field, expr) in view.extra {
        data.insert((*field).to_owned(), eval(expr, &env, store));
    }
    Ok(Answer::Json(StatusCode::OK, json!({ "data": data })))
}

/// `records` grouped by the text of their field `by`.
fn group<'a>(records: &[&'a Value], by: &str) -> BTreeMap<String, Vec<&'a Value>> {
    let mut groups: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for record in records {
        let key = record.get(by).and_then(text).unwrap_or_default();
        groups.entry(key).or_default().push(record);
    }
    groups
}

fn totals(
    book: &crate::decl::Ledger,
    lots: &[&Value],
    names: &[&str; 3],
    now: &str,
) -> Map<String, Value> {
    let (earned, redeemed, available) = ledger::totals(book, lots, now);
    [earned, redeemed, available]
        .iter()
        .zip(names)
        .map(|(amount, name)| ((*name).to_owned(), json!(amount)))
        .collect()
}

/// Whether the day of the record's range field is within the query's range.
fn within(cx: &Ctx<'_>, view: &View, record: &Value) -> bool {
    let Some((field, from, to)) = view.range else {
        return true;
    };
    let (from, to) = (cx.query.one(from), cx.query.one(to));
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(day) = record
        .get(field)
        .and_then(Value::as_str)
        .and_then(|s| s.get(..10))
    else {
        return false;
    };
    from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
}

/// Whether the record's fields equal the filter's values (those given).
fn filtered(view: &View, record: &Value, env: &Env<'_>, cx: &Ctx<'_>) -> bool {
    view.filter.iter().all(|(path, m)| match m {
        Match::Is(expr) => {
            let want = eval(expr, env, &cx.state.store);
            want.is_null() || same(&at(record, path), &want)
        }
        Match::Empty => super::expr::is_empty(&at(record, path)),
    })
}

#[cfg(test)]
mod tests {
    use carecloud_api::Interface::{Customer, Enterprise};
    use carecloud_api::OperationId as Id;
    use serde_json::{Value, json};

    use crate::engines::test_support::{call, refused, seeded};

    #[test]
    fn a_view_aggregates_the_customers_records_and_checks_the_customer() {
        let mut state = seeded();
        let mut wallet = |interface, query: &str| {
            call(
                &mut state,
                (interface, Id::GetWalletPoints),
                &[],
                query,
                Value::Null,
            )
        };
        let john = format!("customer_id={}", crate::JOHN_SMITH_ID);
        let (_, data) = wallet(Enterprise, &john).expect("a view");
        let names = [
            "earned_points",
            "redeemed_points",
            "available_points",
            "available_points_money_value",
        ];
        let figures: Vec<_> = names.iter().filter_map(|n| data.get(*n).cloned()).collect();
        assert_eq!(
            figures,
            [json!(800.0), json!(200.0), json!(500.0), json!([])]
        );
        let (_, since) =
            wallet(Enterprise, &format!("{john}&date_from=2024-01-01")).expect("a view");
        assert_eq!(since.get("earned_points"), Some(&json!(700.0)));
        assert_eq!(
            wallet(Enterprise, "customer_id=nobody"),
            refused("not_found")
        );
        let other = format!("customer_id={}", crate::TEST_CUSTOMER_ID);
        assert_eq!(
            wallet(Customer, &other),
            refused("not_belong_to_logged_in_customer")
        );
    }
}
