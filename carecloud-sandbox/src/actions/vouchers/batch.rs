//! `POST /vouchers/batch`: vouchers issued for existing rewards and
//! customers, all or nothing unless `error_processing` is 2 (then the
//! invalid ones are skipped).

use serde_json::{Map, Value, json};

use super::super::customer_records::{customer_exists, push};
use super::{VOUCHERS, issue};
use crate::context::{Answer, Ctx, Reply};
use crate::errors::{self, ApiError};
use crate::scope::OWNER;
use crate::store::text;

/// `POST /vouchers/batch`: each voucher's reward and customer must exist
/// (and its code be free); error_processing 1 (default) stores none when
/// one is invalid, 2 stores the valid ones.
pub(crate) fn batch(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let skip_invalid = body.get("error_processing").and_then(Value::as_i64) == Some(2);
    let items = body["vouchers"].as_array().cloned().unwrap_or_default();
    let mut valid = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match batch_voucher(cx, item) {
            Ok(voucher) => valid.push(voucher),
            Err(_) if skip_invalid => {}
            Err(mut error) => {
                prefix_names(&mut error, i);
                return Err(error);
            }
        }
    }
    for voucher in valid {
        push(cx, VOUCHERS, voucher);
    }
    Ok(Answer::NoContent)
}

/// One voucher of a batch as a record.
fn batch_voucher(cx: &mut Ctx<'_>, item: &Value) -> Result<Value, ApiError> {
    let reward_id = item["reward_id"].as_str().unwrap_or_default();
    let Some(reward) = super::super::rewards::find(cx, reward_id) else {
        return Err(errors::bad_request(
            "reward_id",
            "not_found",
            json!(reward_id),
            "No reward with this ID",
        ));
    };
    let customer = item[OWNER].as_str().unwrap_or_default().to_owned();
    if !customer_exists(cx, &customer) {
        return Err(errors::bad_request(
            OWNER,
            "not_found",
            json!(customer),
            "No customer with this ID",
        ));
    }
    let mut fields: Map<String, Value> = item
        .as_object()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "reward_id")
        .collect();
    let code = fields.get("code").and_then(text);
    let voucher = issue(cx, &reward, &customer, code, fields.remove("note"))?;
    let mut voucher = voucher.as_object().cloned().unwrap_or_default();
    for (name, value) in fields {
        voucher.insert(name, value);
    }
    Ok(Value::Object(voucher))
}

/// Prefixes the invalid parameter names of a batch error with the item.
fn prefix_names(error: &mut ApiError, index: usize) {
    let params = error
        .body
        .pointer_mut("/error/error_data/invalid_params")
        .and_then(Value::as_array_mut);
    for param in params.into_iter().flatten() {
        if let Some(name) = param.get("name").and_then(Value::as_str) {
            param["name"] = json!(format!("vouchers[{index}].{name}"));
        }
    }
}
