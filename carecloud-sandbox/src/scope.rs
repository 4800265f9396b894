//! Customer scoping on the customer interface: with a customer logged in on
//! the device token, customer-scoped resources are that customer's records
//! only, and naming another customer's record is a 400
//! `not_belong_to_logged_in_customer`; without one they are a 403.
//!
//! A collection is customer-scoped when its records are customers (their ID
//! field is `customer_id`) or carry a top-level `customer_id`, or the
//! operation takes a `customer_id` parameter.

use serde_json::{Value, json};

use crate::context::Ctx;
use crate::errors::{self, ApiError};
use crate::resources::{self, Kind};
use crate::store::text;

/// The field that says whose a record is.
pub(crate) const OWNER: &str = "customer_id";

/// The customer whose records `kind` on `collection` may touch: `None` on
/// the enterprise interface, for collections that are not customer-scoped,
/// and for creating a customer (registration needs no login); else the
/// logged-in customer, or 403 if there is none.
pub(crate) fn owner(
    cx: &Ctx<'_>,
    kind: Kind,
    collection: &str,
) -> Result<Option<String>, ApiError> {
    if cx.interface != carecloud_api::Interface::Customer {
        return Ok(None);
    }
    let is_customers = resources::id_field(collection) == OWNER;
    let scoped = is_customers
        || cx
            .state
            .store
            .get(collection)
            .is_some_and(|c| c.has_top_field(OWNER))
        || cx.op.param(OWNER).is_some();
    if !scoped || (is_customers && kind == Kind::Create) {
        return Ok(None);
    }
    match cx.logged_in_customer() {
        Some(me) => Ok(Some(me)),
        None => Err(errors::forbidden(
            "A customer must be logged in on this token for this resource",
        )),
    }
}

/// 400 `not_belong_to_logged_in_customer` for `name` = `value`.
pub(crate) fn not_mine(name: &str, value: &str) -> ApiError {
    errors::bad_request(
        name,
        "not_belong_to_logged_in_customer",
        json!(value),
        &format!("`{name}` {value} does not belong to the logged-in customer"),
    )
}

/// Whether `record` is `me`'s.
pub(crate) fn is_mine(record: &Value, me: &str) -> bool {
    record.get(OWNER).and_then(text).as_deref() == Some(me)
}

/// Every value given for `name` must be `me` (a `customer_id` or
/// `customer_ids` filter naming someone else is refused, not emptied).
pub(crate) fn only_me(name: &str, values: &[String], me: &str) -> Result<(), ApiError> {
    match values.iter().find(|v| v.as_str() != me) {
        Some(other) => Err(not_mine(name, other)),
        None => Ok(()),
    }
}
