//! Any operation of the [CareCloud](https://www.crmcarecloud.com) CRM REST
//! API by its [`OperationId`], with JSON arguments: for tools that do not
//! know at compile time which operation they call, such as a command-line
//! client or a table-driven test. It covers every operation of both
//! interfaces (it builds `carecloud-api` with `enterprise`, `customer` and
//! `full`).
//!
//! [`Invoke::invoke`] is implemented for both interface clients, so it works
//! on `EnterpriseClient`, `CustomerClient` and any client declared with
//! `#[derive(CareCloudClient)]` (they dereference to them). Each call goes
//! through the operation's client method and builder in `carecloud-api`,
//! so authentication, retries and request encoding are those of a typed
//! call. Before anything is sent, a missing required parameter or body, a
//! parameter the operation does not have, a body it does not take, an
//! argument that does not fit its type (with the JSON path of the bad part
//! of a body) and an operation the client's interface does not serve are
//! reported as [`Error::InvalidRequest`](carecloud_api::Error::InvalidRequest).
//! The reply is decoded into the operation's response type before it is
//! handed back as JSON.
//!
//! ```no_run
//! # async fn demo(client: carecloud_api::EnterpriseClient) -> carecloud_api::Result<()> {
//! use carecloud_api::OperationId;
//! use carecloud_dynamic::{Args, Invoke};
//!
//! let args = Args::new().param("count", 5).param("customer_ids", ["a1", "b2"]);
//! let reply = client.invoke(OperationId::GetCustomers, args).await?;
//! println!("{}", reply.into_inner()["data"]["total_items"]);
//! # Ok(()) }
//! ```

// carecloud-api's error (the API's error envelope inline) is large; it is
// returned, not stored.
#![allow(clippy::result_large_err)]

mod args;
#[rustfmt::skip]
mod generated;
mod invoke;
mod take;

pub use args::Args;
pub use carecloud_api::OperationId;
pub use invoke::Invoke;
