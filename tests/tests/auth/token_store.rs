//! A customer wrapper declared in this (downstream) crate whose device token
//! is shared through its own store (`DeviceSource`): the second client
//! loads the token the first created instead of creating another (which
//! would invalidate the first's), and a replacement token is saved again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use carecloud_api::auth::{AuthError, BoxFuture, DeviceSource};
use carecloud_api::types::Secret;
use carecloud_api::{CareCloudClient, DeviceRegistration};
use serde_json::json;

use super::assert_hides;
use super::mock::{APP_ID, Mock};

/// A stand-in for a store several app instances share (a database row, a
/// keychain item).
#[derive(Clone, Default)]
struct SharedStore {
    token: Arc<Mutex<Option<Secret>>>,
    loads: Arc<AtomicUsize>,
    saves: Arc<AtomicUsize>,
}

/// The registration plus the store: the wrapper's `credentials`.
#[derive(Clone)]
pub struct StoredDevice {
    registration: DeviceRegistration,
    store: SharedStore,
}

impl std::fmt::Debug for StoredDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredDevice")
            .field("registration", &self.registration)
            .finish_non_exhaustive()
    }
}

impl DeviceSource for StoredDevice {
    fn registration(&self) -> &DeviceRegistration {
        &self.registration
    }

    fn load_token(&self) -> BoxFuture<'_, Result<Option<Secret>, AuthError>> {
        Box::pin(async move {
            self.store.loads.fetch_add(1, Ordering::SeqCst);
            Ok(self.store.token.lock().unwrap().clone())
        })
    }

    fn save_token<'a>(&'a self, token: &'a Secret) -> BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move {
            self.store.saves.fetch_add(1, Ordering::SeqCst);
            *self.store.token.lock().unwrap() = Some(token.clone());
            Ok(())
        })
    }
}

#[derive(CareCloudClient)]
#[carecloud(interface = customer, credentials = StoredDevice)]
pub struct KioskClient {
    client: carecloud_api::customer::Client,
}

fn device(store: &SharedStore) -> StoredDevice {
    let mut body = carecloud_tests::payload("seed_post_token_request.json");
    body["external_application_id"] = json!(APP_ID);
    StoredDevice {
        registration: serde_json::from_value(body).expect("the POST /tokens body"),
        store: store.clone(),
    }
}

fn kiosk(mock: &Mock, store: &SharedStore) -> KioskClient {
    KioskClient::builder(&mock.url, device(store))
        .customer_logged_in(false)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_second_client_loads_the_shared_token_instead_of_creating_one() {
    let mock = Mock::start().await;
    let store = SharedStore::default();
    let counts = || {
        (
            mock.tokens_created(),
            store.loads.load(Ordering::SeqCst),
            store.saves.load(Ordering::SeqCst),
        )
    };

    let first = kiosk(&mock, &store);
    first.get_stores().send().await.unwrap();
    first.get_stores().send().await.unwrap();
    assert_eq!(
        counts(),
        (1, 1, 1),
        "created once, loaded once (empty), saved once"
    );

    let second = kiosk(&mock, &store);
    second.get_stores().send().await.unwrap();
    assert_eq!(counts(), (1, 2, 1), "the second loads the first's token");
    assert_eq!(second.token_id(), first.token_id());

    // The server drops the token: a new one is created (no customer was
    // logged in), saved, and not loaded again.
    mock.expire_all_tokens();
    second.get_stores().send().await.unwrap();
    assert_eq!(counts(), (2, 2, 2));
    assert_eq!(store.token.lock().unwrap().clone(), second.token_id());
    assert_ne!(second.token_id(), first.token_id());

    assert_hides(
        &format!("{second:?} {second:#?}"),
        &[second.token_id().unwrap().expose()],
    );
}
