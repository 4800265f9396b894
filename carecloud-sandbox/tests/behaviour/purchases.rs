//! Purchases over sequences of concurrent calls that a single case cannot
//! express: one voucher offered to eight purchases (exactly one may use
//! it), twenty purchases paying with points from a balance that covers five
//! (exactly five go through and the balance never goes below zero), and one
//! bill sent by four cash desks at once (one purchase is stored: `bill_id`
//! is the API's guard against a doubled purchase).

use std::sync::Arc;

use carecloud_api::types::{
    BillItem, BillPaymentType, FinalBill, PaymentRecap, PaymentVoucher, PluId, SendPurchaseRequest,
};
use carecloud_api::{EnterpriseClient, Error};
use carecloud_sandbox::{JOHN_SMITH_ID, Sandbox};

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Jana's unused gift card voucher.
const GIFT_CARD_CODE: &str = "GIFT75";
/// The sandbox's Prague Old Town store.
const STORE: &str = "8bed991c68a4";

/// A purchase of one item paid `paid`, with `recap` as its payment recap
/// (points and vouchers it pays with). Under 10 paid, it earns no points by
/// the sandbox's rule, so only the spending is seen.
fn purchase(bill_id: &str, paid: f64, recap: PaymentRecap) -> SendPurchaseRequest {
    let item = BillItem::new(
        [PluId::new("GLOBAL", "702")],
        "Butter croissant",
        21,
        1,
        paid,
        paid,
        "1",
        false,
        "86e05affc7a7abefcd513ab400",
    );
    let bill = FinalBill::new(
        bill_id,
        "2026-03-01 10:00:00",
        "86e05affc7a7abefcd513ab400",
        paid,
        [item],
        "86e05affc7a7abefcd513ab400",
        false,
        BillPaymentType::A,
    )
    .with_payment_recap(recap);
    SendPurchaseRequest::new(STORE, 1, bill).with_customer_id(JOHN_SMITH_ID)
}

/// The first `invalid_params` reason of a 400, else the error's text.
fn reason(err: &Error) -> String {
    err.envelope()
        .and_then(|e| e.error.error_data.as_ref())
        .and_then(|d| d.invalid_params().first())
        .and_then(|p| p.reason.clone())
        .unwrap_or_else(|| err.to_string())
}

/// Sends every body at once; the number sent and each refusal's reason.
async fn send_all(
    ent: &Arc<EnterpriseClient>,
    bodies: Vec<SendPurchaseRequest>,
) -> Result<(usize, Vec<String>), tokio::task::JoinError> {
    let mut tasks = tokio::task::JoinSet::new();
    for body in bodies {
        let ent = Arc::clone(ent);
        tasks.spawn(async move { ent.post_purchase_send(body).send().await.map(|_| ()) });
    }
    let (mut sent, mut refused) = (0, Vec::new());
    while let Some(outcome) = tasks.join_next().await {
        match outcome? {
            Ok(()) => sent += 1,
            Err(err) => refused.push(reason(&err)),
        }
    }
    Ok((sent, refused))
}

async fn enterprise() -> Result<(schema::Checked, Arc<EnterpriseClient>), Box<dyn std::error::Error>>
{
    let sandbox = schema::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    Ok((sandbox, Arc::new(ent)))
}

#[tokio::test]
async fn of_eight_purchases_paid_with_one_voucher_exactly_one_succeeds() -> TestResult {
    let (_sandbox, ent) = enterprise().await?;
    let voucher = PaymentVoucher::new()
        .with_code(GIFT_CARD_CODE)
        .with_discount_value(5);
    let recap = PaymentRecap::new().with_vouchers([voucher]);
    let bodies = (0..8)
        .map(|i| purchase(&format!("VOUCHER-{i}"), 5.0, recap.clone()))
        .collect();
    let (sent, refused) = send_all(&ent, bodies).await?;
    assert_eq!(sent, 1, "refusals: {refused:?}");
    assert_eq!(refused, vec!["voucher_already_applied".to_owned(); 7]);
    let stored = ent
        .get_purchases()
        .customer_id(JOHN_SMITH_ID)
        .send()
        .await?;
    // John's two seeded purchases and the one that used the voucher.
    assert_eq!(stored.data.total_items, Some(3));
    Ok(())
}

#[tokio::test]
async fn twenty_purchases_spending_points_for_five_leave_the_balance_at_zero() -> TestResult {
    let (_sandbox, ent) = enterprise().await?;
    // John has 500 usable points; each purchase pays with 100.
    let bodies = (0..20)
        .map(|i| {
            let recap = PaymentRecap::new().with_credit_points(100);
            purchase(&format!("POINTS-{i}"), 5.0, recap)
        })
        .collect();
    let (sent, refused) = send_all(&ent, bodies).await?;
    assert_eq!(sent, 5, "refusals: {refused:?}");
    assert_eq!(
        refused,
        vec!["not_enough_points_for_payment".to_owned(); 15]
    );
    let points = ent.get_sub_customer_points(JOHN_SMITH_ID).send().await?;
    let available: Vec<f64> = points
        .data
        .points()
        .iter()
        .filter_map(|p| p.available_points)
        .collect();
    assert!(available.iter().all(|p| *p >= 0.0), "{available:?}");
    // Nothing is left: one more point is refused.
    let (sent, refused) = send_all(
        &ent,
        vec![purchase(
            "POINTS-LAST",
            5.0,
            PaymentRecap::new().with_credit_points(1),
        )],
    )
    .await?;
    assert_eq!(
        (sent, refused),
        (0, vec!["not_enough_points_for_payment".to_owned()])
    );
    Ok(())
}

#[tokio::test]
async fn one_bill_sent_from_four_tasks_is_one_purchase() -> TestResult {
    let (_sandbox, ent) = enterprise().await?;
    let bodies = (0..4)
        .map(|_| purchase("TWICE-1", 25.0, PaymentRecap::new()))
        .collect();
    let (sent, refused) = send_all(&ent, bodies).await?;
    assert_eq!(sent, 1, "refusals: {refused:?}");
    assert_eq!(refused, vec!["already_exists".to_owned(); 3]);
    let stored = ent
        .get_purchases()
        .external_purchase_id("TWICE-1")
        .send()
        .await?;
    assert_eq!(stored.data.total_items, Some(1));
    Ok(())
}
