//! Customer scoping on the customer interface: with a customer logged in on
//! the device token, customer-scoped resources are that customer's records
//! only, and naming another customer's record is a 400
//! `not_belong_to_logged_in_customer`; without one they are a 403.
//!
//! A resource is customer-scoped when it declares an `owner` field, and an
//! operation when it takes a `customer_id` parameter.

use serde_json::{Value, json};

use crate::context::Ctx;
use crate::decl::{Kind, Resource};
use crate::errors::{self, ApiError};
use crate::store::text;

/// The parameter and field that name a customer.
pub(crate) const OWNER: &str = "customer_id";

/// The customer whose records `kind` on `resource` may touch: `None` on
/// the enterprise interface, for resources and operations that are not
/// customer-scoped, and for creating a customer (registration needs no
/// login); else the logged-in customer, or 403 if there is none.
pub(crate) fn owner(
    cx: &Ctx<'_>,
    kind: Kind,
    resource: Option<&Resource>,
) -> Result<Option<String>, ApiError> {
    if cx.interface != carecloud_api::Interface::Customer {
        return Ok(None);
    }
    let scoped = resource.is_some_and(|r| r.owner.is_some()) || cx.op.param(OWNER).is_some();
    let registering = kind == Kind::Create && resource.is_some_and(|r| r.owner == Some(r.id));
    if !scoped || registering {
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

/// Whether `record` of `resource` is `me`'s.
pub(crate) fn is_mine(record: &Value, resource: &Resource, me: &str) -> bool {
    record
        .get(resource.owner.unwrap_or(OWNER))
        .and_then(text)
        .as_deref()
        == Some(me)
}

/// Every value given for `name` must be `me` (a `customer_id` or
/// `customer_ids` filter naming someone else is refused, not emptied).
pub(crate) fn only_me(name: &str, values: &[String], me: &str) -> Result<(), ApiError> {
    match values.iter().find(|v| v.as_str() != me) {
        Some(other) => Err(not_mine(name, other)),
        None => Ok(()),
    }
}
