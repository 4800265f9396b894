//! CareCloud's own example payloads against the spec: each one is decoded
//! into the generated type the spec gives it and written back, and must come
//! back exactly as it was (`null`s of optional fields aside) with nothing
//! left in any `extra` map: a field the spec does not name is a failure, to
//! be fixed in the spec (or allowed in [`ALLOWED_UNKNOWN`], with a reason).
//!
//! Which type: from the file name, `<interface>_<METHOD>_<path>[.<what>].json`
//! (`customer_POST_tokens_token_id_actions_login.request.json`), matched
//! against the interface's generated operation table: a `request` file is
//! the operation's body, any other its success reply.
//! `error_<status>_<what>.json` is the reply the spec declares for that
//! status. Nothing here lists the examples, so one added to the folder, or
//! an operation added to the spec (purchases, products, events), is picked
//! up by itself; an example whose operation the spec does not have yet is
//! reported as an ignored trial naming the operation.
//!
//! The examples are the vendor's, so they are read where they are kept, not
//! copied into this repository: from `$CARECLOUD_REFERENCE_DIR`, else from
//! `<workspace>/../shared/reference`. Without them these trials are
//! reported as ignored, with the reason; `CARECLOUD_REQUIRE_REFERENCE=1`
//! (set by `.ci/run`) makes that a failure.
//!
//! The `checker::` trials test the check itself on payloads of our own, and
//! always run; the `facts::` trials assert what particular examples say.

#[path = "../../carecloud-sandbox/tests/support/schema.rs"]
mod schema;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use carecloud_api::{Interface, Operation, types};
use carecloud_sandbox::schemas;
use carecloud_tests::{differences, without_nulls};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use schema::Direction;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Unknown fields accepted in particular examples: (file, JSON path, why).
/// Empty: every field of every example is named by the spec.
const ALLOWED_UNKNOWN: &[(&str, &str, &str)] = &[];

fn main() {
    let args = Arguments::from_args();
    let mut trials = checker_trials();
    let mut tally = None;
    match carecloud_tests::reference_examples() {
        Ok(dir) => {
            let examples = example_trials(&dir);
            tally = Some((
                examples.iter().filter(|(_, covered)| *covered).count(),
                examples.iter().filter(|(_, covered)| !*covered).count(),
            ));
            trials.extend(examples.into_iter().map(|(trial, _)| trial));
            trials.extend(fact_trials(Ok(&dir)));
        }
        Err(reason) => {
            trials.push(without_reference("examples".to_owned(), reason.clone()));
            trials.extend(fact_trials(Err(&reason)));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if let Some((covered, pending)) = tally {
        println!(
            "vendor examples: {covered} checked against the spec, {pending} pending (operation not in the spec yet)"
        );
    }
    conclusion.exit()
}

/// The trial standing for the examples when there are none: ignored, with
/// the reason, or failed when they are required.
fn without_reference(name: String, reason: String) -> Trial {
    if carecloud_tests::reference_required() {
        Trial::test(name, move || {
            Err(format!("{reason} (CARECLOUD_REQUIRE_REFERENCE=1: they are required)").into())
        })
    } else {
        Trial::ignorable_test(name, move || Ok(Completion::ignored_with(reason)))
    }
}

/// What an example is, from its file name.
#[derive(Debug)]
enum Target {
    /// The body of an operation's request.
    Request(Interface, &'static Operation),
    /// An operation's success reply.
    Reply(Interface, &'static Operation),
    /// The reply the spec declares for an error status.
    Error(u16),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Request(i, op) => {
                write!(f, "the body of {} {} ({i:?})", op.method.as_str(), op.path)
            }
            Target::Reply(i, op) => {
                write!(f, "the reply of {} {} ({i:?})", op.method.as_str(), op.path)
            }
            Target::Error(status) => write!(f, "a {status} reply"),
        }
    }
}

impl Target {
    /// Which way it goes.
    fn direction(&self) -> Direction {
        match self {
            Target::Request(..) => Direction::Request,
            Target::Reply(..) | Target::Error(_) => Direction::Reply,
        }
    }

    /// The name of the spec's schema for it.
    fn schema(&self) -> Result<String, String> {
        match self {
            Target::Request(_, op) => op.body.map(str::to_owned).ok_or_else(|| {
                format!(
                    "the vendor sends a body to {} {}, which has none in the spec",
                    op.method.as_str(),
                    op.path
                )
            }),
            Target::Reply(_, op) => op.response.map(str::to_owned).ok_or_else(|| {
                format!(
                    "the vendor shows a reply body of {} {}, which has none in the spec",
                    op.method.as_str(),
                    op.path
                )
            }),
            Target::Error(status) => error_schema(*status),
        }
    }
}

/// Every `*.json` file under `dir`, sorted.
fn example_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|entry| entry.map(|e| e.path()));
        for path in entries {
            let path = path.unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// One trial per example file, and whether it is checked (`false`: its
/// operation is not in the spec yet, the trial is ignored).
fn example_trials(dir: &Path) -> Vec<(Trial, bool)> {
    example_files(dir)
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_owned();
            let name = format!("examples::{}", relative.display());
            let file = relative.display().to_string();
            match target(&path) {
                Ok(Ok(target)) => (
                    Trial::test(name, move || check_file(&path, &file, &target)),
                    true,
                ),
                Ok(Err(pending)) => (
                    Trial::ignorable_test(name, move || Ok(Completion::ignored_with(pending))),
                    false,
                ),
                Err(error) => (Trial::test(name, move || Err(error.into())), true),
            }
        })
        .collect()
}

/// The target of the example at `path`: `Ok(Err(why))` when its operation
/// is not in the spec yet; `Err` when the name cannot be read.
fn target(path: &Path) -> Result<Result<Target, String>, String> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{}: a file name that is not UTF-8", path.display()))?;
    let (base, what) = stem.split_once('.').unwrap_or((stem, ""));
    let mut parts = base.splitn(3, '_');
    let (Some(prefix), Some(second), Some(rest)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!(
            "`{stem}`: not `<interface>_<METHOD>_<path>` nor `error_<status>_<what>`"
        ));
    };
    let interface = match prefix {
        "enterprise" => Interface::Enterprise,
        "customer" => Interface::Customer,
        "error" => {
            let status = second
                .parse()
                .map_err(|_| format!("`{stem}`: `{second}` is not a status code"))?;
            return Ok(Ok(Target::Error(status)));
        }
        other => return Err(format!("`{stem}`: unknown interface `{other}`")),
    };
    let found = interface
        .operations()
        .iter()
        .copied()
        .find(|op| op.method.as_str() == second && file_key(op.path) == rest);
    let Some(op) = found else {
        let path = format!("/{}", rest.replace('_', "/"));
        return Ok(Err(format!(
            "pending: {second} {path} is not an operation of the spec's {interface:?} interface yet"
        )));
    };
    Ok(Ok(if what.starts_with("request") {
        Target::Request(interface, op)
    } else {
        Target::Reply(interface, op)
    }))
}

/// How a file name spells a path template: `/customers/{customer_id}/cards`
/// → `customers_customer_id_cards`.
fn file_key(template: &str) -> String {
    template
        .trim_start_matches('/')
        .replace(['{', '}'], "")
        .replace('/', "_")
}

/// The schema the spec declares for replies of `status` (the same for
/// every operation declaring that status).
fn error_schema(status: u16) -> Result<String, String> {
    static DOCUMENT: OnceLock<Result<Value, String>> = OnceLock::new();
    let document = DOCUMENT
        .get_or_init(|| {
            carecloud_codegen::validate_workspace(&carecloud_tests::workspace_root())
                .map(|api| api.document)
                .map_err(|e| format!("the spec: {e}"))
        })
        .as_ref()?;
    let code = status.to_string();
    let names: BTreeSet<&str> = document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.pointer(&format!("/responses/{code}")))
        .filter_map(|reply| match reply.get("$ref").and_then(Value::as_str) {
            Some(target) => document.pointer(target.trim_start_matches('#')),
            None => Some(reply),
        })
        .filter_map(|reply| reply.pointer("/content/application~1json/schema/$ref"))
        .filter_map(Value::as_str)
        .filter_map(|target| target.strip_prefix("#/components/schemas/"))
        .collect();
    match names.len() {
        1 => Ok(names.into_iter().next().unwrap_or_default().to_owned()),
        0 => Err(format!(
            "no operation of the spec declares a {status} reply with a body"
        )),
        _ => Err(format!(
            "the spec's {status} replies have several schemas: {names:?}"
        )),
    }
}

/// Reads an example.
fn read(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The check of one example file.
fn check_file(path: &Path, file: &str, target: &Target) -> Result<(), Failed> {
    let schema = target.schema()?;
    let original = read(path)?;
    let allowed: Vec<&str> = ALLOWED_UNKNOWN
        .iter()
        .filter(|(f, _, _)| *f == file)
        .map(|(_, path, _)| *path)
        .collect();
    check(target.direction(), &schema, &original, &allowed).map_err(|problems| {
        format!("{file} as {schema} ({target}):\n{}", problems.join("\n")).into()
    })
}

/// `value` decoded as the generated type of `schema` and written back, and
/// validated against the spec's JSON Schema of `schema` (objects open, as
/// the spec has them: unknown fields are what `extra` shows) sent in
/// `direction`: every problem (a decode error, a field kept in `extra`
/// that `allowed` does not name, a value the schema refuses, anything
/// changed in the round trip but a `null` dropped or a number written in
/// another form, `0` as `0.0`).
fn check(
    direction: Direction,
    schema: &str,
    value: &Value,
    allowed: &[&str],
) -> Result<(), Vec<String>> {
    let decoded = match schemas::decode(schema, value.clone()) {
        None => return Err(vec![format!("`{schema}` is not a schema of any operation")]),
        Some(Err(error)) => return Err(vec![format!("does not decode: {error}")]),
        Some(Ok(decoded)) => decoded,
    };
    let mut problems: Vec<String> = decoded
        .unknown
        .iter()
        .filter(|path| !allowed.contains(&path.as_str()))
        .map(|path| format!("{path}: not named by the spec (kept in `extra`)"))
        .collect();
    let spec = schema::open_spec().map_err(|e| vec![e])?;
    problems.extend(spec.problems(direction, schema, value));
    problems.extend(
        differences(&without_nulls(value), &without_nulls(&decoded.value))
            .into_iter()
            .map(|d| format!("round trip: {d}")),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The check itself, on payloads of our own (no reference needed).
fn checker_trials() -> Vec<Trial> {
    vec![
        Trial::test("checker::fails_on_a_planted_unknown_field", || {
            let card = json!({"card_type_id": "t1", "card_number": "100", "state": 1});
            let mut planted = json!({"data": {"cards": [card.clone(), card], "total_items": 2}});
            planted["data"]["cards"][1]["colour"] = json!("gold");
            planted["data"]["next"] = json!(null);
            planted["page"] = json!({"of": 3});
            let problems = check(Direction::Reply, "CardListResponse", &planted, &[])
                .err()
                .ok_or("a planted unknown field passed")?;
            let wanted = [
                "$.data.cards[1].colour: not named by the spec (kept in `extra`)",
                "$.data.next: not named by the spec (kept in `extra`)",
                "$.page: not named by the spec (kept in `extra`)",
            ];
            if problems != wanted {
                return Err(format!("{problems:#?}").into());
            }
            check(
                Direction::Reply,
                "CardListResponse",
                &planted,
                &["$.data.cards[1].colour", "$.data.next", "$.page"],
            )
            .map_err(|p| format!("allowed fields still reported: {p:?}").into())
        }),
        Trial::test("checker::keeps_empty_arrays_and_drops_only_nulls", || {
            let reply = |value: &Value| check(Direction::Reply, "CardListResponse", value, &[]);
            reply(&json!({"data": {"cards": [], "total_items": 0}})).map_err(|p| p.join("\n"))?;
            let card =
                json!({"card_type_id": "t1", "card_number": "100", "state": 1, "valid_from": null});
            reply(&json!({"data": {"cards": [card]}})).map_err(|p| p.join("\n"))?;
            Ok(())
        }),
        Trial::test("checker::fails_on_values_the_spec_refuses", || {
            let reply = |value: Value| check(Direction::Reply, "CardListResponse", &value, &[]);
            let card = json!({"card_type_id": "t1", "card_number": "100", "state": 1});
            let mut number = card.clone();
            number["card_number"] = json!(100);
            match reply(json!({"data": {"cards": [number]}})) {
                Err(p) if p.len() == 1 && p[0].contains("data.cards[0].card_number") => {}
                other => return Err(format!("a number for a string: {other:?}").into()),
            }
            let mut nulled = card.clone();
            nulled["last_change"] = Value::Null; // optional, not nullable
            match reply(json!({"data": {"cards": [nulled]}})) {
                Err(p) if p.len() == 1 && p[0].contains("/data/cards/0/last_change") => {}
                other => return Err(format!("a null the spec does not allow: {other:?}").into()),
            }
            let mut missing = card;
            missing.as_object_mut().map(|c| c.remove("state"));
            match reply(json!({"data": {"cards": [missing]}})) {
                Err(p) if p.iter().any(|p| p.contains("state")) => Ok(()),
                other => Err(format!("a required field missing: {other:?}").into()),
            }
        }),
        Trial::test("checker::reads_operations_from_file_names", || {
            let cases = [
                (
                    "customer_POST_tokens_token_id_actions_login.request.json",
                    "Request(Customer, postTokenLogin)",
                ),
                (
                    "enterprise_GET_cards.assigned_card.json",
                    "Reply(Enterprise, getCards)",
                ),
                (
                    "enterprise_PUT_cards_card_id.request.json",
                    "Request(Enterprise, putCard)",
                ),
                ("customer_GET_stores.json", "Reply(Customer, getStores)"),
                ("error_404_not_found.json", "Error(404)"),
            ];
            for (file, wanted) in cases {
                let got = match target(Path::new(file)) {
                    Ok(Ok(Target::Request(i, op))) => {
                        format!("Request({i:?}, {})", op.operation_id)
                    }
                    Ok(Ok(Target::Reply(i, op))) => format!("Reply({i:?}, {})", op.operation_id),
                    Ok(Ok(Target::Error(status))) => format!("Error({status})"),
                    other => format!("{other:?}"),
                };
                if got != wanted {
                    return Err(format!("{file}: {got}, expected {wanted}").into());
                }
            }
            match target(Path::new(
                "enterprise_POST_no-such-thing_actions_go.request.json",
            )) {
                Ok(Err(why)) if why.contains("POST /no-such-thing/actions/go") => {}
                other => return Err(format!("an unknown operation: {other:?}").into()),
            }
            match target(Path::new("partner_GET_x.json")) {
                Err(why) if why.contains("unknown interface `partner`") => Ok(()),
                other => Err(format!("an unknown interface: {other:?}").into()),
            }
        }),
    ]
}

/// A trial of what the example `file` of `dir` says, as a `T`; without the
/// examples, ignored (or failed, when they are required) with the reason.
fn fact<T: DeserializeOwned>(
    dir: Result<&Path, &String>,
    name: &str,
    file: &'static str,
    assert: impl FnOnce(T) -> Result<(), String> + Send + 'static,
) -> Trial {
    let name = format!("facts::{name}");
    let path = match dir {
        Ok(dir) => dir.join(file),
        Err(reason) => return without_reference(name, reason.clone()),
    };
    Trial::test(name, move || {
        let value: T = serde_json::from_value(read(&path)?)
            .map_err(|e| format!("{file} as {}: {e}", std::any::type_name::<T>()))?;
        assert(value).map_err(|e| format!("{file}: {e}").into())
    })
}

/// `Err(what)` unless `ok`.
fn ensure(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.to_owned()) }
}

/// What particular examples say, read through the generated types.
fn fact_trials(dir: Result<&Path, &String>) -> Vec<Trial> {
    let customer_list = |list: types::CustomerListResponse| {
        ensure(list.data.total_items == Some(1), "one customer")?;
        let info = &list.data.customers()[0].personal_information;
        ensure(
            info.birthdate.as_ref().map(|d| d.as_str()) == Some("985-02-12"),
            "the malformed birthdate is kept verbatim",
        )
    };
    vec![
        fact(
            dir,
            "customer_list_of_the_customer_interface",
            "customer_GET_customers.json",
            customer_list,
        ),
        fact(
            dir,
            "customer_list_of_the_enterprise_interface",
            "enterprise_GET_customers.json",
            customer_list,
        ),
        fact(
            dir,
            "customer_registration",
            "customer_POST_customers.request.json",
            |request: types::PostCustomerRequest| {
                let phone = request.customer.personal_information.phone.as_ref();
                ensure(
                    phone.is_some_and(|p| p.is_number()),
                    "the legacy example sends the phone as a JSON number",
                )?;
                ensure(request.autologin, "autologin")?;
                ensure(
                    !format!("{request:?}").contains("password_example"),
                    "the password is not in Debug",
                )
            },
        ),
        fact(
            dir,
            "interest_record_creation",
            "customer_POST_customers_customer_id_interest-records.request.json",
            |request: types::InterestRecordRequest| {
                ensure(
                    request.interest_record.interest_id == "81eaeea13b8984a169c490a325",
                    "interest_id",
                )
            },
        ),
        fact(
            dir,
            "property_record_creation",
            "customer_POST_customers_customer_id_property-records.request.json",
            |request: types::PropertyRecordRequest| {
                ensure(
                    request.property_record.property_value == Some(Value::Array(Vec::new())),
                    "an empty list is a value of the property, kept",
                )
            },
        ),
        fact(
            dir,
            "property_record_id",
            "customer_POST_customers_customer_id_property-records.response.json",
            |reply: types::PropertyRecordIdResponse| {
                ensure(
                    reply
                        .data
                        .property_record_id
                        .is_some_and(|id| id.starts_with("contact_person:")),
                    "the record ID names the property",
                )
            },
        ),
        fact(
            dir,
            "card_list_with_an_assigned_card",
            "enterprise_GET_cards.assigned_card.json",
            |list: types::CardListResponse| {
                let card = &list.data.cards()[0];
                ensure(
                    card.customer_id.as_deref() == Some("84b9167cff007d98e1633"),
                    "the owner",
                )?;
                ensure(card.state == types::CardState::Active, "active")?;
                ensure(
                    card.valid_from.is_none() && card.store_id.is_none(),
                    "nulls are absent values",
                )
            },
        ),
        fact(
            dir,
            "card_list_with_a_free_card",
            "enterprise_GET_cards.unassigned_card.json",
            |list: types::CardListResponse| {
                ensure(
                    list.data.total_items == Some(35415),
                    "total_items is not the array's length",
                )?;
                let card = &list.data.cards()[0];
                ensure(card.customer_id.is_none(), "a free card has no owner")?;
                ensure(
                    card.last_change.as_ref().map(|t| t.as_str())
                        == Some("2012-08-21 14:25:13.821752"),
                    "kept verbatim, fraction included",
                )
            },
        ),
        fact(
            dir,
            "card_creation",
            "enterprise_POST_cards.request.json",
            |request: types::PostCardRequest| {
                ensure(request.card.card_number == "2001900627", "card_number")?;
                ensure(
                    request.card.customer_id.as_deref() == Some("e05affc7a7abefc513ab"),
                    "customer_id",
                )
            },
        ),
        fact(
            dir,
            "card_creation_reply_as_documented",
            "enterprise_POST_cards.response_as_documented.json",
            |reply: types::CardIdResponse| {
                ensure(
                    reply.data.card_id.is_none(),
                    "the documented reply names the customer, not the card",
                )?;
                ensure(
                    reply.data.customer_id.as_deref() == Some("82c973544d6279113f387bc"),
                    "read as the legacy field",
                )
            },
        ),
        fact(
            dir,
            "card_replacement",
            "enterprise_PUT_cards_card_id.request.json",
            |put: types::PutCardRequest| {
                ensure(
                    put.card.card_id.as_deref() == Some("8ecdd31720a5de8af85e1c566"),
                    "card_id",
                )
            },
        ),
        fact(
            dir,
            "recorded_event",
            "enterprise_POST_events.request.json",
            |request: types::PostEventRequest| {
                let event = &request.event;
                ensure(
                    event.external_id.is_number(),
                    "external_id sent as a JSON number",
                )?;
                ensure(event.external_id.as_str() == "157613", "external_id")?;
                ensure(
                    event.data == Some(Value::String("{\"test\":10,\"test2\":20}".into())),
                    "JSON written into a string stays a string",
                )?;
                ensure(
                    event.created_at.as_ref().map(|t| t.as_str()) == Some("2017-06-20 16:59:49"),
                    "created_at",
                )?;
                ensure(
                    event.secondary_external_id.is_none(),
                    "null is an absent value",
                )?;
                let records = request.property_records.as_deref().unwrap_or_default();
                ensure(records.len() == 1, "one property record")?;
                ensure(records[0].property_id == "contact_person", "property_id")?;
                ensure(
                    records[0].property_value == Some(Value::Array(Vec::new())),
                    "an empty list is a value of the property, kept",
                )
            },
        ),
        fact(
            dir,
            "card_type_list",
            "enterprise_GET_card-types.json",
            |list: types::CardTypeListResponse| {
                ensure(list.data.total_items == Some(2), "two card types")?;
                let prefixes: Vec<&str> = list
                    .data
                    .card_types()
                    .iter()
                    .map(|t| t.prefix.as_str())
                    .collect();
                ensure(prefixes == ["12", ""], "an empty prefix is kept")
            },
        ),
    ]
}
