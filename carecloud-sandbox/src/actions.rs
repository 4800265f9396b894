//! The hand-written one-offs: sessions (`auth.rs`, `tokens.rs`), one-time
//! passwords (`otp.rs`) and the few actions no engine expresses (search,
//! credentials and authentication tokens, a photo upload, ISIC
//! validation, a reward's products).
//! Each is declared `x-sandbox: handler` in the spec; every other
//! operation is served by the engines (`engines/`) from its declaration.
//! Bodies are read as the generated request types.

use axum::http::StatusCode;
use carecloud_api::OperationId;
use serde_json::{Value, json};

mod cards;
pub(crate) mod customer_actions;
mod customer_photo;
mod rewards;

use customer_actions as identity;

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
        Id::GetCustomerSearch => search_customers,
        Id::PostCustomerVerifyCredentials => identity::verify_credentials,
        Id::PostCustomerVerifySocialNetworkCredentials => identity::verify_social_credentials,
        Id::PostCustomersAuthToken => identity::auth_token,
        Id::PostCustomersVerifyAuthToken => identity::verify_auth_token,
        Id::PostCustomersValidateCustomerData => identity::validate_data,
        Id::PostCustomersUploadPhoto => customer_photo::upload_photo,
        Id::PostSendOtp | Id::PostVerifyOtp => crate::otp::serve,
        Id::PostValidateIsicCard => cards::validate_isic,
        Id::PostRewardSynchronizeProducts => rewards::set_products,
        _ => return None,
    };
    Some(handler)
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

#[cfg(test)]
mod tests {
    use carecloud_api::Interface;

    use crate::decl::Serve;
    use crate::generated::plan;

    #[test]
    fn every_operation_declared_as_a_handler_has_one_and_no_other() {
        for interface in [Interface::Enterprise, Interface::Customer] {
            for op in interface.operations() {
                let declared = matches!(plan::serve(op.id), Serve::Handler);
                assert_eq!(
                    declared,
                    super::handler(op.id).is_some(),
                    "{}",
                    op.operation_id
                );
            }
        }
    }
}
