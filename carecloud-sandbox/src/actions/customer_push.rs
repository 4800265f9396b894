//! Push-notification subscriptions of customers. A subscription is a
//! device's push token for a customer and a customer application; setting
//! one replaces the one with the same token, cancelling removes the
//! customer's subscriptions for the application (only the one with
//! `push_token` when it is given; 400 `not_found` if there is none). No
//! operation lists them: the sandbox keeps them in a collection of its own.

use carecloud_api::types::{CancelPushNotificationsRequest, SetPushNotificationsRequest};
use serde_json::{Value, json};

use super::customer_actions::known_application;
use crate::context::{Answer, Ctx, Reply};
use crate::engines::known_customer;
use crate::errors;
use crate::store::text;

/// Push subscriptions (not a resource of the API: no operation lists them).
const SUBSCRIPTIONS: &str = "push_subscriptions";

fn is(subscription: &Value, field: &str, value: &str) -> bool {
    subscription.get(field).and_then(text).as_deref() == Some(value)
}

/// `POST /customers/actions/set-push-notifications`.
pub(crate) fn set_push(cx: &mut Ctx<'_>) -> Reply {
    let body: SetPushNotificationsRequest = cx.body_as()?;
    let customer = known_customer(cx, "customer_id", &body.customer_id, true)?;
    let application = body.external_application_id.as_str();
    known_application(cx, "external_application_id", application)?;
    let record = json!({"push_subscription_id": cx.state.store.new_id(26), "customer_id": customer,
        "external_application_id": application, "push_token": body.push_token, "device": body.device});
    let subscriptions = &mut cx
        .state
        .store
        .entry(SUBSCRIPTIONS, "push_subscription_id")
        .records;
    subscriptions.retain(|s| {
        !(is(s, "push_token", &body.push_token) && is(s, "external_application_id", application))
    });
    subscriptions.push(record);
    Ok(Answer::NoContent)
}

/// `POST /customers/actions/cancel-push-notifications`.
pub(crate) fn cancel_push(cx: &mut Ctx<'_>) -> Reply {
    let body: CancelPushNotificationsRequest = cx.body_as()?;
    let customer = known_customer(cx, "customer_id", &body.customer_id, true)?;
    let application = body.external_application_id.as_str();
    known_application(cx, "external_application_id", application)?;
    let token = body.push_token.as_deref();
    let cancelled = |s: &Value| {
        is(s, "customer_id", &customer)
            && is(s, "external_application_id", application)
            && token.is_none_or(|t| is(s, "push_token", t))
    };
    let subscriptions = &mut cx
        .state
        .store
        .entry(SUBSCRIPTIONS, "push_subscription_id")
        .records;
    let before = subscriptions.len();
    subscriptions.retain(|s| !cancelled(s));
    if let Some(token) = token
        && subscriptions.len() == before
    {
        let message = "The customer has no subscription with this push token";
        return Err(errors::bad_request(
            "push_token",
            "not_found",
            json!(token),
            message,
        ));
    }
    Ok(Answer::NoContent)
}
