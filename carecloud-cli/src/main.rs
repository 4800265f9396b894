//! `carecloud`: the CareCloud CRM REST API from the command line.
//!
//! Every operation of both interfaces is a subcommand built at run time
//! from the generated operation tables (`carecloud_api::enterprise::OPERATIONS`,
//! `carecloud_api::customer::OPERATIONS`): adding an operation to the spec
//! adds its subcommand, with no code here. Each call goes through
//! `invoke` of the auth-aware clients, so parameters and the body are
//! checked against the generated types before anything is sent.
//!
//! Exit codes: 0 success, 1 API error (the server refused the call),
//! 2 usage or configuration error (nothing was sent), 3 authentication
//! refused or lost, 4 transport failure (no connection, timeout), also
//! while a token is being obtained (see `exit`).

mod bearer;
mod call;
mod command;
mod config;
mod connect;
mod exit;
mod fields;
mod kind;
mod login;
mod private_file;
#[rustfmt::skip]
mod generated;
mod serve;
mod session;
mod verbose;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use carecloud_api::Interface;
use clap::ArgMatches;

use crate::call::{call, render};
use crate::command::{cli, cli_complete, operation_named};
use crate::connect::Options;
use crate::exit::{EXIT_OK, EXIT_USAGE, Failure};
use crate::serve::serve_sandbox;

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let leaf = leaf(&matches);
    verbose::init(leaf.get_count("verbose"));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match runtime.block_on(run(&matches)) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(f) => {
            eprintln!("error: {}", f.message);
            if let Some(envelope) = f.envelope {
                eprintln!("{}", render(&envelope, std::io::stderr().is_terminal()));
            }
            ExitCode::from(f.code)
        }
    }
}

/// The matches of the innermost subcommand (the global options are
/// propagated there).
fn leaf(matches: &ArgMatches) -> &ArgMatches {
    match matches.subcommand() {
        Some((_, sub)) => leaf(sub),
        None => matches,
    }
}

async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let leaf = leaf(matches);
    let options = Options {
        sandbox: leaf.get_flag("sandbox"),
        profile: leaf.get_one::<String>("profile").cloned(),
        session_file: leaf.get_one::<std::path::PathBuf>("session-file").cloned(),
    };
    match matches.subcommand() {
        Some(("sandbox", sub)) => match sub.subcommand() {
            Some(("serve", serve)) => serve_sandbox(serve).await,
            _ => Err(Failure::usage("unknown sandbox command")),
        },
        Some(("completions", sub)) => {
            let shell = sub
                .get_one::<clap_complete::Shell>("shell")
                .copied()
                .ok_or_else(|| Failure::usage("no shell given"))?;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cli_complete(), "carecloud", &mut script);
            // A closed pipe (`| head`) is not an error.
            let _ = std::io::stdout().lock().write_all(&script);
            Ok(())
        }
        Some((name @ ("enterprise" | "customer"), sub)) => {
            let interface = if name == "enterprise" {
                Interface::Enterprise
            } else {
                Interface::Customer
            };
            let Some((op_name, op_matches)) = sub.subcommand() else {
                return Err(Failure::usage("no operation given"));
            };
            match (interface, op_name) {
                (Interface::Customer, "log-in") => {
                    return login::log_in(op_matches, &options).await;
                }
                (Interface::Customer, "log-out") => return login::log_out(&options).await,
                (Interface::Customer, "token") => return login::token(op_matches, &options),
                (Interface::Enterprise, "log-out") => {
                    return login::enterprise_log_out(&options).await;
                }
                _ => {}
            }
            let op = operation_named(interface, op_name)
                .ok_or_else(|| Failure::usage(format!("unknown operation {op_name}")))?;
            call(interface, op, op_matches, &options).await
        }
        _ => Err(Failure::usage("no command given")),
    }
}
