//! A downstream wrapper whose enterprise credentials come from the app's own
//! secret store, asked at every login (so a rotated password is picked up
//! without rebuilding the client).
//!
//! ```sh
//! CARECLOUD_PROJECT=sandbox.crmcarecloud.com cargo run -p carecloud-api --example secret_store_client
//! ```
//!
//! It only builds the client and shows it (no password in the output); a
//! real app would then call `client.get_customers().send().await`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use carecloud_api::auth::{AuthError, BoxFuture, CredentialSource};
use carecloud_api::{CareCloudClient, EnterpriseCredentials};

/// The app's secret store (a stand-in for Vault, AWS Secrets Manager, ...).
/// (As visible as the wrapper that names it.)
#[derive(Clone, Default)]
pub struct SecretStore {
    secrets: Arc<RwLock<HashMap<String, String>>>,
}

impl SecretStore {
    fn put(&self, key: &str, value: &str) {
        self.secrets
            .write()
            .unwrap()
            .insert(key.to_owned(), value.to_owned());
    }

    fn get(&self, key: &str) -> Result<String, AuthError> {
        self.secrets
            .read()
            .unwrap()
            .get(key)
            .cloned()
            .ok_or_else(|| AuthError::unavailable(format!("secret `{key}` is missing")))
    }
}

/// Shows which store it is, never its contents.
impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretStore(<secrets>)")
    }
}

impl CredentialSource for SecretStore {
    fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
        Box::pin(async move {
            Ok(EnterpriseCredentials::new(
                self.get("carecloud/application-id")?,
                self.get("carecloud/login")?,
                self.get("carecloud/password")?,
            ))
        })
    }
}

/// An enterprise client that logs in with what the store holds at the time.
#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = SecretStore)]
pub struct StoreClient {
    client: carecloud_api::enterprise::Client,
}

fn main() -> Result<(), carecloud_api::ConfigError> {
    let store = SecretStore::default();
    store.put("carecloud/application-id", "89d1a6111b3fb6e74665d948");
    store.put("carecloud/login", "fabulous_user");
    store.put("carecloud/password", "password_example");

    let project =
        std::env::var("CARECLOUD_PROJECT").unwrap_or_else(|_| "sandbox.crmcarecloud.com".into());
    let client = StoreClient::builder(&project, store.clone())
        .accept_language("en")
        .build()?;
    println!("{client:#?}");
    // Rotating the password in the store takes effect at the next login.
    store.put("carecloud/password", "rotated_password");
    Ok(())
}
