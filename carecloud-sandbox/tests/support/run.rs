//! Runs one operation's case against a fresh sandbox through
//! `EnterpriseClient`/`CustomerClient` and their `invoke`.

use carecloud_api::dynamic::Args;
use carecloud_api::operation::Location;
use carecloud_api::{CustomerClient, EnterpriseClient, Error, Interface, Operation};
use carecloud_sandbox::Sandbox;
use serde_json::{Map, Value};

use crate::cases::{self, Case, Step};

/// Device ID of the customer client under test.
const DEVICE: &str = "operations-test-device";

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
/// `interface`; the error says what failed.
pub async fn run(interface: Interface, op: &'static Operation, case: Case) -> Result<(), String> {
    let sandbox = Sandbox::start()
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let mut run = Run {
        interface,
        ent: EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())
            .map_err(|e| e.to_string())?,
        cust: CustomerClient::new(sandbox.url(), Sandbox::device_registration(DEVICE))
            .map_err(|e| e.to_string())?,
        vars: Map::new(),
    };
    if interface == Interface::Customer && case.login != Some(false) {
        run.cust
            .log_in(Sandbox::john_smith_login())
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

struct Run {
    interface: Interface,
    ent: EnterpriseClient,
    cust: CustomerClient,
    vars: Map<String, Value>,
}

impl Run {
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
        let (status, reply) = self.invoke(interface, op, args).await?;
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

    /// The status and JSON of the reply (the error envelope for an error).
    async fn invoke(
        &self,
        interface: Interface,
        op: &Operation,
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

    /// `${token_id}`: the customer client's device token, created (by a
    /// login and logout) if it has none yet.
    async fn device_token(&mut self) -> Result<(), String> {
        if self.cust.token_id().is_none() {
            self.cust
                .log_in(Sandbox::john_smith_login())
                .await
                .map_err(|e| e.to_string())?;
            self.cust.log_out().await.map_err(|e| e.to_string())?;
        }
        let token = self
            .cust
            .token_id()
            .ok_or("the customer client has no device token")?;
        self.vars.insert(
            "token_id".to_owned(),
            Value::String(token.expose().to_owned()),
        );
        Ok(())
    }
}
