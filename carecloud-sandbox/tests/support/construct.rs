//! What the generated `generated/constructors.rs` calls: [`Fields`], the
//! fields of one JSON object taken one by one (each by the type the
//! generated code names), and [`check`], which builds a request body
//! through its constructor and compares it with serde's reading of the same
//! JSON.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The fields of one JSON object not taken yet, and where the object is
/// (for messages: `body.customer.personal_information`).
pub struct Fields {
    at: String,
    map: Map<String, Value>,
}

impl Fields {
    fn of(value: &Value, at: String) -> Result<Self, String> {
        match value {
            Value::Object(map) => Ok(Self {
                at,
                map: map.clone(),
            }),
            other => Err(format!("{at}: expected an object, found {other}")),
        }
    }

    fn read<T: DeserializeOwned>(&self, key: &str, value: Value) -> Result<T, String> {
        serde_json::from_value(value).map_err(|e| format!("{}.{key}: {e}", self.at))
    }

    /// A required field, read by serde as a `T`.
    pub fn value<T: DeserializeOwned>(&mut self, key: &str) -> Result<T, String> {
        match self.map.remove(key) {
            Some(value) => self.read(key, value),
            None => Err(format!("{}: missing field `{key}`", self.at)),
        }
    }

    /// An optional field (absent or `null`: `None`), read by serde as a `T`.
    pub fn optional_value<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, String> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.read(key, value).map(Some),
        }
    }

    fn nested<T>(
        &self,
        key: &str,
        value: &Value,
        build: fn(&mut Fields) -> Result<T, String>,
    ) -> Result<T, String> {
        build(&mut Fields::of(value, format!("{}.{key}", self.at))?)
    }

    /// A required object field, built through its own constructor.
    pub fn object<T>(
        &mut self,
        key: &str,
        build: fn(&mut Fields) -> Result<T, String>,
    ) -> Result<T, String> {
        match self.map.remove(key) {
            Some(value) => self.nested(key, &value, build),
            None => Err(format!("{}: missing field `{key}`", self.at)),
        }
    }

    /// An optional object field, built through its own constructor.
    pub fn optional_object<T>(
        &mut self,
        key: &str,
        build: fn(&mut Fields) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.nested(key, &value, build).map(Some),
        }
    }

    fn items<T>(
        &self,
        key: &str,
        value: &Value,
        build: fn(&mut Fields) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        let Value::Array(items) = value else {
            return Err(format!(
                "{}.{key}: expected an array, found {value}",
                self.at
            ));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| build(&mut Fields::of(item, format!("{}.{key}[{i}]", self.at))?))
            .collect()
    }

    /// A required array of objects, each built through its constructor.
    pub fn list<T>(
        &mut self,
        key: &str,
        build: fn(&mut Fields) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        match self.map.remove(key) {
            Some(value) => self.items(key, &value, build),
            None => Err(format!("{}: missing field `{key}`", self.at)),
        }
    }

    /// An optional array of objects, each built through its constructor.
    pub fn optional_list<T>(
        &mut self,
        key: &str,
        build: fn(&mut Fields) -> Result<T, String>,
    ) -> Result<Option<Vec<T>>, String> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.items(key, &value, build).map(Some),
        }
    }

    /// The fields not taken: the ones the type does not know, for `extra`.
    pub fn rest(&mut self) -> Map<String, Value> {
        std::mem::take(&mut self.map)
    }
}

/// `value` built through `build` (the type's constructor and setters) and
/// written as JSON, if that is what serde reads from `value` and writes
/// back; otherwise why not.
pub fn check<T: Serialize + DeserializeOwned>(
    value: &Value,
    build: fn(&mut Fields) -> Result<T, String>,
) -> Result<Value, String> {
    let built = build(&mut Fields::of(value, "body".to_owned())?)?;
    let built = serde_json::to_value(&built).map_err(|e| e.to_string())?;
    let read: T = serde_json::from_value(value.clone())
        .map_err(|e| format!("serde reads the body differently: {e}"))?;
    let read = serde_json::to_value(&read).map_err(|e| e.to_string())?;
    if built != read {
        return Err(format!(
            "built through the constructor: {built}\nread by serde: {read}"
        ));
    }
    Ok(built)
}
