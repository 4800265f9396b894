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
//! failure, 4 transport failure (no connection, timeout).

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use carecloud_api::dynamic::Args;
use carecloud_api::operation::Location;
use carecloud_api::{
    CustomerClient, CustomerLogin, DeviceRegistration, EnterpriseClient, EnterpriseCredentials,
    Error, Interface, Operation,
};
use carecloud_sandbox::{Sandbox, SandboxConfig};
use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase;
use serde_json::Value;

/// Success.
const EXIT_OK: u8 = 0;
/// The server refused the call (an error status and its envelope).
const EXIT_API: u8 = 1;
/// Usage or configuration error: nothing was sent.
const EXIT_USAGE: u8 = 2;
/// Authentication failed (login or device token refused).
const EXIT_AUTH: u8 = 3;
/// The request or its reply was lost on the way.
const EXIT_TRANSPORT: u8 = 4;

const ENTERPRISE_VARS: [&str; 4] = [
    "CARECLOUD_PROJECT_URL",
    "CARECLOUD_EXTERNAL_APPLICATION_ID",
    "CARECLOUD_LOGIN",
    "CARECLOUD_PASSWORD",
];
const CUSTOMER_VARS: [&str; 3] = [
    "CARECLOUD_PROJECT_URL",
    "CARECLOUD_CUSTOMER_APPLICATION_ID",
    "CARECLOUD_DEVICE_ID",
];

const AFTER_HELP: &str = "\
Configuration (unless --sandbox):
  enterprise: CARECLOUD_PROJECT_URL, CARECLOUD_EXTERNAL_APPLICATION_ID,
              CARECLOUD_LOGIN, CARECLOUD_PASSWORD
  customer:   CARECLOUD_PROJECT_URL, CARECLOUD_CUSTOMER_APPLICATION_ID,
              CARECLOUD_DEVICE_ID; with CARECLOUD_CUSTOMER_EMAIL and
              CARECLOUD_CUSTOMER_PASSWORD the customer is logged in first

Output: the reply's JSON on stdout (pretty on a terminal, compact otherwise);
errors on stderr, with the server's error envelope.

Exit codes: 0 success, 1 API error, 2 usage or configuration error,
3 authentication failure, 4 transport failure";

/// The root command, its subcommands built from the operation tables.
fn cli() -> Command {
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
                .action(ArgAction::SetTrue)
                .help("Run against an embedded sandbox with its seed data (no account needed)"),
        )
        .subcommand(interface_command(
            "enterprise",
            "Enterprise interface operations (API user, bearer token)",
            Interface::Enterprise,
        ))
        .subcommand(interface_command(
            "customer",
            "Customer interface operations (device token; in the sandbox, John Smith logged in)",
            Interface::Customer,
        ))
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
fn command_name(op: &Operation) -> String {
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

/// A failure and its exit code.
struct Failure {
    code: u8,
    message: String,
    envelope: Option<Value>,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_USAGE,
            message: message.into(),
            envelope: None,
        }
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        let (code, envelope) = match &err {
            Error::Api(e) => (EXIT_API, serde_json::to_value(e.envelope()).ok()),
            Error::Auth(_) => (EXIT_AUTH, None),
            Error::Transport(_) => (EXIT_TRANSPORT, None),
            Error::InvalidRequest(_) => (EXIT_USAGE, None),
            _ => (EXIT_API, None),
        };
        Self {
            code,
            message: err.to_string(),
            envelope,
        }
    }
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
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

fn render(value: &Value, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.unwrap_or_default()
}

async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let sandbox_flag = matches.get_flag("sandbox");
    match matches.subcommand() {
        Some(("sandbox", sub)) => match sub.subcommand() {
            Some(("serve", serve)) => {
                let port = serve.get_one::<u16>("port").copied().unwrap_or(0);
                serve_sandbox(port).await
            }
            _ => Err(Failure::usage("unknown sandbox command")),
        },
        Some(("completions", sub)) => {
            let shell = sub
                .get_one::<clap_complete::Shell>("shell")
                .copied()
                .ok_or_else(|| Failure::usage("no shell given"))?;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cli(), "carecloud", &mut script);
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
            let op = interface
                .operations()
                .iter()
                .copied()
                .find(|op| command_name(op) == op_name)
                .ok_or_else(|| Failure::usage(format!("unknown operation {op_name}")))?;
            let sandbox_flag = sandbox_flag || op_matches.get_flag("sandbox");
            call(interface, op, op_matches, sandbox_flag).await
        }
        _ => Err(Failure::usage("no command given")),
    }
}

async fn serve_sandbox(port: u16) -> Result<(), Failure> {
    let sandbox = Sandbox::start_on_port(SandboxConfig::default(), port)
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
    let _ = writeln!(out, "Press Ctrl-C to stop.");
    let _ = out.flush();
    drop(out);
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::usage(format!("cannot wait for Ctrl-C: {e}")))?;
    drop(sandbox);
    Ok(())
}

/// A non-empty environment variable.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The values of `names`, or an error naming the missing ones.
fn vars<const N: usize>(names: [&str; N]) -> Result<[String; N], Failure> {
    let missing: Vec<&str> = names.iter().copied().filter(|n| var(n).is_none()).collect();
    if !missing.is_empty() {
        return Err(Failure::usage(format!(
            "not configured: set {} (or use --sandbox)",
            missing.join(", ")
        )));
    }
    Ok(names.map(|n| var(n).unwrap_or_default()))
}

fn registration(application_id: &str, device_id: &str) -> DeviceRegistration {
    use carecloud_api::types::{Device, Setup};
    let device = Device {
        device_id: device_id.to_owned(),
        device_name: "carecloud CLI".to_owned(),
        device_system: std::env::consts::OS.to_owned(),
        device_type: "cli".to_owned(),
        extra: Default::default(),
    };
    let setup = Setup {
        allowed_gps: false,
        allowed_notifications: false,
        language_id: "en".to_owned(),
        extra: Default::default(),
    };
    DeviceRegistration::new(application_id, device, setup)
}

/// A configured client of one interface.
enum Client {
    Enterprise(EnterpriseClient),
    Customer(CustomerClient),
}

impl Client {
    async fn invoke(&self, op: &Operation, args: Args) -> Result<Value, Failure> {
        let reply = match self {
            Client::Enterprise(c) => c.invoke(op.id, args).await?,
            Client::Customer(c) => c.invoke(op.id, args).await?,
        };
        Ok(reply.into_inner())
    }
}

fn config_error(e: impl std::fmt::Display) -> Failure {
    Failure::usage(format!("configuration: {e}"))
}

/// The client for `interface` and, with `--sandbox`, the sandbox it talks to.
async fn connect(
    interface: Interface,
    sandbox: bool,
) -> Result<(Client, Option<Sandbox>), Failure> {
    let (url, running) = if sandbox {
        let s = Sandbox::start()
            .await
            .map_err(|e| Failure::usage(format!("cannot start the embedded sandbox: {e}")))?;
        (s.url().to_owned(), Some(s))
    } else {
        (String::new(), None)
    };
    let client = match interface {
        Interface::Enterprise => {
            let (url, creds) = if sandbox {
                (url, Sandbox::enterprise_credentials())
            } else {
                let [url, app, login, password] = vars(ENTERPRISE_VARS)?;
                (url, EnterpriseCredentials::new(app, login, password))
            };
            Client::Enterprise(EnterpriseClient::new(&url, creds).map_err(config_error)?)
        }
        Interface::Customer => {
            let (url, reg, login) = if sandbox {
                (
                    url,
                    Sandbox::device_registration("carecloud-cli"),
                    Some(Sandbox::john_smith_login()),
                )
            } else {
                let [url, app, device] = vars(CUSTOMER_VARS)?;
                let login = match (
                    var("CARECLOUD_CUSTOMER_EMAIL"),
                    var("CARECLOUD_CUSTOMER_PASSWORD"),
                ) {
                    (Some(email), Some(password)) => Some(CustomerLogin::email(email, password)),
                    _ => None,
                };
                (url, registration(&app, &device), login)
            };
            let client = CustomerClient::new(&url, reg).map_err(config_error)?;
            if let Some(login) = login {
                client.log_in(login).await?;
            }
            Client::Customer(client)
        }
    };
    Ok((client, running))
}

/// The body from `--body`, `--body-file` or standard input, if any.
fn read_body(op: &Operation, m: &ArgMatches) -> Result<Option<Value>, Failure> {
    if op.body.is_none() {
        return Ok(None);
    }
    let (text, source) = if let Some(text) = m.get_one::<String>("body") {
        (text.clone(), "--body".to_owned())
    } else if let Some(file) = m.get_one::<String>("body-file") {
        let text = if file == "-" {
            read_stdin()?
        } else {
            std::fs::read_to_string(file)
                .map_err(|e| Failure::usage(format!("cannot read {file}: {e}")))?
        };
        (text, file.clone())
    } else if !std::io::stdin().is_terminal() {
        (read_stdin()?, "standard input".to_owned())
    } else {
        (String::new(), String::new())
    };
    if text.trim().is_empty() {
        if op.body_required {
            return Err(Failure::usage(format!(
                "`{}` needs a body ({}): give --body JSON, --body-file FILE or standard input",
                command_name(op),
                op.body.unwrap_or("JSON")
            )));
        }
        return Ok(None);
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Failure::usage(format!("the body from {source} is not JSON: {e}")))
}

fn read_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
    Ok(text)
}

fn arguments(op: &Operation, m: &ArgMatches) -> Args {
    let mut args = Args::new();
    for p in op.params {
        if p.array {
            if let Some(values) = m.get_many::<String>(p.name) {
                let values: Vec<Value> = values.cloned().map(Value::String).collect();
                args = args.param(p.name, Value::Array(values));
            }
        } else if let Some(value) = m.get_one::<String>(p.name) {
            args = args.param(p.name, value.clone());
        }
    }
    args
}

async fn call(
    interface: Interface,
    op: &'static Operation,
    m: &ArgMatches,
    sandbox: bool,
) -> Result<(), Failure> {
    let body = read_body(op, m)?;
    let mut args = arguments(op, m);
    args.body = body;
    let (client, _sandbox) = connect(interface, sandbox).await?;
    let pretty = std::io::stdout().is_terminal();
    let all = op.list.is_some_and(|l| l.paged) && m.get_flag("all");
    let mut out = std::io::stdout().lock();
    if !all {
        let reply = client.invoke(op, args).await?;
        let _ = writeln!(out, "{}", render(&reply, pretty));
        return Ok(());
    }
    let items = op.list.map(|l| l.items).unwrap_or_default();
    let count: u64 = m
        .get_one::<String>("count")
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let mut offset: u64 = m
        .get_one::<String>("offset")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    loop {
        let page_args = args.clone().param("count", count).param("offset", offset);
        let reply = client.invoke(op, page_args).await?;
        let data = &reply["data"];
        let page = data[items].as_array().cloned().unwrap_or_default();
        for item in &page {
            let _ = writeln!(out, "{}", render(item, false));
        }
        offset += page.len() as u64;
        let total = data["total_items"].as_u64();
        if page.is_empty() || (page.len() as u64) < count || total.is_some_and(|t| offset >= t) {
            return Ok(());
        }
    }
}
