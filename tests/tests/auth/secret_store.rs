//! A wrapper declared in this (downstream) crate with
//! `#[derive(CareCloudClient)]` and its own `CredentialSource`: the source is
//! asked once per login, a rotated password is picked up at the next login,
//! and a source that fails stops the call without a login request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use carecloud_api::auth::{AuthError, AuthErrorKind, BoxFuture, CredentialSource};
use carecloud_api::{CareCloudClient, EnterpriseCredentials};

use super::assert_hides;
use super::mock::{API_USER_PASSWORD, APP_ID, Mock};

/// A stand-in secret store: counts how often it is asked, can rotate the
/// password and can be unreachable.
#[derive(Clone, Default)]
struct Vault {
    asked: Arc<AtomicUsize>,
    password: Arc<Mutex<Option<String>>>,
}

impl Vault {
    fn with_password(password: &str) -> Self {
        let vault = Vault::default();
        vault.rotate(Some(password));
        vault
    }

    fn rotate(&self, password: Option<&str>) {
        *self.password.lock().unwrap() = password.map(str::to_owned);
    }

    fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").finish_non_exhaustive()
    }
}

impl CredentialSource for Vault {
    fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
        Box::pin(async move {
            self.asked.fetch_add(1, Ordering::SeqCst);
            let password = self.password.lock().unwrap().clone();
            let password = password.ok_or_else(|| AuthError::unavailable("the vault is sealed"))?;
            Ok(EnterpriseCredentials::new(APP_ID, "api-user", password))
        })
    }
}

/// Declared here, outside carecloud-api, as a tuple struct.
#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = Vault)]
struct VaultClient(carecloud_api::enterprise::Client);

#[tokio::test]
async fn the_source_is_consulted_once_per_login() {
    let mock = Mock::start().await;
    let vault = Vault::with_password(API_USER_PASSWORD);
    let client = VaultClient::new(&mock.url, vault.clone()).unwrap();
    assert_eq!(vault.asked(), 0, "building a client asks nothing");

    client.get_tests_connection().send().await.unwrap();
    assert_eq!(vault.asked(), 0, "a public operation needs no credentials");

    for _ in 0..3 {
        client.get_customers().send().await.unwrap();
    }
    client.clone().get_customers().send().await.unwrap();
    assert_eq!((mock.logins(), vault.asked()), (1, 1));

    // A 401: one re-login, one more question to the vault.
    mock.force_401(1);
    client.get_customers().send().await.unwrap();
    assert_eq!((mock.logins(), vault.asked()), (2, 2));

    // Log out, then the next call logs in again.
    client.log_out().await.unwrap();
    assert_eq!(mock.logouts(), 1);
    client.get_customers().send().await.unwrap();
    assert_eq!((mock.logins(), vault.asked()), (3, 3));

    assert_hides(
        &format!("{client:?} {client:#?}"),
        &[API_USER_PASSWORD, "bearer-"],
    );
}

#[tokio::test]
async fn a_rotated_password_is_used_at_the_next_login() {
    let mock = Mock::start().await;
    let vault = Vault::with_password("stale-password");
    let client = VaultClient::new(&mock.url, vault.clone()).unwrap();

    let error = client.get_customers().send().await.unwrap_err();
    let auth = error.as_auth().cloned().expect("an auth error");
    assert_eq!(auth.kind(), AuthErrorKind::LoginRejected);
    assert_eq!((mock.logins(), vault.asked()), (1, 1));

    vault.rotate(Some(API_USER_PASSWORD));
    client.get_customers().send().await.unwrap();
    assert_eq!((mock.logins(), vault.asked()), (2, 2));
}

#[tokio::test]
async fn a_failing_source_fails_the_call_without_a_login() {
    let mock = Mock::start().await;
    let vault = Vault::default();
    let client = VaultClient::new(&mock.url, vault.clone()).unwrap();

    let error = client.get_customers().send().await.unwrap_err();
    let auth = error.as_auth().cloned().expect("an auth error");
    assert_eq!(auth.kind(), AuthErrorKind::Unavailable);
    assert_eq!(auth.message(), "the vault is sealed");
    assert_eq!((mock.logins(), vault.asked()), (0, 1));
    assert!(mock.requests_to("GET", "/customers").is_empty());

    // Not cached: the next call asks again.
    vault.rotate(Some(API_USER_PASSWORD));
    client.get_customers().send().await.unwrap();
    assert_eq!((mock.logins(), vault.asked()), (1, 2));
}
