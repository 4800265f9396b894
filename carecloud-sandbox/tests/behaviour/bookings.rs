//! Bookings taking places in their time slots, through the typed client,
//! for what a single case cannot hold: bookings made at the same time never
//! take more places than the slot has, and cancelled ones give theirs back.
//!
//! The seed's time slot `...d604` (yoga, 2030-03-22) has 10 places and no
//! bookings.

use std::sync::Arc;

use carecloud_api::types::{
    Booking, BookingItem, BookingUpdate, PostBookingRequest, PutBookingRequest,
};
use carecloud_api::{EnterpriseClient, Error};
use carecloud_sandbox::Sandbox;
use serde_json::Value;

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const YOGA: &str = "89d88719b8b442de2d11b40102";
const SLOT: &str = "88bb88399cc74d81edbe19d604";
const CANCELLED: &str = "8bf3397ab62d3ffd876fc9ae03";
const JOHN: &str = "8ea6abece4cd0a4ded0a29f093";

async fn client(sandbox: &Sandbox) -> Result<EnterpriseClient, Box<dyn std::error::Error>> {
    Ok(EnterpriseClient::new(
        sandbox.url(),
        Sandbox::enterprise_credentials(),
    )?)
}

/// Books one place of [`SLOT`]; the new booking's ID.
async fn book(client: &EnterpriseClient) -> Result<String, Error> {
    let item = BookingItem::new(SLOT, "2026-12-07 10:00:00");
    let booking = Booking::new("2026-12-07 10:00:00")
        .with_customer_id(JOHN)
        .with_booking_items([item]);
    let reply = client
        .post_booking(PostBookingRequest::new(booking))
        .send()
        .await?;
    Ok(reply.data.booking_id.clone().unwrap_or_default())
}

/// Cancels a booking (its status update).
async fn cancel(client: &EnterpriseClient, booking_id: &str) -> Result<(), Error> {
    let update = BookingUpdate::new().with_booking_status(CANCELLED);
    client
        .put_booking(booking_id, PutBookingRequest::new(update))
        .send()
        .await
        .map(drop)
}

/// The free places the time-slot listing shows for [`SLOT`].
async fn left(client: &EnterpriseClient) -> Result<Option<i64>, Error> {
    let page = client
        .get_sub_booking_tickets_time_slots(YOGA)
        .send()
        .await?;
    Ok(page
        .data
        .time_slots()
        .iter()
        .find(|s| s.time_slot_id.as_deref() == Some(SLOT))
        .and_then(|s| s.free_capacity))
}

/// The `name` of the first invalid parameter of a 400.
fn refused_field(error: &Error) -> Option<String> {
    let envelope = serde_json::to_value(error.envelope()?).ok()?;
    envelope
        .pointer("/error/error_data/invalid_params/0/name")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Makes `n` bookings of [`SLOT`] at once: the IDs of those accepted, and
/// how many were refused (each a 400 naming the time slot).
async fn race(client: &Arc<EnterpriseClient>, n: usize) -> Result<(Vec<String>, usize), Error> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = Arc::clone(client);
            tokio::spawn(async move { book(&client).await })
        })
        .collect();
    let (mut booked, mut refused) = (Vec::new(), 0);
    for task in tasks {
        match task.await.expect("a booking task") {
            Ok(id) => booked.push(id),
            Err(error) => {
                assert_eq!(error.status().map(|s| s.as_u16()), Some(400), "{error}");
                assert_eq!(refused_field(&error).as_deref(), Some("time_slot_id"));
                refused += 1;
            }
        }
    }
    Ok((booked, refused))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_bookings_never_take_more_places_than_the_slot_has() -> TestResult {
    let sandbox = schema::start().await?;
    let client = Arc::new(client(&sandbox).await?);
    assert_eq!(left(&client).await?, Some(10)); // also logs in before the race

    let (booked, refused) = race(&client, 30).await?;
    assert_eq!((booked.len(), refused), (10, 20), "10 places, 30 bookings");
    assert_eq!(left(&client).await?, Some(0));

    for id in &booked[..3] {
        cancel(&client, id).await?;
    }
    assert_eq!(left(&client).await?, Some(3));

    let (rebooked, refused) = race(&client, 5).await?;
    assert_eq!(
        (rebooked.len(), refused),
        (3, 2),
        "the 3 places cancelled are taken again"
    );
    assert_eq!(left(&client).await?, Some(0));
    Ok(())
}

#[tokio::test]
async fn a_deleted_booking_frees_its_place() -> TestResult {
    let sandbox = schema::start().await?;
    let client = client(&sandbox).await?;
    let id = book(&client).await?;
    assert_eq!(left(&client).await?, Some(9));
    client.delete_booking(&id).send().await?;
    assert_eq!(left(&client).await?, Some(10));
    Ok(())
}
