//! The auth scenarios and the fault knobs against the sandbox.

use std::time::{Duration, Instant};

use carecloud_api::auth::AuthErrorKind;
use carecloud_api::{CustomerClient, EnterpriseClient, Error, Interface, OperationId, RetryPolicy};
use carecloud_sandbox::{
    API_USER_LOGIN, API_USER_PASSWORD, ENTERPRISE_APPLICATION_ID, Fault, JOHN_SMITH_ID, Sandbox,
    SandboxConfig, TEST_CUSTOMER_ID,
};
use serde_json::{Value, json};

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const ENT: &str = "/webservice/rest-api/enterprise-interface/v1.0";

fn logins(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Enterprise, OperationId::PostUserLogin)
}

fn tokens(sandbox: &Sandbox) -> usize {
    sandbox.count(Interface::Customer, OperationId::PostToken)
}

#[tokio::test]
async fn enterprise_logs_in_lazily_once_and_again_after_401() -> TestResult {
    let sandbox = schema::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    ent.get_tests_connection().test_string("x").send().await?; // public: no login
    assert_eq!(logins(&sandbox), 0);
    ent.get_customers().send().await?;
    ent.get_stores().send().await?;
    assert_eq!(logins(&sandbox), 1, "one login for two calls");

    assert_eq!(sandbox.expire_enterprise_tokens(), 1, "the one live token");
    assert_eq!(sandbox.expire_enterprise_tokens(), 0, "nothing left to end");
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
    let sandbox = schema::start().await?;
    let creds = carecloud_api::EnterpriseCredentials::new(
        ENTERPRISE_APPLICATION_ID,
        API_USER_LOGIN,
        "wrong",
    );
    let ent = EnterpriseClient::new(sandbox.url(), creds)?;
    let err = ent.get_customers().send().await.expect_err("refused");
    assert!(err.as_auth().cloned().is_some(), "{err}");
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
    let sandbox = schema::start_with(config).await?;
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
    let sandbox = schema::start().await?;
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
    let auth = err.as_auth().cloned().expect("auth error");
    assert_eq!(auth.kind(), AuthErrorKind::CustomerLoginRequired);
    Ok(())
}

#[tokio::test]
async fn customer_scope_is_the_logged_in_customer() -> TestResult {
    let sandbox = schema::start().await?;
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("scoped"))?;
    let err = app
        .get_customers()
        .send()
        .await
        .expect_err("nobody logged in");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    app.log_in(Sandbox::john_smith_login()).await?;
    let me = app.get_customers().send().await?;
    assert_eq!(me.data.customers().len(), 1);
    let err = app
        .get_customer(TEST_CUSTOMER_ID)
        .send()
        .await
        .expect_err("not mine");
    match err {
        Error::Api(reply) => {
            assert_eq!(reply.status(), 400);
            let params = &reply
                .envelope()
                .error
                .error_data
                .as_ref()
                .expect("error_data")
                .invalid_params();
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
    let sandbox = schema::start().await?;
    // The knobs' answers as they come (the client would retry them).
    let ent = EnterpriseClient::builder(sandbox.url(), Sandbox::enterprise_credentials())
        .retry(RetryPolicy::disabled())
        .build()?;
    ent.log_in().await?;

    sandbox.inject_on(
        OperationId::GetStores,
        Fault::TooManyRequests {
            retry_after: Some(7),
        },
    );
    match ent.get_stores().send().await {
        Err(Error::Api(reply)) => {
            assert_eq!(reply.status(), 429);
            assert_eq!(reply.retry_after(), Some(Duration::from_secs(7)));
        }
        other => panic!("expected 429, got {other:?}"),
    }
    sandbox.inject(Fault::TooManyRequests { retry_after: None });
    match ent.get_stores().send().await {
        Err(Error::Api(reply)) => {
            assert_eq!(reply.status(), 429);
            assert!(reply.retry_after().is_none());
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
    assert!(matches!(err, Error::Decode(..)), "{err:?}");
    sandbox.inject_on(OperationId::GetUsers, Fault::Unauthorized);
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
