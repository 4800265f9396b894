//! Snapshots of the prettyplease-formatted expansion for the two built-in
//! wrappers, read from their declarations in carecloud-api (so a change to
//! either the declaration or the derive shows here). Review with
//! `cargo insta review`.

use syn::{DeriveInput, Item};

use crate::expand;

/// The declaration of `name` in carecloud-api's `clients.rs`.
fn declaration(name: &str) -> DeriveInput {
    let file = syn::parse_file(include_str!("../../carecloud-api/src/clients.rs")).unwrap();
    let item = file
        .items
        .into_iter()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("`{name}` is declared in clients.rs"));
    syn::parse2(quote::quote!(#item)).unwrap()
}

fn expanded(input: &DeriveInput) -> String {
    let tokens = expand::try_expand(input).expect("a valid input");
    prettyplease::unparse(&syn::parse2(tokens).expect("the expansion is a file"))
}

#[test]
fn enterprise_client() {
    insta::assert_snapshot!(expanded(&declaration("EnterpriseClient")));
}

#[test]
fn customer_client() {
    insta::assert_snapshot!(expanded(&declaration("CustomerClient")));
}

#[test]
fn every_mistake_is_reported_with_a_fallback() {
    let input: DeriveInput = syn::parse_quote! {
        #[carecloud(interfce = enterprise, credentials = 1, credentials = X)]
        pub struct Broken {
            client: String,
            other: u8,
        }
    };
    let errors: Vec<String> = expand::try_expand(&input)
        .unwrap_err()
        .into_iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "unknown key `interfce` in `#[carecloud(...)]`; did you mean `interface`?",
            "expected a type path, e.g. `credentials = MySecretStore`",
            "a `CareCloudClient` wrapper has exactly one field, the generated client; remove the others",
        ]
    );
    let output = expand::derive(&input).to_string();
    assert_eq!(output.matches("compile_error").count(), 3, "{output}");
    assert!(output.contains("fn new"), "{output}");
}
