//! What goes on the wire for array query parameters, and how the sandbox
//! reads each form: the client sends `name[]=a&name[]=b` (CareCloud's
//! documented form); the sandbox, like the PHP server, reads only that form
//! as several values, and a plain repeated `name=a&name=b` as the last one.

use carecloud_api::{CustomerClient, EnterpriseClient, Interface, OperationId};
use carecloud_dynamic::Invoke;
use carecloud_sandbox::{JOHN_SMITH_ID, Sandbox, TEST_CUSTOMER_ID};
use serde_json::Value;

use crate::raw::{ENT, bearer};

use crate::schema;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The query string of the last request to `op` on `interface`.
fn last_query(sandbox: &Sandbox, interface: Interface, op: OperationId) -> String {
    sandbox
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.interface == Some(interface) && r.operation == Some(op))
        .map(|r| r.query)
        .unwrap_or_default()
}

/// `GET /customers?<query>` as raw HTTP: the status and the customer IDs.
async fn customers(
    sandbox: &Sandbox,
    token: &str,
    query: &str,
) -> Result<(u16, Vec<String>), Box<dyn std::error::Error>> {
    let reply = reqwest::Client::new()
        .get(format!("{}{ENT}/customers?{query}", sandbox.url()))
        .bearer_auth(token)
        .send()
        .await?;
    let status = reply.status().as_u16();
    let body: Value = reply.json().await?;
    let ids = body["data"]["customers"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|c| c["customer_id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok((status, ids))
}

#[tokio::test]
async fn the_client_sends_brackets_and_the_sandbox_reads_only_them_as_several_values() -> TestResult
{
    let sandbox = schema::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let page = ent
        .get_customers()
        .customer_ids(vec![JOHN_SMITH_ID.to_owned(), TEST_CUSTOMER_ID.to_owned()])
        .send()
        .await?;
    assert_eq!(page.data.total_items, Some(2));
    assert_eq!(
        last_query(&sandbox, Interface::Enterprise, OperationId::GetCustomers),
        format!("customer_ids[]={JOHN_SMITH_ID}&customer_ids[]={TEST_CUSTOMER_ID}")
    );

    let token = bearer(&sandbox).await?;
    let brackets = format!("customer_ids[]={JOHN_SMITH_ID}&customer_ids[]={TEST_CUSTOMER_ID}");
    let (status, mut ids) = customers(&sandbox, &token, &brackets).await?;
    ids.sort();
    assert_eq!(
        (status, ids),
        (
            200,
            vec![JOHN_SMITH_ID.to_owned(), TEST_CUSTOMER_ID.to_owned()]
        )
    );
    let plain = format!("customer_ids={JOHN_SMITH_ID}&customer_ids={TEST_CUSTOMER_ID}");
    let (status, ids) = customers(&sandbox, &token, &plain).await?;
    assert_eq!(
        (status, ids),
        (200, vec![TEST_CUSTOMER_ID.to_owned()]),
        "PHP: the last plain value wins"
    );
    assert_eq!(
        last_query(&sandbox, Interface::Enterprise, OperationId::GetCustomers),
        plain
    );
    let encoded =
        format!("customer_ids%5B%5D={JOHN_SMITH_ID}&customer_ids%5B%5D={TEST_CUSTOMER_ID}");
    assert_eq!(customers(&sandbox, &token, &encoded).await?.1.len(), 2);
    let (status, _) = customers(&sandbox, &token, "email[]=john.smith@example.com").await?;
    assert_eq!(status, 400, "a scalar parameter sent as an array");
    Ok(())
}

#[tokio::test]
async fn both_clients_and_invoke_send_the_same_form() -> TestResult {
    let sandbox = schema::start().await?;
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("wire"))?;
    app.log_in(Sandbox::john_smith_login()).await?;
    let cards = app
        .get_cards()
        .card_number_list(vec!["200000000001".to_owned(), "200000000002".to_owned()])
        .send()
        .await?;
    assert_eq!(cards.data.total_items, Some(2));
    assert_eq!(
        last_query(&sandbox, Interface::Customer, OperationId::GetCards),
        "card_number_list[]=200000000001&card_number_list[]=200000000002"
    );
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let args = carecloud_dynamic::Args::new()
        .param("email_list", ["a@example.com", "john.smith@example.com"]);
    let reply = ent
        .invoke(OperationId::GetCustomers, args)
        .await?
        .into_inner();
    assert_eq!(reply["data"]["total_items"], 1);
    assert_eq!(
        last_query(&sandbox, Interface::Enterprise, OperationId::GetCustomers),
        "email_list[]=a%40example.com&email_list[]=john.smith%40example.com"
    );
    Ok(())
}
