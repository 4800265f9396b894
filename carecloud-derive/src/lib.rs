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

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Declares an auth-aware client: a struct with one field, an interface's
/// generated client, becomes a client that obtains, attaches, refreshes and
/// recovers its token by itself (the runtime in `carecloud_api::auth` does
/// the work; this derive generates the glue).
///
/// ```ignore
/// #[derive(carecloud_api::CareCloudClient)]
/// #[carecloud(interface = enterprise, credentials = MySecretStore)]
/// pub struct MyClient {
///     client: carecloud_api::enterprise::Client,
/// }
/// ```
///
/// # Attribute
/// `#[carecloud(key = value, ...)]`, possibly split over several
/// attributes:
/// - `interface = enterprise | customer` (required): the interface, whose
///   generated client the field holds (`carecloud_api::<interface>::Client`).
/// - `credentials = <type path>` (optional): what the client authenticates
///   with. For `enterprise`, any `carecloud_api::auth::CredentialSource`,
///   asked at each login (default `carecloud_api::EnterpriseCredentials`);
///   for `customer`, any `carecloud_api::auth::DeviceSource`, which may
///   also load and save the device token (default
///   `carecloud_api::DeviceRegistration`).
///   The type must be at least as visible as the struct.
///
/// The struct has no generic parameters and exactly one field (named or
/// not) of type `carecloud_api::<interface>::Client`.
///
/// # Generated
/// - `impl carecloud_api::auth::AuthClient`, naming the interface's client
///   and the credentials type (each operation says itself whether it carries
///   the token, from the spec's `security`);
/// - `new(project_url, credentials)` and `builder(project_url, credentials)`
///   (a `carecloud_api::ClientBuilder`, finished with `build()`);
/// - for `enterprise`: `log_in()`, `log_out()`; for `customer`:
///   `resume(project_url, registration, token_id)`, `log_in(login)`,
///   `log_out()`, `token_id()`, `customer_logged_in()`;
/// - `Clone`, `Deref<Target = carecloud_api::<interface>::Client>` (every
///   operation is called on the wrapper), and a `Debug` that shows no
///   password and no token.
///
/// The methods get the struct's visibility. Mistakes in the attribute or
/// the struct are all reported at once, each at its span.
#[proc_macro_derive(CareCloudClient, attributes(carecloud))]
pub fn derive_carecloud_client(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
