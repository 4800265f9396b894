//! Evaluating the plan's expressions ([`Expr`]) and record selections
//! ([`Select`]) against a request ([`Env`]) and the records.

use std::cmp::Ordering;

use chrono::{Months, NaiveDateTime, TimeDelta};
use serde_json::{Map, Value, json};

use crate::decl::{Arith, Cmp, Expr, Match, Root, Select};
use crate::query::Query;
use crate::router::PathParams;
use crate::store::{Store, at, text};

/// What an expression can refer to.
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    pub body: &'a Value,
    pub params: &'a PathParams,
    pub query: &'a Query,
    pub customer: Option<&'a str>,
    pub record: Option<&'a Value>,
    pub it: Option<&'a Value>,
    pub item: Option<&'a Value>,
    /// Values bound by earlier steps.
    pub bound: &'a [(&'static str, Value)],
    /// Now, in the server's local time.
    pub now: &'a str,
}

impl<'a> Env<'a> {
    /// Nothing but the time (engines' own writes).
    pub fn bare(now: &'a str) -> Env<'a> {
        static NONE: Value = Value::Null;
        static QUERY: std::sync::LazyLock<Query> = std::sync::LazyLock::new(Query::default);
        Env {
            body: &NONE,
            params: const { &PathParams::new() },
            query: &QUERY,
            customer: None,
            record: None,
            it: None,
            item: None,
            bound: &[],
            now,
        }
    }

    /// This environment with `$record`.
    pub fn with_record(mut self, record: &'a Value) -> Env<'a> {
        self.record = Some(record);
        self
    }

    /// This environment with `$it`.
    pub fn with_it(mut self, it: &'a Value) -> Env<'a> {
        self.it = Some(it);
        self
    }
}

/// The value of `expr`.
pub(crate) fn eval(expr: &Expr, env: &Env<'_>, store: &Store) -> Value {
    let value = |e: &Expr| eval(e, env, store);
    let all = |items: &[Expr]| items.iter().map(value).collect::<Vec<_>>();
    match expr {
        Expr::Lit(json) => serde_json::from_str(json).unwrap_or(Value::Null),
        Expr::Now => json!(env.now),
        Expr::Today => json!(env.now.get(..10)),
        Expr::NewId(len) => json!(store.new_id(*len)),
        Expr::Ref(root, path) => reference(root, path, env),
        Expr::Or(options) => options
            .iter()
            .map(value)
            .find(|v| !v.is_null())
            .unwrap_or(Value::Null),
        Expr::Array(items) => Value::Array(all(items)),
        Expr::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, e)| ((*k).to_owned(), value(e)))
                .collect(),
        ),
        Expr::Merge(parts) => {
            let mut out = Map::new();
            for part in all(parts) {
                out.extend(part.as_object().cloned().unwrap_or_default());
            }
            Value::Object(out)
        }
        Expr::Pick(from, names) | Expr::Without(from, names) => {
            let keep = matches!(expr, Expr::Pick(..));
            let only = |object: Value| -> Value {
                let fields = object.as_object().cloned().unwrap_or_default();
                let kept = fields
                    .into_iter()
                    .filter(|(k, _)| names.contains(&k.as_str()) == keep);
                Value::Object(kept.collect())
            };
            match value(from) {
                Value::Array(items) => Value::Array(items.into_iter().map(only).collect()),
                object => only(object),
            }
        }
        Expr::First(list) => value(list)
            .as_array()
            .and_then(|l| l.first().cloned())
            .unwrap_or(Value::Null),
        Expr::Concat(parts) => json!(all(parts).iter().filter_map(text).collect::<String>()),
        Expr::Reverse(e) => map_text(value(e), |t| t.chars().rev().collect()),
        Expr::Contains(a, b) => match (text(&value(a)), text(&value(b))) {
            (Some(a), Some(b)) => json!(a.contains(&b)),
            _ => json!(false),
        },
        Expr::Initial(e) => map_text(value(e), |t| t.chars().take(1).collect()),
        Expr::Upper(e) => map_text(value(e), |t| t.to_uppercase()),
        Expr::DateTime(e) => map_text(value(e), |t| t.replacen('T', " ", 1)),
        Expr::PeriodEnd(from, period) => {
            let (from, period) = (text(&value(from)), text(&value(period)));
            from.zip(period)
                .and_then(|(f, p)| period_end(&f, &p))
                .map_or(Value::Null, |t| json!(t))
        }
        Expr::If(c, a, b) => value(if truthy(&value(c)) { a } else { b }),
        Expr::Map(v, table) => match text(&value(v)) {
            Some(key) => table
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(Value::Null, |(_, e)| value(e)),
            None => Value::Null,
        },
        Expr::Not(e) => json!(!truthy(&value(e))),
        Expr::All(items) => json!(items.iter().all(|e| truthy(&value(e)))),
        Expr::Any(items) => json!(items.iter().any(|e| truthy(&value(e)))),
        Expr::Empty(e) => json!(is_empty(&value(e))),
        Expr::Present(e) => json!(!is_empty(&value(e))),
        Expr::Flag(e) => json!(flag(&value(e)) == Some(true)),
        Expr::Valid(e) => json!(is_valid(&value(e), env.now)),
        Expr::Cmp(cmp, a, b) => json!(compare(*cmp, &value(a), &value(b))),
        Expr::In(a, list) => {
            let a = value(a);
            json!(
                value(list)
                    .as_array()
                    .is_some_and(|l| l.iter().any(|v| same(v, &a)))
            )
        }
        Expr::Count(select) => json!(records(select, env, store).len()),
        Expr::Exists(select) => json!(!records(select, env, store).is_empty()),
        Expr::Children(select) => {
            Value::Array(records(select, env, store).into_iter().cloned().collect())
        }
        Expr::For(select, each) => {
            let picked = records(select, env, store).into_iter();
            Value::Array(picked.map(|r| eval(each, &env.with_it(r), store)).collect())
        }
        Expr::Lookup(resource, id, path) => {
            let found = text(&value(id)).and_then(|id| store.find(resource, &id));
            found.map_or(Value::Null, |(_, r)| at(r, path))
        }
        Expr::Balance(ledger, customer) => match (super::ledger(ledger), text(&value(customer))) {
            (Some(ledger), Some(customer)) => {
                json!(super::ledger::balance(
                    store,
                    ledger,
                    &customer,
                    env.now,
                    &[]
                ))
            }
            _ => Value::Null,
        },
        // On the slot record: `$it` in a keep, else `$record` (a derived field).
        Expr::Left(name) => match (super::resource(name), env.it.or(env.record)) {
            (Some(resource), Some(slot)) => {
                json_number(super::records::left(store, resource, slot, env))
            }
            _ => Value::Null,
        },
        Expr::Math(op, items) => {
            let mut numbers = items.iter().map(|e| number(&value(e)));
            let first = numbers.next().unwrap_or(0.0);
            json_number(numbers.fold(first, |a, b| match op {
                Arith::Add => a + b,
                Arith::Sub => a - b,
                Arith::Mul => a * b,
                Arith::Div if b == 0.0 => 0.0,
                Arith::Div => a / b,
                Arith::Min => a.min(b),
                Arith::Max => a.max(b),
            }))
        }
        Expr::Floor(e) => json_number(number(&value(e)).floor()),
        Expr::Sum(list, path) => {
            let items = value(list).as_array().cloned().unwrap_or_default();
            json_number(items.iter().map(|item| number(&at(item, path))).sum())
        }
    }
}

/// A whole number as an integer, any other as a float.
pub(crate) fn json_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn reference(root: &Root, path: &[&str], env: &Env<'_>) -> Value {
    let from = |value: Option<&Value>| value.map_or(Value::Null, |v| at(v, path));
    let name = path.first().copied().unwrap_or_default();
    match root {
        Root::Body => at(env.body, path),
        Root::Param => env
            .params
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Value::Null, |(_, v)| json!(v)),
        Root::Query => env.query.one(name).map_or(Value::Null, |v| json!(v)),
        Root::Customer => env.customer.map_or(Value::Null, |c| json!(c)),
        Root::Record => from(env.record),
        Root::It => from(env.it),
        Root::Item => from(env.item),
        Root::Bound(bound) => from(
            env.bound
                .iter()
                .rev()
                .find(|(n, _)| n == bound)
                .map(|(_, v)| v),
        ),
    }
}

/// The records `select` picks, in its order.
pub(crate) fn records<'s>(select: &Select, env: &Env<'_>, store: &'s Store) -> Vec<&'s Value> {
    let wanted: Vec<(&[&str], Option<Value>)> = select
        .matching
        .iter()
        .map(|(path, m)| match m {
            Match::Empty => (*path, None),
            Match::Is(e) => (*path, Some(eval(e, env, store))),
        })
        .collect();
    let mut out: Vec<&Value> = store
        .records(select.resource)
        .iter()
        .filter(|record| {
            wanted.iter().all(|(path, want)| match want {
                None => is_empty(&at(record, path)),
                Some(Value::Null) => true,
                Some(want) => same(&at(record, path), want),
            })
        })
        .filter(|record| {
            select
                .keep
                .as_ref()
                .is_none_or(|keep| truthy(&eval(keep, &env.with_it(record), store)))
        })
        .collect();
    if let Some(field) = select.order {
        out.sort_by(|a, b| order(a.get(field), b.get(field)));
    }
    out
}

fn map_text(value: Value, f: impl Fn(&str) -> String) -> Value {
    text(&value).map_or(Value::Null, |t| json!(f(&t)))
}

/// Whether a condition's value holds.
pub(crate) fn truthy(value: &Value) -> bool {
    value.as_bool().unwrap_or(!value.is_null())
}

/// Null, an empty text or an empty list.
pub(crate) fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// `true`/`1` and `false`/`0` (text or JSON); `None` for anything else.
pub(crate) fn flag(value: &Value) -> Option<bool> {
    match text(value)?.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Equal as text, ignoring case (`true` is `1`); a list (from a path with
/// `[]`) when any item is.
pub(crate) fn same(have: &Value, want: &Value) -> bool {
    if let Value::Array(items) = have {
        return items.iter().any(|item| same(item, want));
    }
    if let Value::Array(wanted) = want {
        return wanted.iter().any(|w| same(have, w));
    }
    let norm = |v: &Value| text(v).map(|t| normalize(&t));
    norm(have).is_some_and(|h| Some(h) == norm(want))
}

/// Text for comparing: lower case, `true`/`false` as `1`/`0`.
pub(crate) fn normalize(value: &str) -> String {
    match value.to_lowercase().as_str() {
        "true" => "1".to_owned(),
        "false" => "0".to_owned(),
        other => other.to_owned(),
    }
}

/// A number (JSON or text); 0 when there is none.
pub(crate) fn number(value: &Value) -> f64 {
    match value {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Compares numbers by value; two texts that are not numbers (dates and
/// times, which sort as text the way they sort in time) by their text.
fn compare(cmp: Cmp, a: &Value, b: &Value) -> bool {
    let not_number = |v: &Value| v.as_str().is_some_and(|s| s.trim().parse::<f64>().is_err());
    let ordering = match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) if not_number(a) && not_number(b) => Some(x.cmp(y)),
        _ => number(a).partial_cmp(&number(b)),
    };
    match cmp {
        Cmp::Eq => same(a, b) || (a.is_null() && b.is_null()),
        Cmp::Ne => !(same(a, b) || (a.is_null() && b.is_null())),
        Cmp::Lt => ordering == Some(Ordering::Less),
        Cmp::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
        Cmp::Gt => ordering == Some(Ordering::Greater),
        Cmp::Ge => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
    }
}

/// Numbers by value, everything else by its text; missing values first.
pub(crate) fn order(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a.and_then(Value::as_f64), b.and_then(Value::as_f64)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.and_then(text).cmp(&b.and_then(text)),
    }
}

/// Active (`state` absent or 1) and within `valid_from`..`valid_to` (each
/// where present) at `now` (server-local text, which sorts as time does).
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

#[cfg(test)]
#[path = "expr_tests.rs"]
mod tests;
