//! The seeded data and the documented credentials.
//!
//! Records live in `seed/<collection>.json` (one JSON array per collection,
//! compiled in; `build.rs` lists the files, so a new one needs no code),
//! one for each resource the spec declares (`x-sandbox`, see
//! `docs/sandbox.md`); `seed/meta/accounts.json` holds the customers'
//! passwords, social logins and user authentication tokens. Every record is
//! checked against its resource's schema when a sandbox starts, through the
//! generated type.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::decl::Resource;
use crate::generated::plan::RESOURCES;
use crate::schemas::round_trip_as;
use crate::store::{Store, text};

include!(concat!(env!("OUT_DIR"), "/seed_files.rs"));

/// `user_external_application_id` of the seeded enterprise API user.
pub const ENTERPRISE_APPLICATION_ID: &str = "89d1a6111b3fb6e74665d948";
/// Login of the seeded enterprise API user (a `users` record).
pub const API_USER_LOGIN: &str = "fabulous_user";
/// Password of the seeded enterprise API user.
pub const API_USER_PASSWORD: &str = "password_example";
/// `user_id` of the seeded enterprise API user.
pub const API_USER_ID: &str = "838b73aacb5ac326cec4030c80";
/// The SSO token `POST /users/actions/sso-login` accepts (logs in the
/// configured API user).
pub const SSO_TOKEN: &str = "sandbox-sso-token";
/// A user authentication token `POST /users/actions/verify-auth-token`
/// accepts once per sandbox: it names [`API_USER_ID`].
pub const USER_AUTH_TOKEN: &str = "sandbox-user-auth-token";
/// The customer interface's external application ID (`POST /tokens`).
pub const CUSTOMER_APPLICATION_ID: &str = "81eaeea13b8984a169c490a325";
/// The seed's John Smith.
pub const JOHN_SMITH_ID: &str = "8ea6abece4cd0a4ded0a29f093";
/// John Smith's e-mail (his login).
pub const JOHN_SMITH_EMAIL: &str = "john.smith@example.com";
/// John Smith's password.
pub const JOHN_SMITH_PASSWORD: &str = "password_example";
/// The project's test customer (`login-test-customer`).
pub const TEST_CUSTOMER_ID: &str = "8ea6abece4cd0a4ded0a29f0ff";

const ACCOUNTS: &str = include_str!("../seed/meta/accounts.json");

/// Credentials that are not records: customers' passwords and social
/// logins, users' authentication tokens.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Accounts {
    /// Customer ID → password.
    pub customer_passwords: HashMap<String, String>,
    /// Social network logins.
    pub social_logins: Vec<SocialLogin>,
    /// User authentication token → user ID (each valid once).
    pub user_auth_tokens: HashMap<String, String>,
}

/// A social network login of a customer.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct SocialLogin {
    pub social_network_id: String,
    pub social_network_token: String,
    pub customer_id: String,
}

/// The seeded records and accounts; an error names the file and record that
/// does not fit the spec. The seed is compiled in, so it is read and
/// checked once per process; each sandbox starts from a copy.
pub(crate) fn load() -> Result<(Store, Accounts), String> {
    static SEED: OnceLock<Result<Seed, String>> = OnceLock::new();
    let seed = SEED.get_or_init(read).as_ref().map_err(Clone::clone)?;
    let mut store = Store::default();
    for resource in RESOURCES {
        store.entry(resource.name, resource.id);
    }
    for (name, id_field, records) in &seed.collections {
        store.entry(name, id_field).records = records.clone();
    }
    Ok((store, seed.accounts.clone()))
}

/// The seed, read and checked: each collection's name, ID field and
/// records, in the order of the files; and the accounts.
struct Seed {
    collections: Vec<(&'static str, &'static str, Vec<Value>)>,
    accounts: Accounts,
}

/// Reads and checks the seed.
fn read() -> Result<Seed, String> {
    let accounts: Accounts =
        serde_json::from_str(ACCOUNTS).map_err(|e| format!("seed/meta/accounts.json: {e}"))?;
    let mut collections = Vec::new();
    for (name, file, contents) in COLLECTIONS {
        let Some(resource) = RESOURCES.iter().find(|r| r.name == *name) else {
            return Err(format!(
                "seed/{file}: the spec declares no resource `{name}` (x-sandbox resources)"
            ));
        };
        let records: Vec<Value> =
            serde_json::from_str(contents).map_err(|e| format!("seed/{file}: {e}"))?;
        for (i, record) in records.iter().enumerate() {
            if record.get(resource.id).and_then(text).is_none() {
                return Err(format!("seed/{file}: record {i} has no `{}`", resource.id));
            }
            check_record(resource, record).map_err(|e| format!("seed/{file}: record {i}: {e}"))?;
        }
        collections.push((*name, resource.id, records));
    }
    Ok(Seed {
        collections,
        accounts,
    })
}

/// Checks `record` against its resource's schema (hidden fields are kept as
/// unknown ones).
pub(crate) fn check_record(resource: &Resource, record: &Value) -> Result<(), String> {
    let schema = resource.schema;
    match round_trip_as(schema, record.clone()) {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(format!("does not fit {schema}: {e}")),
        None => Err(format!("{schema} is not in the sandbox's schema registry")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_loads_and_fits_the_spec() {
        let (store, accounts) = load().expect("the seed fits the spec");
        let john = store.find("customers", JOHN_SMITH_ID).expect("John").1;
        assert_eq!(john["personal_information"]["email"], JOHN_SMITH_EMAIL);
        assert_eq!(
            accounts.customer_passwords[JOHN_SMITH_ID],
            JOHN_SMITH_PASSWORD
        );
        assert!(store.find("customers", TEST_CUSTOMER_ID).is_some());
        assert!(store.find_by("users", "login", API_USER_LOGIN).is_some());
        let user = store.find("users", API_USER_ID).expect("the API user").1;
        assert_eq!(user.get("login"), Some(&serde_json::json!(API_USER_LOGIN)));
        assert_eq!(accounts.user_auth_tokens[USER_AUTH_TOKEN], API_USER_ID);
    }

    #[test]
    fn a_record_that_does_not_fit_is_named() {
        let cards = RESOURCES
            .iter()
            .find(|r| r.name == "cards")
            .expect("declared");
        let card = serde_json::json!({"card_id": "x", "card_type_id": "t", "state": 1});
        let error = check_record(cards, &card).expect_err("no number");
        assert!(
            error.contains("card_number") && error.contains("Card"),
            "{error}"
        );
    }
}
