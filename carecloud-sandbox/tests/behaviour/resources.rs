//! The standard serving every list/get/create/replace operation gets from
//! the spec: filters, sorting and paging with the real API's 400s,
//! sub-resources, request bodies checked against the spec, uniqueness and
//! references, and customer scoping on the customer interface.

use carecloud_api::{CustomerClient, EnterpriseClient, Error};
use carecloud_sandbox::{JOHN_SMITH_ID, Sandbox, TEST_CUSTOMER_ID};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

use crate::raw;
use crate::raw::ENT;
const TESTS_CARD: &str = "ca4d0a4ded0a29f09300000003";

struct Raw {
    url: String,
    token: String,
}

use crate::schema;

impl Raw {
    async fn enterprise(sandbox: &Sandbox) -> Result<Raw, Box<dyn std::error::Error>> {
        let token = raw::bearer(sandbox).await?;
        Ok(Raw {
            url: format!("{}{ENT}", sandbox.url()),
            token,
        })
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let Ok(reply) = request.send().await else {
            return (0, Value::Null);
        };
        let status = reply.status().as_u16();
        (status, reply.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }
}

fn invalid_param(body: &Value) -> (&Value, &Value) {
    let param = &body["error"]["error_data"]["invalid_params"][0];
    (&param["name"], &param["reason"])
}

#[tokio::test]
async fn list_filters_and_paging() -> TestResult {
    let sandbox = schema::start().await?;
    let ent = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    let all = ent.get_cards().send().await?.into_inner().data.total_items;
    let valid = ent
        .get_cards()
        .is_valid(true)
        .send()
        .await?
        .into_inner()
        .data
        .total_items;
    let invalid = ent
        .get_cards()
        .is_valid(false)
        .send()
        .await?
        .into_inner()
        .data
        .total_items;
    assert_eq!(
        (all, valid, invalid),
        (Some(15), Some(14), Some(1)),
        "one expired card"
    );
    let johns = ent.get_cards().customer_id(JOHN_SMITH_ID).send().await?;
    assert_eq!(johns.data.total_items, Some(2));
    let last = ent.get_customers().count(5).offset(10).send().await?;
    assert_eq!(
        (last.data.customers().len(), last.data.total_items),
        (2, Some(12))
    );
    let tills = ent.get_users().login("till7").send().await?;
    assert_eq!(tills.data.users().len(), 1);
    let by_email = ent
        .get_customers()
        .email("JOHN.SMITH@example.com")
        .send()
        .await?;
    assert_eq!(
        by_email.data.total_items,
        Some(1),
        "text compares case-insensitively"
    );
    let secondary = ent
        .get_cards()
        .card_number("js-gold-1")
        .search_secondary_card_number(true)
        .send()
        .await?;
    assert_eq!(secondary.data.total_items, Some(1));

    let raw = Raw::enterprise(&sandbox).await?;
    for (query, name, reason) in [
        ("count=0", "count", "not_allowed_value"),
        ("count=ten", "count", "invalid_value_format"),
        ("offset=-1", "offset", "invalid_value_format"),
        (
            "sort_direction=SIDEWAYS",
            "sort_direction",
            "not_allowed_value",
        ),
        ("sort_field=shoe_size", "sort_field", "not_allowed_value"),
    ] {
        let (status, body) = raw.get(&format!("/customers?{query}")).await;
        assert_eq!(
            (status, invalid_param(&body)),
            (400, (&json!(name), &json!(reason))),
            "{query}"
        );
    }
    let (status, body) = raw
        .get("/customers?sort_field=last_name&sort_direction=DESC&count=2")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["customers"][0]["personal_information"]["last_name"],
        "Vesela"
    );
    assert_eq!(body["data"]["total_items"], 12);
    let (status, body) = raw.get("/languages?count=1").await;
    assert_eq!(
        (status, body["data"]["total_items"].clone()),
        (200, json!(3)),
        "not paged: count is no parameter"
    );
    Ok(())
}

#[tokio::test]
async fn sub_resources_bodies_uniqueness_and_references() -> TestResult {
    let sandbox = schema::start().await?;
    let raw = Raw::enterprise(&sandbox).await?;
    let (status, body) = raw.get("/customers/nobody/cards").await;
    assert_eq!(
        (status, &body["error"]["error_data"]["resource_name"]),
        (404, &json!("customer"))
    );
    let (status, body) = raw
        .get(&format!("/customers/{TEST_CUSTOMER_ID}/cards"))
        .await;
    assert_eq!((status, &body["data"]["total_items"]), (200, &json!(2)));

    let post = |card: Value| {
        raw.send(
            reqwest::Method::POST,
            "/cards",
            Some(json!({ "card": card })),
        )
    };
    let (status, body) =
        post(json!({"card_type_id": "86e05affc7a7befcd513ab401", "state": 1})).await;
    assert_eq!(
        (status, invalid_param(&body)),
        (400, (&json!("card.card_number"), &json!("required")))
    );
    let (status, body) = post(
        json!({"card_number": "1", "card_type_id": "86e05affc7a7befcd513ab401", "state": "on"}),
    )
    .await;
    assert_eq!(
        (status, invalid_param(&body).0),
        (400, &json!("card.state"))
    );
    let (status, body) =
        post(json!({"card_number": "1", "card_type_id": "platinum", "state": 1})).await;
    assert_eq!(
        (status, invalid_param(&body)),
        (400, (&json!("card_type_id"), &json!("not_found")))
    );
    let (status, body) = post(json!({"card_number": "200000000001", "card_type_id": "86e05affc7a7befcd513ab401", "state": 1})).await;
    assert_eq!(
        (status, invalid_param(&body)),
        (400, (&json!("card_number"), &json!("already_exists")))
    );
    let (status, body) =
        post(json!({"card_number": "5", "card_type_id": "86e05affc7a7befcd513ab401", "state": 1}))
            .await;
    assert_eq!(status, 201);
    let id = body["data"]["card_id"].as_str().ok_or("card_id")?;
    let (status, body) = raw.get(&format!("/cards/{id}")).await;
    assert_eq!((status, &body["data"]["card_number"]), (200, &json!("5")));
    let (status, _) = raw
        .send(
            reqwest::Method::PUT,
            "/cards/nope",
            Some(json!({"card": {"card_number": "6", "card_type_id": "x", "state": 1}})),
        )
        .await;
    assert_eq!(status, 404);
    Ok(())
}

fn reason_of(err: &Error) -> Option<String> {
    err.envelope()?
        .error
        .error_data
        .as_ref()
        .and_then(|d| d.invalid_params().first())
        .and_then(|p| p.reason.clone())
}

#[tokio::test]
async fn customer_interface_scopes_to_the_logged_in_customer() -> TestResult {
    let sandbox = schema::start().await?;
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("scope"))?;
    app.log_in(Sandbox::john_smith_login()).await?;
    let mine = app.get_cards().send().await?;
    assert_eq!(mine.data.total_items, Some(2));
    let not_mine = "not_belong_to_logged_in_customer";
    let err = app
        .get_cards()
        .customer_id(TEST_CUSTOMER_ID)
        .send()
        .await
        .expect_err("filter");
    assert_eq!(reason_of(&err).as_deref(), Some(not_mine));
    let err = app
        .get_sub_customer_cards(TEST_CUSTOMER_ID)
        .send()
        .await
        .expect_err("parent");
    assert_eq!(reason_of(&err).as_deref(), Some(not_mine));
    let err = app.get_card(TESTS_CARD).send().await.expect_err("record");
    assert_eq!(reason_of(&err).as_deref(), Some(not_mine));
    let mut card = app
        .get_card("ca4d0a4ded0a29f09300000001")
        .send()
        .await?
        .into_inner()
        .data;
    card.customer_id = Some(TEST_CUSTOMER_ID.to_owned());
    let body = carecloud_api::types::PutCardRequest::new(card);
    let err = app
        .put_card("ca4d0a4ded0a29f09300000001", body)
        .send()
        .await
        .expect_err("give away");
    assert_eq!(reason_of(&err).as_deref(), Some(not_mine));
    assert_eq!(
        app.get_card_types().send().await?.data.total_items,
        Some(2),
        "not customer-scoped"
    );
    Ok(())
}
