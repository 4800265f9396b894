//! The sandbox's own HTTP behaviour: statuses and the error envelope for
//! wrong paths, methods, tokens and bodies, and shutting down on drop.

use std::time::Duration;

use carecloud_sandbox::{API_USER_LOGIN, API_USER_PASSWORD, ENTERPRISE_APPLICATION_ID, Sandbox};
use serde_json::{Value, json};

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const ENT: &str = "/webservice/rest-api/enterprise-interface/v1.0";
const CUST: &str = "/webservice/rest-api/customer-interface/v1.0";

async fn raw(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", sandbox.url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let reply = request.send().await.expect("sandbox answers");
    let status = reply.status().as_u16();
    (status, reply.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn statuses_and_error_envelope() -> TestResult {
    let sandbox = schema::start().await?;
    let (status, body) = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("{ENT}/tokens"),
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["type"], "interface_not_allowed_exception");

    let (status, _) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/customers"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/customers"),
        Some("bogus"),
        None,
    )
    .await;
    assert_eq!(status, 401);

    let (_, login) = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("{ENT}/users/actions/login"),
        None,
        Some(json!({"user_external_application_id": ENTERPRISE_APPLICATION_ID, "login": API_USER_LOGIN, "password": API_USER_PASSWORD})),
    )
    .await;
    let token = login["data"]["bearer_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let t = Some(token.as_str());

    let (status, body) = raw(
        &sandbox,
        reqwest::Method::DELETE,
        &format!("{ENT}/customers"),
        t,
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"]["error_data"]["http_method"].clone()),
        (405, json!("DELETE"))
    );
    let (status, body) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/customers/nope"),
        t,
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["error_data"]["resource_name"], "customer");
    assert_eq!(body["error"]["error_data"]["resource_id"], "nope");
    let (status, _) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/no-such-thing"),
        t,
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = raw(&sandbox, reqwest::Method::GET, "/elsewhere", None, None).await;
    assert_eq!(status, 404);

    let customer =
        json!({"personal_information": {"email": "dup@example.com", "language_id": "en"}});
    let (status, body) = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("{ENT}/customers"),
        t,
        Some(json!({"customer": customer, "autologin": false})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["error_data"]["invalid_params"][0]["name"],
        "customer_source"
    );
    assert_eq!(
        body["error"]["error_data"]["invalid_params"][0]["reason"],
        "required"
    );
    let full = json!({"customer": customer, "customer_source": {"customer_source_id": "s"}, "autologin": false});
    let (status, body) = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("{ENT}/customers"),
        t,
        Some(full.clone()),
    )
    .await;
    assert_eq!(status, 201);
    assert!(body["data"]["customer_id"].is_string());
    let (status, body) = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("{ENT}/customers"),
        t,
        Some(full),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["error_data"]["invalid_params"][0]["reason"],
        "already_exists"
    );

    // Garbage in: an envelope, not a panic.
    let reply = reqwest::Client::new()
        .post(format!("{}{ENT}/cards", sandbox.url()))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await?;
    assert_eq!(reply.status(), 400);
    for query in ["count=0", "sort_direction=SIDEWAYS"] {
        let path = format!("{ENT}/customers?{query}");
        let (status, _) = raw(&sandbox, reqwest::Method::GET, &path, t, None).await;
        assert_eq!(status, 400, "{query}");
    }
    let (status, body) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/customers?sort_field=last_name&sort_direction=DESC&count=2"),
        t,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["customers"][0]["personal_information"]["last_name"],
        "Vesela"
    );
    assert_eq!(body["data"]["customers"].as_array().map(Vec::len), Some(2));

    let (status, _) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{CUST}/customers"),
        Some("bogus"),
        None,
    )
    .await;
    assert_eq!(status, 401);
    Ok(())
}

#[tokio::test]
async fn drop_shuts_the_server_down() -> TestResult {
    let sandbox = schema::start().await?;
    let url = sandbox.url().to_owned();
    drop(sandbox);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let result = reqwest::Client::new()
        .get(format!("{url}{ENT}/languages"))
        .send()
        .await;
    assert!(result.is_err(), "server still answering");
    Ok(())
}

#[tokio::test]
async fn bad_input_gets_an_envelope_never_a_panic() -> TestResult {
    let sandbox = schema::start().await?;
    let (_, login) = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("{ENT}/users/actions/login"),
        None,
        Some(json!({"user_external_application_id": ENTERPRISE_APPLICATION_ID, "login": API_USER_LOGIN, "password": API_USER_PASSWORD})),
    )
    .await;
    let token = login["data"]["bearer_token"].as_str().ok_or("token")?;
    let http = reqwest::Client::new();
    let cases: [(&str, &str, &[u8]); 12] = [
        ("GET", "/customers?count=99999999999999999999999", b""),
        ("GET", "/customers?offset=1e3&count=%ZZ", b""),
        (
            "GET",
            "/customers?customer_ids[x]=1&[]=2&=3&&email[0]=a",
            b"",
        ),
        ("GET", "/customers/%FF%FE", b""),
        ("GET", "/customers//cards", b""),
        ("POST", "/customers", b"[1, 2, 3]"),
        ("POST", "/customers", b"\xff\xfe not utf-8"),
        ("POST", "/cards", b"null"),
        ("PUT", "/cards/ca4d0a4ded0a29f09300000001", b"{\"card\": 5}"),
        (
            "PUT",
            "/customers/8ea6abece4cd0a4ded0a29f093",
            b"{\"customer\": {}}",
        ),
        ("POST", "/users/actions/verify-auth-token", b"{}"),
        ("PATCH", "/cards", b"{}"),
    ];
    for (method, path, body) in cases {
        let reply = http
            .request(
                reqwest::Method::from_bytes(method.as_bytes())?,
                format!("{}{ENT}{path}", sandbox.url()),
            )
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await?;
        let status = reply.status().as_u16();
        let envelope: Value = reply.json().await.unwrap_or(Value::Null);
        assert!(
            (400..500).contains(&status),
            "{method} {path}: {status} {envelope}"
        );
        assert!(
            envelope["error"]["title"].is_string(),
            "{method} {path}: {envelope}"
        );
    }
    let (status, _) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/languages"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "still serving");
    Ok(())
}
