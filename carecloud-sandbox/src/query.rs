//! The query string, read as CareCloud (PHP) reads it, against the
//! operation's declared parameters:
//!
//! * an array parameter takes its values from `name[]=a&name[]=b` (or
//!   `name[0]=a&name[1]=b`): two values;
//! * a plain `name=a&name=b` is one value, the last one, for any parameter
//!   (PHP keeps the last assignment of a plain key), so an array parameter
//!   sent that way filters by `b` alone;
//! * a scalar parameter sent as `name[]=...` (and not overridden by a later
//!   plain `name=...`) is answered with 400 `invalid_value_format`: the
//!   server would read an array where it wants one value;
//! * names the operation does not declare are ignored, and so are empty
//!   values (`email=`);
//! * a required parameter that is missing is answered with 400 `required`.

use carecloud_api::Operation;
use carecloud_api::operation::Location;
use percent_encoding::percent_decode_str;
use serde_json::json;

use crate::errors::{self, ApiError};

/// The values of an operation's query parameters.
#[derive(Clone, Debug, Default)]
pub(crate) struct Query {
    values: Vec<(&'static str, Vec<String>)>,
}

/// How a parameter was last assigned (PHP: the last assignment of a key wins).
enum Assigned {
    Plain(String),
    Bracketed(Vec<String>),
}

impl Query {
    /// Reads `raw` (without `?`) for `op`.
    pub fn parse(op: &Operation, raw: &str) -> Result<Query, ApiError> {
        let mut assigned: Vec<(&'static str, Assigned)> = Vec::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (key, value) = (decode(key), decode(value));
            let (name, bracketed) = split_brackets(&key);
            let Some(param) = op
                .params
                .iter()
                .find(|p| p.location == Location::Query && p.name == name)
            else {
                continue;
            };
            let slot = match assigned.iter_mut().find(|(n, _)| *n == param.name) {
                Some((_, slot)) => slot,
                None => {
                    assigned.push((param.name, Assigned::Bracketed(Vec::new())));
                    let last = assigned.len() - 1;
                    &mut assigned[last].1
                }
            };
            match (bracketed, &mut *slot) {
                (false, _) => *slot = Assigned::Plain(value),
                (true, Assigned::Bracketed(values)) => values.push(value),
                (true, Assigned::Plain(_)) => *slot = Assigned::Bracketed(vec![value]),
            }
        }
        let mut query = Query::default();
        for (name, slot) in assigned {
            let array = op.param(name).is_some_and(|p| p.array);
            let values = match slot {
                Assigned::Plain(value) => vec![value],
                Assigned::Bracketed(values) if array => values,
                Assigned::Bracketed(values) => {
                    let message =
                        format!("`{name}` takes one value: send `{name}=value`, not `{name}[]=`");
                    return Err(errors::bad_format(name, json!(values), &message));
                }
            };
            let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
            if !values.is_empty() {
                query.values.push((name, values));
            }
        }
        for param in op.params.iter() {
            if param.location == Location::Query
                && param.required
                && query.one(param.name).is_none()
            {
                return Err(errors::required(param.name));
            }
        }
        Ok(query)
    }

    /// The values of `name` (empty if not given).
    pub fn all(&self, name: &str) -> &[String] {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// The value of `name` (the first, for an array parameter).
    pub fn one(&self, name: &str) -> Option<&str> {
        self.all(name).first().map(String::as_str)
    }

    /// The value of `name` as a boolean (`true`/`1`, `false`/`0`); `None` if
    /// absent or anything else.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.one(name)?.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }
}

/// `name[]` and `name[3]` → (`name`, true); `name` → (`name`, false).
fn split_brackets(key: &str) -> (&str, bool) {
    if let Some(open) = key.find('[')
        && key.ends_with(']')
        && key[open + 1..key.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_digit())
    {
        return (&key[..open], true);
    }
    (key, false)
}

/// Form decoding: `+` is a space, then percent-decoding (lossy UTF-8).
fn decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use carecloud_api::OperationId;

    fn customers(raw: &str) -> Result<Query, ApiError> {
        Query::parse(OperationId::GetCustomers.operation(), raw)
    }

    #[test]
    fn brackets_give_an_array_parameter_several_values() {
        let q = customers("customer_ids[]=a&customer_ids[]=b").expect("parses");
        assert_eq!(q.all("customer_ids"), ["a", "b"]);
        let q = customers("customer_ids%5B%5D=a&customer_ids%5B1%5D=b").expect("parses");
        assert_eq!(q.all("customer_ids"), ["a", "b"]);
    }

    #[test]
    fn a_repeated_plain_key_is_its_last_value_as_php_reads_it() {
        let q = customers("customer_ids=a&customer_ids=b").expect("parses");
        assert_eq!(q.all("customer_ids"), ["b"]);
        let q = customers("customer_ids[]=a&customer_ids=b").expect("parses");
        assert_eq!(q.all("customer_ids"), ["b"]);
        let q = customers("customer_ids=a&customer_ids[]=b").expect("parses");
        assert_eq!(q.all("customer_ids"), ["b"]);
        let q = customers("email=x%40example.com&email=y+z").expect("parses");
        assert_eq!(q.one("email"), Some("y z"));
    }

    #[test]
    fn a_scalar_sent_with_brackets_is_a_400() {
        let error = customers("email[]=a").expect_err("an array for a scalar");
        assert_eq!(error.status, 400);
        let param = &error.body["error"]["error_data"]["invalid_params"][0];
        assert_eq!(param["name"], "email");
        assert_eq!(param["reason"], "invalid_value_format");
        assert!(customers("email[]=a&email=b").is_ok(), "the plain one wins");
    }

    #[test]
    fn undeclared_and_empty_parameters_are_ignored() {
        let q = customers("nope=1&email=&count=5").expect("parses");
        assert_eq!(q.values.len(), 1);
        assert_eq!(q.one("count"), Some("5"));
        assert!(q.all("nope").is_empty() && q.one("email").is_none());
    }

    #[test]
    fn a_missing_required_parameter_is_a_400() {
        let op = OperationId::GetTokenAuthentication.operation();
        let error = Query::parse(op, "token_type=1").expect_err("required");
        assert_eq!(
            error.body["error"]["error_data"]["invalid_params"][0]["name"],
            "external_application_id"
        );
    }
}
