//! The command tree: the root, `sandbox serve`, `completions`, and one
//! subcommand per operation of each interface, built from the operation
//! tables at run time.

use std::sync::OnceLock;

use carecloud_api::{Interface, Operation};
use clap::{Arg, ArgAction, Command};
use heck::ToKebabCase;

use crate::generated::help::{self, Kind};

/// The width `--help` wraps an operation's description to (clap, built
/// without `wrap_help`, prints help text as it is).
const ABOUT_WIDTH: usize = 80;

/// The width `--help` wraps a flag's description to: clap indents it by 10
/// (and its paragraphs are separated by a line break only, since clap
/// indents blank lines too).
const ARG_WIDTH: usize = 70;

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
only); `carecloud enterprise log-out` ends the API user's. With
CARECLOUD_TOKEN_STORE=redis://host:port/db (or a profile's token_store) every
carecloud process shares the tokens through Redis instead (one login for all);
CARECLOUD_TOKEN_STORE_KEY=<base64 of 32 bytes> (or the profile's token_store_key)
encrypts them there (more keys after commas: previous keys, only read with).

Output: the reply's JSON on stdout (pretty on a terminal, compact otherwise);
errors on stderr, with the server's error envelope.

Exit codes: 0 success, 1 API error, 2 usage or configuration error (nothing
sent), 3 authentication refused or lost, 4 transport failure (no connection,
timeout; also while logging in or creating the device token)";

/// The root command, its subcommands built from the operation tables
/// (an interface's only when clap needs them).
pub(crate) fn cli() -> Command {
    root(Build::Lazily)
}

/// The root command with every subcommand built up front, for a completion
/// script: clap mirrors the tree under `help` when it builds the root, so
/// `carecloud help customer <TAB>` completes operation names only if the
/// interfaces' subcommands exist by then.
pub(crate) fn cli_complete() -> Command {
    root(Build::Now)
}

/// When an interface's subcommands are built.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    Lazily,
    Now,
}

fn root(build: Build) -> Command {
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
                .long_help(
                    "Keep the customer's device token in FILE (or CARECLOUD_SESSION_FILE, or\n\
                     the profile's session_file; default:\n\
                     ~/.local/state/carecloud/sessions/<profile>.customer.json)",
                ),
        )
        .arg(
            Arg::new("verbose")
                .short('v')
                .long("verbose")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::Count)
                .help("One line per call on standard error, and each login and retry (-vv: the tracing detail); never a token or password"),
        )
        .subcommand(interface_command(
            "enterprise",
            "Enterprise interface operations (API user, bearer token)",
            Interface::Enterprise,
            build,
        ))
        .subcommand(interface_command(
            "customer",
            "Customer interface operations (device token; in the sandbox, John Smith logged in)",
            Interface::Customer,
            build,
        ))
        .subcommand(
            Command::new("sandbox")
                .about("The embedded sandbox as a standalone server")
                .subcommand_required(true)
                .subcommand(crate::serve::command()),
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

/// The subcommand name of an operation: its operationId in kebab case,
/// made from the generated method name (the operationId in snake case) by
/// swapping the separator: every call builds the names of a whole
/// interface, and `to_kebab_case` on each was a tenth of a call's CPU time
/// in a debug build. The test `command_names_are_the_kebab_case_operation_ids`
/// holds the two equal for every operation.
pub(crate) fn command_name(op: &Operation) -> String {
    op.name.replace('_', "-")
}

/// The operations of `interface` with their subcommand names, in table
/// order (the names made once per process, not at each lookup).
fn named_operations(interface: Interface) -> &'static [(String, &'static Operation)] {
    static ENTERPRISE: OnceLock<Vec<(String, &'static Operation)>> = OnceLock::new();
    static CUSTOMER: OnceLock<Vec<(String, &'static Operation)>> = OnceLock::new();
    let cell = match interface {
        Interface::Enterprise => &ENTERPRISE,
        Interface::Customer => &CUSTOMER,
    };
    cell.get_or_init(|| {
        interface
            .operations()
            .iter()
            .map(|&op| (command_name(op), op))
            .collect()
    })
}

/// The operation of `interface` whose subcommand is `name`.
pub(crate) fn operation_named(interface: Interface, name: &str) -> Option<&'static Operation> {
    named_operations(interface)
        .iter()
        .find(|(n, _)| n == name)
        .map(|&(_, op)| op)
}

/// An interface's command. Its subcommands (one per operation, then the
/// session commands) are added only when clap needs them: when the
/// interface is the one on the command line, for its help, or for
/// completions; a call of the other interface does not build them.
fn interface_command(
    name: &'static str,
    about: &'static str,
    interface: Interface,
    build: Build,
) -> Command {
    let cmd = Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    let subcommands: fn(Command) -> Command = match interface {
        Interface::Enterprise => |cmd| {
            operation_commands(cmd, Interface::Enterprise)
                .subcommands(crate::login::enterprise_commands())
        },
        Interface::Customer => {
            |cmd| operation_commands(cmd, Interface::Customer).subcommands(crate::login::commands())
        }
    };
    match build {
        Build::Lazily => cmd.defer(subcommands),
        Build::Now => subcommands(cmd),
    }
}

/// `cmd` with a subcommand per operation of `interface`.
fn operation_commands(mut cmd: Command, interface: Interface) -> Command {
    let details: fn(Command) -> Command = match interface {
        Interface::Enterprise => |cmd| with_details(cmd, Interface::Enterprise),
        Interface::Customer => |cmd| with_details(cmd, Interface::Customer),
    };
    for (name, op) in named_operations(interface) {
        // Only the name and the one-line about are built for every
        // operation; its flags and long texts when clap needs them (the
        // command that runs, its help, completions).
        cmd = cmd.subcommand(
            Command::new(name.as_str())
                .about(about_line(op))
                .defer(details),
        );
    }
    cmd
}

/// The one-line about of an operation: its summary (or the first sentence
/// of its description) with method, path and response.
fn about_line(op: &Operation) -> String {
    let route = format!(
        "{} {}{}",
        op.method.as_str(),
        op.path,
        op.response.map(|r| format!(" → {r}")).unwrap_or_default()
    );
    let (summary, description) =
        help::lookup(op.name).map_or(("", ""), |h| (h.summary, h.description));
    let summary = if summary.is_empty() {
        first_sentence(description)
    } else {
        summary
    };
    if summary.is_empty() {
        route
    } else {
        format!("{} ({route})", summary.trim_end_matches('.'))
    }
}

/// The operation's subcommand `cmd` (of `interface`), completed: its long
/// about, a flag per parameter, the body flags, `--all`.
fn with_details(cmd: Command, interface: Interface) -> Command {
    match operation_named(interface, cmd.get_name()) {
        Some(op) => operation_details(cmd, op),
        None => cmd,
    }
}

fn operation_details(mut cmd: Command, op: &'static Operation) -> Command {
    let help = help::lookup(op.name);
    let description = help.map_or("", |h| h.description);
    if !description.is_empty() {
        cmd = cmd.long_about(format!(
            "{}\n\n{}",
            about_line(op),
            wrapped(description, ABOUT_WIDTH, "\n\n")
        ));
    }
    let name = command_name(op);
    for p in op.params {
        let place = p.location.as_str();
        let kept_token = takes_kept_token(op, p.name);
        let place = if p.array {
            format!("({place} `{}`, repeatable)", p.wire_name())
        } else if kept_token {
            format!("({place} `{}`; default: the kept device token)", p.name)
        } else {
            format!("({place} `{}`)", p.name)
        };
        let param = help.and_then(|h| h.params.iter().find(|h| h.name == p.name));
        let description = param.map_or("", |h| h.description);
        let (short, long) = if description.is_empty() {
            (place.clone(), place)
        } else {
            (
                format!("{} {place}", first_sentence(description)),
                format!("{}\n{place}", wrapped(description, ARG_WIDTH, "\n")),
            )
        };
        let flag = format!("--{}", p.name.to_kebab_case());
        let mut arg = Arg::new(p.name)
            .long(p.name.to_kebab_case())
            .value_name(p.name.to_kebab_case().to_uppercase())
            .required(p.required && !kept_token)
            .action(if p.array {
                ArgAction::Append
            } else {
                ArgAction::Set
            })
            .help(short)
            .long_help(long);
        if let Some(kind) = param.map(|h| h.kind) {
            // `--count -1` is a value to check, not a flag.
            let numeric = matches!(kind, Kind::Integer(_) | Kind::IntegerOf(_) | Kind::Number);
            arg = arg
                .allow_negative_numbers(numeric)
                .value_parser(checked(kind, format!("`{name} {flag}`")));
        }
        cmd = cmd.arg(arg);
    }
    if let Some(schema) = op.body {
        let req = if op.body_required {
            "required"
        } else {
            "optional"
        };
        let short =
            format!("The request body ({schema}, {req}); else --body-file, else standard input");
        let body = help.and_then(|h| h.body.as_ref());
        let long = if body.is_some() {
            format!("{short}.\nIts fields and an example are listed below.")
        } else {
            short.clone()
        };
        if let Some(body) = body {
            cmd = cmd
                .after_help("--help lists the body's fields and an example body.")
                .after_long_help(crate::fields::body_section(body, op.body_required));
        }
        cmd = cmd
            .arg(
                Arg::new("body")
                    .long("body")
                    .value_name("JSON")
                    .conflicts_with("body-file")
                    .help(short)
                    .long_help(long),
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

/// Whether parameter `name` of `op` is the device token a customer
/// operation names in its path (`/tokens/{token_id}/...`): it defaults to
/// the token the CLI keeps.
pub(crate) fn takes_kept_token(op: &Operation, name: &str) -> bool {
    name == "token_id" && op.customer && !op.enterprise && op.path.contains("{token_id}")
}

/// A value parser that lets through, as typed, only values of `kind`, and
/// otherwise says what `what` (`` `get-customers --count` ``) takes.
fn checked(kind: Kind, what: String) -> clap::builder::ValueParser {
    clap::builder::ValueParser::new(move |text: &str| {
        if crate::kind::accepts(kind, text) {
            Ok(text.to_owned())
        } else {
            let item = match kind {
                Kind::Array(item) => *item,
                other => other,
            };
            Err(format!(
                "{what} takes {}",
                crate::kind::expected(item, false)
            ))
        }
    })
}

/// The first sentence of `text`'s first paragraph: up to the first `.`
/// followed by a space or the end (not inside backquotes, not after
/// `e.g`/`i.e`/`cf`), else the whole paragraph.
pub(crate) fn first_sentence(text: &str) -> &str {
    let paragraph = text.split("\n\n").next().unwrap_or_default();
    let mut code = false;
    for (i, c) in paragraph.char_indices() {
        match c {
            '`' => code = !code,
            '.' if !code => {
                let rest = &paragraph[i + 1..];
                let word = paragraph[..i]
                    .rsplit(' ')
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches(|c: char| !c.is_alphanumeric());
                let abbreviation = matches!(word, "e.g" | "i.e" | "cf");
                if (rest.is_empty() || rest.starts_with(' ')) && !abbreviation {
                    return &paragraph[..=i];
                }
            }
            _ => {}
        }
    }
    paragraph
}

/// `text` with each paragraph wrapped at spaces (not inside backquotes) to
/// lines of at most `width` characters (a longer word stays whole), the
/// paragraphs separated by `separator`. One pass, no allocation but the
/// result: every subcommand's help is built at each start.
pub(crate) fn wrapped(text: &str, width: usize, separator: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1) + 1);
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        let mut column = 0;
        let mut push = |unit: &str, len: usize| {
            if column > 0 && column + 1 + len > width {
                out.push('\n');
                column = 0;
            } else if column > 0 {
                out.push(' ');
                column += 1;
            }
            out.push_str(unit);
            column += len;
        };
        // A unit is a word, or the words of a code span with its spaces:
        // (byte range in `paragraph`, characters).
        let mut unit: Option<(usize, usize, usize)> = None;
        let mut code = false;
        let mut offset = 0;
        for word in paragraph.split(' ') {
            let (begin, end) = (offset, offset + word.len());
            offset = end + 1;
            if word.is_empty() {
                continue;
            }
            let len = word.chars().count();
            unit = Some(match unit {
                Some((start, _, n)) if code => (start, end, n + 1 + len),
                Some((start, stop, n)) => {
                    push(&paragraph[start..stop], n);
                    (begin, end, len)
                }
                None => (begin, end, len),
            });
            code ^= word.bytes().filter(|&b| b == b'`').count() % 2 == 1;
        }
        if let Some((start, stop, n)) = unit {
            push(&paragraph[start..stop], n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_and_parameter_has_its_help() {
        let mut missing = Vec::new();
        for op in carecloud_api::enterprise::OPERATIONS
            .iter()
            .chain(carecloud_api::customer::OPERATIONS)
        {
            let Some(help) = help::lookup(op.name) else {
                missing.push(format!("{}: no entry", op.name));
                continue;
            };
            if help.summary.is_empty() && help.description.is_empty() {
                missing.push(format!("{}: no summary nor description", op.name));
            }
            for p in op.params {
                match help.params.iter().find(|h| h.name == p.name) {
                    Some(h) if !h.description.trim().is_empty() => {}
                    _ => missing.push(format!("{}: parameter {} undescribed", op.name, p.name)),
                }
            }
            if let Some(schema) = op.body {
                match &help.body {
                    Some(body) if body.schema == schema && !body.description.trim().is_empty() => {
                        if serde_json::from_str::<serde_json::Value>(body.example).is_err() {
                            missing.push(format!("{}: the example body is not JSON", op.name));
                        }
                    }
                    _ => missing.push(format!("{}: body {schema} undescribed", op.name)),
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
        assert!(
            help::OPERATIONS.windows(2).all(|w| w[0].name < w[1].name),
            "the help table is sorted by name (binary search)"
        );
        assert!(
            help::SCHEMAS.windows(2).all(|w| w[0].name < w[1].name),
            "the schema table is sorted by name (binary search)"
        );
    }

    #[test]
    fn command_names_are_the_kebab_case_operation_ids() {
        let differing: Vec<String> = carecloud_api::enterprise::OPERATIONS
            .iter()
            .chain(carecloud_api::customer::OPERATIONS)
            .filter(|op| command_name(op) != op.operation_id.to_kebab_case())
            .map(|op| format!("{}: {}", op.operation_id, command_name(op)))
            .collect();
        assert!(differing.is_empty(), "{}", differing.join("\n"));
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Filter by e-mail. Exact match."),
            "Filter by e-mail."
        );
        assert_eq!(
            first_sentence("Codes, e.g. `en` or `cs, en-gb;q=0.8`. More."),
            "Codes, e.g. `en` or `cs, en-gb;q=0.8`."
        );
        assert_eq!(
            first_sentence("Version `1.0. x` here. More."),
            "Version `1.0. x` here."
        );
        assert_eq!(first_sentence("No stop\n\nSecond."), "No stop");
        assert_eq!(first_sentence(""), "");
    }

    #[test]
    fn wraps_paragraphs() {
        assert_eq!(wrapped("aa bb cc\n\ndd", 5, "\n\n"), "aa bb\ncc\n\ndd");
        assert_eq!(wrapped("aa bb cc\n\ndd", 5, "\n"), "aa bb\ncc\ndd");
        assert_eq!(wrapped("abcdefgh ij", 5, "\n"), "abcdefgh\nij");
        assert_eq!(wrapped("a `b c` d", 4, "\n"), "a\n`b c`\nd");
        assert_eq!(wrapped("a `b  c` d e", 80, "\n"), "a `b  c` d e");
        assert_eq!(wrapped("é é é", 3, "\n"), "é é\né");
    }
}
