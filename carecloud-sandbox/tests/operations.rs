//! One test per operation per interface, from the tables, not by hand: every
//! entry of `enterprise::OPERATIONS` and `customer::OPERATIONS` is called
//! through `EnterpriseClient`/`CustomerClient` (`invoke`, feature
//! `dynamic`) against a fresh sandbox, with the arguments and expectations
//! of its entry in `tests/cases/<group>.yaml` (see `support/cases.rs` for
//! the format). An operation without an entry is called with no arguments
//! and must succeed; if it needs arguments, its test fails naming the
//! missing case. Each test also checks the sandbox's request log: the
//! operation reached the sandbox and was matched on that interface; and
//! every body the sandbox accepted and every reply it sent in the test,
//! against the spec's JSON Schema (`support/schema.rs`).
//!
//! The trials and the case runner are shared with the CLI's
//! `carecloud-cli/tests/operations.rs` (`support/trials.rs`,
//! `support/run.rs`); what is this runner's own is how it calls: [`Invoke`].
//!
//! `cargo test -p carecloud-sandbox --test operations -- customer::` runs
//! one interface's; `-- get_cards` one operation's.

#[path = "support/cases.rs"]
mod cases;
#[path = "support/run.rs"]
mod run;
#[path = "support/schema.rs"]
mod schema;
#[path = "support/trials.rs"]
mod trials;

use std::path::Path;

use carecloud_api::dynamic::Args;
use carecloud_api::{CustomerClient, EnterpriseClient, Error, Interface, Operation};
use carecloud_sandbox::Sandbox;
use serde_json::Value;

use crate::run::{Caller, DEVICE};

fn main() {
    trials::main::<Invoke>(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases"));
}

/// Calls through the library's clients and their `invoke`.
struct Invoke {
    ent: EnterpriseClient,
    cust: CustomerClient,
}

impl Caller for Invoke {
    async fn start(sandbox: &Sandbox) -> Result<Self, String> {
        Ok(Invoke {
            ent: EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())
                .map_err(|e| e.to_string())?,
            cust: CustomerClient::new(sandbox.url(), Sandbox::device_registration(DEVICE))
                .map_err(|e| e.to_string())?,
        })
    }

    async fn log_in(&mut self) -> Result<(), String> {
        self.cust
            .log_in(Sandbox::john_smith_login())
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }

    async fn log_out(&mut self) -> Result<(), String> {
        self.cust.log_out().await.map_err(|e| e.to_string())
    }

    fn token_id(&self) -> Result<Option<String>, String> {
        Ok(self.cust.token_id().map(|t| t.expose().to_owned()))
    }

    /// The status and JSON of the reply (the error envelope for an error).
    async fn call(
        &mut self,
        _sandbox: &Sandbox,
        interface: Interface,
        op: &'static Operation,
        args: Args,
    ) -> Result<(u16, Value), String> {
        let result = match interface {
            Interface::Enterprise => self.ent.invoke(op.id, args).await,
            Interface::Customer => self.cust.invoke(op.id, args).await,
        };
        match result {
            Ok(reply) => {
                let status = reply.status().as_u16();
                Ok((status, reply.into_inner()))
            }
            Err(Error::Api(reply)) => {
                let status = reply.status().as_u16();
                let body = serde_json::to_value(reply.envelope()).map_err(|e| e.to_string())?;
                Ok((status, body))
            }
            Err(Error::UnexpectedStatus(reply)) => {
                let status = reply.status().as_u16();
                Ok((status, Value::String(reply.excerpt().to_owned())))
            }
            Err(other) => Err(format!("`{}` failed: {other}", op.name)),
        }
    }
}
