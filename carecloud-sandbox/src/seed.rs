//! The seeded data and the documented credentials.
//!
//! Records live in `seed/<collection>.json` (one JSON array per collection,
//! compiled in; `build.rs` lists the files, so a new one needs no code);
//! `seed/meta/rules.json` holds per-collection rules (unique fields, filter
//! parameters named differently from their field, an ID field named unlike
//! the path's ID parameter) and
//! `seed/meta/accounts.json` the customers' passwords, social logins and
//! user authentication tokens. Every record is checked against the spec
//! when a sandbox starts: through the generated type of the response of an
//! operation that returns it.

use std::collections::{BTreeMap, HashMap};

use carecloud_api::Operation;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::resources::{self, Kind, Resource};
use crate::schemas::round_trip_as;
use crate::store::Store;

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

const RULES: &str = include_str!("../seed/meta/rules.json");
const ACCOUNTS: &str = include_str!("../seed/meta/accounts.json");

/// Credentials that are not records: customers' passwords and social
/// logins, users' authentication tokens.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Accounts {
    /// Customer ID → password.
    pub customer_passwords: HashMap<String, String>,
    /// Social network logins.
    pub social_logins: Vec<SocialLogin>,
    /// User authentication token → user ID (each valid once).
    pub user_auth_tokens: HashMap<String, String>,
}

/// A social network login of a customer.
#[derive(Debug, Deserialize)]
pub(crate) struct SocialLogin {
    pub social_network_id: String,
    pub social_network_token: String,
    pub customer_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    #[serde(default)]
    unique: Vec<String>,
    #[serde(default)]
    filter_fields: BTreeMap<String, String>,
    /// The records' ID field when the API names it unlike the path's ID
    /// parameter (`address_type_id` under `{customer_address_type_id}`).
    #[serde(default)]
    id_field: Option<String>,
}

/// The seeded records and accounts; an error names the file and record that
/// does not fit the spec.
pub(crate) fn load() -> Result<(Store, Accounts), String> {
    let mut rules: BTreeMap<String, Rules> =
        serde_json::from_str(RULES).map_err(|e| format!("seed/meta/rules.json: {e}"))?;
    let accounts: Accounts =
        serde_json::from_str(ACCOUNTS).map_err(|e| format!("seed/meta/accounts.json: {e}"))?;
    let mut store = Store::default();
    for (name, file, text) in COLLECTIONS {
        let records: Vec<Value> =
            serde_json::from_str(text).map_err(|e| format!("seed/{file}: {e}"))?;
        let mut rule = rules.remove(*name).unwrap_or_default();
        let id_field = rule
            .id_field
            .take()
            .unwrap_or_else(|| resources::id_field(name));
        for (i, record) in records.iter().enumerate() {
            if record.get(&id_field).and_then(Value::as_str).is_none() {
                return Err(format!("seed/{file}: record {i} has no `{id_field}`"));
            }
            check_record(name, record).map_err(|e| format!("seed/{file}: record {i}: {e}"))?;
        }
        let collection = store.entry(name, &id_field);
        collection.records = records;
        collection.unique = rule.unique;
        collection.filter_fields = rule.filter_fields;
    }
    if let Some(name) = rules.keys().next() {
        return Err(format!(
            "seed/meta/rules.json: no seed/{name}.json for `{name}`"
        ));
    }
    Ok((store, accounts))
}

/// Checks `record` of `collection` against the spec: as the `data` of an
/// operation getting it by ID, else as an item of an operation listing it.
pub(crate) fn check_record(collection: &str, record: &Value) -> Result<(), String> {
    let serving = |kind: Kind| {
        resources::all_operations().find_map(|op| {
            let resource = Resource::of(op)?;
            (resource.kind == kind && resource.collection == collection && op.response.is_some())
                .then_some((op, resource))
        })
    };
    let (op, wrapped): (&Operation, Value) = if let Some((op, _)) = serving(Kind::Get) {
        (op, json!({ "data": record }))
    } else if let Some((op, list)) = serving(Kind::List) {
        (
            op,
            json!({"data": {list.items: [record], "total_items": 1}}),
        )
    } else {
        return Err(format!(
            "no operation of either interface returns `{collection}`"
        ));
    };
    let schema = op.response.unwrap_or_default();
    match round_trip_as(schema, wrapped) {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(format!("does not fit {schema} (of `{}`): {e}", op.name)),
        None => Err(format!("{schema} is not in the sandbox's schema registry")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_loads_and_fits_the_spec() {
        let (store, accounts) = load().expect("the seed fits the spec");
        let john = store
            .get("customers")
            .and_then(|c| c.find(JOHN_SMITH_ID))
            .expect("John")
            .1;
        assert_eq!(john["personal_information"]["email"], JOHN_SMITH_EMAIL);
        assert_eq!(
            accounts.customer_passwords[JOHN_SMITH_ID],
            JOHN_SMITH_PASSWORD
        );
        assert!(
            store
                .get("customers")
                .and_then(|c| c.find(TEST_CUSTOMER_ID))
                .is_some()
        );
        assert!(store.find_by("users", "login", API_USER_LOGIN).is_some());
        assert_eq!(
            store
                .find_by("users", "user_id", API_USER_ID)
                .map(|u| &u["login"]),
            Some(&json!(API_USER_LOGIN))
        );
        assert_eq!(accounts.user_auth_tokens[USER_AUTH_TOKEN], API_USER_ID);
    }

    #[test]
    fn a_record_that_does_not_fit_is_named() {
        let error = check_record(
            "cards",
            &json!({"card_id": "x", "card_type_id": "t", "state": 1}),
        )
        .expect_err("no number");
        assert!(error.contains("card_number"), "{error}");
        let error = check_record("nothing", &json!({})).expect_err("unknown");
        assert!(error.contains("no operation"), "{error}");
    }
}
