//! How a sandbox starts: [`SandboxConfig`] and the [`ApiUser`]s it accepts.

use std::time::Duration;

use crate::seed::{
    API_USER_LOGIN, API_USER_PASSWORD, CUSTOMER_APPLICATION_ID, ENTERPRISE_APPLICATION_ID,
};

/// An API user the enterprise login accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiUser {
    /// `user_external_application_id` it logs in with.
    pub external_application_id: String,
    /// Login name.
    pub login: String,
    /// Password.
    pub password: String,
}

/// How a sandbox starts.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// API users the enterprise login accepts (the seeded one by default).
    /// The login reply carries the `users` seed record with the same
    /// `login`, if there is one; any login works for authentication.
    pub api_users: Vec<ApiUser>,
    /// External application IDs `POST /tokens` accepts
    /// ([`CUSTOMER_APPLICATION_ID`] by default).
    pub customer_application_ids: Vec<String>,
    /// How long an enterprise bearer token lives (7 hours by default).
    pub token_lifetime: Duration,
    /// The server's local time zone as an offset from UTC in seconds
    /// (`valid_to` and `last_change` are written in it; 0 by default).
    pub utc_offset_seconds: i32,
    /// How many requests the request log keeps: the last ones, the oldest
    /// dropped first ([`DEFAULT_LOG_CAPACITY`] by default; 0 keeps none).
    /// The counts per operation and the total stay exact either way.
    pub log_capacity: usize,
}

/// The request log's default capacity: enough for every request of a test
/// (a standalone server for days may want fewer: `carecloud sandbox serve
/// --log-capacity N`).
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            api_users: vec![ApiUser {
                external_application_id: ENTERPRISE_APPLICATION_ID.to_owned(),
                login: API_USER_LOGIN.to_owned(),
                password: API_USER_PASSWORD.to_owned(),
            }],
            customer_application_ids: vec![CUSTOMER_APPLICATION_ID.to_owned()],
            token_lifetime: Duration::from_secs(7 * 3600),
            utc_offset_seconds: 0,
            log_capacity: DEFAULT_LOG_CAPACITY,
        }
    }
}
