//! `#[derive(CareCloudClient)]`: declares an auth-aware wrapper around one of
//! `carecloud-api`'s generated clients. Use it through
//! `carecloud_api::CareCloudClient`; the expansion names
//! `::carecloud_api::__private` paths.
//!
//! ```ignore
//! #[derive(carecloud_api::CareCloudClient)]
//! #[carecloud(interface = enterprise, credentials = MySecretStore)]
//! pub struct MyClient {
//!     client: carecloud_api::enterprise::Client,
//! }
//! ```
//!
//! The input is parsed into a model (`ast.rs`, `attr.rs`), validated
//! (`valid.rs`) and expanded (`expand.rs`); every mistake is reported at
//! once, at its span.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Generates an auth-aware client wrapper: see `carecloud_api::CareCloudClient`.
#[proc_macro_derive(CareCloudClient, attributes(carecloud))]
pub fn derive_carecloud_client(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
