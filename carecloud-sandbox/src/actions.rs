//! The operations the spec alone cannot serve: sessions (`auth.rs`,
//! `tokens.rs`) and genuinely special actions (here, and the customers'
//! in `actions/`). Everything not listed in [`handler`] is served by
//! `standard.rs` from its path and method.

use axum::http::StatusCode;
use carecloud_api::OperationId;
use serde_json::{Value, json};

pub(crate) mod customer_actions;
mod customer_addresses;
mod customer_links;
mod customer_photo;
mod customer_profile;
mod customer_properties;
mod customer_push;
mod customer_records;

use customer_actions as identity;
use customer_links as links;
use customer_profile as profile;
use customer_properties as properties;
use customer_records as records;

use crate::context::{Answer, Ctx, Handler, Reply};
use crate::store::{field, text};
use crate::{auth, errors, tokens};

/// The hand-written handler of `id`, if it has one.
pub(crate) fn handler(id: OperationId) -> Option<Handler> {
    use OperationId as Id;
    let handler: Handler = match id {
        Id::PostUserLogin => auth::login,
        Id::PostUserSsoLogin => auth::sso_login,
        Id::PostUserLogout => auth::logout,
        Id::PostUserVerifyAuthToken => auth::verify_auth_token,
        Id::PostToken => tokens::create,
        Id::PutToken => tokens::update,
        Id::PostTokenLogin => tokens::login,
        Id::PostTokenSocialLogin => tokens::social_login,
        Id::PostTokenAuthTokenLogin => tokens::auth_token_login,
        Id::PostTokenTestCustomerLogin => tokens::test_customer_login,
        Id::PostTokenLogout => tokens::logout,
        Id::GetTokenAuthentication => tokens::auth_token,
        Id::PostTokenSendPasswordSetup => tokens::send_password_setup,
        Id::GetTestsConnection => test_connection,
        Id::GetCustomerSearch => search_customers,
        // Records under a customer that standard.rs cannot answer as they are.
        Id::GetSubCustomerRewards => records::rewards,
        Id::GetSubCustomerRewardsRecommendation => records::reward_recommendations,
        Id::GetSubCustomerStatus
        | Id::GetSubCustomerSegments
        | Id::GetSubCustomerHintRecords
        | Id::GetSubCustomerProperties
        | Id::GetSubCustomerAddresses
        | Id::GetSubCustomerRelatedCustomers
        | Id::GetSubCustomerPartners => records::list,
        Id::GetSubCustomerAddress | Id::GetSubCustomerRelatedCustomer => records::get,
        Id::PostSubCustomerAddress => customer_addresses::create,
        Id::PutSubCustomerAddress => customer_addresses::replace,
        Id::PostSubCustomerProperties => properties::create_property,
        Id::PutSubCustomerProperty => properties::replace_property,
        Id::PostSubCustomerPropertiesBatch => properties::property_batch,
        Id::PostSubCustomerRelatedCustomers => links::create_relation,
        Id::PostSubCustomerPartnerRecord => links::create_partner_record,
        // Customers actions.
        Id::PostCustomerVerifyCredentials => identity::verify_credentials,
        Id::PostCustomerVerifySocialNetworkCredentials => identity::verify_social_credentials,
        Id::PostCustomersAuthToken => identity::auth_token,
        Id::PostCustomersVerifyAuthToken => identity::verify_auth_token,
        Id::PostCustomersValidateCustomerData => identity::validate_data,
        Id::PostCustomersCheckRegistrationAbility => identity::check_registration,
        Id::PostSubCustomerSetPartners => links::set_partners,
        Id::PostCustomersUploadPhoto => customer_photo::upload_photo,
        Id::PostCustomersSetStatusRecord => profile::set_status_record,
        Id::PostCustomerNewslettersSignUp => profile::newsletters_sign_up,
        Id::PostCustomerSetPushNotifications => customer_push::set_push,
        Id::PostCustomerCancelPushNotifications => customer_push::cancel_push,
        Id::PostSendOtp | Id::PostVerifyOtp => crate::otp::serve,
        _ => return None,
    };
    Some(handler)
}

/// `GET /tests/connection`: `test_string` reversed.
fn test_connection(cx: &mut Ctx<'_>) -> Reply {
    let reversed: String = cx
        .query
        .one("test_string")
        .unwrap_or("")
        .chars()
        .rev()
        .collect();
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"test_string": reversed}}),
    ))
}

/// `GET /customers/actions/search-customers`: customers matching every
/// given criterion (personal data, or the number of a card they own), as
/// `data.strict[] {customer_id, match}`; at least one criterion is needed.
fn search_customers(cx: &mut Ctx<'_>) -> Reply {
    const PERSONAL: [&str; 3] = ["first_name", "last_name", "birthdate"];
    let card_number = cx.query.one("card_number");
    if card_number.is_none() && PERSONAL.iter().all(|c| cx.query.one(c).is_none()) {
        return Err(errors::required("first_name"));
    }
    let store = &cx.state.store;
    let card_owner = card_number.map(|number| {
        store
            .find_by("cards", "card_number", number)
            .and_then(|card| card.get("customer_id"))
            .and_then(text)
    });
    let strict: Vec<Value> = store
        .records("customers")
        .iter()
        .filter(|customer| {
            PERSONAL.iter().all(|name| {
                cx.query.one(name).is_none_or(|wanted| {
                    field(customer, name)
                        .and_then(text)
                        .is_some_and(|have| have.eq_ignore_ascii_case(wanted))
                })
            })
        })
        .filter_map(|customer| customer.get("customer_id").and_then(text))
        .filter(|id| {
            card_owner
                .as_ref()
                .is_none_or(|owner| owner.as_ref() == Some(id))
        })
        .map(|id| json!({"customer_id": id, "match": 100}))
        .collect();
    Ok(Answer::Json(
        StatusCode::OK,
        json!({"data": {"strict": strict}}),
    ))
}
