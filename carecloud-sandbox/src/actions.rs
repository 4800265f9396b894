//! The hand-written one-offs: sessions (`auth.rs`, `tokens.rs`), one-time
//! passwords (`otp.rs`) and the few actions no engine expresses
//! (credentials and authentication tokens, a photo upload, ISIC
//! validation, a reward's products).
//! Each is declared `x-sandbox: handler` in the spec; every other
//! operation is served by the engines (`engines/`) from its declaration.
//! Bodies are read as the generated request types.

use carecloud_api::OperationId;

mod cards;
pub(crate) mod customer_actions;
mod customer_photo;
mod rewards;

use customer_actions as identity;

use crate::context::Handler;
use crate::{auth, tokens};

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
