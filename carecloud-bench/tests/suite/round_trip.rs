//! Read-modify-write sends back what was read: a 1,000-customer page from
//! our own generator (`carecloud_bench::page`), with `consents: []`,
//! `custom_agreements: []`, absent arrays and unknown fields at every level,
//! goes into the generated types and back to an identical JSON value; with
//! `null`s, nothing but the nulls changes; and a record read through
//! `EnterpriseClient` and PUT back reaches the server exactly as it was read.

use carecloud_api::types::{
    Agreement, Consent, CustomAgreement, Customer, CustomerListResponse, CustomerSourceRecord,
    PersonalInformation, PostCustomerRequest, PutCustomerRequest,
};
use carecloud_api::{EnterpriseClient, OperationId};
use carecloud_bench::hand::HandClient;
use carecloud_bench::page::{PageSpec, customer_page};
use carecloud_sandbox::Sandbox;
use serde_json::{Value, json};

fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// How many objects hold `key` as an empty array.
fn empty_arrays(value: &Value, key: &str) -> usize {
    match value {
        Value::Object(map) => {
            usize::from(
                map.get(key)
                    .is_some_and(|v| v.as_array().is_some_and(Vec::is_empty)),
            ) + map.values().map(|v| empty_arrays(v, key)).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(|v| empty_arrays(v, key)).sum(),
        _ => 0,
    }
}

#[test]
fn a_thousand_customers_round_trip_exactly() {
    let page = customer_page(&PageSpec {
        unknown_fields: true,
        ..PageSpec::default()
    });
    let stats = page.stats;
    assert_eq!(stats.customers, 1000);
    assert!(
        stats.empty_consents > 200 && stats.empty_custom_agreements > 150,
        "{stats:?}"
    );
    assert!(
        stats.absent_consents > 0 && stats.absent_custom_agreements > 0,
        "{stats:?}"
    );
    assert!(stats.unknown_fields > 500, "{stats:?}");

    let typed: CustomerListResponse = serde_json::from_str(&page.json).expect("decodes");
    let back = serde_json::to_value(&typed).expect("encodes");
    assert_eq!(back, page.value, "the page changed in a round trip");
    assert_eq!(empty_arrays(&back, "consents"), stats.empty_consents);
    assert_eq!(
        empty_arrays(&back, "custom_agreements"),
        stats.empty_custom_agreements
    );

    // The typed view: `Some(vec![])` for `[]`, `None` for an absent array.
    let customers = typed.data.customers();
    let sent_empty = customers
        .iter()
        .filter(|c| {
            c.personal_information
                .consents
                .as_ref()
                .is_some_and(Vec::is_empty)
        })
        .count();
    let absent = customers
        .iter()
        .filter(|c| c.personal_information.consents.is_none())
        .count();
    assert_eq!(
        (sent_empty, absent),
        (stats.empty_consents, stats.absent_consents)
    );
    // Re-encoding the text gives the same value again (stable).
    let again: CustomerListResponse = serde_json::from_value(back.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&again).expect("encodes"), back);
}

#[test]
fn nothing_but_nulls_is_lost() {
    let page = customer_page(&PageSpec {
        unknown_fields: true,
        nulls: true,
        ..PageSpec::default()
    });
    assert!(page.stats.nulls > 100, "{:?}", page.stats);
    let typed: CustomerListResponse = serde_json::from_str(&page.json).expect("decodes");
    let back = serde_json::to_value(&typed).expect("encodes");
    assert_eq!(back, without_nulls(&page.value));
}

#[tokio::test]
async fn a_record_read_and_put_back_reaches_the_server_as_it_was_read() {
    let sandbox = Sandbox::start().await.expect("starts");
    let client =
        EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials()).expect("a client");
    // Fields the spec does not know ride along in `extra`.
    let mut person = PersonalInformation::new("en")
        .with_first_name("Rita")
        .with_email("rita@example.com")
        .with_consents(Vec::<Consent>::new())
        .with_agreement(
            Agreement::new()
                .with_agreement_gtc(1)
                .with_custom_agreements(Vec::<CustomAgreement>::new()),
        );
    person
        .extra
        .insert("hobby".into(), json!({"kind": "chess", "clubs": []}));
    let mut customer = Customer::new(person);
    customer
        .extra
        .insert("loyalty_segment".into(), json!("gold"));
    let body = PostCustomerRequest::new(
        customer,
        CustomerSourceRecord::new("86e05affc7a7befcd513ab400"),
        false,
    );
    let id = client
        .post_customer(body)
        .send()
        .await
        .expect("registers")
        .into_inner()
        .data
        .customer_id
        .expect("an id");
    let as_sent = HandClient::log_in(sandbox.url())
        .await
        .expect("logs in")
        .get_json(&format!("/customers/{id}"))
        .await
        .expect("reads");
    let record = client
        .get_customer(id.as_str())
        .send()
        .await
        .expect("reads")
        .into_inner()
        .data;
    assert!(
        record
            .personal_information
            .consents
            .as_ref()
            .is_some_and(Vec::is_empty)
    );
    sandbox.clear_requests();
    client
        .put_customer(id.as_str(), PutCustomerRequest::new(record))
        .send()
        .await
        .expect("writes");
    let put = sandbox
        .requests()
        .into_iter()
        .find(|r| r.operation == Some(OperationId::PutCustomer))
        .expect("the PUT reached the server");
    let put: Value = serde_json::from_slice(&put.body).expect("JSON");
    assert_eq!(
        put,
        json!({"customer": as_sent["data"]}),
        "the PUT is the record as read"
    );
}
