//! What keeps a sandbox that serves for days from growing and from holding
//! secrets: the request log is a ring buffer with exact counts beside it,
//! passwords and tokens are `<redacted>` in it, and the session tables drop
//! what can no longer be used. (The 50,000-request run of a standalone
//! server is `carecloud-cli/tests/binary/serve.rs`.)

use std::time::Duration;

use carecloud_api::types::{
    Customer, CustomerSourceRecord, Gender, PersonalInformation, PostCustomerRequest,
    SocialNetworkCredentials,
};
use carecloud_api::{CustomerClient, EnterpriseClient, Interface, OperationId};
use carecloud_sandbox::{
    API_USER_PASSWORD, CUSTOMER_APPLICATION_ID, JOHN_SMITH_PASSWORD, Sandbox, SandboxConfig,
};
use serde_json::{Value, json};

use crate::raw::{ENT, bearer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CUS: &str = "/webservice/rest-api/customer-interface/v1.0";

fn with_log_capacity(log_capacity: usize) -> SandboxConfig {
    SandboxConfig {
        log_capacity,
        ..SandboxConfig::default()
    }
}

/// Every text the log holds of its requests, `Debug` included.
fn log_text(sandbox: &Sandbox) -> String {
    sandbox
        .requests()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {r:?}\n",
                r.path,
                r.query,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect()
}

#[tokio::test]
async fn the_log_keeps_the_last_requests_and_counts_stay_exact() -> TestResult {
    let sandbox = Sandbox::start_with(with_log_capacity(5)).await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    for i in 0..12u64 {
        client.get_customers().count(i + 1).send().await?;
    }
    let kept = sandbox.requests();
    let queries: Vec<&str> = kept.iter().map(|r| r.query.as_str()).collect();
    assert_eq!(
        queries,
        ["count=8", "count=9", "count=10", "count=11", "count=12"],
        "the last five, oldest first"
    );
    assert_eq!(
        sandbox.count(Interface::Enterprise, OperationId::GetCustomers),
        12
    );
    assert_eq!(
        sandbox.count(Interface::Enterprise, OperationId::PostUserLogin),
        1
    );
    assert!(
        sandbox
            .operations_called(Interface::Enterprise)
            .contains(&OperationId::PostUserLogin),
        "an operation whose requests left the log is still called"
    );
    let status = sandbox.status();
    assert_eq!(
        (
            status.requests_logged,
            status.log_capacity,
            status.requests_total
        ),
        (5, 5, 13)
    );
    sandbox.clear_requests();
    let status = sandbox.status();
    assert_eq!((status.requests_logged, status.requests_total), (0, 0));
    assert_eq!(
        sandbox.count(Interface::Enterprise, OperationId::GetCustomers),
        0
    );
    Ok(())
}

#[tokio::test]
async fn passwords_and_tokens_never_reach_the_log() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    ent.get_stores().send().await?;
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("kiosk-log"))?;
    app.log_in(Sandbox::john_smith_login()).await?;
    app.get_stores().send().await?;
    let device_token = app.token_id().ok_or("a device token")?;
    // A customer registered with a password and a social login.
    let person = PersonalInformation::new("en")
        .with_first_name("Ada")
        .with_last_name("Secret")
        .with_email("ada@example.com")
        .with_gender(Gender::Female);
    let registration = PostCustomerRequest::new(
        Customer::new(person),
        CustomerSourceRecord::new("86e05affc7a7befcd513ab400"),
        false,
    )
    .with_password("ada-password-1")
    .with_social_network_credentials(SocialNetworkCredentials::new("google", "google-token-1"));
    ent.post_customer(registration).send().await?;
    // The client would never put a token in a query; someone else might.
    let bearer_token = bearer(&sandbox).await?;
    let reply = reqwest::Client::new()
        .get(format!(
            "{}{ENT}/customers?count=1&password=query-password&x={bearer_token}",
            sandbox.url()
        ))
        .bearer_auth(&bearer_token)
        .send()
        .await?;
    assert_eq!(reply.status(), 200);
    ent.log_out().await?;

    let text = log_text(&sandbox);
    for secret in [
        API_USER_PASSWORD,
        JOHN_SMITH_PASSWORD,
        device_token.expose(),
        bearer_token.as_str(),
        "ada-password-1",
        "google-token-1",
        "query-password",
    ] {
        assert!(!text.contains(secret), "{secret:?} is in the log:\n{text}");
    }
    // What is not a secret is still there, readable.
    let logged = sandbox.requests();
    let registered = logged
        .iter()
        .find(|r| r.operation == Some(OperationId::PostCustomer))
        .ok_or("the registration is logged")?;
    let body: Value = serde_json::from_slice(&registered.body)?;
    assert_eq!(
        body["customer"]["personal_information"]["email"],
        "ada@example.com"
    );
    assert_eq!(body["password"], "<redacted>");
    assert_eq!(
        body["social_network_credentials"],
        json!({"social_network_id": "google", "social_network_token": "<redacted>"})
    );
    let login = logged
        .iter()
        .find(|r| r.operation == Some(OperationId::PostTokenLogin))
        .ok_or("the customer login is logged")?;
    assert_eq!(login.path, "/tokens/<redacted>/actions/login");
    let login_body: Value = serde_json::from_slice(&login.body)?;
    assert_eq!(login_body["login_value"], "john.smith@example.com");
    assert!(
        logged
            .iter()
            .any(|r| r.query == "count=1&password=<redacted>&x=<redacted>")
    );
    Ok(())
}

#[tokio::test]
async fn expired_and_logged_out_enterprise_tokens_are_dropped() -> TestResult {
    let sandbox = Sandbox::start().await?;
    for _ in 0..20 {
        let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
        client.log_in().await?;
        client.log_out().await?;
    }
    assert_eq!(sandbox.status().enterprise_tokens, 0, "logged out: gone");

    sandbox.set_token_lifetime(Duration::ZERO);
    for _ in 0..20 {
        bearer(&sandbox).await?;
    }
    assert_eq!(
        sandbox.status().enterprise_tokens,
        1,
        "each login drops the expired ones: only the newest is held"
    );
    sandbox.set_token_lifetime(Duration::from_secs(3600));
    bearer(&sandbox).await?;
    bearer(&sandbox).await?;
    assert_eq!(sandbox.status().enterprise_tokens, 2, "live tokens stay");
    Ok(())
}

#[tokio::test]
async fn replaced_device_tokens_and_used_authentication_tokens_are_dropped() -> TestResult {
    let sandbox = Sandbox::start().await?;
    let http = reqwest::Client::new();
    let mut token = String::new();
    for _ in 0..20 {
        let created: Value = http
            .post(format!("{}{CUS}/tokens", sandbox.url()))
            .json(&json!({
                "device": {"device_id": "kiosk-replaced", "device_name": "Kiosk", "device_system": "Linux", "device_type": "PC"},
                "setup": {"language_id": "en", "allowed_gps": false, "allowed_notifications": false},
                "external_application_id": CUSTOMER_APPLICATION_ID,
            }))
            .send()
            .await?
            .json()
            .await?;
        token = created["data"]["token_id"]
            .as_str()
            .ok_or("a token")?
            .to_owned();
    }
    assert_eq!(sandbox.status().device_tokens, 1, "one per device");

    let app = CustomerClient::resume(
        sandbox.url(),
        Sandbox::device_registration("kiosk-replaced"),
        carecloud_api::types::Secret::new(token.clone()),
    )?;
    app.log_in(Sandbox::john_smith_login()).await?;
    for _ in 0..5 {
        let issued: Value = http
            .get(format!("{}{CUS}/tokens/{token}/actions/auth-token?token_type=1&external_application_id={CUSTOMER_APPLICATION_ID}", sandbox.url()))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        assert_eq!(sandbox.status().authentication_tokens, 1);
        let used = http
            .post(format!(
                "{}{CUS}/tokens/{token}/actions/authentication-token-login",
                sandbox.url()
            ))
            .bearer_auth(&token)
            .json(&json!({
                "application_id": CUSTOMER_APPLICATION_ID,
                "token": issued["data"]["authentication_token"],
                "token_request_id": issued["data"]["token_request_id"],
            }))
            .send()
            .await?;
        assert_eq!(used.status(), 200);
        assert_eq!(sandbox.status().authentication_tokens, 0, "used: gone");
    }
    Ok(())
}

#[tokio::test]
async fn a_standalone_server_shows_its_status_and_log_over_http() -> TestResult {
    let sandbox = Sandbox::start_with(with_log_capacity(3)).await?;
    let token = bearer(&sandbox).await?;
    let http = reqwest::Client::new();
    for _ in 0..4 {
        http.get(format!("{}{ENT}/stores?count=1", sandbox.url()))
            .bearer_auth(&token)
            .send()
            .await?;
    }
    let inspect = |what: &str| {
        let request = http.get(format!("{}/_sandbox/{what}", sandbox.url()));
        async move { request.send().await?.json::<Value>().await }
    };
    let status = inspect("status").await?;
    assert_eq!(
        status,
        json!({
            "requests_logged": 3,
            "log_capacity": 3,
            "requests_total": 5,
            "enterprise_tokens": 1,
            "device_tokens": 0,
            "authentication_tokens": 0,
        })
    );
    let log = inspect("requests").await?;
    let entries = log.as_array().ok_or("an array")?;
    assert_eq!(entries.len(), 3, "not logged itself: {log}");
    assert_eq!(
        entries[0],
        json!({
            "interface": "enterprise",
            "operation": "getStores",
            "method": "GET",
            "path": "/stores",
            "query": "count=1",
            "authorized": true,
            "status": 200,
            "body": "",
        })
    );
    let unknown = http
        .get(format!("{}/_sandbox/nothing", sandbox.url()))
        .send()
        .await?;
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        sandbox.status().requests_total,
        5,
        "none of these was logged"
    );
    Ok(())
}
