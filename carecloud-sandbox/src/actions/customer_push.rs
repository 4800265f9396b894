//! Push-notification subscriptions of customers. A subscription is a
//! device's push token for a customer and a customer application; setting
//! one replaces the one with the same token, cancelling removes the
//! customer's subscriptions for the application (only the one with
//! `push_token` when it is given; 400 `not_found` if there is none). No
//! operation lists them: the sandbox keeps them in a collection of its own.

use serde_json::{Value, json};

use super::customer_actions::known_application;
use super::customer_records::body_customer;
use crate::context::{Answer, Ctx, Reply};
use crate::errors;
use crate::scope::{self, OWNER};

/// Push subscriptions (not a resource of the API: no operation lists them).
const SUBSCRIPTIONS: &str = "push_subscriptions";

/// `POST /customers/actions/set-push-notifications`.
pub(crate) fn set_push(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let application = body["external_application_id"].as_str().unwrap_or_default();
    known_application(cx, "external_application_id", application)?;
    let token = body["push_token"].clone();
    let id = cx.state.store.new_id(26);
    let record = json!({"push_subscription_id": id, OWNER: customer, "external_application_id": application,
        "push_token": token, "device": body["device"]});
    let subscriptions = &mut cx
        .state
        .store
        .entry(SUBSCRIPTIONS, "push_subscription_id")
        .records;
    subscriptions.retain(|s| {
        !(s["push_token"] == token && s["external_application_id"] == json!(application))
    });
    subscriptions.push(record);
    Ok(Answer::NoContent)
}

/// `POST /customers/actions/cancel-push-notifications`.
pub(crate) fn cancel_push(cx: &mut Ctx<'_>) -> Reply {
    let body = cx.body()?;
    let customer = body_customer(cx, &body)?;
    let application = json!(body["external_application_id"]);
    known_application(
        cx,
        "external_application_id",
        application.as_str().unwrap_or_default(),
    )?;
    let token = body.get("push_token").filter(|t| !t.is_null());
    let cancelled = |s: &Value| {
        scope::is_mine(s, &customer)
            && s["external_application_id"] == application
            && token.is_none_or(|t| s["push_token"] == *t)
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
            token.clone(),
            message,
        ));
    }
    Ok(Answer::NoContent)
}
