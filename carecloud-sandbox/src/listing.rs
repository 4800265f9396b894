//! Lists: filters by field name, sorting and paging, as the real API does
//! them for every list operation.
//!
//! * A filter parameter matches the record field of the same name (at any
//!   depth: `email` is a customer's `personal_information.email`); its
//!   `_list` (`card_number_list`) and `_ids` (`customer_ids`) forms match
//!   any of their values. `seed/meta/rules.json` can map a parameter to a
//!   field of another name (`visible_for_customer`). A parameter that names
//!   no field of the collection's records is a modifier and ignored
//!   (`customer_short_salutation`). Text compares case-insensitively;
//!   `true`/`false` match `1`/`0`.
//! * `is_valid`: active (`state` 1) and now within `valid_from`..`valid_to`
//!   (each where present), or the opposite for `false`.
//! * `search_secondary_<field>=true`: the `<field>` filter also matches
//!   `secondary_<field>`.
//! * `sort_field` (any field, nested ones too) and `sort_direction`
//!   (`ASC` default, `DESC`); `count` (default 100, at least 1) and
//!   `offset` (default 0) on paged lists. A bad value is a 400.

use std::cmp::Ordering;

use carecloud_api::Operation;
use serde_json::{Value, json};

use crate::errors::{self, ApiError};
use crate::query::Query;
use crate::store::{Collection, field, text};

/// Parameters that shape the page rather than filter it.
const RESERVED: [&str; 4] = ["count", "offset", "sort_field", "sort_direction"];

/// One page of `records` and the number of all matches.
pub(crate) fn page(
    records: Vec<&Value>,
    query: &Query,
    op: &Operation,
    collection: Option<&Collection>,
    paged: bool,
    now: &str,
) -> Result<(Vec<Value>, usize), ApiError> {
    let (count, offset) = if paged {
        (
            number(query, "count", 100, 1)?,
            number(query, "offset", 0, 0)?,
        )
    } else {
        (usize::MAX, 0)
    };
    let descending = match query.one("sort_direction") {
        None => false,
        Some(d) if d.eq_ignore_ascii_case("asc") => false,
        Some(d) if d.eq_ignore_ascii_case("desc") => true,
        Some(d) => {
            return Err(errors::bad_request(
                "sort_direction",
                "not_allowed_value",
                json!(d),
                "sort_direction must be ASC or DESC",
            ));
        }
    };
    let filters = filters(query, op, collection);
    let mut rows: Vec<&Value> = records
        .into_iter()
        .filter(|record| filters.iter().all(|f| f.matches(record, now)))
        .collect();
    if let Some(sort_field) = query.one("sort_field") {
        if collection.is_some_and(|c| !c.records.is_empty() && !c.has_field(sort_field)) {
            return Err(errors::bad_request(
                "sort_field",
                "not_allowed_value",
                json!(sort_field),
                &format!("The records have no field `{sort_field}` to sort by"),
            ));
        }
        rows.sort_by(|a, b| {
            let order = compare(field(a, sort_field), field(b, sort_field));
            if descending { order.reverse() } else { order }
        });
    }
    let total = rows.len();
    let page = rows.into_iter().skip(offset).take(count).cloned().collect();
    Ok((page, total))
}

/// `name` as an integer of at least `min` (`default` if absent), else 400.
fn number(query: &Query, name: &str, default: usize, min: usize) -> Result<usize, ApiError> {
    let Some(raw) = query.one(name) else {
        return Ok(default);
    };
    match raw.parse::<usize>() {
        Ok(n) if n >= min => Ok(n),
        Ok(_) => Err(errors::bad_request(
            name,
            "not_allowed_value",
            json!(raw),
            &format!("{name} must be at least {min}"),
        )),
        Err(_) => Err(errors::bad_request(
            name,
            "invalid_value_format",
            json!(raw),
            &format!("{name} must be a whole number"),
        )),
    }
}

/// One filter of a list.
enum Filter {
    /// Any of `fields` equals any of `wanted` (normalized).
    Field {
        fields: Vec<String>,
        wanted: Vec<String>,
    },
    /// `is_valid`.
    Valid(bool),
}

impl Filter {
    fn matches(&self, record: &Value, now: &str) -> bool {
        match self {
            Filter::Field { fields, wanted } => fields.iter().any(|name| {
                field(record, name)
                    .and_then(text)
                    .is_some_and(|have| wanted.contains(&normalize(&have)))
            }),
            Filter::Valid(wanted) => is_valid(record, now) == *wanted,
        }
    }
}

fn filters(query: &Query, op: &Operation, collection: Option<&Collection>) -> Vec<Filter> {
    let mut out = Vec::new();
    let Some(collection) = collection else {
        return out;
    };
    for (name, values) in query.given() {
        if RESERVED.contains(&name) || name.starts_with("search_secondary_") {
            continue;
        }
        if name == "is_valid" {
            if let Some(wanted) = query.flag(name) {
                out.push(Filter::Valid(wanted));
            }
            continue;
        }
        let Some(target) = target_field(name, collection) else {
            continue; // a modifier, not a filter
        };
        let mut fields = vec![target.clone()];
        let secondary = format!("search_secondary_{target}");
        if op.param(&secondary).is_some() && query.flag(&secondary) == Some(true) {
            fields.push(format!("secondary_{target}"));
        }
        out.push(Filter::Field {
            fields,
            wanted: values.iter().map(|v| normalize(v)).collect(),
        });
    }
    out
}

/// The record field a filter parameter compares.
fn target_field(param: &str, collection: &Collection) -> Option<String> {
    if let Some(field) = collection.filter_fields.get(param) {
        return Some(field.clone());
    }
    let mut candidates = vec![param.to_owned()];
    if let Some(stem) = param.strip_suffix("_list") {
        candidates.push(stem.to_owned());
    }
    if let Some(stem) = param.strip_suffix("_ids") {
        candidates.push(format!("{stem}_id"));
    }
    candidates.into_iter().find(|c| collection.has_field(c))
}

/// Active and within its validity at `now` (server-local text, which sorts
/// as time does).
pub(crate) fn is_valid(record: &Value, now: &str) -> bool {
    let active = record.get("state").is_none_or(|s| s.as_i64() == Some(1));
    let started = record
        .get("valid_from")
        .and_then(Value::as_str)
        .is_none_or(|from| from <= now);
    let not_ended = record
        .get("valid_to")
        .and_then(Value::as_str)
        .is_none_or(|to| to >= now);
    active && started && not_ended
}

fn normalize(value: &str) -> String {
    match value.to_lowercase().as_str() {
        "true" => "1".to_owned(),
        "false" => "0".to_owned(),
        other => other.to_owned(),
    }
}

/// Numbers by value, everything else by its text; missing values first.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a.and_then(Value::as_f64), b.and_then(Value::as_f64)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.and_then(text).cmp(&b.and_then(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carecloud_api::OperationId;

    fn cards() -> Collection {
        Collection {
            id_field: "card_id".into(),
            records: vec![
                json!({"card_id": "a", "card_number": "1", "secondary_card_number": "S9", "state": 1, "valid_to": "2030-01-01 00:00:00"}),
                json!({"card_id": "b", "card_number": "2", "state": 0}),
                json!({"card_id": "c", "card_number": "3", "state": 1, "valid_to": "2020-01-01 00:00:00"}),
            ],
            ..Collection::default()
        }
    }

    fn ids(raw: &str) -> Result<(Vec<String>, usize), ApiError> {
        let op = OperationId::GetCards.operation();
        let query = Query::parse(op, raw)?;
        let collection = cards();
        let (page, total) = page(
            collection.records.iter().collect(),
            &query,
            op,
            Some(&collection),
            true,
            "2025-01-01 00:00:00",
        )?;
        Ok((
            page.iter()
                .map(|r| r["card_id"].as_str().unwrap_or("").to_owned())
                .collect(),
            total,
        ))
    }

    #[test]
    fn filters_by_field_list_form_validity_and_secondary_numbers() {
        assert_eq!(ids("card_number=2").expect("ok").0, ["b"]);
        assert_eq!(
            ids("card_number_list[]=1&card_number_list[]=3")
                .expect("ok")
                .0,
            ["a", "c"]
        );
        assert_eq!(ids("is_valid=true").expect("ok").0, ["a"]);
        assert_eq!(ids("is_valid=0").expect("ok").0, ["b", "c"]);
        assert!(ids("card_number=S9").expect("ok").0.is_empty());
        assert_eq!(
            ids("card_number=s9&search_secondary_card_number=true")
                .expect("ok")
                .0,
            ["a"]
        );
        assert_eq!(
            ids("search_secondary_card_number=true").expect("ok").1,
            3,
            "a modifier alone"
        );
    }

    #[test]
    fn sorts_and_pages() {
        assert_eq!(
            ids("sort_field=card_number&sort_direction=desc&count=2").expect("ok"),
            (vec!["c".into(), "b".into()], 3)
        );
        assert_eq!(ids("offset=2").expect("ok").0, ["c"]);
        for bad in [
            "count=0",
            "count=x",
            "offset=-1",
            "sort_direction=UP",
            "sort_field=nope",
        ] {
            assert_eq!(ids(bad).expect_err(bad).status, 400, "{bad}");
        }
    }
}
