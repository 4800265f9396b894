//! The `pages()` / `items()` streams of list operations, walked over
//! loopback against the sandbox.

use std::collections::HashSet;

use carecloud_api::{EnterpriseClient, Error, Interface, OperationId};
use carecloud_sandbox::{Fault, Sandbox};

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn customer_queries(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .requests()
        .into_iter()
        .filter(|r| {
            r.interface == Some(Interface::Enterprise)
                && r.operation == Some(OperationId::GetCustomers)
        })
        .map(|r| r.query)
        .collect()
}

#[tokio::test]
async fn items_walks_every_page_to_total_items_with_the_filters_kept() -> TestResult {
    let sandbox = schema::start().await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let total = client
        .get_customers()
        .count(1)
        .send()
        .await?
        .data
        .total_items
        .expect("total_items");
    assert!(total >= 5, "the seed has enough customers: {total}");

    let mut items = client
        .get_customers()
        .count(2)
        .sort_field("last_name")
        .items();
    let mut ids = Vec::new();
    while let Some(customer) = items.next().await {
        ids.push(customer?.customer_id.expect("an id"));
    }
    assert_eq!(ids.len() as i64, total);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "no repeats"
    );

    let queries = customer_queries(&sandbox);
    let walked = &queries[1..];
    assert_eq!(walked.len() as i64, (total + 1) / 2, "{walked:?}");
    for (page, query) in walked.iter().enumerate() {
        assert!(query.contains("sort_field=last_name"), "{query}");
        assert!(query.contains("count=2"), "{query}");
        assert!(query.contains(&format!("offset={}", page * 2)), "{query}");
    }
    Ok(())
}

#[tokio::test]
async fn pages_start_at_the_offset_set_and_an_error_ends_the_stream() -> TestResult {
    let sandbox = schema::start().await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    client.log_in().await?;

    let mut pages = client.get_customers().count(3).offset(3).pages();
    let first = pages.next().await.expect("a page")?;
    assert_eq!(first.data.customers().len(), 3);
    // The next page fails with a status the client does not retry.
    sandbox.inject_on(OperationId::GetCustomers, Fault::Status(500));
    match pages.next().await {
        Some(Err(Error::Api(e))) => assert_eq!(e.status(), 500),
        other => panic!("expected the 500, got {other:?}"),
    }
    assert!(pages.next().await.is_none(), "an error ends the stream");
    let queries = customer_queries(&sandbox);
    assert!(queries[0].contains("offset=3"), "{queries:?}");
    assert!(queries[1].contains("offset=6"), "{queries:?}");
    Ok(())
}

#[tokio::test]
async fn a_list_shorter_than_a_page_is_one_request() -> TestResult {
    let sandbox = schema::start().await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let mut all = client.get_customers().items();
    let mut n = 0;
    while let Some(customer) = all.next().await {
        customer?;
        n += 1;
    }
    assert!(n > 0);
    assert_eq!(customer_queries(&sandbox).len(), 1);
    Ok(())
}
