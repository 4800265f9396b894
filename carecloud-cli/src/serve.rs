//! `carecloud sandbox serve`: the embedded sandbox as a standalone server.

use std::io::Write;

use carecloud_api::Interface;
use carecloud_sandbox::{Sandbox, SandboxConfig};
use clap::{Arg, ArgMatches, Command};

use crate::exit::Failure;

/// How many requests a standalone sandbox's log keeps unless told: enough
/// to look back at a session, small enough to serve for days.
const LOG_CAPACITY: usize = 1_000;

/// The `serve` subcommand and its flags.
pub(crate) fn command() -> Command {
    Command::new("serve")
        .about("Serve the sandbox on 127.0.0.1 until Ctrl-C, printing its URL and credentials")
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("N")
                .value_parser(clap::value_parser!(u16))
                .default_value("0")
                .help("The port (0: a free one)"),
        )
        .arg(
            Arg::new("log-capacity")
                .long("log-capacity")
                .value_name("N")
                .value_parser(clap::value_parser!(usize))
                .default_value(LOG_CAPACITY.to_string())
                .help(
                    "How many of the last requests the request log keeps \
                     (GET /_sandbox/requests; secrets redacted; 0: none)",
                ),
        )
}

pub(crate) async fn serve_sandbox(matches: &ArgMatches) -> Result<(), Failure> {
    let port = matches.get_one::<u16>("port").copied().unwrap_or(0);
    let config = SandboxConfig {
        log_capacity: matches
            .get_one::<usize>("log-capacity")
            .copied()
            .unwrap_or(LOG_CAPACITY),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start_on_port(config, port)
        .await
        .map_err(|e| Failure::usage(format!("cannot start the sandbox on port {port}: {e}")))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "CareCloud sandbox at {}", sandbox.url());
    let _ = writeln!(
        out,
        "  enterprise: {}",
        carecloud_api::base_url(sandbox.url(), Interface::Enterprise)
    );
    let _ = writeln!(
        out,
        "    API user: external application {}, login {}, password {}",
        carecloud_sandbox::ENTERPRISE_APPLICATION_ID,
        carecloud_sandbox::API_USER_LOGIN,
        carecloud_sandbox::API_USER_PASSWORD
    );
    let _ = writeln!(
        out,
        "  customer:   {}",
        carecloud_api::base_url(sandbox.url(), Interface::Customer)
    );
    let _ = writeln!(
        out,
        "    device tokens: external application {}; customer {} / {}",
        carecloud_sandbox::CUSTOMER_APPLICATION_ID,
        carecloud_sandbox::JOHN_SMITH_EMAIL,
        carecloud_sandbox::JOHN_SMITH_PASSWORD
    );
    let _ = writeln!(
        out,
        "  one-time password: {}",
        carecloud_sandbox::ONE_TIME_PASSWORD
    );
    let _ = writeln!(
        out,
        "  status: {0}/_sandbox/status; the last {1} requests: {0}/_sandbox/requests",
        sandbox.url(),
        sandbox.status().log_capacity
    );
    let _ = writeln!(out, "Press Ctrl-C to stop.");
    let _ = out.flush();
    drop(out);
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::usage(format!("cannot wait for Ctrl-C: {e}")))?;
    drop(sandbox);
    Ok(())
}
