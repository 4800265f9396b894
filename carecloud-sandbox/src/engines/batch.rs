//! Batches: each item of a body array through declared steps (`$item`),
//! by the body's `error_processing`: 1 (the default) stores nothing when
//! an item fails and answers that item's error, its fields named
//! `<items>[i].<field>`; 2 stores the items that pass and, if declared to
//! report, answers 400 with one `invalid_params` entry per failed item
//! (`<items>[i]`, with its reason), else 204.

use serde_json::{Value, json};

use super::collections::check_parents;
use super::steps::run;
use crate::context::{Answer, Ctx, Reply};
use crate::decl::{Batch, Kind};
use crate::errors::{self, ApiError};
use crate::scope;
use crate::store::at;

pub(super) fn serve(cx: &mut Ctx<'_>, batch: &Batch) -> Reply {
    let owner = scope::owner(cx, Kind::Create, None)?;
    check_parents(cx, batch.parents, owner.as_deref())?;
    let body = cx.body()?;
    let skip = super::expr::number(&at(&body, &[batch.mode])) == 2.0;
    let items = at(&body, &[batch.items]);
    let now = cx.state.now();
    let whole = cx.state.store.begin();
    let mut failed = Vec::new();
    for (i, item) in items.as_array().into_iter().flatten().enumerate() {
        let mark = cx.state.store.begin();
        let outcome = run(
            cx,
            batch.steps,
            (&body, None, Some(item)),
            &mut Vec::new(),
            &now,
        );
        if let Err(error) = outcome {
            cx.state.store.rollback(if skip { mark } else { whole });
            cx.state.store.end();
            if !skip {
                cx.state.store.end();
                return Err(renamed(error, &format!("{}[{i}].", batch.items)));
            }
            failed.push(entry(&error, &format!("{}[{i}]", batch.items)));
            continue;
        }
        cx.state.store.end();
    }
    cx.state.store.end();
    if failed.is_empty() || !batch.report {
        return Ok(Answer::NoContent);
    }
    let mut error = errors::not_allowed(batch.items, Value::Null, "Some records were not stored");
    error.body["error"]["error_data"]["invalid_params"] = Value::Array(failed);
    Err(error)
}

/// The error's invalid parameters with `prefix` before their names.
fn renamed(mut error: ApiError, prefix: &str) -> ApiError {
    let params = error
        .body
        .pointer_mut("/error/error_data/invalid_params")
        .and_then(Value::as_array_mut);
    for param in params.into_iter().flatten() {
        if let Some(name) = param.get("name").and_then(Value::as_str) {
            param["name"] = json!(format!("{prefix}{name}"));
        }
    }
    error
}

/// One failed item as an `invalid_params` entry named `name`.
fn entry(error: &ApiError, name: &str) -> Value {
    let first = error
        .body
        .pointer("/error/error_data/invalid_params/0")
        .cloned()
        .unwrap_or(Value::Null);
    json!({
        "name": name,
        "reason": first.get("reason").cloned().unwrap_or(json!("not_allowed_value")),
        "value": first.get("value").cloned().unwrap_or(Value::Null),
        "message": first.get("message").cloned().unwrap_or(json!("The record was not stored")),
    })
}

#[cfg(test)]
mod tests {
    use carecloud_api::Interface::Enterprise;
    use carecloud_api::OperationId as Id;
    use serde_json::{Value, json};

    use crate::engines::test_support::{call, refused, seeded};

    fn vouchers(mode: u8) -> Value {
        let customer = crate::JOHN_SMITH_ID;
        let good = json!({"reward_id": "83cfee22eabfbbb15a14815e31", "customer_id": customer, "code": "B-1"});
        json!({"vouchers": [good, {"reward_id": "nope", "customer_id": customer}], "error_processing": mode})
    }

    #[test]
    fn mode_1_stores_nothing_and_mode_2_the_valid_items_reporting_the_others_if_declared() {
        let mut state = seeded();
        let before = state.store.records("vouchers").len();
        let mut post = |mode| {
            let outcome = call(
                &mut state,
                (Enterprise, Id::PostBulkVouchers),
                &[],
                "",
                vouchers(mode),
            );
            (outcome, state.store.records("vouchers").len() - before)
        };
        assert_eq!(post(1), (refused("not_found"), 0));
        assert_eq!(
            post(2),
            (Ok((204, Value::Null)), 1),
            "declared not to report"
        );
        let (path, unknown) = (
            [("customer_id", crate::JOHN_SMITH_ID)],
            json!({"property_id": "shoe_size"}),
        );
        let records = json!({"property_records": [{"property_id": "profession"}, unknown], "error_processing": 2});
        let reported = call(
            &mut state,
            (Enterprise, Id::PostSubCustomerPropertiesBatch),
            &path,
            "",
            records,
        );
        assert_eq!(reported, refused("not_found"));
    }
}
