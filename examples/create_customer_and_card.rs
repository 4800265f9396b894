//! Register a customer, give them a card, then read both back (against the
//! embedded sandbox).

use carecloud_api::EnterpriseClient;
use carecloud_api::types::{
    Card, CardState, Customer, CustomerSourceRecord, PersonalInformation, PostCardRequest,
    PostCustomerRequest,
};
use carecloud_sandbox::Sandbox;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start().await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;

    // Request bodies are the generated types: `new` takes the required
    // fields, the `with_` methods the optional ones.
    let person = PersonalInformation::new("en")
        .with_first_name("Alice")
        .with_last_name("Example")
        .with_email("alice@example.com");
    let registration = PostCustomerRequest::new(
        Customer::new(person),
        CustomerSourceRecord::new("86e05affc7a7befcd513ab400"),
        false, // no autologin
    );
    let customer_id = client
        .post_customer(registration)
        .send()
        .await?
        .into_inner()
        .data
        .customer_id;
    let customer_id = customer_id.ok_or("no customer_id in the reply")?;
    println!("created customer {customer_id}");

    let card_type = client
        .get_card_types()
        .send()
        .await?
        .into_inner()
        .data
        .card_types
        .unwrap_or_default();
    let card_type_id = card_type
        .first()
        .and_then(|t| t.card_type_id.clone())
        .ok_or("no card type")?;
    let card_number = "2000999900001111";
    let card =
        Card::new(card_type_id, card_number, CardState::Active).with_customer_id(&customer_id);
    let created = client
        .post_card(PostCardRequest::new(card))
        .send()
        .await?
        .into_inner();
    // Current servers answer with the new card's `card_id`; the vendor's
    // older documentation shows a reply without it, so look the card up by
    // its number when it is missing.
    let card_id = match created.data.card_id {
        Some(card_id) => card_id,
        None => client
            .get_cards()
            .card_number(card_number)
            .send()
            .await?
            .into_inner()
            .data
            .cards()
            .first()
            .and_then(|card| card.card_id.clone())
            .ok_or("no card with the new number")?,
    };
    println!("created card {card_id}");

    let cards = client.get_sub_customer_cards(&customer_id).send().await?;
    for card in cards.data.cards() {
        println!(
            "customer {customer_id} has card {} ({})",
            card.card_number, card.card_type_id
        );
    }
    Ok(())
}
