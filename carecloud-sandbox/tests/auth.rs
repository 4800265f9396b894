//! The auth scenarios and the fault knobs against the sandbox, plus the
//! sandbox's own HTTP behaviour (statuses, error envelope, headers).

use std::time::{Duration, Instant};

use carecloud_api::auth::{AuthError, AuthErrorKind};
use carecloud_api::{CustomerClient, EnterpriseClient, Error, Interface};
use carecloud_sandbox::{
    API_USER_LOGIN, API_USER_PASSWORD, ENTERPRISE_APPLICATION_ID, Fault, JOHN_SMITH_ID, Sandbox,
    SandboxConfig, TEST_CUSTOMER_ID,
};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const ENT: &str = "/webservice/rest-api/enterprise-interface/v1.0";
const CUST: &str = "/webservice/rest-api/customer-interface/v1.0";

fn logins(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Enterprise, "post_user_login")
}

fn tokens(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Customer, "post_token")
}

#[tokio::test]
async fn enterprise_logs_in_lazily_once_and_again_after_401() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    ent.get_tests_connection().test_string("x").send().await?; // public: no login
    assert_eq!(logins(&sandbox), 0);
    ent.get_customers().send().await?;
    ent.get_stores().send().await?;
    assert_eq!(logins(&sandbox), 1, "one login for two calls");

    sandbox.expire_enterprise_tokens();
    ent.get_customers().send().await?;
    assert_eq!(logins(&sandbox), 2, "401 → one re-login, call repeated");

    sandbox.force_unauthorized(1);
    ent.get_cards().send().await?;
    assert_eq!(logins(&sandbox), 3);

    // Tokens that die at once: the retry also gets 401, which is the call's error.
    sandbox.set_token_lifetime(Duration::ZERO);
    sandbox.expire_enterprise_tokens();
    let err = ent
        .get_customers()
        .send()
        .await
        .expect_err("every token is dead");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    sandbox.set_token_lifetime(Duration::from_secs(3600));
    ent.get_customers().send().await?;
    Ok(())
}

#[tokio::test]
async fn wrong_enterprise_credentials_fail_once() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let creds = carecloud_api::EnterpriseCredentials::new(
        ENTERPRISE_APPLICATION_ID,
        API_USER_LOGIN,
        "wrong",
    );
    let ent = EnterpriseClient::new(sandbox.url(), creds)?;
    let err = ent.get_customers().send().await.expect_err("refused");
    assert!(AuthError::from_error(&err).is_some(), "{err}");
    assert_eq!(logins(&sandbox), 1);
    assert!(!format!("{err} {err:?}").contains("wrong"));
    Ok(())
}

#[tokio::test]
async fn login_valid_to_is_server_local_and_date_header_is_sent() -> TestResult {
    let config = SandboxConfig {
        token_lifetime: Duration::from_secs(2 * 3600),
        utc_offset_seconds: 3600,
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start_with(config).await?;
    let http = reqwest::Client::new();
    let reply = http
        .post(format!("{}{ENT}/users/actions/login", sandbox.url()))
        .json(&json!({"user_external_application_id": ENTERPRISE_APPLICATION_ID, "login": API_USER_LOGIN, "password": API_USER_PASSWORD}))
        .send()
        .await?;
    assert_eq!(reply.status(), 200);
    let date = reply
        .headers()
        .get("date")
        .expect("Date header")
        .to_str()?
        .to_owned();
    let body: Value = reply.json().await?;
    let valid_to = body["data"]["valid_to"].as_str().expect("valid_to");
    let date = chrono::NaiveDateTime::parse_from_str(&date, "%a, %d %b %Y %H:%M:%S GMT")?;
    let valid_to = chrono::NaiveDateTime::parse_from_str(valid_to, "%Y-%m-%d %H:%M:%S")?;
    let hours = (valid_to - date).num_seconds() as f64 / 3600.0;
    assert!(
        (hours - 3.0).abs() < 0.01,
        "2 h lifetime + 1 h offset, got {hours}"
    );
    assert_eq!(body["data"]["user"]["login"], API_USER_LOGIN);
    // The client reads the same reply: lifetime = valid_to - Date.
    Ok(())
}

#[tokio::test]
async fn customer_token_is_lazy_and_one_per_device() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let a = CustomerClient::new(sandbox.url(), Sandbox::device_registration("shared-device"))?;
    let b = CustomerClient::new(sandbox.url(), Sandbox::device_registration("shared-device"))?;
    a.get_languages().send().await?; // public
    assert_eq!(tokens(&sandbox), 0);
    a.get_stores().send().await?;
    a.get_card_types().send().await?;
    assert_eq!(tokens(&sandbox), 1);

    // b's token kills a's; a (no customer) silently gets a new one.
    b.get_stores().send().await?;
    assert_eq!(sandbox.device_tokens(), 1);
    a.get_stores().send().await?;
    assert_eq!(tokens(&sandbox), 3);

    // With a customer logged in, a dead token means: log in again.
    assert_eq!(a.log_in(Sandbox::john_smith_login()).await?, JOHN_SMITH_ID);
    b.get_stores().send().await?;
    let err = a.get_customers().send().await.expect_err("token replaced");
    let auth = AuthError::from_error(&err).expect("auth error");
    assert_eq!(auth.kind(), AuthErrorKind::CustomerLoginRequired);
    Ok(())
}

#[tokio::test]
async fn customer_scope_is_the_logged_in_customer() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("scoped"))?;
    let err = app
        .get_customers()
        .send()
        .await
        .expect_err("nobody logged in");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    app.log_in(Sandbox::john_smith_login()).await?;
    let me = app.get_customers().send().await?;
    assert_eq!(me.data.customers.len(), 1);
    let err = app
        .get_customer()
        .customer_id(TEST_CUSTOMER_ID)
        .send()
        .await
        .expect_err("not mine");
    match err {
        Error::ErrorResponse(reply) => {
            assert_eq!(reply.status(), 400);
            let params = &reply
                .error
                .error_data
                .as_ref()
                .expect("error_data")
                .invalid_params;
            assert_eq!(
                params[0].reason.as_deref(),
                Some("not_belong_to_logged_in_customer")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    let err = app
        .log_in(carecloud_api::CustomerLogin::email(
            "nobody@example.com",
            "x",
        ))
        .await
        .expect_err("bad login");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    Ok(())
}

#[tokio::test]
async fn fault_knobs() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    ent.log_in().await?;

    sandbox.inject_on(
        "get_stores",
        Fault::TooManyRequests {
            retry_after: Some(7),
        },
    );
    match ent.get_stores().send().await {
        Err(Error::ErrorResponse(reply)) => {
            assert_eq!(reply.status(), 429);
            assert_eq!(
                reply.headers().get("retry-after").map(|v| v.to_str().ok()),
                Some(Some("7"))
            );
        }
        other => panic!("expected 429, got {other:?}"),
    }
    sandbox.inject(Fault::TooManyRequests { retry_after: None });
    match ent.get_stores().send().await {
        Err(Error::ErrorResponse(reply)) => {
            assert_eq!(reply.status(), 429);
            assert!(reply.headers().get("retry-after").is_none());
        }
        other => panic!("expected 429, got {other:?}"),
    }
    for status in [500u16, 503] {
        sandbox.inject(Fault::Status(status));
        let err = ent.get_cards().send().await.expect_err("injected");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    }
    sandbox.inject(Fault::MalformedBody);
    let err = ent.get_customers().send().await.expect_err("malformed");
    assert!(matches!(err, Error::InvalidResponsePayload(..)), "{err:?}");
    sandbox.inject_on("get_users", Fault::Unauthorized);
    ent.get_stores().send().await?; // not targeted
    ent.get_users().send().await?; // 401 → re-login → ok
    assert_eq!(logins(&sandbox), 2);

    sandbox.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    ent.get_stores().send().await?;
    assert!(started.elapsed() >= Duration::from_millis(150));
    sandbox.set_latency(Duration::ZERO);
    ent.get_stores().send().await?;
    Ok(())
}

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
    let sandbox = Sandbox::start().await?;
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
        "missing_argument"
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
    let (status, _) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/customers?count=0"),
        t,
        None,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("{ENT}/customers?sort_direction=SIDEWAYS"),
        t,
        None,
    )
    .await;
    assert_eq!(status, 400);
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
    let sandbox = Sandbox::start().await?;
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
async fn list_filters_and_paging() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let all = ent.get_cards().send().await?.into_inner().data;
    let valid = ent
        .get_cards()
        .is_valid(true)
        .send()
        .await?
        .into_inner()
        .data;
    let invalid = ent
        .get_cards()
        .is_valid(false)
        .send()
        .await?
        .into_inner()
        .data;
    assert_eq!(valid.total_items, all.total_items);
    assert_eq!(invalid.total_items, Some(0));
    let johns = ent.get_cards().customer_id(JOHN_SMITH_ID).send().await?;
    assert_eq!(johns.data.total_items, Some(2));
    let two = ent
        .get_customers()
        .customer_ids(vec![JOHN_SMITH_ID.to_owned(), TEST_CUSTOMER_ID.to_owned()])
        .send()
        .await?;
    assert_eq!(two.data.total_items, Some(2));
    let last = ent.get_customers().count(5u64).offset(10u64).send().await?;
    assert_eq!(
        (last.data.customers.len(), last.data.total_items),
        (2, Some(12))
    );
    let tills = ent.get_users().login("till7").send().await?;
    assert_eq!(tills.data.users.len(), 1);
    Ok(())
}
