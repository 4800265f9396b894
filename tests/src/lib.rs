//! Helpers shared by the workspace tests: where things are, and JSON
//! comparison that tells exactly what a round trip lost.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives inside the workspace")
        .to_owned()
}

/// Where the vendor's reference material is looked for: `$CARECLOUD_REFERENCE_DIR`,
/// else `<workspace>/../shared/reference` (it is never copied into the repository).
pub fn reference_dir() -> PathBuf {
    std::env::var_os("CARECLOUD_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/reference"))
}

/// The folder of the vendor's example payloads, or why there is none: then
/// the tests that need it are reported as ignored, with that reason, unless
/// `CARECLOUD_REQUIRE_REFERENCE=1` (set by `.ci/run`) makes them required,
/// which [`reference_required`] tells.
pub fn reference_examples() -> Result<PathBuf, String> {
    let dir = reference_dir().join("examples");
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(format!(
            "no vendor examples at {}; set CARECLOUD_REFERENCE_DIR to the folder holding `examples/`",
            dir.display()
        ))
    }
}

/// Whether missing reference material is a failure rather than a reason to
/// ignore the tests needing it (`CARECLOUD_REQUIRE_REFERENCE=1`).
pub fn reference_required() -> bool {
    std::env::var("CARECLOUD_REQUIRE_REFERENCE").as_deref() == Ok("1")
}

/// A file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// Reads and parses a JSON fixture under `tests/fixtures/payloads/`.
pub fn payload(name: &str) -> Value {
    let path = fixture(&format!("payloads/{name}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `value` without object members that are `null`: an optional field sent
/// as `null` parses to `None`, which is not serialized back.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Lists every JSON path where `after` differs from `before` (empty: equal).
/// Numbers are compared by value: `0` written back as `0.0` (a `number`
/// field read into an `f64`) is no difference.
pub fn differences(before: &Value, after: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_into("$", before, after, &mut out);
    out
}

fn diff_into(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => diff_into(&format!("{path}.{k}"), v, w, out),
                    None => out.push(format!("{path}.{k}: lost ({v})")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}.{k}: added ({})", y[k]));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff_into(&format!("{path}[{i}]"), v, w, out);
            }
        }
        _ if a == b || same_number(a, b) => {}
        _ => out.push(format!("{path}: {a} became {b}")),
    }
}

/// Decodes `value` as `T` and encodes it back. `Ok` holds the decoded
/// value's pretty debug text (for [`leftover_fields`]); `Err` says what did
/// not decode, or what the round trip changed (a `null` member may go:
/// an optional field sent as `null` is not sent back).
pub fn round_trip_as<T: DeserializeOwned + Serialize + Debug>(
    value: &Value,
) -> Result<String, String> {
    let parsed: T = serde_json::from_value(value.clone())
        .map_err(|e| format!("does not decode as {}: {e}", std::any::type_name::<T>()))?;
    let back = serde_json::to_value(&parsed).map_err(|e| format!("does not encode: {e}"))?;
    let lost = differences(&without_nulls(value), &back);
    if lost.is_empty() {
        Ok(format!("{parsed:#?}"))
    } else {
        Err(format!("changed in a round trip:\n{}", lost.join("\n")))
    }
}

/// The names of the members of every non-empty `extra` map (fields the
/// spec does not know) in the pretty debug text of a generated type, at any
/// depth.
pub fn leftover_fields(debug: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = debug.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with("extra: {") || trimmed.starts_with("extra: {}") {
            continue;
        }
        let depth = line.len() - trimmed.len();
        for member in lines.by_ref() {
            let inner = member.trim_start();
            let indent = member.len() - inner.len();
            if indent <= depth {
                break;
            }
            if indent == depth + 4 && inner.starts_with('"') {
                let name = inner.split(':').next().unwrap_or(inner);
                out.push(name.trim_matches('"').to_owned());
            }
        }
    }
    out
}

/// Whether `a` and `b` are the same number, written differently (`0`, `0.0`).
fn same_number(a: &Value, b: &Value) -> bool {
    match (a, b) {
        // Two integers are the same only when equal (no rounding through f64).
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            x.as_f64().is_some_and(|f| Some(f) == y.as_f64())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_name_lost_changed_and_added_members() {
        let before = json!({"a": 1, "b": {"c": "x"}, "d": [1, 2]});
        let after = json!({"b": {"c": 1}, "d": [1, 3], "e": true});
        assert_eq!(
            differences(&before, &after),
            vec![
                "$.a: lost (1)",
                "$.b.c: \"x\" became 1",
                "$.d[1]: 2 became 3",
                "$.e: added (true)"
            ]
        );
        assert!(differences(&before, &before).is_empty());
        assert!(differences(&json!({"x": 0}), &json!({"x": 0.0})).is_empty());
        assert_eq!(
            differences(&json!({"x": 1}), &json!({"x": 1.5})),
            ["$.x: 1 became 1.5"]
        );
    }

    #[test]
    fn leftover_fields_are_found_at_any_depth() {
        let debug = "Outer {\n    inner: Inner {\n        extra: {\n            \"shift_code\": String(\"x\"),\n            \"nested\": Object {\n                \"a\": Number(1),\n            },\n        },\n    },\n    extra: {},\n}";
        assert_eq!(leftover_fields(debug), ["shift_code", "nested"]);
        assert!(leftover_fields("A {\n    extra: {},\n}").is_empty());
    }

    #[test]
    fn a_round_trip_tells_what_changed() {
        #[derive(Debug, serde::Deserialize, Serialize)]
        struct Two {
            a: i64,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<String>,
        }
        let debug = round_trip_as::<Two>(&json!({"a": 1, "b": null})).expect("nulls may go");
        assert!(debug.contains("a: 1"), "{debug}");
        let error = round_trip_as::<Two>(&json!({"a": 1, "c": true})).expect_err("c is lost");
        assert!(error.contains("$.c: lost"), "{error}");
        let error = round_trip_as::<Two>(&json!({"a": "x"})).expect_err("not a number");
        assert!(error.contains("does not decode as"), "{error}");
    }

    #[test]
    fn nulls_are_dropped_recursively() {
        assert_eq!(
            without_nulls(&json!({"a": null, "b": [{"c": null, "d": 1}]})),
            json!({"b": [{"d": 1}]})
        );
    }
}
