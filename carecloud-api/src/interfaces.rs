//! The interface clients: [`enterprise::Client`](crate::enterprise::Client)
//! and [`customer::Client`](crate::customer::Client). Each holds where it
//! sends, the HTTP client and the [`Runtime`]; the generated code adds one
//! method per operation the interface serves.

/// Declares an interface's `Client`.
macro_rules! interface_client {
    ($name:literal) => {
        #[doc = concat!(
            "A client of the ", $name, " interface: one method per operation, taking the ",
            "operation's required parameters (and its body) and returning its builder, on which ",
            "optional parameters are set: `client.op(required).optional(x).send().await`.\n\n",
            "Built directly it sends requests as they are, without a token; the auth-aware ",
            "wrappers (`EnterpriseClient`, `CustomerClient`, or one of your own with ",
            "`#[derive(CareCloudClient)]`) dereference to it and add the session. ",
            "Cloning is cheap: clones share the HTTP client and the session, and every ",
            "request built holds one, so a request (and its `send()` future) can move to ",
            "another task on its own."
        )]
        #[derive(Clone)]
        pub struct Client {
            pub(crate) core: crate::runtime::Core,
        }

        impl Client {
            /// A client sending to `baseurl`, the interface's base URL (see
            /// [`base_url`](crate::base_url)), with an HTTP client of its own
            /// (15-second timeouts).
            pub fn new(baseurl: &str, runtime: crate::Runtime) -> Self {
                let http = crate::runtime::http::client(baseurl, crate::auth::DEFAULT_TIMEOUT)
                    .unwrap_or_else(|_| reqwest::Client::new());
                Self::new_with_client(baseurl, http, runtime)
            }

            /// A client sending to `baseurl` through `client`.
            pub fn new_with_client(
                baseurl: &str,
                client: reqwest::Client,
                runtime: crate::Runtime,
            ) -> Self {
                Self {
                    core: crate::runtime::Core::new(baseurl, client, runtime),
                }
            }

            /// The base URL requests go to.
            pub fn baseurl(&self) -> &str {
                &self.core.baseurl
            }

            /// The HTTP client requests go through.
            pub fn client(&self) -> &reqwest::Client {
                &self.core.http
            }

            /// The runtime: settings and session.
            pub fn runtime(&self) -> &crate::Runtime {
                &self.core.runtime
            }

            /// A request of `op` through this client (holding a clone of it).
            pub(crate) fn call(
                &self,
                op: &'static crate::operation::Operation,
            ) -> crate::runtime::Call {
                crate::runtime::Call::new(self.core.clone(), op)
            }
        }

        /// Shows the base URL and the runtime, never a password or token.
        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.core, f)
            }
        }
    };
}

pub(crate) use interface_client;
