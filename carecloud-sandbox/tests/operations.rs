//! One test per operation per interface, from the tables, not by hand: every
//! entry of `enterprise::OPERATIONS` and `customer::OPERATIONS` is called
//! through `EnterpriseClient`/`CustomerClient` (`invoke`, from
//! carecloud-dynamic) against a fresh sandbox, with the arguments and expectations
//! of its entry in `tests/cases/<group>.yaml` (see `support/cases.rs` for
//! the format). An operation without an entry is called with no arguments
//! and must succeed; if it needs arguments, its test fails naming the
//! missing case. Each test also checks the sandbox's request log: the
//! operation reached the sandbox and was matched on that interface; and
//! every body the sandbox accepted and every reply it sent in the test,
//! against the spec's JSON Schema (`support/schema.rs`).
//!
//! Every request body goes through its generated type's constructor: the
//! case's JSON is built with `new(..)` and the `with_` methods
//! (`generated/constructors.rs`, generated from the spec, with
//! `support/construct.rs`), checked against serde's reading of it, and that
//! is what is sent; `cases::every_request_body_builds_through_its_constructor`
//! checks, without a sandbox, that each operation's case does so for its
//! body's type.
//!
//! The trials and the case runner are shared with the CLI's
//! `carecloud-cli/tests/operations.rs` (`support/trials.rs`,
//! `support/run.rs`); what is this runner's own is how it calls: [`Invoke`].
//!
//! `cargo test -p carecloud-sandbox --test operations -- customer::` runs
//! one interface's; `-- get_cards` one operation's.

#[path = "support/cases.rs"]
mod cases;
#[path = "support/construct.rs"]
mod construct;
// Generated (and formatted) by carecloud-codegen: `cargo fmt` leaves it alone.
#[rustfmt::skip]
#[path = "generated/constructors.rs"]
mod constructors;
#[path = "support/run.rs"]
mod run;
#[path = "support/schema.rs"]
mod schema;
#[path = "support/trials.rs"]
mod trials;

use std::path::Path;
use std::sync::Arc;

use carecloud_api::{CustomerClient, EnterpriseClient, Error, Interface, Operation};
use carecloud_api::{customer, enterprise};
use carecloud_dynamic::Args;
use carecloud_dynamic::Invoke as _;
use carecloud_sandbox::Sandbox;
use libtest_mimic::{Failed, Trial};
use serde_json::Value;

use crate::run::{Caller, DEVICE};
use crate::trials::CaseFiles;

fn main() {
    trials::main::<Invoke>(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases"),
        |files| {
            vec![Trial::test(
                "cases::every_request_body_builds_through_its_constructor",
                move || bodies_build(&files),
            )]
        },
    );
}

/// `body`, the request body of `op`, built through its type's constructor
/// (what is then sent).
fn constructed(op: &Operation, body: &Value) -> Result<Value, String> {
    let schema = op
        .body
        .ok_or_else(|| format!("`{}` takes no body, but the case gives one", op.name))?;
    constructors::body(schema, body)
        .ok_or_else(|| format!("no constructor for the body schema `{schema}`"))?
        .map_err(|e| {
            format!(
                "the body of `{}` does not build through `{schema}::new`: {e}",
                op.name
            )
        })
}

/// Every operation of both tables that takes a body has a case whose body
/// builds through the body type's constructor (so each request-body type's
/// `new` and setters run at least once), and the generated list of body
/// schemas is every body of the tables.
fn bodies_build(files: &Arc<CaseFiles>) -> Result<(), Failed> {
    let mut problems = Vec::new();
    let mut built = std::collections::BTreeSet::new();
    for (interface, table) in [
        (Interface::Enterprise, enterprise::OPERATIONS),
        (Interface::Customer, customer::OPERATIONS),
    ] {
        for op in table.iter().filter(|op| op.body.is_some()) {
            let case = files
                .get(op.group)
                .and_then(|f| f.cases.as_ref().ok())
                .and_then(|cases| cases.get(op.name))
                .map(|c| c.on(trials::interface_name(interface)));
            match case.and_then(|c| c.body) {
                Some(body) => match constructed(op, &body) {
                    Ok(_) => {
                        built.extend(op.body);
                    }
                    Err(e) => problems.push(format!("{interface:?}: {e}")),
                },
                None => problems.push(format!(
                    "{interface:?}: the case of `{}` has no body",
                    op.name
                )),
            }
        }
    }
    let listed: std::collections::BTreeSet<&str> = constructors::SCHEMAS.iter().copied().collect();
    if problems.is_empty() && built != listed {
        problems.push(format!(
            "body schemas built {built:?}, generated {listed:?}"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
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
        mut args: Args,
    ) -> Result<(u16, Value), String> {
        if let Some(body) = &args.body {
            args.body = Some(constructed(op, body)?);
        }
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
