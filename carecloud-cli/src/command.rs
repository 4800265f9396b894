//! The command tree: the root, `sandbox serve`, `completions`, and one
//! subcommand per operation of each interface, built from the operation
//! tables at run time.

use carecloud_api::operation::Location;
use carecloud_api::{Interface, Operation};
use clap::{Arg, ArgAction, Command};
use heck::ToKebabCase;

const AFTER_HELP: &str = "\
Configuration (unless --sandbox), from variables or a profile of the config
file ($CARECLOUD_CONFIG, else ~/.config/carecloud/config.toml):
  enterprise: CARECLOUD_PROJECT_URL, CARECLOUD_EXTERNAL_APPLICATION_ID,
              CARECLOUD_LOGIN, CARECLOUD_PASSWORD
  customer:   CARECLOUD_PROJECT_URL, CARECLOUD_CUSTOMER_APPLICATION_ID,
              CARECLOUD_DEVICE_ID; `carecloud customer log-in` logs a
              customer in for the next commands (the device token is kept
              in the session file, readable by you only; never the password);
              with CARECLOUD_CUSTOMER_EMAIL and CARECLOUD_CUSTOMER_PASSWORD
              each command logs the customer in first
A profile named by --profile wins over the variables; otherwise the
variables win over the `default` profile. Tokens are kept between commands in
$CARECLOUD_STATE_DIR, else ~/.local/state/carecloud/sessions/ (readable by you
only); `carecloud enterprise log-out` ends the API user's.

Output: the reply's JSON on stdout (pretty on a terminal, compact otherwise);
errors on stderr, with the server's error envelope.

Exit codes: 0 success, 1 API error, 2 usage or configuration error,
3 authentication failure, 4 transport failure";

/// The root command, its subcommands built from the operation tables.
pub(crate) fn cli() -> Command {
    Command::new("carecloud")
        .about("The CareCloud CRM REST API from the command line: every operation of both interfaces")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(AFTER_HELP)
        .arg(
            Arg::new("sandbox")
                .long("sandbox")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::SetTrue)
                .help("Run against an embedded sandbox with its seed data (no account needed)"),
        )
        .arg(
            Arg::new("profile")
                .long("profile")
                .value_name("NAME")
                .global(true)
                .help_heading("Global options")
                .help("Use this profile of the config file (or CARECLOUD_PROFILE)"),
        )
        .arg(
            Arg::new("session-file")
                .long("session-file")
                .value_name("FILE")
                .global(true)
                .help_heading("Global options")
                .value_parser(clap::value_parser!(std::path::PathBuf))
                .help("Keep the customer's device token in FILE (or CARECLOUD_SESSION_FILE)")
                .long_help("Keep the customer's device token in FILE (or CARECLOUD_SESSION_FILE, or the profile's session_file; default: ~/.local/state/carecloud/sessions/<profile>.customer.json)"),
        )
        .arg(
            Arg::new("verbose")
                .short('v')
                .long("verbose")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::Count)
                .help("Log each call, login and retry on standard error (-vv: more); never a token or password"),
        )
        .subcommand(
            interface_command(
                "enterprise",
                "Enterprise interface operations (API user, bearer token)",
                Interface::Enterprise,
            )
            .subcommands(crate::login::enterprise_commands()),
        )
        .subcommand(
            interface_command(
                "customer",
                "Customer interface operations (device token; in the sandbox, John Smith logged in)",
                Interface::Customer,
            )
            .subcommands(crate::login::commands()),
        )
        .subcommand(
            Command::new("sandbox")
                .about("The embedded sandbox as a standalone server")
                .subcommand_required(true)
                .subcommand(
                    Command::new("serve")
                        .about("Serve the sandbox on 127.0.0.1 until Ctrl-C, printing its URL and credentials")
                        .arg(
                            Arg::new("port")
                                .long("port")
                                .value_name("N")
                                .value_parser(clap::value_parser!(u16))
                                .default_value("0")
                                .help("The port (0: a free one)"),
                        ),
                ),
        )
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script (bash, zsh, fish, elvish, powershell)")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

/// The subcommand name of an operation: its operationId in kebab case.
pub(crate) fn command_name(op: &Operation) -> String {
    op.operation_id.to_kebab_case()
}

fn interface_command(name: &'static str, about: &'static str, interface: Interface) -> Command {
    let mut cmd = Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for op in interface.operations() {
        cmd = cmd.subcommand(operation_command(op));
    }
    cmd
}

fn operation_command(op: &'static Operation) -> Command {
    let mut cmd = Command::new(command_name(op)).about(format!(
        "{} {}{}",
        op.method.as_str(),
        op.path,
        op.response.map(|r| format!(" → {r}")).unwrap_or_default()
    ));
    for p in op.params {
        let place = match p.location {
            Location::Path => "path parameter",
            Location::Query => "query parameter",
            Location::Header => "header",
        };
        let mut arg = Arg::new(p.name)
            .long(p.name.to_kebab_case())
            .value_name(p.name.to_kebab_case().to_uppercase())
            .required(p.required);
        arg = if p.array {
            arg.action(ArgAction::Append)
                .help(format!("`{}` ({place}, repeatable)", p.wire_name()))
        } else {
            arg.action(ArgAction::Set)
                .help(format!("`{}` ({place})", p.name))
        };
        cmd = cmd.arg(arg);
    }
    if let Some(schema) = op.body {
        let req = if op.body_required {
            "required"
        } else {
            "optional"
        };
        cmd = cmd
            .arg(
                Arg::new("body")
                    .long("body")
                    .value_name("JSON")
                    .conflicts_with("body-file")
                    .help(format!(
                        "The request body ({schema}, {req}); else --body-file, else standard input"
                    )),
            )
            .arg(
                Arg::new("body-file")
                    .long("body-file")
                    .value_name("FILE")
                    .help("Read the request body from FILE (`-`: standard input)"),
            );
    }
    if op.list.is_some_and(|l| l.paged) {
        cmd = cmd.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Walk every page (count/offset) and print one item per line"),
        );
    }
    cmd
}
