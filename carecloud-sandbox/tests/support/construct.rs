//! What the generated `generated/constructors.rs` calls: [`Fields`], the
//! fields of one JSON object taken one by one (each by the type the
//! generated code names), and [`check`], which builds a request body
//! through its constructor and compares it with serde's reading of the same
//! JSON.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// How a generated function builds one type from a JSON object's fields.
pub type Build<T> = fn(&mut Fields) -> Result<T, String>;

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

    /// The value of `key`, taken: a required field must be there (it may be
    /// `null`, which its type then reads); an optional one absent or `null`
    /// is `None`.
    fn take(&mut self, key: &str, required: bool) -> Result<Option<Value>, String> {
        match self.map.remove(key) {
            None if required => Err(format!("{}: missing field `{key}`", self.at)),
            None | Some(Value::Null) if !required => Ok(None),
            value => Ok(value),
        }
    }

    fn read<T: DeserializeOwned>(&self, key: &str, value: Value) -> Result<T, String> {
        serde_json::from_value(value).map_err(|e| format!("{}.{key}: {e}", self.at))
    }

    fn nested<T>(&self, key: &str, value: &Value, build: Build<T>) -> Result<T, String> {
        build(&mut Fields::of(value, format!("{}.{key}", self.at))?)
    }

    fn items<T>(&self, key: &str, value: &Value, build: Build<T>) -> Result<Vec<T>, String> {
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

    /// A required field, read by serde as a `T`.
    pub fn value<T: DeserializeOwned>(&mut self, key: &str) -> Result<T, String> {
        let value = self.take(key, true)?.unwrap_or_default();
        self.read(key, value)
    }

    /// An optional field (absent or `null`: `None`), read by serde as a `T`.
    pub fn optional_value<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, String> {
        self.take(key, false)?
            .map(|value| self.read(key, value))
            .transpose()
    }

    /// A required object field, built through its own constructor.
    pub fn object<T>(&mut self, key: &str, build: Build<T>) -> Result<T, String> {
        let value = self.take(key, true)?.unwrap_or_default();
        self.nested(key, &value, build)
    }

    /// An optional object field, built through its own constructor.
    pub fn optional_object<T>(&mut self, key: &str, build: Build<T>) -> Result<Option<T>, String> {
        self.take(key, false)?
            .map(|value| self.nested(key, &value, build))
            .transpose()
    }

    /// A required array of objects, each built through its constructor.
    pub fn list<T>(&mut self, key: &str, build: Build<T>) -> Result<Vec<T>, String> {
        let value = self.take(key, true)?.unwrap_or_default();
        self.items(key, &value, build)
    }

    /// An optional array of objects, each built through its constructor.
    pub fn optional_list<T>(
        &mut self,
        key: &str,
        build: Build<T>,
    ) -> Result<Option<Vec<T>>, String> {
        self.take(key, false)?
            .map(|value| self.items(key, &value, build))
            .transpose()
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
    build: Build<T>,
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
