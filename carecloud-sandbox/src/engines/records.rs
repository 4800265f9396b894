//! Writing and reading one record of a declared resource, with the
//! resource's rules: fields set on create and on every write, the ID (new,
//! or composed of fields), checks, references, unique fields and capacity
//! (each refusal a 400 with the declared reason); on read, hidden fields
//! left out and derived fields added.

use serde_json::{Value, json};

use super::expr::{Env, eval, is_empty, number, same, truthy};
use crate::decl::{Fail, Resource};
use crate::errors::{self, ApiError};
use crate::store::{Store, at, set, text};

/// How a record is written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Write<'a> {
    /// A new record with a new (or composed) ID.
    Create,
    /// Replaces the record with the same (composed) ID, else creates.
    Upsert,
    /// Replaces the record at `index`, whose ID is `id`.
    Replace { index: usize, id: &'a str },
}

/// A declared failure as the 400 it is.
pub(crate) fn refuse(fail: &Fail, env: &Env<'_>, store: &Store) -> ApiError {
    let value = fail
        .value
        .as_ref()
        .map_or(Value::Null, |e| eval(e, env, store));
    errors::bad_request(fail.name, fail.reason, value, fail.message)
}

/// Writes `record` to `resource` under its rules; the record's ID.
pub(crate) fn write(
    store: &mut Store,
    resource: &Resource,
    mut record: Value,
    how: Write<'_>,
    env: &Env<'_>,
) -> Result<String, ApiError> {
    let creating = !matches!(how, Write::Replace { .. });
    let sets = resource
        .on_create
        .iter()
        .filter(|_| creating)
        .chain(resource.on_write);
    for (field, expr) in sets {
        let value = eval(expr, &env.with_record(&record), store);
        set(&mut record, field, value);
    }
    let composed = (!resource.compose_id.is_empty()).then(|| {
        let parts: Vec<String> = resource
            .compose_id
            .iter()
            .map(|f| record.get(*f).and_then(text).unwrap_or_default())
            .collect();
        parts.join(":")
    });
    let id = match (how, &composed) {
        (Write::Replace { id, .. }, Some(composed)) if composed != id => {
            let first = resource.compose_id.first().copied().unwrap_or_default();
            let message = "The record's fields name another record than its ID";
            return Err(errors::not_allowed(first, at(&record, &[first]), message));
        }
        (Write::Replace { id, .. }, _) => id.to_owned(),
        (_, Some(composed)) => composed.clone(),
        _ => store.new_id(26),
    };
    set(&mut record, resource.id, json!(id));
    let index = match how {
        Write::Replace { index, .. } => Some(index),
        Write::Upsert => store.find(resource.name, &id).map(|(i, _)| i),
        Write::Create => None,
    };
    let previous = index.and_then(|i| store.records(resource.name).get(i));
    guard(store, resource, &record, (&id, previous), env)?;
    match index {
        Some(index) => store.replace(resource.name, index, record),
        None => store.insert(resource.name, resource.id, record),
    }
    Ok(id)
}

/// The rules a record must meet to be stored as `id` (in place of
/// `previous`, the record with that ID, if there is one).
fn guard(
    store: &Store,
    resource: &Resource,
    record: &Value,
    (id, previous): (&str, Option<&Value>),
    env: &Env<'_>,
) -> Result<(), ApiError> {
    let (env, itself) = (env.with_record(record), previous.is_some());
    if let Some(states) = &resource.states {
        let state = |r: &Value| text(&at(r, &[states.field]));
        let allowed = match (previous.and_then(state), state(record)) {
            (_, None) => true,
            (Some(old), Some(new)) if old == new => true,
            (None, Some(new)) => states.initial.is_empty() || states.initial.contains(&&*new),
            (Some(old), Some(new)) => states
                .moves
                .iter()
                .any(|(from, to)| *from == old && to.contains(&&*new)),
        };
        if !allowed {
            return Err(refuse(&states.fail, &env, store));
        }
    }
    for check in resource.checks {
        if !truthy(&eval(&check.require, &env, store)) {
            return Err(refuse(&check.fail, &env, store));
        }
    }
    for (path, to) in resource.refs {
        let values = match at(record, path) {
            Value::Array(values) => values,
            one => vec![one],
        };
        for value in values.iter().filter_map(text) {
            if store.find(to, &value).is_none() {
                let name = path.last().copied().unwrap_or_default();
                let record = super::resource(to).map_or(*to, |r| r.record);
                let message = format!("No {record} with ID {value}");
                return Err(errors::unknown(name, json!(value), &message));
            }
        }
    }
    // A new record conflicts with any other, even one of the same
    // (composed) ID; a rewritten one not with itself.
    let others = || {
        store.records(resource.name).iter().filter(move |other| {
            !itself || other.get(resource.id).and_then(text).as_deref() != Some(id)
        })
    };
    for unique in resource.unique {
        let values: Vec<Value> = unique.fields.iter().map(|f| at(record, f)).collect();
        if values.iter().any(is_empty) {
            continue;
        }
        let among = |other| {
            unique
                .among
                .as_ref()
                .is_none_or(|a| truthy(&eval(a, &env.with_it(other), store)))
        };
        let same_values = |other: &Value| {
            unique
                .fields
                .iter()
                .zip(&values)
                .all(|(f, v)| same(&at(other, f), v))
        };
        if others().any(|other| same_values(other) && among(other)) {
            let (fail, value) = (&unique.fail, values.into_iter().next().unwrap_or_default());
            return Err(errors::bad_request(
                fail.name,
                fail.reason,
                value,
                fail.message,
            ));
        }
    }
    if let Some(capacity) = &resource.capacity {
        let holds = |r: &Value| truthy(&eval(&capacity.holds, &env.with_it(r), store));
        let slot = text(&at(record, capacity.slot)).unwrap_or_default();
        if holds(record) {
            let amount = |r: &Value| capacity.amount.map_or(1.0, |f| number(&at(r, &[f])));
            let limit = store
                .find(capacity.slots, &slot)
                .map_or(0.0, |(_, s)| number(&at(s, &[capacity.limit])));
            let used: f64 = others()
                .filter(|o| holds(o) && text(&at(o, capacity.slot)).as_deref() == Some(&slot))
                .map(amount)
                .sum();
            if used + amount(record) > limit {
                return Err(refuse(&capacity.fail, &env, store));
            }
        }
    }
    Ok(())
}

/// What is left of `slot` (a record of the capacity's `slots`) after the
/// records of `resource` that hold places in it.
pub(crate) fn left(store: &Store, resource: &Resource, slot: &Value, env: &Env<'_>) -> f64 {
    let Some(capacity) = &resource.capacity else {
        return 0.0;
    };
    let id_field = super::resource(capacity.slots).map_or("", |r| r.id);
    let slot_id = slot.get(id_field).and_then(text);
    let used: f64 = store
        .records(resource.name)
        .iter()
        .filter(|r| text(&at(r, capacity.slot)) == slot_id)
        .filter(|r| truthy(&eval(&capacity.holds, &env.with_it(r), store)))
        .map(|r| capacity.amount.map_or(1.0, |f| number(&at(r, &[f]))))
        .sum();
    number(&at(slot, &[capacity.limit])) - used
}

/// `record` as replies show it: without hidden fields, with derived ones.
pub(crate) fn present(store: &Store, resource: &Resource, record: &Value, env: &Env<'_>) -> Value {
    let mut shown = record.clone();
    if let Some(fields) = shown.as_object_mut() {
        for hidden in resource.hidden {
            fields.remove(*hidden);
        }
    }
    for (field, expr) in resource.derive {
        let value = eval(expr, &env.with_record(record), store);
        set(&mut shown, field, value);
    }
    shown
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
