//! One operation's call: its arguments and body from the command line, the
//! reply (or every page's items with `--all`) on standard output.

use std::io::{IsTerminal, Read, Write};

use carecloud_api::{Error, Interface, Operation};
use carecloud_dynamic::Args;
use clap::ArgMatches;
use heck::ToKebabCase;
use serde_json::Value;

use crate::command::{command_name, takes_kept_token};
use crate::connect::{CustomerStart, Options, connect};
use crate::exit::Failure;
use crate::generated::help;

pub(crate) fn render(value: &Value, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.unwrap_or_default()
}

/// The body from `--body`, `--body-file` or standard input, if any.
fn read_body(op: &Operation, m: &ArgMatches) -> Result<Option<Value>, Failure> {
    if op.body.is_none() {
        return Ok(None);
    }
    let name = command_name(op);
    let (text, source) = if let Some(text) = m.get_one::<String>("body") {
        (text.clone(), "--body".to_owned())
    } else if let Some(file) = m.get_one::<String>("body-file") {
        let text = if file == "-" {
            read_stdin()?
        } else {
            std::fs::read_to_string(file).map_err(|e| {
                Failure::usage(format!("`{name} --body-file`: cannot read {file}: {e}"))
            })?
        };
        (text, format!("--body-file {file}"))
    } else if !std::io::stdin().is_terminal() {
        (read_stdin()?, "standard input".to_owned())
    } else {
        (String::new(), String::new())
    };
    if text.trim().is_empty() {
        if op.body_required {
            return Err(Failure::usage(format!(
                "`{name}` needs a body ({}): give --body JSON, --body-file FILE or standard input \
                 (`carecloud {} {name} --help` lists its fields and an example)",
                op.body.unwrap_or("JSON"),
                if op.enterprise {
                    "enterprise"
                } else {
                    "customer"
                },
            )));
        }
        return Ok(None);
    }
    // Where, not what: serde's message gives the position only.
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Failure::usage(format!("`{name}`: the body from {source} is not JSON: {e}")))
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

/// A request the client refused to send (`InvalidRequest`), said with the
/// subcommand and flag as typed; for the body, the JSON path of the bad
/// part and what the spec says it should be. The library's words are
/// `` `name` of `operation`[ at `path`]: reason ``.
fn refused(op: &Operation, text: &str, body: Option<&Value>) -> Failure {
    let name = command_name(op);
    let Some((param, rest)) = text
        .strip_prefix('`')
        .and_then(|t| t.split_once(&format!("` of `{}`", op.name)))
    else {
        return Failure::usage(format!("`{name}`: {text}"));
    };
    let flag = format!("--{}", param.to_kebab_case());
    let (path, reason) = match rest.strip_prefix(" at `").and_then(|r| r.split_once("`: ")) {
        Some((path, reason)) => (Some(path), reason),
        None => (None, rest.trim_start_matches(": ")),
    };
    let (Some(body), Some(kind)) = (
        body.filter(|_| param == "body"),
        help::lookup(op.name)
            .and_then(|h| h.body.as_ref())
            .map(|b| b.kind),
    ) else {
        return Failure::usage(format!("`{name} {flag}`: {reason}"));
    };
    // serde names a missing field by its parent's path and its name.
    let missing = reason
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
        .map(|(field, _)| field);
    let path = match (path, missing) {
        (Some(path), Some(field)) => format!("{path}.{field}"),
        (None, Some(field)) => field.to_owned(),
        (Some(path), None) => path.to_owned(),
        (None, None) => String::new(),
    };
    let spec = crate::fields::at_path(kind, &path);
    let should = spec.map(|(kind, nullable, _)| crate::kind::expected(kind, nullable));
    let message = match (missing, should) {
        (Some(_), Some(should)) => {
            format!("`{name} --body`: `{path}` is missing; it is required: {should}")
        }
        (None, Some(should)) if !path.is_empty() => {
            let found = crate::fields::value_at(body, &path)
                .map(|v| format!(", not {}", crate::kind::found(v)))
                .unwrap_or_default();
            format!("`{name} --body`: `{path}` should be {should}{found}")
        }
        (None, Some(should)) => format!(
            "`{name} --body`: the body should be {should}, not {}",
            crate::kind::found(body)
        ),
        _ if path.is_empty() => format!("`{name} --body`: {reason}"),
        _ => format!("`{name} --body`: at `{path}`: {reason}"),
    };
    Failure::usage(message)
}

pub(crate) async fn call(
    interface: Interface,
    op: &'static Operation,
    m: &ArgMatches,
    options: &Options,
) -> Result<(), Failure> {
    let body = read_body(op, m)?;
    let mut args = arguments(op, m);
    args.body = body.clone();
    let (client, _sandbox) = connect(interface, options, CustomerStart::Resume).await?;
    // A token operation without --token-id: the kept device token.
    if let Some(p) = op
        .params
        .iter()
        .find(|p| takes_kept_token(op, p.name) && !args.params.contains_key(p.name))
        && let Some(token) = client.device_token().await?
    {
        args = args.param(p.name, token.expose());
    }
    let fail = |e: Error| match e {
        Error::InvalidRequest(text) => refused(op, &text, body.as_ref()),
        other => client.fail(other),
    };
    let pretty = std::io::stdout().is_terminal();
    let all = op.list.is_some_and(|l| l.paged) && m.get_flag("all");
    let mut out = std::io::stdout().lock();
    if !all {
        let reply = client.invoke(op, args).await.map_err(fail)?;
        // A reply without a body (204, or one the operation does not
        // document) prints nothing.
        if op.response.is_some() && !reply.is_null() {
            let _ = writeln!(out, "{}", render(&reply, pretty));
        }
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
        let reply = client.invoke(op, page_args).await.map_err(fail)?;
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
