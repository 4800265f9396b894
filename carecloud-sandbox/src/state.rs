//! The sandbox's in-memory state: records, sessions, knobs and the log.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use carecloud_api::OperationId;

use crate::seed::Accounts;
use crate::store::Store;
use crate::{Fault, LoggedRequest, SandboxConfig, clock};

/// A customer device token.
pub(crate) struct DeviceToken {
    pub device_id: String,
    pub application_id: String,
    /// The customer logged in on it, if any.
    pub customer_id: Option<String>,
}

/// A one-time customer authentication token (`GET .../actions/auth-token`).
pub(crate) struct AuthToken {
    pub customer_id: String,
    pub request_id: String,
}

pub(crate) struct State {
    pub config: SandboxConfig,
    pub store: Store,
    pub accounts: Accounts,
    /// Enterprise bearer token → when it expires.
    pub bearer_tokens: HashMap<String, SystemTime>,
    pub device_tokens: HashMap<String, DeviceToken>,
    pub auth_tokens: HashMap<String, AuthToken>,
    pub force_401: usize,
    pub faults: VecDeque<(Option<OperationId>, Fault)>,
    pub latency: Duration,
    pub log: Vec<LoggedRequest>,
}

impl State {
    /// The seeded state; an error names a seed record that does not fit the
    /// spec.
    pub fn new(config: SandboxConfig) -> Result<Self, String> {
        let (store, accounts) = crate::seed::load()?;
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
            log: Vec::new(),
        })
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
