//! Generates the wrapper from a validated [`Wrapper`], or the fallback when
//! the input had errors. Never re-checks validity.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::DeriveInput;

use crate::ast::Input;
use crate::ctxt::Ctxt;
use crate::valid::{self, Interface, Wrapper};

/// The expansion of `#[derive(CareCloudClient)]` on `input`: the wrapper's
/// impls, or every error found plus a fallback.
pub fn derive(input: &DeriveInput) -> TokenStream {
    match try_expand(input) {
        Ok(tokens) => tokens,
        Err(errors) => {
            let errors = errors.to_compile_error();
            let fallback = fallback(input);
            quote!(#errors #fallback)
        }
    }
}

/// The wrapper's impls, or all the errors of `input` at once.
pub fn try_expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::default();
    let model = Input::from_syn(&cx, input);
    let wrapper = valid::check(&cx, &model);
    cx.check()?;
    // No error means the checks produced a wrapper.
    Ok(wrapper.map(|w| expand(&w)).unwrap_or_default())
}

fn expand(wrapper: &Wrapper<'_>) -> TokenStream {
    let private = quote!(::carecloud_api::__private);
    let vis = wrapper.vis;
    let ident = wrapper.ident;
    let name = ident.to_string();
    let member = &wrapper.member;
    let source = &wrapper.source;
    let module = format_ident!("{}", wrapper.interface.module());
    let client = quote!(::carecloud_api::#module::Client);
    let session = session_methods(wrapper);
    let new_doc = " A client for the project URL (`sandbox.crmcarecloud.com` means HTTPS; \
                   `http://127.0.0.1:8080` is used as given) with default settings. Sends \
                   nothing yet. Fails if the URL is not usable (`carecloud_api::ConfigError`).";
    let builder_doc = " A builder for the settings beyond the defaults (`Accept-Language`, \
                       timeout, clock); finish it with `build()`.";
    let from_client = quote!(Self { #member: client });

    quote! {
        #[automatically_derived]
        impl #private::AuthClient for #ident {
            type Client = #client;
            type Source = #source;

            fn from_client(client: Self::Client) -> Self {
                #from_client
            }
        }

        #[automatically_derived]
        impl #ident {
            #[doc = #new_doc]
            #vis fn new(
                project_url: &str,
                credentials: #source,
            ) -> #private::Result<Self, #private::ConfigError> {
                #private::ClientBuilder::build(Self::builder(project_url, credentials))
            }

            #[doc = #builder_doc]
            #vis fn builder(
                project_url: &str,
                credentials: #source,
            ) -> #private::ClientBuilder<#source, Self> {
                #private::builder(project_url, credentials)
            }

            #session
        }

        #[automatically_derived]
        impl #private::Clone for #ident {
            fn clone(&self) -> Self {
                Self { #member: #private::Clone::clone(&self.#member) }
            }
        }

        #[automatically_derived]
        impl #private::Deref for #ident {
            type Target = #client;

            fn deref(&self) -> &Self::Target {
                &self.#member
            }
        }

        /// Shows the base URL and the session without any password or token.
        #[automatically_derived]
        impl #private::Debug for #ident {
            fn fmt(&self, f: &mut #private::Formatter<'_>) -> #private::FmtResult {
                #private::debug_client(f, #name, &self.#member)
            }
        }
    }
}

/// `log_in`, `log_out` and, for the customer interface, `resume`,
/// `token_id` and `customer_logged_in`, each delegating to the session.
fn session_methods(wrapper: &Wrapper<'_>) -> TokenStream {
    let private = quote!(::carecloud_api::__private);
    let member = &wrapper.member;
    let source = &wrapper.source;
    let vis = wrapper.vis;
    match wrapper.interface {
        Interface::Enterprise => quote! {
            /// Logs in now unless a valid token is cached, e.g. to check the
            /// credentials at start-up. Operations do this by themselves.
            #vis async fn log_in(&self) -> ::carecloud_api::Result<()> {
                #private::enterprise::log_in(&self.#member).await
            }

            /// Ends the cached token on the server (`POST /users/actions/logout`)
            /// and drops it; the next authenticated operation logs in again. Does
            /// nothing when no token is cached.
            #vis async fn log_out(&self) -> ::carecloud_api::Result<()> {
                #private::enterprise::log_out(&self.#member).await
            }
        },
        Interface::Customer => quote! {
            /// A client that goes on with a device token saved earlier
            /// ([`token_id`](Self::token_id)) instead of creating one. A customer
            /// may still be logged in on it, so if it no longer works the first call
            /// fails with `CustomerLoginRequired`; the builder's
            /// `customer_logged_in(false)` says otherwise.
            #vis fn resume(
                project_url: &str,
                registration: #source,
                token_id: #private::Secret,
            ) -> #private::Result<Self, #private::ConfigError> {
                #private::ClientBuilder::build(#private::with_device_token(
                    Self::builder(project_url, registration),
                    token_id,
                ))
            }

            /// Logs the customer in on the device token
            /// (`POST /tokens/{token_id}/actions/login`, creating the token first if
            /// needed) and returns the customer's ID. The credentials are not kept.
            #vis async fn log_in(
                &self,
                login: #private::CustomerLogin,
            ) -> ::carecloud_api::Result<#private::String> {
                #private::customer::log_in(&self.#member, login).await
            }

            /// Logs the customer out (`POST /tokens/{token_id}/actions/logout`); the
            /// device token stays. Does nothing without a token.
            #vis async fn log_out(&self) -> ::carecloud_api::Result<()> {
                #private::customer::log_out(&self.#member).await
            }

            /// The device token, once there is one: persist it (it is a secret) to
            /// [`resume`](Self::resume) later instead of creating a new token.
            #vis fn token_id(&self) -> #private::Option<#private::Secret> {
                #private::customer::token_id(&self.#member)
            }

            /// Whether a customer is logged in on the device token, as far as this
            /// client knows.
            #vis fn customer_logged_in(&self) -> bool {
                #private::customer::customer_logged_in(&self.#member)
            }
        },
    }
}

/// What is emitted next to the errors, so that code using the wrapper's
/// constructor does not add "no function named `new`" to the real
/// diagnostic (after thiserror's `fallback.rs`).
fn fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        #[allow(dead_code, unused_variables, clippy::all)]
        impl #impl_generics #ident #ty_generics #where_clause {
            pub fn new<S>(
                project_url: &str,
                credentials: S,
            ) -> ::core::result::Result<Self, ::carecloud_api::ConfigError> {
                ::core::unreachable!()
            }
        }
    }
}
