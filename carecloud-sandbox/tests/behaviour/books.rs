//! The sandbox's books of points, through the typed client, for the
//! sequences a single case cannot hold: a reservation lowers the available
//! balance and freeing it gives it back; a reservation beyond the balance
//! is refused and changes nothing; reservations made at the same time never
//! hold more than the balance.
//!
//! Jana Novakova's seeded points are two unexpired records (120 and 30 left
//! of 80), so her available balance is the sum of their `available_points`.

use std::sync::Arc;

use carecloud_api::types::{PointReservationReleaseRequest, PointReservationRequest};
use carecloud_api::{EnterpriseClient, Error};
use carecloud_sandbox::Sandbox;
use serde_json::Value;

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const JANA: &str = "8ea6abece4cd0a4ded0a29f100";

/// Jana's available points: the sum over her point records.
async fn balance(client: &EnterpriseClient) -> Result<f64, Error> {
    let page = client.get_points().customer_id(JANA).send().await?;
    Ok(page
        .data
        .points()
        .iter()
        .filter_map(|p| p.available_points)
        .sum())
}

fn reservation(external_id: &str, amount: f64) -> PointReservationRequest {
    PointReservationRequest::new(JANA, external_id, amount)
}

async fn reserve(client: &EnterpriseClient, external_id: &str, amount: f64) -> Result<(), Error> {
    client
        .post_point_reservation_create(reservation(external_id, amount))
        .send()
        .await
        .map(drop)
}

/// The reservations under `external_id`: (quantity, state) of each.
async fn reservations(
    client: &EnterpriseClient,
    external_id: &str,
) -> Result<Vec<(Option<f64>, Option<i64>)>, Box<dyn std::error::Error>> {
    let page = client
        .get_point_reservations()
        .external_id(external_id)
        .send()
        .await?;
    let mut found = Vec::new();
    for r in page.data.point_reservations() {
        let state = serde_json::to_value(r.state)?.as_i64();
        found.push((r.quantity, state));
    }
    Ok(found)
}

/// The `reason` of the first invalid parameter of a 400.
fn reason(error: &Error) -> Option<String> {
    let envelope = serde_json::to_value(error.envelope()?).ok()?;
    envelope
        .pointer("/error/error_data/invalid_params/0/reason")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

async fn client(sandbox: &Sandbox) -> Result<EnterpriseClient, Box<dyn std::error::Error>> {
    Ok(EnterpriseClient::new(
        sandbox.url(),
        Sandbox::enterprise_credentials(),
    )?)
}

#[tokio::test]
async fn a_reservation_lowers_the_balance_and_freeing_it_gives_the_points_back() -> TestResult {
    let sandbox = schema::start().await?;
    let client = client(&sandbox).await?;
    assert_eq!(balance(&client).await?, 150.0);

    reserve(&client, "ORDER-7", 100.0).await?;
    assert_eq!(balance(&client).await?, 50.0);
    assert_eq!(
        reservations(&client, "ORDER-7").await?,
        [(Some(100.0), Some(1))]
    );

    let release = PointReservationReleaseRequest::new("ORDER-7");
    client
        .post_point_reservation_release(release)
        .send()
        .await?;
    assert_eq!(balance(&client).await?, 150.0);
    assert_eq!(
        reservations(&client, "ORDER-7").await?,
        [(Some(100.0), Some(0))]
    );
    Ok(())
}

#[tokio::test]
async fn a_reservation_beyond_the_available_points_is_refused_and_changes_nothing() -> TestResult {
    let sandbox = schema::start().await?;
    let client = client(&sandbox).await?;

    let error = reserve(&client, "TOO-MUCH", 150.5)
        .await
        .expect_err("150 available");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        reason(&error).as_deref(),
        Some("not_enough_points_for_payment")
    );
    assert_eq!(balance(&client).await?, 150.0);
    assert!(reservations(&client, "TOO-MUCH").await?.is_empty());

    // Held points do not count: after holding 100, 51 more are refused, 50 not.
    reserve(&client, "FIRST", 100.0).await?;
    let error = reserve(&client, "SECOND", 51.0)
        .await
        .expect_err("50 available");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    reserve(&client, "SECOND", 50.0).await?;
    assert_eq!(balance(&client).await?, 0.0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_never_hold_more_than_the_balance() -> TestResult {
    let sandbox = schema::start().await?;
    let client = Arc::new(client(&sandbox).await?);
    balance(&client).await?; // log in once, before the race

    let mut tasks = Vec::new();
    for i in 0..24 {
        let client = Arc::clone(&client);
        tasks.push(tokio::spawn(async move {
            reserve(&client, &format!("RACE-{i}"), 10.0).await
        }));
    }
    let (mut held, mut refused) = (0, 0);
    for task in tasks {
        match task.await? {
            Ok(()) => held += 1,
            Err(error) => {
                assert_eq!(error.status().map(|s| s.as_u16()), Some(400), "{error}");
                refused += 1;
            }
        }
    }
    assert_eq!(
        (held, refused),
        (15, 9),
        "150 points hold fifteen reservations of 10"
    );
    assert_eq!(balance(&client).await?, 0.0);

    let page = client
        .get_point_reservations()
        .customer_id(JANA)
        .send()
        .await?;
    let open: f64 = page
        .data
        .point_reservations()
        .iter()
        .filter(|r| {
            r.external_id
                .as_deref()
                .is_some_and(|e| e.starts_with("RACE-"))
        })
        .filter_map(|r| r.quantity)
        .sum();
    assert_eq!(open, 150.0);
    Ok(())
}
