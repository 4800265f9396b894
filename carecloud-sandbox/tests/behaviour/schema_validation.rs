//! The schema check of the sandbox's traffic (`support/schema.rs`) itself:
//! how it reads OpenAPI 3.0 (closed objects, `nullable`, `readOnly`), that
//! it sees every exchange, and that a reply breaking the schema fails the
//! test that caused it.

use crate::schema;

use std::panic::{AssertUnwindSafe, catch_unwind};

use carecloud_api::{EnterpriseClient, OperationId};
use carecloud_sandbox::{Fault, Sandbox, SandboxConfig};
use serde_json::{Value, json};

use crate::schema::{Direction, Objects, Spec};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A small OpenAPI document of our own.
fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "paths": {},
        "components": {"schemas": {
            "Thing": {
                "type": "object",
                "required": ["thing_id", "name"],
                "properties": {
                    "thing_id": {"type": "string", "readOnly": true},
                    "name": {"type": "string", "description": "Its name."},
                    "note": {"type": "string", "nullable": true},
                    "kind": {"$ref": "#/components/schemas/Kind", "nullable": true},
                    "count": {"type": "integer", "example": 3},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                    "anything": {"description": "Any JSON value."}
                }
            },
            "Kind": {"type": "integer", "enum": [1, 2]},
            "Tag": {"type": "object", "properties": {"label": {"type": "string"}}}
        }}
    })
}

#[test]
fn objects_are_closed_and_openapi_keywords_are_read_as_openapi_means_them() {
    let spec = Spec::from_document(document(), Objects::Closed).expect("compiles");
    let reply = |value: Value| spec.problems(Direction::Reply, "Thing", &value);
    let request = |value: Value| spec.problems(Direction::Request, "Thing", &value);

    assert!(reply(json!({"thing_id": "t1", "name": "n"})).is_empty());
    let full = json!({"thing_id": "t1", "name": "n", "note": null, "kind": null, "count": 2,
                      "tags": [{"label": "x"}], "anything": {"free": [1]}});
    assert_eq!(reply(full), Vec::<String>::new(), "nullable: null is fine");

    let missing = reply(json!({"name": "n"}));
    assert!(
        missing.len() == 1 && missing[0].contains("thing_id"),
        "{missing:?}"
    );
    assert!(
        request(json!({"name": "n"})).is_empty(),
        "a readOnly field is not required in a request"
    );

    let unknown = reply(
        json!({"thing_id": "t1", "name": "n", "tags": [{"label": "x", "colour": "secret-red"}]}),
    );
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(
        unknown[0].contains("/tags/0") && unknown[0].contains("colour"),
        "{unknown:?}"
    );

    let wrong = reply(json!({"thing_id": "t1", "name": null, "count": 1.5, "kind": 3, "note": 7}));
    assert_eq!(wrong.len(), 5, "{wrong:?}");
    for place in ["/name", "/count", "/kind", "/note"] {
        assert!(
            wrong.iter().any(|p| p.contains(place)),
            "{place}: {wrong:?}"
        );
    }
    let decimal = reply(json!({"thing_id": "t1", "name": "n", "count": 2.0}));
    assert!(
        decimal.len() == 1 && decimal[0].contains("/count") && decimal[0].contains("decimal"),
        "2.0 is no integer for the client: {decimal:?}"
    );
    let secret = reply(json!({"thing_id": "t1", "name": {"password": "hunter2"}}));
    assert!(
        secret.len() == 1 && !secret[0].contains("hunter2"),
        "no value is quoted: {secret:?}"
    );
    assert!(!reply(json!([])).is_empty(), "not an object");

    let open = Spec::from_document(document(), Objects::Open).expect("compiles");
    let extra = json!({"thing_id": "t1", "name": "n", "colour": "red", "tags": [{"more": 1}]});
    assert!(open.problems(Direction::Reply, "Thing", &extra).is_empty());
    assert_eq!(
        open.problems(Direction::Reply, "Thing", &json!({"name": 1}))
            .len(),
        2
    );
}

#[tokio::test]
async fn every_request_and_reply_is_checked() -> TestResult {
    let sandbox = schema::start().await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    client.get_customers().send().await?;
    let missing = client.get_customer("nope").send().await;
    assert_eq!(missing.unwrap_err().status().map(|s| s.as_u16()), Some(404));
    let (requests, replies) = sandbox.checked();
    assert_eq!(
        (requests, replies),
        (2, 3),
        "login and list accepted; their replies and the 404's"
    );
    sandbox.finish()?;
    Ok(())
}

#[tokio::test]
async fn injected_faults_are_not_checked() -> TestResult {
    let sandbox = schema::start().await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    sandbox.inject_on(OperationId::GetStores, Fault::MalformedBody);
    assert!(client.get_stores().send().await.is_err());
    assert_eq!(sandbox.checked().1, 1, "only the login's reply");
    sandbox.finish()?;
    Ok(())
}

/// The spec with the reply of `GET /tests/connection` needing a field the
/// sandbox does not send.
fn doctored_spec() -> &'static Spec {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace");
    let reply = OperationId::GetTestsConnection
        .operation()
        .response
        .expect("a reply body");
    let sources = carecloud_codegen::load_workspace(root).expect("spec");
    let api = carecloud_codegen::validate::validate(&sources).expect("valid");
    let (_, mut document) = carecloud_codegen::bundle::documents(&sources, &api)
        .into_iter()
        .find(|(stem, _)| stem == "api")
        .expect("api.json");
    let node = &mut document["components"]["schemas"][reply];
    node["properties"]["undocumented"] = json!({"type": "string"});
    node["required"] = json!(["data", "undocumented"]);
    Box::leak(Box::new(
        Spec::from_document(document, Objects::Closed).expect("compiles"),
    ))
}

#[tokio::test]
async fn a_reply_breaking_the_schema_fails_the_test_that_caused_it() -> TestResult {
    let spec = doctored_spec();
    let sandbox = schema::start_checked_against(spec, SandboxConfig::default()).await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    client
        .get_tests_connection()
        .test_string("x")
        .send()
        .await?;
    let problems = sandbox.take_problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("GET /tests/connection (getTestsConnection) → 200: ")
            && problems[0].contains("undocumented"),
        "{problems:?}"
    );

    // Left unhandled, the problem fails the test when the sandbox is dropped.
    client
        .get_tests_connection()
        .test_string("x")
        .send()
        .await?;
    let dropped = catch_unwind(AssertUnwindSafe(|| drop(sandbox)));
    let message = dropped.expect_err("the drop panics");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("undocumented"), "{message}");
    Ok(())
}
