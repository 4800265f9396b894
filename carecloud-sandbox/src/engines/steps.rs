//! Actions: declared steps (find, require, create, update, remove, each,
//! ledger verbs) run in order, then the declared reply; atomic (a failed
//! step leaves the records as they were). A state transition is such an
//! action: find the record, require the states it may leave (each refusal
//! the declared error code), set the fields of the new state.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::expr::{Env, eval, number, records, truthy};
use super::ledger_verbs::{Move, apply};
use super::records::{Write, refuse, write};
use super::{declared, env};
use crate::context::{Answer, Ctx, Reply};
use crate::decl::{Action, Do, Expr, Fields, Kind, Match, Resource, Select, Step};
use crate::errors::{self, ApiError};
use crate::scope;
use crate::store::{Store, set, text};

/// Names bound by steps, and their values.
type Bound = Vec<(&'static str, Value)>;

pub(super) fn serve(cx: &mut Ctx<'_>, action: &Action) -> Reply {
    let (body, now) = (cx.body()?, cx.state.now());
    let customer = match &action.customer {
        Some(arg) => Some(super::customer(cx, arg, &env!(cx, &body, &now))?),
        None => None,
    };
    let mut bound = Bound::new();
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
    let data = eval(&Expr::Object(reply), &env, &cx.state.store);
    let status = StatusCode::from_u16(action.status).unwrap_or(StatusCode::OK);
    Ok(Answer::Json(status, json!({ "data": data })))
}

/// Runs `steps` for (body, customer, item), binding into `bound`.
pub(super) fn run(
    cx: &mut Ctx<'_>,
    steps: &[Step],
    (body, customer, item): (&Value, Option<&str>, Option<&Value>),
    bound: &mut Bound,
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
            Do::Find(find) => {
                let found = records(&find.select, &env, store)
                    .first()
                    .map(|r| (*r).clone());
                let Some(found) = found.or(find.optional.then_some(Value::Null)) else {
                    let fail = find.missing.as_ref().map(|fail| refuse(fail, &env, store));
                    return Err(fail.unwrap_or_else(|| not_found(&find.select, &env, store)));
                };
                let resource = declared(find.select.resource)?;
                if find.mine
                    && let Some(me) = scope::owner(cx, Kind::Get, Some(resource))?
                    && !scope::is_mine(&found, resource, &me)
                {
                    let id = found.get(resource.id).and_then(text).unwrap_or_default();
                    return Err(scope::not_mine(resource.id, &id));
                }
                bound.push((find.bind, found));
            }
            Do::Require(check) => {
                if !truthy(&eval(&check.require, &env, store)) {
                    return Err(refuse(&check.fail, &env, store));
                }
            }
            Do::Create(create) => {
                let (record, resource) = (
                    eval(&create.record, &env, store),
                    declared(create.resource)?,
                );
                let how = if create.upsert {
                    Write::Upsert
                } else {
                    Write::Create
                };
                let id = write(&mut cx.state.store, resource, record, how, &env)?;
                if let Some(bind) = create.bind {
                    bound.push((bind, stored(&cx.state.store, resource.name, &id)));
                }
            }
            Do::Update(update) => {
                let Some(slot) = bound.iter().rposition(|(n, _)| *n == update.bind) else {
                    return Err(errors::sandbox_bug("an update of nothing bound"));
                };
                let resource = declared(update.resource)?;
                let record = rewrite(
                    &mut cx.state.store,
                    resource,
                    &bound[slot].1,
                    update.set,
                    &env,
                )?;
                bound[slot].1 = record;
            }
            Do::UpdateAll(all) => {
                let targets: Vec<Value> = records(&all.select, &env, store)
                    .into_iter()
                    .cloned()
                    .collect();
                let resource = declared(all.select.resource)?;
                for target in targets {
                    rewrite(&mut cx.state.store, resource, &target, all.set, &env)?;
                }
            }
            Do::Remove { select, none } => {
                let resource = declared(select.resource)?;
                let ids: Vec<String> = records(select, &env, store)
                    .iter()
                    .filter_map(|r| r.get(resource.id).and_then(text))
                    .collect();
                if let (true, Some(fail)) = (ids.is_empty(), none) {
                    return Err(refuse(fail, &env, store));
                }
                for id in ids {
                    if let Some((index, _)) = cx.state.store.find(resource.name, &id) {
                        cx.state.store.remove(resource.name, index);
                    }
                }
            }
            Do::Each { items, steps } => {
                for item in eval(items, &env, store).as_array().into_iter().flatten() {
                    run(cx, steps, (body, customer, Some(item)), bound, now)?;
                }
            }
            Do::Ledger(step) => {
                let book = super::ledger(step.ledger)
                    .ok_or_else(|| errors::sandbox_bug("no such ledger"))?;
                let value = |e| eval(e, &env, store);
                let (who, key) = (text(&value(&step.customer)), text(&value(&step.key)));
                let (who, key) = (who.unwrap_or_default(), key.unwrap_or_default());
                let amount = number(&value(&step.amount));
                let m = Move {
                    who: &who,
                    to: "",
                    amount,
                    key: &key,
                    note: value(&step.note),
                    body,
                };
                let id = apply(&mut cx.state.store, book, step.verb, m, &env);
                let fail = |error| {
                    step.fail
                        .as_ref()
                        .map_or(error, |f| refuse(f, &env, &cx.state.store))
                };
                let id = id.map_err(fail)?;
                if let Some(bind) = step.bind {
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
fn rewrite(
    store: &mut Store,
    resource: &Resource,
    record: &Value,
    fields: Fields,
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
fn not_found(select: &Select, env: &Env<'_>, store: &Store) -> ApiError {
    let record = super::resource(select.resource).map_or(select.resource, |r| r.record);
    let wanted = select.matching.iter().find_map(|(_, m)| match m {
        Match::Is(e) => text(&eval(e, env, store)),
        Match::Empty => None,
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
