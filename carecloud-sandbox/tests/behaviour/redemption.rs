//! The sandbox's voucher and reward books over sequences of calls that a
//! single case cannot express: a voucher redeemed twice (the second is
//! refused with the reference's reason), concurrent redemptions of one
//! voucher (exactly one wins), and concurrent purchases of a reward with
//! points for only one of them (exactly one voucher is issued and paid).

use std::sync::Arc;

use carecloud_api::types::{ApplyVoucherRequest, CreateVoucherRequest};
use carecloud_api::{CustomerClient, EnterpriseClient, Error};
use carecloud_sandbox::{JOHN_SMITH_ID, Sandbox};

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// John's unused free-coffee voucher.
const JOHNS_VOUCHER: &str = "8bb7345976bbc9ed20e5083dd1";
/// Jana's unused gift card.
const GIFT_CARD: &str = "8bb7345976bbc9ed20e5083dd4";
/// REWARD-001: 300 points (John has 500).
const DESSERT_REWARD: &str = "83cfee22eabfbbb15a14815e32";

fn applied_at(date: &str) -> ApplyVoucherRequest {
    ApplyVoucherRequest::new(date).with_store_id("8bed991c68a4")
}

fn for_john() -> CreateVoucherRequest {
    CreateVoucherRequest::new(JOHN_SMITH_ID)
}

/// The status and first `invalid_params` reason of an API error.
fn refusal(err: &Error) -> (Option<u16>, Option<String>) {
    let reason = err
        .envelope()
        .and_then(|e| e.error.error_data.as_ref())
        .and_then(|d| d.invalid_params().first())
        .and_then(|p| p.reason.clone());
    let status = match err {
        Error::Api(reply) => Some(reply.status().as_u16()),
        _ => None,
    };
    (status, reason)
}

#[tokio::test]
async fn a_voucher_redeemed_twice_is_refused_the_second_time() -> TestResult {
    let sandbox = schema::start().await?;
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("redeem"))?;
    app.log_in(Sandbox::john_smith_login()).await?;
    app.post_voucher_apply(JOHNS_VOUCHER, applied_at("2026-03-01 10:00:00"))
        .send()
        .await?;
    let second = app
        .post_voucher_apply(JOHNS_VOUCHER, applied_at("2026-03-01 10:05:00"))
        .send()
        .await
        .expect_err("a used voucher cannot be used again");
    assert_eq!(
        refusal(&second),
        (Some(400), Some("voucher_already_applied".to_owned()))
    );
    // The books keep the first redemption.
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let voucher = ent.get_voucher(JOHNS_VOUCHER).send().await?;
    let applied = voucher.data.applied_date.as_ref().map(|d| d.to_string());
    assert_eq!(applied.as_deref(), Some("2026-03-01 10:00:00"));
    let unused = ent
        .get_vouchers()
        .customer_id(JOHN_SMITH_ID)
        .is_applied(false)
        .send()
        .await?;
    assert_eq!(unused.data.total_items, Some(0));
    Ok(())
}

#[tokio::test]
async fn of_concurrent_redemptions_of_one_voucher_exactly_one_succeeds() -> TestResult {
    let sandbox = schema::start().await?;
    let ent = Arc::new(EnterpriseClient::new(
        sandbox.url(),
        Sandbox::enterprise_credentials(),
    )?);
    let mut tasks = tokio::task::JoinSet::new();
    for minute in 0..8 {
        let ent = Arc::clone(&ent);
        let body = applied_at(&format!("2026-03-01 10:0{minute}:00"));
        tasks.spawn(async move {
            ent.post_voucher_apply(GIFT_CARD, body)
                .send()
                .await
                .map(|_| ())
        });
    }
    let (mut won, mut refused) = (0, 0);
    while let Some(outcome) = tasks.join_next().await {
        match outcome? {
            Ok(()) => won += 1,
            Err(err) => {
                assert_eq!(
                    refusal(&err),
                    (Some(400), Some("voucher_already_applied".to_owned()))
                );
                refused += 1;
            }
        }
    }
    assert_eq!((won, refused), (1, 7));
    let balance = ent
        .post_voucher_gift_card_balance(
            carecloud_api::types::GiftCardBalanceRequest::new().with_voucher_id(GIFT_CARD),
        )
        .send()
        .await?;
    assert_eq!(balance.data.current_balance, Some(0.0));
    Ok(())
}

#[tokio::test]
async fn concurrent_purchases_with_points_for_one_issue_one_voucher() -> TestResult {
    let sandbox = schema::start().await?;
    let ent = Arc::new(EnterpriseClient::new(
        sandbox.url(),
        Sandbox::enterprise_credentials(),
    )?);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let ent = Arc::clone(&ent);
        let body = for_john();
        tasks.spawn(async move {
            ent.post_reward_create_voucher(DESSERT_REWARD, body)
                .send()
                .await
                .map(|_| ())
        });
    }
    let (mut issued, mut refused) = (0, 0);
    while let Some(outcome) = tasks.join_next().await {
        match outcome? {
            Ok(()) => issued += 1,
            Err(err) => {
                assert_eq!(
                    refusal(&err),
                    (Some(400), Some("not_enough_points_for_voucher".to_owned()))
                );
                refused += 1;
            }
        }
    }
    // 500 points pay for one 300-point voucher only.
    assert_eq!((issued, refused), (1, 3));
    let vouchers = ent
        .get_sub_reward_vouchers(DESSERT_REWARD)
        .customer_id(JOHN_SMITH_ID)
        .send()
        .await?;
    assert_eq!(vouchers.data.total_items, Some(1));
    // The charge is a point record of -300: 200 points remain.
    let points = ent.get_sub_customer_points(JOHN_SMITH_ID).send().await?;
    let charges: Vec<f64> = points
        .data
        .points()
        .iter()
        .filter_map(|p| p.available_points)
        .filter(|p| *p < 0.0)
        .collect();
    assert_eq!(charges, vec![-300.0]);
    Ok(())
}
