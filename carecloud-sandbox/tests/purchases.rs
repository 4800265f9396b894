//! Purchases over sequences of concurrent calls that a single case cannot
//! express: one voucher offered to eight purchases (exactly one may use
//! it), twenty purchases paying with points from a balance that covers five
//! (exactly five go through and the balance never goes below zero), and one
//! bill sent by four cash desks at once (one purchase is stored: `bill_id`
//! is the API's guard against a doubled purchase).

use std::sync::Arc;

use carecloud_api::types::SendPurchaseRequest;
use carecloud_api::{EnterpriseClient, Error};
use carecloud_sandbox::{JOHN_SMITH_ID, Sandbox};
use serde_json::{Value, json};

#[path = "support/schema.rs"]
mod schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Jana's unused gift card voucher.
const GIFT_CARD_CODE: &str = "GIFT75";
/// The sandbox's Prague Old Town store.
const STORE: &str = "8bed991c68a4";

/// A purchase of one item paid `paid`, with `recap` as its payment recap
/// (points and vouchers it pays with). Under 10 paid, it earns no points by
/// the sandbox's rule, so only the spending is seen.
fn purchase(
    bill_id: &str,
    paid: f64,
    recap: Value,
) -> Result<SendPurchaseRequest, serde_json::Error> {
    serde_json::from_value(json!({
        "store_id": STORE,
        "cashdesk_number": 1,
        "customer_id": JOHN_SMITH_ID,
        "bill": {
            "purchase_type_id": "86e05affc7a7abefcd513ab400",
            "canceled": false,
            "payment_type": "A",
            "payment_recap": recap,
            "bill_id": bill_id,
            "payment_time": "2026-03-01 10:00:00",
            "currency_id": "86e05affc7a7abefcd513ab400",
            "total_price": paid,
            "bill_items": [{
                "plu_ids": [{"list_code": "GLOBAL", "code": "702"}],
                "plu_name": "Butter croissant",
                "vat_rate": 21,
                "quantity": 1,
                "paid_amount": paid,
                "price": paid,
                "bill_item_id": "1",
                "loyalty_off": false,
                "purchase_item_type_id": "86e05affc7a7abefcd513ab400"
            }]
        }
    }))
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
        tasks.spawn(async move { ent.post_purchase_send().body(body).send().await.map(|_| ()) });
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
    let recap = json!({"vouchers": [{"code": GIFT_CARD_CODE, "discount_value": 5}]});
    let bodies = (0..8)
        .map(|i| purchase(&format!("VOUCHER-{i}"), 5.0, recap.clone()))
        .collect::<Result<Vec<_>, _>>()?;
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
        .map(|i| purchase(&format!("POINTS-{i}"), 5.0, json!({"credit_points": 100})))
        .collect::<Result<Vec<_>, _>>()?;
    let (sent, refused) = send_all(&ent, bodies).await?;
    assert_eq!(sent, 5, "refusals: {refused:?}");
    assert_eq!(
        refused,
        vec!["not_enough_points_for_payment".to_owned(); 15]
    );
    let points = ent
        .get_sub_customer_points()
        .customer_id(JOHN_SMITH_ID)
        .send()
        .await?;
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
        vec![purchase("POINTS-LAST", 5.0, json!({"credit_points": 1}))?],
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
        .map(|_| purchase("TWICE-1", 25.0, json!({})))
        .collect::<Result<Vec<_>, _>>()?;
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
