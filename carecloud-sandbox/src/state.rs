//! The sandbox's in-memory state: records, sessions, knobs and the log.
//!
//! Nothing in it grows with the number of requests alone: the log is a ring
//! buffer, and the session tables hold live tokens only.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use carecloud_api::OperationId;

use crate::log::RequestLog;
use crate::seed::Accounts;
use crate::store::Store;
use crate::{Fault, SandboxConfig, clock};

/// A customer device token.
pub(crate) struct DeviceToken {
    pub device_id: String,
    pub application_id: String,
    /// The customer logged in on it, if any.
    pub customer_id: Option<String>,
}

/// How long a one-time authentication token is accepted.
pub(crate) const AUTH_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// A one-time customer authentication token (`GET .../actions/auth-token`,
/// `POST /customers/actions/auth-token`).
pub(crate) struct AuthToken {
    pub customer_id: String,
    pub request_id: String,
    /// When it stops being accepted (and is dropped).
    pub expires: SystemTime,
}

pub(crate) struct State {
    pub config: SandboxConfig,
    pub store: Store,
    pub accounts: Accounts,
    /// Enterprise bearer token → when it expires. Logged-out tokens are
    /// removed at once, expired ones at the next login.
    pub bearer_tokens: HashMap<String, SystemTime>,
    /// One per device and application: a new one replaces the old.
    pub device_tokens: HashMap<String, DeviceToken>,
    /// Removed when used; expired ones at the next one issued.
    pub auth_tokens: HashMap<String, AuthToken>,
    pub force_401: usize,
    pub faults: VecDeque<(Option<OperationId>, Fault)>,
    pub latency: Duration,
    pub log: RequestLog,
}

impl State {
    /// The seeded state; an error names a seed record that does not fit the
    /// spec.
    pub fn new(config: SandboxConfig) -> Result<Self, String> {
        let (store, accounts) = crate::seed::load()?;
        let log = RequestLog::new(config.log_capacity);
        Ok(Self {
            config,
            store,
            accounts,
            bearer_tokens: HashMap::new(),
            device_tokens: HashMap::new(),
            auth_tokens: HashMap::new(),
            force_401: 0,
            faults: VecDeque::new(),
            latency: Duration::ZERO,
            log,
        })
    }

    /// Keeps a one-time authentication token for `customer_id` under
    /// `request_id`, valid [`AUTH_TOKEN_LIFETIME`], dropping expired ones;
    /// returns when it expires.
    pub fn issue_auth_token(
        &mut self,
        token: String,
        customer_id: String,
        request_id: String,
    ) -> SystemTime {
        let now = SystemTime::now();
        self.auth_tokens.retain(|_, t| t.expires > now);
        let expires = now + AUTH_TOKEN_LIFETIME;
        self.auth_tokens.insert(
            token,
            AuthToken {
                customer_id,
                request_id,
                expires,
            },
        );
        expires
    }

    /// Uses up the authentication token `token` issued under `request_id`:
    /// its customer, if it is known and not expired.
    pub fn use_auth_token(&mut self, token: &str, request_id: &str) -> Option<String> {
        let found = self.auth_tokens.get(token)?;
        if found.request_id != request_id || found.expires <= SystemTime::now() {
            return None;
        }
        self.auth_tokens.remove(token).map(|t| t.customer_id)
    }

    /// `at` in the server's local time.
    pub fn local_time(&self, at: SystemTime) -> String {
        clock::local(self.config.utc_offset_seconds, at)
    }

    /// Now, in the server's local time.
    pub fn now(&self) -> String {
        self.local_time(SystemTime::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_tokens_expire_and_are_dropped() {
        let mut state = State::new(SandboxConfig::default()).expect("the seed loads");
        let past = SystemTime::now() - Duration::from_secs(1);
        state.auth_tokens.insert(
            "old".to_owned(),
            AuthToken {
                customer_id: "c".to_owned(),
                request_id: "r".to_owned(),
                expires: past,
            },
        );
        assert_eq!(state.use_auth_token("old", "r"), None, "expired");
        state.issue_auth_token("new".to_owned(), "c".to_owned(), "r2".to_owned());
        assert!(
            !state.auth_tokens.contains_key("old"),
            "dropped when the next is issued"
        );
        assert_eq!(
            state.use_auth_token("new", "wrong"),
            None,
            "another request's"
        );
        assert_eq!(state.use_auth_token("new", "r2").as_deref(), Some("c"));
        assert_eq!(state.use_auth_token("new", "r2"), None, "used once");
        assert!(state.auth_tokens.is_empty());
    }
}
