//! CareCloud's own example payloads of the commerce groups (purchases,
//! products, stores) decode into the generated types, encode back with
//! nothing lost but `null`s (numbers compared by value: `0` may come back as
//! `0.0`), and leave nothing in an `extra` map at any level: every field
//! they carry is one the spec names.
//!
//! The examples are the vendor's, so they are read where they are kept, not
//! copied into this repository: from `$CARECLOUD_REFERENCE_DIR`, else from
//! `<workspace>/../shared/reference`. Without them each trial is reported
//! as ignored, naming the folder it looked in.
//!
//! Whether a field would land in `extra` is read from the type's JSON Schema
//! (carecloud-api's `schemars` feature): a key of the example that the
//! schema of its object does not list is one the generated struct keeps in
//! `extra`.

use std::path::PathBuf;
use std::process::ExitCode;

use carecloud_api::types;
use carecloud_tests::{differences, without_nulls, workspace_root};
use libtest_mimic::{Arguments, Failed, Trial};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One example file and the check of the type it must decode into.
type Check = fn(Value) -> Result<(), String>;

/// The group's examples, each with its type (request or reply of the
/// operation its name says).
const EXAMPLES: &[(&str, Check)] = &[
    (
        "enterprise_POST_purchases_actions_recommended-best-rewards.request.json",
        exact::<types::RecommendedRewardsRequest>,
    ),
    (
        "enterprise_POST_purchases_actions_recommended-best-rewards.response.json",
        exact::<types::RecommendedRewardListResponse>,
    ),
    (
        "enterprise_POST_purchases_actions_accept-payment.request.json",
        exact::<types::AcceptPaymentRequest>,
    ),
    (
        "enterprise_POST_purchases_actions_accept-payment.response.json",
        exact::<types::AcceptedPaymentResponse>,
    ),
    (
        "enterprise_POST_purchases_actions_send-purchase.request.json",
        exact::<types::SendPurchaseRequest>,
    ),
    (
        "enterprise_POST_purchases_actions_send-purchase.response.json",
        exact::<types::PurchaseIdResponse>,
    ),
    (
        "enterprise_POST_products_batch.request.json",
        exact::<types::ProductBatchRequest>,
    ),
    (
        "enterprise_POST_product-brands_batch.request.json",
        exact::<types::ProductBrandBatchRequest>,
    ),
    (
        "enterprise_POST_product-groups_batch.request.json",
        exact::<types::ProductGroupBatchRequest>,
    ),
    (
        "customer_GET_stores.json",
        exact::<types::StoreListResponse>,
    ),
];

/// The folder holding the vendor's `examples/`.
fn reference_dir() -> PathBuf {
    std::env::var_os("CARECLOUD_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/reference"))
}

/// Decodes `original` as `T`, encodes it back, and names every difference
/// (besides `null`s, which decode to `None` and are not written back) and
/// every field the spec does not name.
fn exact<T: DeserializeOwned + Serialize + JsonSchema>(original: Value) -> Result<(), String> {
    let parsed: T = serde_json::from_value(original.clone())
        .map_err(|e| format!("does not decode as {}: {e}", std::any::type_name::<T>()))?;
    let back = serde_json::to_value(&parsed).map_err(|e| format!("does not encode: {e}"))?;
    let mut problems = differences(
        &numbers_as_floats(&without_nulls(&original)),
        &numbers_as_floats(&back),
    );
    let schema = serde_json::to_value(schemars::schema_for!(T)).map_err(|e| e.to_string())?;
    let definitions = schema
        .get("definitions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    unnamed_fields("$", &original, &schema, &definitions, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// `value` with every number written as a float: a `number` field decodes
/// to `f64`, so `1400` comes back as `1400.0`, the same number.
fn numbers_as_floats(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_floats).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), numbers_as_floats(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Pushes the JSON path of every object member of `value` that `schema`
/// does not list: what the generated type keeps in `extra`.
fn unnamed_fields(
    path: &str,
    value: &Value,
    schema: &Value,
    definitions: &Map<String, Value>,
    out: &mut Vec<String>,
) {
    let schema = resolve(schema, definitions);
    // `Option<T>` is `anyOf: [T, null]`; a LooseString is `oneOf` scalars.
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            for branch in branches {
                let branch = resolve(branch, definitions);
                if fits(value, branch) {
                    unnamed_fields(path, value, branch, definitions, out);
                }
            }
            return;
        }
    }
    match value {
        Value::Object(members) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, member) in members {
                match properties.and_then(|p| p.get(name)) {
                    Some(member_schema) => unnamed_fields(
                        &format!("{path}.{name}"),
                        member,
                        member_schema,
                        definitions,
                        out,
                    ),
                    None => out.push(format!(
                        "{path}.{name}: not named by the spec (kept in `extra`)"
                    )),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    unnamed_fields(&format!("{path}[{i}]"), item, item_schema, definitions, out);
                }
            }
        }
        _ => {}
    }
}

/// `schema` with a `$ref` to `#/definitions/<name>` followed.
fn resolve<'a>(schema: &'a Value, definitions: &'a Map<String, Value>) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
        .and_then(|name| definitions.get(name))
        .unwrap_or(schema)
}

/// Whether a branch of an `anyOf` describes `value`'s kind (object, array,
/// scalar), so that only the branch the value decodes as is walked.
fn fits(value: &Value, branch: &Value) -> bool {
    let kinds: Vec<&str> = match branch.get("type") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
        // A `$ref` resolved to an enum or a schema without `type`: walk it.
        _ => return !value.is_null(),
    };
    kinds.iter().any(|kind| match *kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        _ => false,
    })
}

/// Reads one example and runs its check.
fn run(name: &str, check: Check) -> Result<(), Failed> {
    let path = reference_dir().join("examples").join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let original: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    check(original).map_err(|e| format!("{name}:\n{e}").into())
}

/// A trial for the checker itself: an unknown field, a lost one and a
/// nested unknown one are all reported.
fn checker_reports_unknown_and_lost_fields() -> Result<(), Failed> {
    let planted = serde_json::json!({
        "data": {
            "stores": [{"store_id": "s1", "colour": "red", "store_address": {"city": "Brno", "floor": 2}}],
            "total_items": 1,
            "next": "x"
        },
        "page": 1
    });
    let error = exact::<types::StoreListResponse>(planted)
        .expect_err("three fields the spec does not name");
    for expected in [
        "$.data.stores[0].colour: not named by the spec",
        "$.data.stores[0].store_address.floor: not named by the spec",
        "$.data.next: not named by the spec",
        "$.page: not named by the spec",
    ] {
        if !error.contains(expected) {
            return Err(format!("missing {expected:?} in:\n{error}").into());
        }
    }
    exact::<types::StoreListResponse>(serde_json::json!({"data": {"stores": [], "total_items": 0}}))
        .map_err(|e| Failed::from(format!("a clean list was refused: {e}")))
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let dir = reference_dir();
    let present = dir.join("examples").is_dir();
    let mut trials = vec![Trial::test(
        "checker_reports_unknown_and_lost_fields",
        checker_reports_unknown_and_lost_fields,
    )];
    for &(name, check) in EXAMPLES {
        let trial = Trial::test(name, move || run(name, check));
        trials.push(if present {
            trial
        } else {
            trial.with_ignored_flag(true)
        });
    }
    if !present {
        eprintln!(
            "ignored: no vendor examples at {} (set CARECLOUD_REFERENCE_DIR)",
            dir.join("examples").display()
        );
    }
    libtest_mimic::run(&args, trials).exit_code()
}
