//! The engines that turn the plan (`decl.rs`, generated from the spec's
//! `x-sandbox` declarations) into behaviour: `collections` (standard
//! lists, gets and writes, over `records` and `listing`), `ledger` (books
//! of lots: points, credits), `steps` (actions: state transitions and the
//! writes they make), `views` (aggregates) and `batch`. Each runs under the
//! state lock; a ledger verb, an action or a batch that fails leaves the
//! records as they were.

mod batch;
mod collections;
pub(crate) mod expr;
pub(crate) mod ledger;
mod ledger_verbs;
mod listing;
pub(crate) mod records;
mod steps;
#[cfg(test)]
pub(crate) mod test_support;
mod views;

use serde_json::json;

use crate::context::{Ctx, Reply};
use crate::decl::{Arg, Ledger, Resource, Serve};
use crate::errors::{self, ApiError};
use crate::generated::plan;
use crate::scope;
use crate::store::text;
use expr::{Env, eval};

/// Serves `cx.op` as the plan says (a `Handler` operation has none in
/// `actions.rs`: a sandbox bug).
pub(crate) fn serve(cx: &mut Ctx<'_>) -> Reply {
    match plan::serve(cx.op.id) {
        Serve::Handler => Err(errors::no_handler(cx.op)),
        Serve::Standard(standard) => collections::serve(cx, standard),
        Serve::View(view) => views::serve(cx, view),
        Serve::Ledger(op) => atomic(cx, |cx| ledger_verbs::serve(cx, &op)),
        Serve::Action(action) => atomic(cx, |cx| steps::serve(cx, action)),
        Serve::Batch(batch) => batch::serve(cx, batch),
    }
}

/// Runs `f`; if it fails, its changes to the records are taken back.
pub(crate) fn atomic(cx: &mut Ctx<'_>, f: impl FnOnce(&mut Ctx<'_>) -> Reply) -> Reply {
    let mark = cx.state.store.begin();
    let reply = f(cx);
    if reply.is_err() {
        cx.state.store.rollback(mark);
    }
    cx.state.store.end();
    reply
}

/// The declared resource `name`.
pub(crate) fn resource(name: &str) -> Option<&'static Resource> {
    plan::RESOURCES.iter().find(|r| r.name == name)
}

/// The declared resource `name`, or a 500 naming it.
pub(crate) fn declared(name: &str) -> Result<&'static Resource, ApiError> {
    resource(name).ok_or_else(|| errors::sandbox_bug(&format!("no resource `{name}` is declared")))
}

/// The declared ledger `name`.
pub(crate) fn ledger(name: &str) -> Option<&'static Ledger> {
    plan::LEDGERS.iter().find(|l| l.name == name)
}

/// The customer `arg` names: on the customer interface the logged-in one
/// (403 without a login, 400 `not_belong_to_logged_in_customer` for
/// another), and an existing one (400 `not_found`).
pub(crate) fn customer(cx: &Ctx<'_>, arg: &Arg, env: &Env<'_>) -> Result<String, ApiError> {
    let id = text(&eval(&arg.value, env, &cx.state.store)).unwrap_or_default();
    known_customer(cx, arg.name, &id, true)
}

/// `id` as the customer field `name`: an existing customer (400
/// `not_found`); with `mine`, on the customer interface the logged-in one.
pub(crate) fn known_customer(
    cx: &Ctx<'_>,
    name: &str,
    id: &str,
    mine: bool,
) -> Result<String, ApiError> {
    if mine && let Some(me) = scope::owner(cx, crate::decl::Kind::Get, resource("customers"))? {
        scope::only_me(name, &[id.to_owned()], &me)?;
    }
    if cx.state.store.find("customers", id).is_some() {
        Ok(id.to_owned())
    } else {
        Err(errors::unknown(name, json!(id), "No customer with this ID"))
    }
}

/// The request's environment (body, parameters, now) for expressions.
macro_rules! env {
    ($cx:expr, $body:expr, $now:expr) => {
        $crate::engines::expr::Env {
            body: $body,
            params: &$cx.path,
            query: &$cx.query,
            customer: None,
            record: None,
            it: None,
            item: None,
            bound: &[],
            now: $now,
        }
    };
}
pub(crate) use env;
