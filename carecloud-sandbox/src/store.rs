//! The in-memory records: one collection of JSON records per resource
//! (`customers`, `cards`, ...), each with its ID field and the data-file
//! rules (`seed/meta/rules.json`) that make it behave like the real one:
//! unique fields and filter parameters named differently from their field.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Value, json};

use crate::errors::{self, ApiError};
use crate::resources::singular;

/// One resource's records.
#[derive(Clone, Debug, Default)]
pub(crate) struct Collection {
    /// The field holding a record's ID (`card_id`).
    pub id_field: String,
    /// The records, in insertion order.
    pub records: Vec<Value>,
    /// Fields no two records may share (compared case-insensitively).
    pub unique: Vec<String>,
    /// Filter parameters whose record field has another name
    /// (`visible_for_customer` → `visibility_for_customer`).
    pub filter_fields: BTreeMap<String, String>,
}

impl Collection {
    /// The record with ID `id`, and where it is.
    pub fn find(&self, id: &str) -> Option<(usize, &Value)> {
        self.records
            .iter()
            .enumerate()
            .find(|(_, r)| r.get(&self.id_field).and_then(Value::as_str) == Some(id))
    }

    /// Whether any record has a field `name` (at any depth).
    pub fn has_field(&self, name: &str) -> bool {
        self.records.iter().any(|r| field(r, name).is_some())
    }

    /// Whether any record has a field `name` at its top level.
    pub fn has_top_field(&self, name: &str) -> bool {
        self.records.iter().any(|r| r.get(name).is_some())
    }
}

/// Every collection.
#[derive(Debug, Default)]
pub(crate) struct Store {
    collections: BTreeMap<String, Collection>,
    counter: u64,
}

impl Store {
    /// The collection `name`, if it has ever held records.
    pub fn get(&self, name: &str) -> Option<&Collection> {
        self.collections.get(name)
    }

    /// The collection `name`, created empty (with `id_field`) if new.
    pub fn entry(&mut self, name: &str, id_field: &str) -> &mut Collection {
        self.collections
            .entry(name.to_owned())
            .or_insert_with(|| Collection {
                id_field: id_field.to_owned(),
                ..Collection::default()
            })
    }

    /// The records of `name` (none if it has none).
    pub fn records(&self, name: &str) -> &[Value] {
        self.get(name).map_or(&[], |c| c.records.as_slice())
    }

    /// The first record of `name` whose `field` (at any depth) is `value`.
    pub fn find_by(&self, name: &str, field_name: &str, value: &str) -> Option<&Value> {
        self.records(name).iter().find(|r| {
            field(r, field_name)
                .and_then(text)
                .is_some_and(|t| t.eq_ignore_ascii_case(value))
        })
    }

    /// The collection whose records are identified by `id_field`.
    fn with_id_field(&self, id_field: &str) -> Option<(&str, &Collection)> {
        self.collections
            .iter()
            .find(|(_, c)| c.id_field == id_field)
            .map(|(n, c)| (n.as_str(), c))
    }

    /// 400 `already_exists` if another record of `name` (not `except`)
    /// shares a unique field's value with `record`.
    pub fn check_unique(
        &self,
        name: &str,
        record: &Value,
        except: Option<&str>,
    ) -> Result<(), ApiError> {
        let Some(collection) = self.get(name) else {
            return Ok(());
        };
        for unique in &collection.unique {
            let Some(value) = field(record, unique).and_then(text) else {
                continue;
            };
            let taken = collection.records.iter().any(|other| {
                other.get(&collection.id_field).and_then(Value::as_str) != except
                    && field(other, unique)
                        .and_then(text)
                        .is_some_and(|t| t.eq_ignore_ascii_case(&value))
            });
            if taken {
                return Err(errors::bad_request(
                    unique,
                    "already_exists",
                    json!(value),
                    &format!("A {} with this {unique} already exists", singular(name)),
                ));
            }
        }
        Ok(())
    }

    /// 400 `not_found` if a top-level `*_id` field of `record` names a record
    /// of another collection that does not exist (`card_type_id` of a card).
    pub fn check_references(&self, name: &str, record: &Value) -> Result<(), ApiError> {
        let Some(fields) = record.as_object() else {
            return Ok(());
        };
        let own = self.get(name).map(|c| c.id_field.as_str());
        for (key, value) in fields {
            let Some(id) = value.as_str() else { continue };
            if !key.ends_with("_id") || Some(key.as_str()) == own {
                continue;
            }
            if let Some((other, collection)) = self.with_id_field(key)
                && other != name
                && collection.find(id).is_none()
            {
                return Err(errors::bad_request(
                    key,
                    "not_found",
                    json!(id),
                    &format!("No {} with ID {id}", singular(other)),
                ));
            }
        }
        Ok(())
    }

    /// A fresh identifier of `len` hex digits (unique within the sandbox,
    /// unpredictable across runs).
    pub fn new_id(&mut self, len: usize) -> String {
        use std::hash::{BuildHasher, Hasher};
        self.counter += 1;
        let mut out = String::new();
        let mut round = 0u64;
        while out.len() < len {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(self.counter);
            hasher.write_u64(round);
            out.push_str(&format!("{:016x}", hasher.finish()));
            round += 1;
        }
        out.truncate(len);
        out
    }
}

/// The field `name` of `record`: at the top level, else the shallowest one
/// in nested objects (`email` of a customer is
/// `personal_information.email`). Arrays are not searched.
pub(crate) fn field<'a>(record: &'a Value, name: &str) -> Option<&'a Value> {
    let mut queue: VecDeque<&Value> = VecDeque::from([record]);
    while let Some(value) = queue.pop_front() {
        let Some(object) = value.as_object() else {
            continue;
        };
        if let Some(found) = object.get(name) {
            return Some(found);
        }
        queue.extend(object.values().filter(|v| v.is_object()));
    }
    None
}

/// A scalar as text for comparisons: strings as they are, numbers in JSON
/// form, booleans as `1`/`0` (how PHP prints them); `None` for null, arrays
/// and objects.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards() -> Store {
        let mut store = Store::default();
        store.entry("card_types", "card_type_id").records = vec![json!({"card_type_id": "gold"})];
        let cards = store.entry("cards", "card_id");
        cards.unique = vec!["card_number".into()];
        cards.records =
            vec![json!({"card_id": "c1", "card_number": "AB1", "card_type_id": "gold"})];
        store
    }

    #[test]
    fn fields_are_found_at_the_shallowest_depth() {
        let record = json!({"a": {"email": "deep"}, "b": {"c": {"email": "deeper"}}, "x": 1});
        assert_eq!(field(&record, "email"), Some(&json!("deep")));
        assert_eq!(field(&record, "x"), Some(&json!(1)));
        assert_eq!(field(&record, "nope"), None);
    }

    #[test]
    fn unique_fields_and_references_are_checked() {
        let store = cards();
        let dup = json!({"card_number": "ab1", "card_type_id": "gold"});
        let error = store.check_unique("cards", &dup, None).expect_err("taken");
        assert_eq!(
            error.body["error"]["error_data"]["invalid_params"][0]["reason"],
            "already_exists"
        );
        assert!(
            store.check_unique("cards", &dup, Some("c1")).is_ok(),
            "itself"
        );
        let orphan = json!({"card_number": "X", "card_type_id": "silver", "partner_id": "p"});
        let error = store
            .check_references("cards", &orphan)
            .expect_err("no such type");
        assert_eq!(
            error.body["error"]["error_data"]["invalid_params"][0]["name"],
            "card_type_id"
        );
        assert!(store.check_references("cards", &dup).is_ok());
    }

    #[test]
    fn new_ids_are_unique_hex() {
        let mut store = Store::default();
        let (a, b) = (store.new_id(26), store.new_id(26));
        assert_ne!(a, b);
        assert_eq!(a.len(), 26);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
