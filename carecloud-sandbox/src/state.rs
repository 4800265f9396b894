//! The sandbox's in-memory state.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use carecloud_api::enterprise::types::User;
use carecloud_api::types::{Card, CardType, Customer, Language, Store};

use crate::{Fault, LoggedRequest, SandboxConfig, seed};

/// A customer device token.
pub(crate) struct DeviceToken {
    pub device_id: String,
    pub application_id: String,
    pub customer_id: Option<String>,
}

pub(crate) struct State {
    pub config: SandboxConfig,
    pub customers: Vec<Customer>,
    pub passwords: HashMap<String, String>,
    pub social: HashMap<(String, String), String>,
    pub cards: Vec<Card>,
    pub card_types: Vec<CardType>,
    pub stores: Vec<Store>,
    pub languages: Vec<Language>,
    pub users: Vec<User>,
    /// Bearer token → (login, expiry).
    pub bearer_tokens: HashMap<String, (String, SystemTime)>,
    pub device_tokens: HashMap<String, DeviceToken>,
    /// One-time authentication token → (customer, token_request_id).
    pub auth_tokens: HashMap<String, (String, String)>,
    pub force_401: usize,
    pub faults: VecDeque<(Option<String>, Fault)>,
    pub latency: Duration,
    pub log: Vec<LoggedRequest>,
    counter: u64,
}

impl State {
    pub fn new(config: SandboxConfig) -> Self {
        let customers = seed::customers();
        let cards = seed::cards(&customers);
        let passwords = customers
            .iter()
            .map(|(c, p)| (c.customer_id.clone().unwrap_or_default(), (*p).to_owned()))
            .collect();
        let mut social = HashMap::new();
        social.insert(
            (
                seed::JOHN_SOCIAL.0.to_owned(),
                seed::JOHN_SOCIAL.1.to_owned(),
            ),
            seed::JOHN_SMITH_ID.to_owned(),
        );
        Self {
            config,
            customers: customers.into_iter().map(|(c, _)| c).collect(),
            passwords,
            social,
            cards,
            card_types: seed::card_types(),
            stores: seed::stores(),
            languages: seed::languages(),
            users: seed::users(),
            bearer_tokens: HashMap::new(),
            device_tokens: HashMap::new(),
            auth_tokens: HashMap::new(),
            force_401: 0,
            faults: VecDeque::new(),
            latency: Duration::ZERO,
            log: Vec::new(),
            counter: 0,
        }
    }

    /// A fresh identifier of `len` hex digits (unique within the sandbox,
    /// unpredictable across runs).
    pub fn new_id(&mut self, len: usize) -> String {
        use std::hash::{BuildHasher, Hasher};
        self.counter += 1;
        let mut out = String::new();
        let mut round = 0u64;
        while out.len() < len {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(self.counter);
            hasher.write_u64(round);
            out.push_str(&format!("{:016x}", hasher.finish()));
            round += 1;
        }
        out.truncate(len);
        out
    }
}
