//! Runs one operation's case against a fresh sandbox, each call made by a
//! [`Caller`]: through `EnterpriseClient`/`CustomerClient` and their
//! `invoke` (this crate's `tests/operations.rs`), or by running the
//! `carecloud` binary (`carecloud-cli/tests/operations.rs`). What a case
//! means (its steps, variables, expectations, the request log check) is
//! here, once, and so is the schema check of the sandbox's traffic
//! (`schema.rs`) that every case runs under.

use carecloud_api::operation::Location;
use carecloud_api::{Interface, Operation};
use carecloud_dynamic::Args;
use carecloud_sandbox::Sandbox;
use serde_json::{Map, Value};

use crate::cases::{self, Case, Step};
use crate::schema;

/// Device ID of the customer client under test.
pub const DEVICE: &str = "operations-test-device";

/// How the calls of a case are made. One caller serves one case, against
/// one sandbox, and holds both interfaces' sessions: the enterprise API
/// user's and the customer device's (with John Smith logged in or not).
pub trait Caller: Sized {
    /// A caller against `sandbox`, with no customer logged in.
    async fn start(sandbox: &Sandbox) -> Result<Self, String>;

    /// Logs John Smith in on the customer device token (creating the
    /// token if there is none yet).
    async fn log_in(&mut self) -> Result<(), String>;

    /// Logs the customer out of the device token, which stays.
    async fn log_out(&mut self) -> Result<(), String>;

    /// The customer device token, if one was created.
    fn token_id(&self) -> Result<Option<String>, String>;

    /// Makes one call of `op` on `interface`: the reply's status and JSON
    /// (the error envelope for an error status), or why there is none.
    async fn call(
        &mut self,
        sandbox: &Sandbox,
        interface: Interface,
        op: &'static Operation,
        args: Args,
    ) -> Result<(u16, Value), String>;
}

/// What an operation needs that a call without a case cannot give it.
pub fn needs(op: &Operation) -> Vec<String> {
    let mut needs: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required && p.location != Location::Header)
        .map(|p| format!("`{}`", p.name))
        .collect();
    if let Some(body) = op.body {
        needs.push(format!("a body ({body})"));
    }
    needs
}

/// Runs `case` (or, without one, a call with no arguments) for `op` on
/// `interface`, every call made by a `C`, against a sandbox whose every
/// accepted body and every reply is checked against the spec's JSON Schema
/// (`schema.rs`); the error says what failed.
pub async fn run<C: Caller>(
    interface: Interface,
    op: &'static Operation,
    case: Case,
) -> Result<(), String> {
    let sandbox = schema::start().await?;
    let outcome = run_case::<C>(&sandbox, interface, op, case).await;
    match (outcome, schema::report(sandbox.take_problems())) {
        (Err(failure), Err(problems)) => Err(format!("{failure}\n{problems}")),
        (Err(failure), Ok(())) => Err(failure),
        (Ok(()), checked) => checked,
    }
}

async fn run_case<C: Caller>(
    sandbox: &Sandbox,
    interface: Interface,
    op: &'static Operation,
    case: Case,
) -> Result<(), String> {
    let mut run = Run {
        interface,
        caller: C::start(sandbox).await?,
        sandbox,
        vars: Map::new(),
    };
    if interface == Interface::Customer && case.login != Some(false) {
        run.caller
            .log_in()
            .await
            .map_err(|e| format!("logging John Smith in: {e}"))?;
    }
    for (i, step) in case.before.iter().flatten().enumerate() {
        run.step(step)
            .await
            .map_err(|e| format!("before[{i}] ({}): {e}", step.call))?;
    }
    run.step(&case.step(op.name)).await?;
    for (i, step) in case.after.iter().flatten().enumerate() {
        run.step(step)
            .await
            .map_err(|e| format!("after[{i}] ({}): {e}", step.call))?;
    }
    if sandbox.count(interface, op.id) == 0 {
        return Err(format!(
            "the sandbox's request log has no `{}` on the {interface:?} interface",
            op.name
        ));
    }
    Ok(())
}

struct Run<'s, C> {
    interface: Interface,
    caller: C,
    sandbox: &'s Sandbox,
    vars: Map<String, Value>,
}

impl<C: Caller> Run<'_, C> {
    /// Makes one call and checks it.
    async fn step(&mut self, step: &Step) -> Result<(), String> {
        let interface = match step.interface.as_deref() {
            None => self.interface,
            Some("enterprise") => Interface::Enterprise,
            Some("customer") => Interface::Customer,
            Some(other) => return Err(format!("unknown interface `{other}`")),
        };
        let op = interface
            .operations()
            .iter()
            .copied()
            .find(|op| op.name == step.call)
            .ok_or_else(|| {
                format!(
                    "the {interface:?} interface has no operation `{}`",
                    step.call
                )
            })?;
        let params = Value::Object(step.params.clone());
        let body = step.body.clone().unwrap_or(Value::Null);
        if cases::mentions(&params, "token_id") || cases::mentions(&body, "token_id") {
            self.device_token().await?;
        }
        let mut args = Args::new();
        if let Value::Object(params) = cases::substitute(&params, &self.vars)? {
            args.params = params;
        }
        if step.body.is_some() {
            args = args.body(cases::substitute(&body, &self.vars)?);
        }
        let (status, reply) = self.caller.call(self.sandbox, interface, op, args).await?;
        match step.status {
            Some(wanted) if wanted != status => {
                return Err(format!(
                    "status {status}, expected {wanted}; reply: {reply}"
                ));
            }
            None if !(200..300).contains(&status) => {
                return Err(format!("status {status}; reply: {reply}"));
            }
            _ => {}
        }
        let expect = step
            .expect
            .iter()
            .map(|(pointer, wanted)| Ok((pointer.clone(), cases::substitute(wanted, &self.vars)?)))
            .collect::<Result<_, String>>()?;
        let failures = cases::check(&reply, &expect);
        if !failures.is_empty() {
            return Err(format!("{}\nreply: {reply}", failures.join("\n")));
        }
        for (name, pointer) in &step.save {
            let value = reply.pointer(pointer).cloned().ok_or_else(|| {
                format!("nothing at {pointer} to save as `{name}`; reply: {reply}")
            })?;
            self.vars.insert(name.clone(), value);
        }
        Ok(())
    }

    /// `${token_id}`: the customer device token, created (by a login and
    /// logout) if there is none yet.
    async fn device_token(&mut self) -> Result<(), String> {
        if self.caller.token_id()?.is_none() {
            self.caller.log_in().await?;
            self.caller.log_out().await?;
        }
        let token = self
            .caller
            .token_id()?
            .ok_or("the customer client has no device token")?;
        self.vars
            .insert("token_id".to_owned(), Value::String(token));
        Ok(())
    }
}
