//! One operation's call: its arguments and body from the command line, the
//! reply (or every page's items with `--all`) on standard output.

use std::io::{IsTerminal, Read, Write};

use carecloud_api::dynamic::Args;
use carecloud_api::{Interface, Operation};
use clap::ArgMatches;
use serde_json::Value;

use crate::command::command_name;
use crate::connect::{CustomerStart, Options, connect};
use crate::exit::Failure;

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

pub(crate) async fn call(
    interface: Interface,
    op: &'static Operation,
    m: &ArgMatches,
    options: &Options,
) -> Result<(), Failure> {
    let body = read_body(op, m)?;
    let mut args = arguments(op, m);
    args.body = body;
    let (client, _sandbox) = connect(interface, options, CustomerStart::Resume).await?;
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
