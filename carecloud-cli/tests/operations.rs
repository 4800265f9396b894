//! Every operation of both tables through the `carecloud` binary: one test
//! per operation per interface (`enterprise::get_cards`), the same trials
//! and cases as the library's `carecloud-sandbox/tests/operations.rs`
//! (its `support/` files: the case files' format, the runner, the trials
//! and the two checks of the case files and the coverage), but every call
//! of a case, its `before` and `after` steps too, is a run of the binary
//! against a fresh in-process sandbox, configured by `CARECLOUD_*`
//! variables: parameters become flags (`--kebab-name value`, an array's
//! items repeated, a value that is no string as its JSON text), the body
//! `--body JSON`.
//!
//! A success is exit 0 and JSON on stdout (nothing only where the
//! operation's reply has no body); its status, which the CLI does not
//! print, is the one the sandbox's request log has for the call. An error
//! status is exit 1, the status from stderr's `the server answered NNN`
//! (and the same in the request log), the error envelope from stderr's
//! last line. Any other exit fails the test.
//!
//! Each test has a directory of its own, `HOME` of its runs (where the
//! API user's bearer token is kept between them). On the customer
//! interface the device token lives in a session file there
//! (`CARECLOUD_SESSION_FILE`): John Smith
//! is logged in by `carecloud customer log-in` (password on standard
//! input) unless the case says `login: false`, and `${token_id}` is the
//! token in the file.
//!
//! `cargo test -p carecloud-cli --test operations -- customer::` runs one
//! interface's; `-- get_cards` one operation's.

#[path = "../../carecloud-sandbox/tests/support/cases.rs"]
mod cases;
#[path = "../../carecloud-sandbox/tests/support/run.rs"]
mod run;
#[path = "../../carecloud-sandbox/tests/support/schema.rs"]
mod schema;
mod support;
#[path = "../../carecloud-sandbox/tests/support/trials.rs"]
mod trials;

use std::path::{Path, PathBuf};

use carecloud_api::{Interface, Operation};
use carecloud_dynamic::Args;
use carecloud_sandbox::{
    API_USER_LOGIN, API_USER_PASSWORD, CUSTOMER_APPLICATION_ID, ENTERPRISE_APPLICATION_ID,
    JOHN_SMITH_EMAIL, JOHN_SMITH_ID, JOHN_SMITH_PASSWORD, Sandbox,
};
use heck::ToKebabCase;
use serde_json::Value;

use crate::run::{Caller, DEVICE};
use crate::support::Scratch;

fn main() {
    trials::main::<Binary>(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../carecloud-sandbox/tests/cases"
        )),
        |_| Vec::new(),
    );
}

/// Calls by running the `carecloud` binary, one process a call.
struct Binary {
    /// The `CARECLOUD_*` variables of every run.
    env: Vec<(&'static str, String)>,
    /// The customer session file, in `home`.
    session: PathBuf,
    /// The test's own directory: `HOME` of every run (the API user's
    /// bearer token is kept below it), removed with the caller.
    home: Scratch,
}

/// What a run of the binary did.
struct Ran {
    /// `carecloud ARGS`, for messages.
    command: String,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn failure(&self) -> String {
        format!(
            "`{}`: exit {}\nstderr: {}\nstdout: {}",
            self.command,
            self.code,
            self.stderr.trim_end(),
            self.stdout.trim_end()
        )
    }
}

impl Binary {
    /// Runs `carecloud ARGS` (standard input: `stdin`, or nothing) with
    /// this caller's variables and `HOME`, and no inherited `CARECLOUD_*`
    /// or `XDG_*` ones. The sandbox answers on the runtime meanwhile: the
    /// process is waited for on a blocking thread.
    async fn run(&self, args: Vec<String>, stdin: Option<String>) -> Result<Ran, String> {
        let command = format!("carecloud {}", args.join(" "));
        let home = self.home.to_path_buf();
        let env = self.env.clone();
        let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            support::run_in(Some(&home), &args, stdin.as_deref(), &env)
        })
        .await
        .map_err(|e| format!("`{command}` did not run: {e}"))?;
        Ok(Ran {
            command,
            code,
            stdout,
            stderr,
        })
    }
}

impl Caller for Binary {
    async fn start(sandbox: &Sandbox) -> Result<Self, String> {
        let dir = support::scratch("operations");
        let session = dir.join("session.json");
        let env = vec![
            ("CARECLOUD_PROJECT_URL", sandbox.url().to_owned()),
            (
                "CARECLOUD_EXTERNAL_APPLICATION_ID",
                ENTERPRISE_APPLICATION_ID.to_owned(),
            ),
            ("CARECLOUD_LOGIN", API_USER_LOGIN.to_owned()),
            ("CARECLOUD_PASSWORD", API_USER_PASSWORD.to_owned()),
            (
                "CARECLOUD_CUSTOMER_APPLICATION_ID",
                CUSTOMER_APPLICATION_ID.to_owned(),
            ),
            ("CARECLOUD_DEVICE_ID", DEVICE.to_owned()),
            (
                "CARECLOUD_SESSION_FILE",
                session.to_string_lossy().into_owned(),
            ),
        ];
        Ok(Binary {
            env,
            session,
            home: dir,
        })
    }

    async fn log_in(&mut self) -> Result<(), String> {
        let args = [
            "customer",
            "log-in",
            "--email",
            JOHN_SMITH_EMAIL,
            "--password-stdin",
        ];
        let ran = self
            .run(
                args.map(str::to_owned).to_vec(),
                Some(JOHN_SMITH_PASSWORD.to_owned()),
            )
            .await?;
        let reply: Option<Value> = serde_json::from_str(&ran.stdout).ok();
        match reply.as_ref().and_then(|r| r["customer_id"].as_str()) {
            Some(JOHN_SMITH_ID) if ran.code == 0 => Ok(()),
            _ => Err(ran.failure()),
        }
    }

    async fn log_out(&mut self) -> Result<(), String> {
        let ran = self
            .run(vec!["customer".into(), "log-out".into()], None)
            .await?;
        if ran.code == 0 {
            Ok(())
        } else {
            Err(ran.failure())
        }
    }

    /// The token of the session file (none without the file).
    fn token_id(&self) -> Result<Option<String>, String> {
        let text = match std::fs::read_to_string(&self.session) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", self.session.display())),
        };
        let session: Value = serde_json::from_str(&text)
            .map_err(|e| format!("the session file is not JSON ({e}): {text}"))?;
        Ok(session["token_id"].as_str().map(str::to_owned))
    }

    async fn call(
        &mut self,
        sandbox: &Sandbox,
        interface: Interface,
        op: &'static Operation,
        args: Args,
    ) -> Result<(u16, Value), String> {
        let mut argv = vec![
            match interface {
                Interface::Enterprise => "enterprise".to_owned(),
                Interface::Customer => "customer".to_owned(),
            },
            op.operation_id.to_kebab_case(),
        ];
        for (name, value) in &args.params {
            let values = match value {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            let flag = format!("--{}", name.to_kebab_case());
            for value in values {
                let text = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                // `--count -1` would read as two flags: `--count=-1`.
                if text.starts_with('-') {
                    argv.push(format!("{flag}={text}"));
                } else {
                    argv.extend([flag.clone(), text]);
                }
            }
        }
        if let Some(body) = &args.body {
            argv.push("--body".to_owned());
            argv.push(body.to_string());
        }
        let seen = sandbox.requests().len();
        let ran = self.run(argv, None).await?;
        // The status the sandbox answered this run's request of `op` with
        // (the last, after any retry).
        let logged = sandbox.requests()[seen..]
            .iter()
            .rev()
            .find(|r| r.interface == Some(interface) && r.operation == Some(op.id))
            .map(|r| r.status);
        match ran.code {
            0 => {
                let status = logged.ok_or_else(|| {
                    format!(
                        "no request of `{}` in the sandbox's log; {}",
                        op.name,
                        ran.failure()
                    )
                })?;
                if !(200..300).contains(&status) {
                    return Err(format!("exit 0 on status {status}; {}", ran.failure()));
                }
                let text = ran.stdout.trim();
                let reply = if text.is_empty() && op.response.is_none() {
                    Value::Null
                } else {
                    serde_json::from_str(text)
                        .map_err(|e| format!("stdout is not JSON ({e}); {}", ran.failure()))?
                };
                Ok((status, reply))
            }
            1 => {
                let status = ran
                    .stderr
                    .split_once("the server answered ")
                    .and_then(|(_, rest)| rest.get(..3))
                    .and_then(|code| code.parse::<u16>().ok())
                    .ok_or_else(|| format!("no status on stderr; {}", ran.failure()))?;
                if logged != Some(status) {
                    return Err(format!(
                        "status {status} on stderr, {logged:?} in the sandbox's log; {}",
                        ran.failure()
                    ));
                }
                let last = ran.stderr.lines().last().unwrap_or_default();
                let envelope =
                    serde_json::from_str(last).unwrap_or_else(|_| Value::String(last.to_owned()));
                Ok((status, envelope))
            }
            _ => Err(ran.failure()),
        }
    }
}
