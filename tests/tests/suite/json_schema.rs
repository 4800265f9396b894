//! The JSON Schema (schemars, carecloud-api's `schemars` feature) of the
//! core types: what downstream crates get when they derive documentation or
//! validation from our types.

use carecloud_api::types;
use schemars::schema_for;

macro_rules! schema_snapshot {
    ($name:literal, $ty:ty) => {{
        let schema = serde_json::to_value(schema_for!($ty)).expect("schema serializes");
        insta::assert_json_snapshot!($name, schema);
        schema
    }};
}

#[test]
fn core_type_schemas() {
    let customer = schema_snapshot!("customer", types::Customer);
    assert!(
        customer["required"]
            .as_array()
            .is_some_and(|r| r.contains(&"personal_information".into()))
    );
    schema_snapshot!("card", types::Card);
    schema_snapshot!("store", types::Store);
    schema_snapshot!("error_envelope", types::ErrorEnvelope);
    schema_snapshot!("user_login_response", types::UserLoginResponse);
    schema_snapshot!("post_token_request", types::PostTokenRequest);
}
