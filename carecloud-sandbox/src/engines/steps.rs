//! Actions: declared steps run in order under the state lock — find a
//! record (404, or the declared error), require a condition (precondition →
//! the declared error code), create, update or remove records (each write
//! under its resource's rules), repeat steps for each item of a list, move
//! amounts in a ledger — then the declared reply. The engine runs an action
//! atomically: if a step fails, the records are as they were.
//!
//! A state transition is such an action: find the record, require the
//! states it may leave (`voucher_already_applied`, `voucher_expired`), set
//! the fields of the new state, write what else it causes.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::expr::{Env, eval, records, truthy};
use super::ledger_verbs::{Move, apply};
use super::records::{Write, refuse, write};
use super::{declared, env};
use crate::context::{Answer, Ctx, Reply};
use crate::decl::{Action, Do, Kind, Step};
use crate::errors::{self, ApiError};
use crate::scope;
use crate::store::{Store, set, text};

pub(super) fn serve(cx: &mut Ctx<'_>, action: &Action) -> Reply {
    let body = cx.body()?;
    let now = cx.state.now();
    let customer = match &action.customer {
        Some(arg) => Some(super::customer(cx, arg, &env!(cx, &body, &now))?),
        None => None,
    };
    let mut bound = Vec::new();
    run(
        cx,
        action.steps,
        (&body, customer.as_deref(), None),
        &mut bound,
        &now,
    )?;
    let Some(reply) = action.reply else {
        return Ok(Answer::NoContent);
    };
    let env = Env {
        customer: customer.as_deref(),
        bound: &bound,
        ..env!(cx, &body, &now)
    };
    let data = eval(&crate::decl::Expr::Object(reply), &env, &cx.state.store);
    let status = StatusCode::from_u16(action.status).unwrap_or(StatusCode::OK);
    Ok(Answer::Json(status, json!({ "data": data })))
}

/// Runs `steps` for (body, customer, item), binding into `bound`.
pub(super) fn run(
    cx: &mut Ctx<'_>,
    steps: &[Step],
    (body, customer, item): (&Value, Option<&str>, Option<&Value>),
    bound: &mut Vec<(&'static str, Value)>,
    now: &str,
) -> Result<(), ApiError> {
    for step in steps {
        let snapshot = bound.clone();
        let env = Env {
            customer,
            item,
            bound: &snapshot,
            ..env!(cx, body, now)
        };
        let store = &cx.state.store;
        if step
            .when
            .as_ref()
            .is_some_and(|w| !truthy(&eval(w, &env, store)))
        {
            continue;
        }
        match &step.does {
            Do::Find {
                select,
                bind,
                mine,
                optional,
                missing,
            } => {
                let found = records(select, &env, store).first().map(|r| (*r).clone());
                let Some(found) = found.or(optional.then_some(Value::Null)) else {
                    return Err(match missing {
                        Some(fail) => refuse(fail, &env, store),
                        None => not_found(select, &env, store),
                    });
                };
                if *mine {
                    let resource = declared(select.resource)?;
                    if let Some(me) = scope::owner(cx, Kind::Get, Some(resource))?
                        && !scope::is_mine(&found, resource, &me)
                    {
                        let id = found.get(resource.id).and_then(text).unwrap_or_default();
                        return Err(scope::not_mine(resource.id, &id));
                    }
                }
                bound.push((bind, found));
            }
            Do::Require { test, fail } => {
                if !truthy(&eval(test, &env, store)) {
                    return Err(refuse(fail, &env, store));
                }
            }
            Do::Create {
                resource,
                record,
                upsert,
                bind,
            } => {
                let record = eval(record, &env, store);
                let resource = declared(resource)?;
                let how = if *upsert {
                    Write::Upsert
                } else {
                    Write::Create
                };
                let id = write(&mut cx.state.store, resource, record, how, &env)?;
                if let Some(bind) = bind {
                    bound.push((bind, stored(&cx.state.store, resource.name, &id)));
                }
            }
            Do::Update {
                bind,
                resource,
                set: fields,
            } => {
                let Some(slot) = bound.iter().rposition(|(n, _)| n == bind) else {
                    return Err(errors::sandbox_bug(&format!(
                        "nothing is bound as `{bind}`"
                    )));
                };
                let resource = declared(resource)?;
                let updated = update(&mut cx.state.store, resource, &bound[slot].1, fields, &env)?;
                bound[slot].1 = updated;
            }
            Do::UpdateAll {
                select,
                set: fields,
            } => {
                let targets: Vec<Value> =
                    records(select, &env, store).into_iter().cloned().collect();
                let resource = declared(select.resource)?;
                for target in targets {
                    update(&mut cx.state.store, resource, &target, fields, &env)?;
                }
            }
            Do::Remove { select, none } => {
                let resource = declared(select.resource)?;
                let ids: Vec<String> = records(select, &env, store)
                    .iter()
                    .filter_map(|r| r.get(resource.id).and_then(text))
                    .collect();
                if ids.is_empty()
                    && let Some(fail) = none
                {
                    return Err(refuse(fail, &env, store));
                }
                for id in ids {
                    if let Some((index, _)) = cx.state.store.find(resource.name, &id) {
                        cx.state.store.remove(resource.name, index);
                    }
                }
            }
            Do::Each { items, steps } => {
                let items = eval(items, &env, store);
                for item in items.as_array().into_iter().flatten() {
                    run(cx, steps, (body, customer, Some(item)), bound, now)?;
                }
            }
            Do::Ledger {
                ledger: name,
                verb,
                customer: who,
                amount,
                key,
                note,
                fail,
                bind,
            } => {
                let Some(book) = super::ledger(name) else {
                    return Err(errors::sandbox_bug(&format!("no ledger `{name}`")));
                };
                let value = |e| eval(e, &env, store);
                let (who, key) = (
                    text(&value(who)).unwrap_or_default(),
                    text(&value(key)).unwrap_or_default(),
                );
                let amount = super::expr::number(&value(amount));
                let verb_args = Move {
                    who: &who,
                    to: "",
                    amount,
                    key: &key,
                    note: value(note),
                    body,
                };
                let id =
                    apply(&mut cx.state.store, book, *verb, verb_args, &env).map_err(|error| {
                        fail.as_ref()
                            .map_or(error, |fail| refuse(fail, &env, &cx.state.store))
                    })?;
                if let Some(bind) = bind {
                    bound.push((bind, id.map_or(Value::Null, |id| json!(id))));
                }
            }
        }
    }
    Ok(())
}

/// A copy of the stored record `id` of `name`.
fn stored(store: &Store, name: &str, id: &str) -> Value {
    store.find(name, id).map_or(Value::Null, |(_, r)| r.clone())
}

/// `record` with `fields` set (`$record` is the record), written back.
fn update(
    store: &mut Store,
    resource: &crate::decl::Resource,
    record: &Value,
    fields: crate::decl::Fields,
    env: &Env<'_>,
) -> Result<Value, ApiError> {
    let id = record.get(resource.id).and_then(text).unwrap_or_default();
    let Some((index, _)) = store.find(resource.name, &id) else {
        return Err(errors::not_found(resource.record, &id));
    };
    let mut updated = record.clone();
    for (field, expr) in fields {
        set(
            &mut updated,
            field,
            eval(expr, &env.with_record(record), store),
        );
    }
    write(
        store,
        resource,
        updated,
        Write::Replace { index, id: &id },
        env,
    )?;
    Ok(stored(store, resource.name, &id))
}

/// 404 for a find that found nothing, naming the first value looked for.
fn not_found(select: &crate::decl::Select, env: &Env<'_>, store: &Store) -> ApiError {
    let record = super::resource(select.resource).map_or(select.resource, |r| r.record);
    let wanted = select.matching.iter().find_map(|(_, m)| match m {
        crate::decl::Match::Is(e) => text(&eval(e, env, store)),
        crate::decl::Match::Empty => None,
    });
    errors::not_found(record, &wanted.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use carecloud_api::Interface::{Customer, Enterprise};
    use carecloud_api::OperationId as Id;
    use serde_json::{Value, json};

    use crate::engines::test_support::{call, refused, seeded};

    #[test]
    fn a_transition_checks_its_preconditions_in_order_and_sets_the_new_state() {
        let (mut state, johns) = (seeded(), "8bb7345976bbc9ed20e5083dd1");
        let mut apply = |interface, id: &str, body: Value| {
            call(
                &mut state,
                (interface, Id::PostVoucherApply),
                &[("voucher_id", id)],
                "",
                body,
            )
        };
        let used = json!({"date_applied": "2026-01-15 10:00:00", "store_id": "8bed991c68a4"});
        assert_eq!(
            apply(Enterprise, johns, used.clone()),
            Ok((204, Value::Null))
        );
        assert_eq!(
            apply(Enterprise, johns, used),
            refused("voucher_already_applied")
        );
        let expired = "8bb7345976bbc9ed20e5083dd5";
        assert_eq!(
            apply(Enterprise, expired, json!({"date_applied": "x"})),
            refused("voucher_expired")
        );
        let (janas, nowhere) = (
            "8bb7345976bbc9ed20e5083dd4",
            json!({"date_applied": "x", "store_id": "x"}),
        );
        assert_eq!(apply(Enterprise, janas, nowhere), refused("not_found"));
        let mine = refused("not_belong_to_logged_in_customer");
        assert_eq!(apply(Customer, janas, json!({"date_applied": "x"})), mine);
        let applied = state
            .store
            .find("vouchers", johns)
            .and_then(|(_, v)| v.get("applied_date").cloned());
        assert_eq!(applied, Some(json!("2026-01-15 10:00:00")));
    }

    #[test]
    fn an_action_whose_later_step_fails_changes_nothing() {
        let mut state = seeded();
        let before = state.store.records("vouchers").len();
        // The voucher is created, then the test customer's 50 points do not pay 300.
        let (op, reward) = (
            (Enterprise, Id::PostRewardCreateVoucher),
            [("reward_id", "83cfee22eabfbbb15a14815e32")],
        );
        let outcome = call(
            &mut state,
            op,
            &reward,
            "",
            json!({"customer_id": crate::TEST_CUSTOMER_ID}),
        );
        assert_eq!(outcome, refused("not_enough_points_for_voucher"));
        assert_eq!(state.store.records("vouchers").len(), before);
    }
}
