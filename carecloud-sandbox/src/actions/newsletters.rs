//! `POST /customers/actions/newsletters-sign-up`: finds the customer with
//! the contact (an e-mail address when it has an `@`, else a phone number)
//! or registers one with the contact, language and a source record, sets
//! the consents given, and assigns the partners listed (every partner of
//! the project's stores when the list is empty).

use carecloud_api::types::NewslettersSignUpRequest;
use serde_json::{Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::engines::expr::Env;
use crate::engines::records::{self, Write};
use crate::engines::{declared, resource};
use crate::errors;
use crate::store::{set, text};

/// `POST /customers/actions/newsletters-sign-up`.
pub(crate) fn sign_up(cx: &mut Ctx<'_>) -> Reply {
    let body: NewslettersSignUpRequest = cx.body_as()?;
    let source = body.customer_source_id.as_str();
    if cx.state.store.find("customer_sources", source).is_none() {
        let message = "No customer source with this ID";
        return Err(errors::bad_request(
            "customer_source_id",
            "not_found",
            json!(source),
            message,
        ));
    }
    let contact = body.contact.trim();
    if contact.is_empty() {
        return Err(errors::bad_request(
            "contact",
            "empty",
            json!(contact),
            "contact is empty",
        ));
    }
    let field = if contact.contains('@') {
        "email"
    } else {
        "phone"
    };
    let now = cx.state.now();
    let env = Env::bare(&now);
    let existing = cx
        .state
        .store
        .find_by("customers", field, contact)
        .and_then(|c| c.get("customer_id").and_then(text));
    let store = &mut cx.state.store;
    let customer = match existing {
        Some(id) => id,
        None => {
            let language = body.language_id.as_deref().unwrap_or("en");
            let record = json!({"personal_information": {field: contact, "language_id": language}});
            let id = records::write(store, declared("customers")?, record, Write::Create, &env)?;
            let source_record = json!({"customer_source_id": source, "customer_id": id});
            records::write(
                store,
                declared("customer_source_records")?,
                source_record,
                Write::Create,
                &env,
            )?;
            id
        }
    };
    if let Some(agreements) = &body.agreements
        && let Some((index, record)) = store.find("customers", &customer)
    {
        let mut record = record.clone();
        let agreements = serde_json::to_value(agreements).unwrap_or(Value::Null);
        set(&mut record, "personal_information.agreement", agreements);
        set(&mut record, "last_change", json!(now));
        store.replace("customers", index, record);
    }
    let mut partners: Vec<String> = body
        .partner_records
        .iter()
        .flatten()
        .map(|p| p.partner_id.clone())
        .collect();
    if partners.is_empty() {
        let stores = store.records("stores").iter();
        partners = stores
            .filter_map(|s| s.get("partner_id").and_then(text))
            .collect();
    }
    partners.dedup();
    let Some(partner_records) = resource("partner_records") else {
        return Err(errors::sandbox_bug(
            "no resource `partner_records` is declared",
        ));
    };
    for partner in partners {
        let assigned = store.records(partner_records.name).iter().any(|r| {
            r.get("customer_id").and_then(text).as_deref() == Some(customer.as_str())
                && r.get("partner_id").and_then(text).as_deref() == Some(partner.as_str())
        });
        if !assigned {
            let record = json!({"customer_id": customer, "partner_id": partner});
            records::write(store, partner_records, record, Write::Create, &env)?;
        }
    }
    Ok(Answer::NoContent)
}
