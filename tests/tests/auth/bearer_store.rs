//! An enterprise wrapper whose bearer token is kept between processes
//! (`CredentialSource::load_token`/`save_token`): a second client uses the
//! first's token instead of logging in, a token with too little time left
//! or refused with 401 is replaced by a login (and saved), and a store that
//! cannot save does not fail the call.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use carecloud_api::auth::{AuthError, BoxFuture, CredentialSource, SavedBearerToken};
use carecloud_api::types::Secret;
use carecloud_api::{CareCloudClient, EnterpriseCredentials};

use super::assert_hides;
use super::mock::{API_USER_PASSWORD, APP_ID, Mock};

/// A stand-in for a token file several processes share.
#[derive(Clone, Default)]
struct TokenFile {
    token: Arc<Mutex<Option<SavedBearerToken>>>,
    loads: Arc<AtomicUsize>,
    saves: Arc<AtomicUsize>,
    read_only: Arc<AtomicBool>,
}

impl TokenFile {
    fn counts(&self) -> (usize, usize) {
        (
            self.loads.load(Ordering::SeqCst),
            self.saves.load(Ordering::SeqCst),
        )
    }

    fn token(&self) -> Option<SavedBearerToken> {
        self.token.lock().unwrap().clone()
    }
}

impl std::fmt::Debug for TokenFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenFile").finish_non_exhaustive()
    }
}

impl CredentialSource for TokenFile {
    fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
        Box::pin(async {
            Ok(EnterpriseCredentials::new(
                APP_ID,
                "api-user",
                API_USER_PASSWORD,
            ))
        })
    }

    fn load_token(&self) -> BoxFuture<'_, Result<Option<SavedBearerToken>, AuthError>> {
        Box::pin(async move {
            self.loads.fetch_add(1, Ordering::SeqCst);
            Ok(self.token())
        })
    }

    fn save_token<'a>(
        &'a self,
        token: &'a SavedBearerToken,
    ) -> BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move {
            if self.read_only.load(Ordering::SeqCst) {
                return Err(AuthError::unavailable("the token file is read-only"));
            }
            self.saves.fetch_add(1, Ordering::SeqCst);
            *self.token.lock().unwrap() = Some(token.clone());
            Ok(())
        })
    }
}

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = TokenFile)]
struct BatchJob {
    client: carecloud_api::enterprise::Client,
}

#[tokio::test]
async fn a_second_client_uses_the_saved_token_instead_of_logging_in() {
    let mock = Mock::start().await;
    let file = TokenFile::default();

    let first = BatchJob::new(&mock.url, file.clone()).unwrap();
    first.get_customers().send().await.unwrap();
    first.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 1);
    assert_eq!(file.counts(), (1, 1), "loaded once (empty), saved once");
    let saved = file.token().expect("saved");
    assert_eq!(saved.application_id(), APP_ID);
    let left = saved
        .expires_at()
        .duration_since(SystemTime::now())
        .expect("in the future");
    assert!(
        left > Duration::from_secs(6 * 3600) && left <= Duration::from_secs(7 * 3600),
        "{left:?}"
    );

    let second = BatchJob::new(&mock.url, file.clone()).unwrap();
    second.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 1, "no second login");
    assert_eq!(file.counts(), (2, 1));
    let sent = mock.requests_to("GET", "/customers");
    let bearer = |i: usize| sent[i].authorization.clone();
    assert_eq!(bearer(2), bearer(0), "the first client's token");

    // The server ends the token: 401, one login, the new token saved.
    mock.expire_all_tokens();
    second.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 2);
    assert_eq!(file.counts(), (2, 2), "not loaded again; the new one saved");
    assert_ne!(
        file.token().expect("saved").token().expose(),
        saved.token().expose()
    );

    let shown = format!("{saved:?} {second:?} {second:#?}");
    assert_hides(&shown, &[saved.token().expose(), API_USER_PASSWORD]);
}

#[tokio::test]
async fn a_saved_token_about_to_expire_is_not_used() {
    let mock = Mock::start().await;
    let file = TokenFile::default();
    *file.token.lock().unwrap() = Some(SavedBearerToken::new(
        Secret::new("old-token"),
        APP_ID,
        SystemTime::now() + Duration::from_secs(60),
    ));
    let client = BatchJob::new(&mock.url, file.clone()).unwrap();
    client.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 1);
    assert_eq!(file.counts(), (1, 1));
    let sent = mock.requests_to("GET", "/customers");
    assert_ne!(sent[0].authorization.as_deref(), Some("Bearer old-token"));
}

#[tokio::test]
async fn a_store_that_cannot_save_does_not_fail_the_call() {
    let mock = Mock::start().await;
    let file = TokenFile::default();
    file.read_only.store(true, Ordering::SeqCst);
    let client = BatchJob::new(&mock.url, file.clone()).unwrap();
    client.get_customers().send().await.unwrap();
    client.get_customers().send().await.unwrap();
    assert_eq!(mock.logins(), 1, "the token is used although not saved");
    assert!(file.token().is_none());
}
