//! One page of a list: the declared filters of the query's parameters
//! (text equality ignoring case, ranges, flags), `sort_field` and
//! `sort_direction` (else the declared order), `count` and `offset`, with
//! the real API's 400s.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::expr::{flag, is_empty, is_valid, normalize, order, same};
use crate::decl::{List, Test};
use crate::errors::{self, ApiError};
use crate::query::Query;
use crate::store::{at, field, text};

/// One page of `records` and the number of all matches; `all` are the
/// records a `sort_field` must name a field of.
pub(crate) fn page(
    records: Vec<&Value>,
    query: &Query,
    list: &List,
    now: &str,
    all: &[Value],
) -> Result<(Vec<Value>, usize), ApiError> {
    let (count, offset) = if list.paged {
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
            let message = "sort_direction must be ASC or DESC";
            return Err(errors::not_allowed("sort_direction", json!(d), message));
        }
    };
    let mut rows: Vec<&Value> = records
        .into_iter()
        .filter(|record| {
            list.filters
                .iter()
                .all(|f| matches(f.param, &f.test, query, record, now))
        })
        .collect();
    if let Some(sort_field) = query.one("sort_field") {
        if !all.is_empty() && !all.iter().any(|r| field(r, sort_field).is_some()) {
            let message = format!("The records have no field `{sort_field}` to sort by");
            return Err(errors::not_allowed(
                "sort_field",
                json!(sort_field),
                &message,
            ));
        }
        rows.sort_by(|a, b| {
            let ordering = order(field(a, sort_field), field(b, sort_field));
            if descending {
                ordering.reverse()
            } else {
                ordering
            }
        });
    } else if !list.order.is_empty() {
        rows.sort_by(|a, b| {
            list.order
                .iter()
                .fold(Ordering::Equal, |so_far, (name, desc)| {
                    so_far.then_with(|| {
                        let ordering = order(a.get(*name), b.get(*name));
                        if *desc { ordering.reverse() } else { ordering }
                    })
                })
        });
    }
    let total = rows.len();
    let page = rows.into_iter().skip(offset).take(count).cloned().collect();
    Ok((page, total))
}

/// Whether `record` passes the filter of `param` (always, if not given).
fn matches(param: &str, test: &Test, query: &Query, record: &Value, now: &str) -> bool {
    let values = query.all(param);
    let Some(first) = values.first() else {
        return true;
    };
    let wanted = || json!(first);
    let is_flag = |value: bool| flag(&wanted()).is_none_or(|f| f == value);
    match test {
        Test::Equals { fields, also } => {
            let extra = also
                .filter(|(flag_param, _)| query.flag(flag_param) == Some(true))
                .map(|(_, path)| path);
            fields.iter().copied().chain(extra).any(|path| {
                let have = at(record, path);
                values.iter().any(|v| same(&have, &json!(normalize(v))))
            })
        }
        Test::From(path) => {
            text(&at(record, path)).is_some_and(|have| have.as_str() >= first.as_str())
        }
        Test::To(path) => {
            text(&at(record, path)).is_some_and(|have| have.as_str() <= first.as_str())
        }
        Test::Present(path) => is_flag(!is_empty(&at(record, path))),
        Test::Valid => is_flag(is_valid(record, now)),
    }
}

/// `name` as an integer of at least `min` (`default` if absent), else 400.
fn number(query: &Query, name: &str, default: usize, min: usize) -> Result<usize, ApiError> {
    let Some(raw) = query.one(name) else {
        return Ok(default);
    };
    let (value, least) = (json!(raw), format!("{name} must be at least {min}"));
    match raw.parse::<usize>() {
        Ok(n) if n >= min => Ok(n),
        Ok(_) => Err(errors::not_allowed(name, value, &least)),
        Err(_) => Err(errors::bad_format(name, value, "Not a whole number")),
    }
}

#[cfg(test)]
#[path = "listing_tests.rs"]
mod tests;
