//! The in-memory records: one collection of JSON records per resource
//! (`customers`, `cards`, ...), each with its ID field, and an undo log so
//! that an action whose later step fails leaves nothing changed.

use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

/// One resource's records.
#[derive(Clone, Debug, Default)]
pub(crate) struct Collection {
    /// The field holding a record's ID (`card_id`).
    pub id_field: String,
    /// The records, in insertion order.
    pub records: Vec<Value>,
}

impl Collection {
    /// The record with ID `id`, and where it is.
    pub fn find(&self, id: &str) -> Option<(usize, &Value)> {
        self.records
            .iter()
            .enumerate()
            .find(|(_, r)| r.get(&self.id_field).and_then(text).as_deref() == Some(id))
    }
}

/// A change [`Store::rollback`] can take back.
#[derive(Debug)]
enum Undo {
    Insert(String),
    Replace(String, usize, Value),
    Remove(String, usize, Value),
}

/// Every collection.
#[derive(Debug, Default)]
pub(crate) struct Store {
    collections: BTreeMap<String, Collection>,
    counter: Cell<u64>,
    /// The changes since the outermost [`Store::begin`].
    undo: Vec<Undo>,
    /// How many transactions are open.
    depth: usize,
}

impl Store {
    /// The collection `name`, if it has ever held records.
    pub fn get(&self, name: &str) -> Option<&Collection> {
        self.collections.get(name)
    }

    /// The collection `name`, created empty (with `id_field`) if new. Changes
    /// made through it are not undone: engines write through
    /// [`Store::insert`], [`Store::replace`] and [`Store::remove`].
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

    /// The record of `name` with ID `id`, and where it is.
    pub fn find(&self, name: &str, id: &str) -> Option<(usize, &Value)> {
        self.get(name)?.find(id)
    }

    /// The first record of `name` whose `field` (at any depth) is `value`.
    pub fn find_by(&self, name: &str, field_name: &str, value: &str) -> Option<&Value> {
        self.records(name).iter().find(|r| {
            field(r, field_name)
                .and_then(text)
                .is_some_and(|t| t.eq_ignore_ascii_case(value))
        })
    }

    fn log(&mut self, change: Undo) {
        if self.depth > 0 {
            self.undo.push(change);
        }
    }

    /// Adds `record` to `name`.
    pub fn insert(&mut self, name: &str, id_field: &str, record: Value) {
        self.entry(name, id_field).records.push(record);
        self.log(Undo::Insert(name.to_owned()));
    }

    /// Puts `record` in place of the record at `index` of `name`.
    pub fn replace(&mut self, name: &str, index: usize, record: Value) {
        let Some(slot) = self
            .collections
            .get_mut(name)
            .and_then(|c| c.records.get_mut(index))
        else {
            return;
        };
        let old = std::mem::replace(slot, record);
        self.log(Undo::Replace(name.to_owned(), index, old));
    }

    /// Removes the record at `index` of `name`.
    pub fn remove(&mut self, name: &str, index: usize) {
        let Some(records) = self.collections.get_mut(name).map(|c| &mut c.records) else {
            return;
        };
        if index < records.len() {
            let old = records.remove(index);
            self.log(Undo::Remove(name.to_owned(), index, old));
        }
    }

    /// Opens a transaction (they nest): the mark [`Store::rollback`] takes
    /// the records back to. Every `begin` is closed by an [`Store::end`].
    pub fn begin(&mut self) -> usize {
        self.depth += 1;
        self.undo.len()
    }

    /// Takes back every change since `mark`.
    pub fn rollback(&mut self, mark: usize) {
        while self.undo.len() > mark {
            let Some(change) = self.undo.pop() else { break };
            let (Undo::Insert(name) | Undo::Replace(name, ..) | Undo::Remove(name, ..)) = &change;
            let Some(c) = self.collections.get_mut(name) else {
                continue;
            };
            match change {
                Undo::Insert(_) => drop(c.records.pop()),
                Undo::Replace(_, i, old) => {
                    if let Some(slot) = c.records.get_mut(i) {
                        *slot = old;
                    }
                }
                Undo::Remove(_, i, old) => c.records.insert(i.min(c.records.len()), old),
            }
        }
    }

    /// Closes a transaction; the outermost forgets what it could undo.
    pub fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.undo.clear();
        }
    }

    /// A fresh identifier of `len` hex digits (unique within the sandbox,
    /// unpredictable across runs).
    pub fn new_id(&self, len: usize) -> String {
        use std::hash::{BuildHasher, Hasher};
        self.counter.set(self.counter.get() + 1);
        let mut out = String::new();
        let mut round = 0u64;
        while out.len() < len {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(self.counter.get());
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

/// The value at `path` of `value` (`["reward", "store_list[]", "store_id"]`):
/// a segment ending in `[]` collects the rest of the path from every item
/// of that array. Null where there is nothing.
pub(crate) fn at(value: &Value, path: &[&str]) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return value.clone();
    };
    match first.strip_suffix("[]") {
        Some(name) => {
            let items = value.get(name).and_then(Value::as_array);
            let mut out = Vec::new();
            for item in items.into_iter().flatten() {
                match at(item, rest) {
                    Value::Array(values) if rest.iter().any(|s| s.ends_with("[]")) => {
                        out.extend(values)
                    }
                    Value::Null => {}
                    one => out.push(one),
                }
            }
            Value::Array(out)
        }
        None => value.get(*first).map_or(Value::Null, |v| at(v, rest)),
    }
}

/// Sets `field` (dotted for nested objects: `personal_information.photo_url`).
pub(crate) fn set(record: &mut Value, field: &str, value: Value) {
    let mut node = record;
    let mut parts = field.split('.').peekable();
    while let Some(part) = parts.next() {
        if !node.is_object() {
            *node = Value::Object(serde_json::Map::new());
        }
        let Some(object) = node.as_object_mut() else {
            return;
        };
        if parts.peek().is_none() {
            object.insert(part.to_owned(), value);
            return;
        }
        node = object.entry(part).or_insert(Value::Null);
    }
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
    use serde_json::json;

    #[test]
    fn fields_are_found_at_the_shallowest_depth_and_paths_step_into_arrays() {
        let record = json!({"a": {"email": "deep"}, "b": {"c": {"email": "deeper"}}, "x": 1,
            "list": [{"id": "p"}, {"id": "q"}, {"no": 1}]});
        assert_eq!(field(&record, "email"), Some(&json!("deep")));
        assert_eq!(field(&record, "nope"), None);
        assert_eq!(at(&record, &["b", "c", "email"]), json!("deeper"));
        assert_eq!(at(&record, &["list[]", "id"]), json!(["p", "q"]));
        let mut record = record;
        set(&mut record, "a.photo", json!("u"));
        assert_eq!(at(&record, &["a", "photo"]), json!("u"));
    }

    #[test]
    fn a_rollback_takes_back_inserts_replacements_and_removals() {
        let mut store = Store::default();
        store.insert("c", "id", json!({"id": "1"}));
        store.insert("c", "id", json!({"id": "2"}));
        let mark = store.begin();
        store.insert("c", "id", json!({"id": "3"}));
        store.replace("c", 0, json!({"id": "1", "x": true}));
        store.remove("c", 1);
        let inner = store.begin();
        store.insert("d", "id", json!({"id": "d"}));
        store.rollback(inner);
        store.end();
        assert!(store.records("d").is_empty());
        assert_eq!(store.records("c").len(), 2);
        store.rollback(mark);
        store.end();
        assert_eq!(store.records("c"), [json!({"id": "1"}), json!({"id": "2"})]);
        assert!(store.find("c", "2").is_some());
    }

    #[test]
    fn new_ids_are_unique_hex() {
        let store = Store::default();
        let (a, b) = (store.new_id(26), store.new_id(26));
        assert_ne!(a, b);
        assert_eq!(a.len(), 26);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
