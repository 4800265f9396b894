//! What a value should be, in plain words, from its [`Kind`] in the spec;
//! the check of a parameter value typed on the command line; and what a
//! JSON value is (never the value itself: it may be a secret).

use serde_json::Value;

use crate::generated::help::Kind;

/// What a value of `kind` is, in plain words (`a whole number of at least
/// 1`), with `, or null` when it may be null.
pub(crate) fn expected(kind: Kind, nullable: bool) -> String {
    let words = match kind {
        Kind::Text => "text".to_owned(),
        Kind::Secret => "text (a secret)".to_owned(),
        Kind::DateTime => "a date and time, YYYY-MM-DD HH:MM:SS".to_owned(),
        Kind::Date => "a date, YYYY-MM-DD".to_owned(),
        Kind::TextOrNumber => "text or a number".to_owned(),
        Kind::Integer(Some(min)) => format!("a whole number of at least {min}"),
        Kind::Integer(None) => "a whole number".to_owned(),
        Kind::Number => "a number".to_owned(),
        Kind::Boolean => "true or false".to_owned(),
        Kind::TextOf(values) => format!("text such as {}", listed(values.iter().copied())),
        Kind::IntegerOf(values) => format!(
            "a whole number such as {}",
            listed(values.iter().map(i64::to_string))
        ),
        Kind::Object(_) => "an object".to_owned(),
        Kind::Array(item) => format!("an array, each item {}", expected(*item, false)),
        Kind::Any => "any JSON value".to_owned(),
    };
    if nullable {
        format!("{words}, or null")
    } else {
        words
    }
}

/// `a`, `a or b`, `a, b or c`.
fn listed<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let items: Vec<S> = items.collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.as_ref().to_owned(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", rest.join(", "), last.as_ref())
        }
    }
}

/// Whether `text`, typed for a parameter of `kind` (an array's item kind
/// for each of its values), is such a value, read as the client reads it:
/// as the text of a JSON value. Only what the client's types enforce is
/// checked: numbers, their lower bounds and booleans; known values of an
/// enumeration are not (the types accept others).
pub(crate) fn accepts(kind: Kind, text: &str) -> bool {
    match kind {
        Kind::Integer(Some(min)) if min >= 0 => {
            serde_json::from_str::<u64>(text).is_ok_and(|n| n >= min.unsigned_abs())
        }
        Kind::Integer(Some(min)) => serde_json::from_str::<i64>(text).is_ok_and(|n| n >= min),
        Kind::Integer(None) | Kind::IntegerOf(_) => serde_json::from_str::<i64>(text).is_ok(),
        Kind::Number => serde_json::from_str::<f64>(text).is_ok(),
        Kind::Boolean => serde_json::from_str::<bool>(text).is_ok(),
        Kind::Array(item) => accepts(*item, text),
        _ => true,
    }
}

/// What `value` is (`text`, `a number`…), not what it holds.
pub(crate) fn found(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number with a fraction",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn plain_words() {
        assert_eq!(
            expected(Kind::Integer(Some(1)), false),
            "a whole number of at least 1"
        );
        assert_eq!(
            expected(Kind::IntegerOf(&[1, 2, 3]), true),
            "a whole number such as 1, 2 or 3, or null"
        );
        assert_eq!(expected(Kind::TextOf(&["ASC"]), false), "text such as ASC");
        assert_eq!(
            expected(Kind::Array(&Kind::Boolean), false),
            "an array, each item true or false"
        );
    }

    #[test]
    fn checks_what_the_types_enforce() {
        let count = Kind::Integer(Some(1));
        assert!(accepts(count, "1") && accepts(count, "18446744073709551615"));
        assert!(!accepts(count, "0") && !accepts(count, "abc") && !accepts(count, "-3"));
        assert!(accepts(Kind::Integer(Some(0)), "0"));
        assert!(accepts(Kind::Integer(Some(-5)), "-5") && !accepts(Kind::Integer(Some(-5)), "-6"));
        assert!(accepts(Kind::Boolean, "true") && !accepts(Kind::Boolean, "yes"));
        assert!(accepts(Kind::Number, "2.5") && !accepts(Kind::Number, "NaN"));
        assert!(!accepts(count, "05"), "not JSON: the client refuses it too");
        // Known values are not enforced: the types accept others.
        assert!(accepts(Kind::TextOf(&["ASC", "DESC"]), "RANDOM"));
        assert!(accepts(Kind::IntegerOf(&[1, 2]), "7") && !accepts(Kind::IntegerOf(&[1]), "x"));
        assert!(!accepts(Kind::Array(&Kind::Integer(None)), "x"));
    }

    #[test]
    fn found_names_no_value() {
        assert_eq!(found(&json!("hunter2")), "text");
        assert_eq!(found(&json!(5)), "a whole number");
        assert_eq!(found(&json!({"a": 1})), "an object");
    }
}
