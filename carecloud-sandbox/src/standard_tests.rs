//! Standard serving of operations the spec does not have yet (DELETE, a
//! sub-resource create and get), made up here as `Operation` values: they
//! must work from their facts alone. Also: a seed record gone wrong is a
//! 500 naming it, not a panic.

use axum::http::StatusCode;
use carecloud_api::operation::{Auth, Method, Param};
use carecloud_api::{Interface, Operation, OperationId};
use serde_json::{Value, json};

use crate::context::{self, Ctx};
use crate::errors::ApiError;
use crate::query::Query;
use crate::seed::{JOHN_SMITH_ID, TEST_CUSTOMER_ID};
use crate::state::{DeviceToken, State};
use crate::{SandboxConfig, standard};

const fn made_up(
    name: &'static str,
    method: Method,
    path: &'static str,
    params: &'static [Param],
    body: Option<&'static str>,
    response: Option<&'static str>,
) -> Operation {
    // Any id: standard serving never looks at it.
    let op = Operation::new(OperationId::GetCard, name, name, method, path)
        .in_group("cards")
        .with_auth(Auth::Bearer)
        .served_by_interface(Interface::Enterprise)
        .served_by_interface(Interface::Customer)
        .with_params(params);
    let op = match body {
        Some(body) => op.with_body(body, true),
        None => op,
    };
    match response {
        Some(response) => op.with_response(response),
        None => op,
    }
}

static DELETE_CARD: Operation = made_up(
    "delete_card",
    Method::Delete,
    "/cards/{card_id}",
    &[Param::path("card_id")],
    None,
    None,
);
static POST_CUSTOMER_CARD: Operation = made_up(
    "post_customer_card",
    Method::Post,
    "/customers/{customer_id}/cards",
    &[Param::path("customer_id")],
    Some("PostCardRequest"),
    Some("CardIdResponse"),
);
static GET_CUSTOMER_CARD: Operation = made_up(
    "get_customer_card",
    Method::Get,
    "/customers/{customer_id}/cards/{card_id}",
    &[Param::path("customer_id"), Param::path("card_id")],
    None,
    Some("CardResponse"),
);

const JOHNS_CARD: &str = "ca4d0a4ded0a29f09300000001";
const TESTS_CARD: &str = "ca4d0a4ded0a29f09300000003";
const TOKEN: &str = "device-token";

fn state() -> State {
    let mut state = State::new(SandboxConfig::default()).expect("seed");
    let token = DeviceToken {
        device_id: "d".into(),
        application_id: "a".into(),
        customer_id: Some(JOHN_SMITH_ID.into()),
    };
    state.device_tokens.insert(TOKEN.into(), token);
    state
}

fn serve(
    state: &mut State,
    interface: Interface,
    op: &'static Operation,
    path: &[(&'static str, &str)],
    body: Value,
) -> Result<(StatusCode, Option<Value>), ApiError> {
    let raw = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let mut cx = Ctx {
        state,
        interface,
        op,
        path: path.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
        query: Query::parse(op, "")?,
        token: Some(TOKEN.to_owned()),
        raw_body: raw.as_bytes(),
    };
    standard::serve(&mut cx).and_then(|answer| context::checked(op, answer))
}

fn reason(error: &ApiError) -> &Value {
    &error.body["error"]["error_data"]["invalid_params"][0]["reason"]
}

#[test]
fn delete_removes_the_record_and_is_scoped() {
    let mut state = state();
    let get = OperationId::GetCard.operation();
    let error = serve(
        &mut state,
        Interface::Customer,
        &DELETE_CARD,
        &[("card_id", TESTS_CARD)],
        Value::Null,
    )
    .expect_err("not John's");
    assert_eq!(reason(&error), "not_belong_to_logged_in_customer");
    let done = serve(
        &mut state,
        Interface::Customer,
        &DELETE_CARD,
        &[("card_id", JOHNS_CARD)],
        Value::Null,
    );
    assert_eq!(done.expect("deleted").0, StatusCode::NO_CONTENT);
    let error = serve(
        &mut state,
        Interface::Enterprise,
        get,
        &[("card_id", JOHNS_CARD)],
        Value::Null,
    )
    .expect_err("gone");
    assert_eq!(error.status, StatusCode::NOT_FOUND);
    assert_eq!(error.body["error"]["error_data"]["resource_name"], "card");
}

#[test]
fn a_sub_resource_is_created_under_its_parent_and_read_only_there() {
    let mut state = state();
    let card = json!({"card": {"card_number": "777", "card_type_id": "86e05affc7a7befcd513ab401", "state": 1}});
    let parent = [("customer_id", TEST_CUSTOMER_ID)];
    let (status, reply) = serve(
        &mut state,
        Interface::Enterprise,
        &POST_CUSTOMER_CARD,
        &parent,
        card.clone(),
    )
    .expect("created");
    assert_eq!(status, StatusCode::CREATED);
    let id = reply
        .and_then(|r| r["data"]["card_id"].as_str().map(str::to_owned))
        .expect("card_id");
    let path = [("customer_id", TEST_CUSTOMER_ID), ("card_id", id.as_str())];
    let (_, got) = serve(
        &mut state,
        Interface::Enterprise,
        &GET_CUSTOMER_CARD,
        &path,
        Value::Null,
    )
    .expect("found");
    assert_eq!(
        got.map(|g| g["data"]["customer_id"].clone()),
        Some(json!(TEST_CUSTOMER_ID))
    );
    let elsewhere = [("customer_id", JOHN_SMITH_ID), ("card_id", id.as_str())];
    let error = serve(
        &mut state,
        Interface::Enterprise,
        &GET_CUSTOMER_CARD,
        &elsewhere,
        Value::Null,
    )
    .expect_err("other parent");
    assert_eq!(error.status, StatusCode::NOT_FOUND);
    let missing = [("customer_id", "nobody")];
    let error = serve(
        &mut state,
        Interface::Enterprise,
        &POST_CUSTOMER_CARD,
        &missing,
        card,
    )
    .expect_err("no parent");
    assert_eq!(
        error.body["error"]["error_data"]["resource_name"],
        "customer"
    );
    let error = serve(
        &mut state,
        Interface::Customer,
        &POST_CUSTOMER_CARD,
        &parent,
        json!({}),
    )
    .expect_err("not mine");
    assert_eq!(reason(&error), "not_belong_to_logged_in_customer");
}

#[test]
fn a_seed_record_that_does_not_fit_is_a_500_naming_it() {
    let mut state = state();
    state.store.entry("cards", "card_id").records[0]["state"] = json!("broken");
    let list = OperationId::GetCards.operation();
    let error = serve(&mut state, Interface::Enterprise, list, &[], Value::Null).expect_err("bug");
    assert_eq!(error.status, StatusCode::INTERNAL_SERVER_ERROR);
    let detail = error.body["error"]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("CardListResponse") && detail.contains("cards[0].state"),
        "{detail}"
    );
}

#[test]
fn unknown_fields_are_kept_and_nothing_is_invented() {
    let mut state = state();
    let post = OperationId::PostCustomer.operation();
    let body = json!({
        "customer": {"personal_information": {"language_id": "en", "email": "x@example.com"}, "loyalty_tier": "gold"},
        "customer_source": {"customer_source_id": "s"},
        "autologin": false
    });
    let (_, reply) = serve(&mut state, Interface::Enterprise, post, &[], body).expect("created");
    let id = reply
        .and_then(|r| r["data"]["customer_id"].as_str().map(str::to_owned))
        .expect("id");
    let get = OperationId::GetCustomer.operation();
    let (_, got) = serve(
        &mut state,
        Interface::Enterprise,
        get,
        &[("customer_id", &id)],
        Value::Null,
    )
    .expect("found");
    let got = got.unwrap_or_default();
    assert_eq!(got["data"]["loyalty_tier"], "gold");
    assert_eq!(got["data"]["state"], 1);
    assert!(
        got["data"]["personal_information"]
            .get("first_name")
            .is_none()
    );
}
