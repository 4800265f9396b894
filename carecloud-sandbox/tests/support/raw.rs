//! Plain HTTP to the sandbox, bypassing the client: for tests of what the
//! server does with requests the client would never send.

use carecloud_sandbox::{API_USER_LOGIN, API_USER_PASSWORD, ENTERPRISE_APPLICATION_ID, Sandbox};
use serde_json::{Value, json};

/// The enterprise interface's base path.
pub const ENT: &str = "/webservice/rest-api/enterprise-interface/v1.0";

/// A bearer token of the seeded API user, from a plain login request.
pub async fn bearer(sandbox: &Sandbox) -> Result<String, Box<dyn std::error::Error>> {
    let login: Value = reqwest::Client::new()
        .post(format!("{}{ENT}/users/actions/login", sandbox.url()))
        .json(&json!({
            "user_external_application_id": ENTERPRISE_APPLICATION_ID,
            "login": API_USER_LOGIN,
            "password": API_USER_PASSWORD,
        }))
        .send()
        .await?
        .json()
        .await?;
    Ok(login["data"]["bearer_token"]
        .as_str()
        .ok_or("no token")?
        .to_owned())
}
