//! [`Args`]: the arguments of one call, as JSON.

use serde_json::{Map, Value};

/// The arguments of a call: parameters by their name in the API
/// (`customer_ids`, `Accept-Language`), and the body.
///
/// Its `Debug` names the parameters set, never a value (a body or
/// parameter may hold a password or token).
#[derive(Clone, Default, PartialEq)]
pub struct Args {
    /// Parameter values. A value that does not fit the parameter's type as
    /// JSON is also tried as the text of a JSON value (`"5"` for a number),
    /// and a single value stands for a one-item array.
    pub params: Map<String, Value>,
    /// The request body, if the operation takes one.
    pub body: Option<Value>,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("params", &self.params.keys().collect::<Vec<_>>())
            .field("body", &self.body.is_some())
            .finish()
    }
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// These arguments and parameter `name`.
    pub fn param(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// These arguments and the body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}
