//! A minimal hand-written reqwest + serde client for the enterprise
//! interface: log in once, send `GET /customers?count=N` with the bearer
//! token, decode into [`crate::plain`]. No refresh, no 401 recovery, no
//! retries: the least a user could write, the baseline of the client
//! overhead benchmark.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::plain::CustomerList;

/// The client: a reqwest client, the interface's base URL and a token.
#[derive(Clone)]
pub struct HandClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// Shows the base URL only (never the token).
impl std::fmt::Debug for HandClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Login {
    data: LoginData,
}

#[derive(Deserialize)]
struct LoginData {
    bearer_token: String,
}

/// A failed call: the status, or what reqwest said.
pub type HandError = Box<dyn std::error::Error + Send + Sync>;

impl HandClient {
    /// Logs in at `project_url` (a sandbox URL) with the sandbox's API user.
    pub async fn log_in(project_url: &str) -> Result<Self, HandError> {
        let base = carecloud_api::base_url(project_url, carecloud_api::Interface::Enterprise);
        let http = reqwest::Client::new();
        let body = json!({
            "user_external_application_id": carecloud_sandbox::ENTERPRISE_APPLICATION_ID,
            "login": carecloud_sandbox::API_USER_LOGIN,
            "password": carecloud_sandbox::API_USER_PASSWORD,
        });
        let reply = http
            .post(format!("{base}/users/actions/login"))
            .json(&body)
            .send()
            .await?
            .error_for_status()?;
        let login: Login = reply.json().await?;
        Ok(Self {
            http,
            base,
            token: login.data.bearer_token,
        })
    }

    /// `GET /customers?count=<count>`, decoded into the plain structs.
    pub async fn get_customers(&self, count: u64) -> Result<CustomerList, HandError> {
        let bytes = self
            .http
            .get(format!("{}/customers?count={count}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        Ok(serde_json::from_slice(&bytes)?)
    }

    /// `GET <path>` as raw JSON (for checks: what the server really sent).
    pub async fn get_json(&self, path: &str) -> Result<Value, HandError> {
        let bytes = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}
