//! The `carecloud` binary against its embedded sandbox (`--sandbox`):
//! every operation that needs no input, a few with parameters and bodies,
//! the error cases and their exit codes, and the help texts.

use carecloud_api::operation::Location;
use carecloud_api::{Interface, Operation};
use heck::ToKebabCase;
use serde_json::Value;

mod support;

use support::{Served, json, run_in, scratch};

/// Exit code, stdout and stderr of `carecloud ARGS` (no standard input,
/// no `CARECLOUD_*` variables).
fn run(args: &[&str]) -> (i32, String, String) {
    run_with(args, None, &[])
}

/// The same with standard input and variables; `HOME` is this process's
/// scratch directory, so no token is kept in the user's.
fn run_with(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> (i32, String, String) {
    static HOME: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let home = HOME.get_or_init(|| scratch("cli-home"));
    run_in(Some(home), args, stdin, env)
}

/// Every operation of both tables that needs no path parameter, no other
/// required parameter and no body: exit 0 and JSON on stdout (adding such
/// an operation to the spec adds it here).
#[test]
fn every_operation_without_input() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for (interface, name) in [
        (Interface::Enterprise, "enterprise"),
        (Interface::Customer, "customer"),
    ] {
        for op in interface.operations() {
            if needs_input(op) {
                continue;
            }
            let command = op.operation_id.to_kebab_case();
            let mut args = vec!["--sandbox", name, command.as_str()];
            if let Some((_, _, extra)) = EXTRA.iter().find(|(i, c, _)| *i == name && *c == command)
            {
                args.extend_from_slice(extra);
            }
            let (code, stdout, stderr) = run(&args);
            ran += 1;
            let parsed = serde_json::from_str::<Value>(&stdout);
            if code != 0 || parsed.is_err() {
                failures.push(format!("{name} {command}: exit {code}: {stderr}{stdout}"));
            }
        }
    }
    eprintln!("{ran} operations ran");
    assert!(ran > 20, "only {ran} operations ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Operations whose parameters are all optional in the spec but that need
/// one of them (the server says which).
const EXTRA: &[(&str, &str, &[&str])] = &[(
    "enterprise",
    "get-customer-search",
    &["--first-name", "John"],
)];

fn needs_input(op: &Operation) -> bool {
    op.body_required
        || op
            .params
            .iter()
            .any(|p| p.required || p.location == Location::Path)
}

/// The operations that take input, with the arguments of the sandbox's
/// case files (`carecloud-sandbox/tests/cases/<group>.yaml`) where a case
/// is a single call (no steps before it, no saved variables, a success
/// expected): the CLI sends them and prints JSON. A case added there for a
/// new operation is run here too.
#[test]
fn operations_with_input_from_the_case_files() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../carecloud-sandbox/tests/cases"
    );
    let mut cases = serde_json::Map::new();
    for entry in std::fs::read_dir(dir).expect("case files") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("case file");
        let doc: Value = serde_yaml_ng::from_str(&text).expect("YAML");
        if let Value::Object(map) = doc {
            cases.extend(map);
        }
    }
    let (mut ran, mut failures) = (0, Vec::new());
    for (name, interface) in [
        ("enterprise", Interface::Enterprise),
        ("customer", Interface::Customer),
    ] {
        for op in interface.operations() {
            if !needs_input(op) {
                continue;
            }
            let Some(case) = cases.get(op.name).map(|c| on(c, name)) else {
                continue;
            };
            let simple = ["before", "save", "after"]
                .iter()
                .all(|k| case.get(*k).is_none_or(Value::is_null))
                && case.get("login") != Some(&Value::Bool(false))
                && case
                    .get("status")
                    .and_then(Value::as_u64)
                    .is_none_or(|s| (200..300).contains(&s))
                && !serde_json::to_string(&case)
                    .unwrap_or_default()
                    .contains("${");
            if !simple {
                continue;
            }
            let command = op.operation_id.to_kebab_case();
            let mut args: Vec<String> = vec!["--sandbox".into(), name.into(), command.clone()];
            if let Some(Value::Object(params)) = case.get("params") {
                for (param, value) in params {
                    let flag = format!("--{}", param.to_kebab_case());
                    let values = match value {
                        Value::Array(items) => items.clone(),
                        other => vec![other.clone()],
                    };
                    for v in values {
                        args.push(flag.clone());
                        args.push(match v {
                            Value::String(s) => s,
                            other => other.to_string(),
                        });
                    }
                }
            }
            if let Some(body) = case.get("body").filter(|b| !b.is_null()) {
                args.push("--body".into());
                args.push(body.to_string());
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, stdout, stderr) = run(&args);
            ran += 1;
            if code != 0
                || (!stdout.trim().is_empty() && serde_json::from_str::<Value>(&stdout).is_err())
            {
                failures.push(format!("{name} {command}: exit {code}: {stderr}{stdout}"));
            }
        }
    }
    eprintln!("{ran} operations with input ran");
    assert!(ran > 20, "only {ran} operations ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A case as run on `interface`: its `enterprise`/`customer` block replaces
/// the fields it sets.
fn on(case: &Value, interface: &str) -> serde_json::Map<String, Value> {
    let mut merged = case.as_object().cloned().unwrap_or_default();
    if let Some(Value::Object(over)) = case.get(interface) {
        for (k, v) in over {
            merged.insert(k.clone(), v.clone());
        }
    }
    merged.remove("enterprise");
    merged.remove("customer");
    merged
}

#[test]
fn parameters_arrays_and_paths() {
    let (code, stdout, stderr) = run(&[
        "--sandbox",
        "enterprise",
        "get-customers",
        "--customer-ids",
        "8ea6abece4cd0a4ded0a29f093",
        "--customer-ids",
        "8ea6abece4cd0a4ded0a29f0ff",
        "--count",
        "5",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["data"]["total_items"], 2);

    let (code, stdout, stderr) = run(&[
        "--sandbox",
        "enterprise",
        "get-customer",
        "--customer-id",
        "8ea6abece4cd0a4ded0a29f093",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        json(&stdout)["data"]["personal_information"]["last_name"],
        "Smith"
    );

    // The customer interface: John Smith is logged in in the sandbox.
    let (code, stdout, stderr) = run(&["customer", "get-customers", "--sandbox"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["data"]["total_items"], 1);
}

const ALICE: &str = r#"{"customer": {"personal_information": {"first_name": "Alice", "last_name": "Example", "email": "alice@example.com", "language_id": "en", "gender": 2}}, "customer_source": {"customer_source_id": "86e05affc7a7befcd513ab400"}, "password": "alice-password", "autologin": false}"#;

#[test]
fn bodies_from_flag_file_and_stdin() {
    let (code, stdout, stderr) =
        run(&["--sandbox", "enterprise", "post-customer", "--body", ALICE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(json(&stdout)["data"]["customer_id"].is_string(), "{stdout}");
    assert!(!stdout.contains("alice-password") && !stderr.contains("alice-password"));

    let file = std::env::temp_dir().join(format!("carecloud-cli-body-{}.json", std::process::id()));
    std::fs::write(&file, ALICE).expect("body file");
    let path = file.to_string_lossy().into_owned();
    let (code, stdout, stderr) = run(&[
        "--sandbox",
        "enterprise",
        "post-customer",
        "--body-file",
        &path,
    ]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(code, 0, "{stderr}");
    assert!(json(&stdout)["data"]["customer_id"].is_string(), "{stdout}");

    let (code, stdout, stderr) = run_with(
        &["--sandbox", "enterprise", "post-customer"],
        Some(ALICE),
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(json(&stdout)["data"]["customer_id"].is_string(), "{stdout}");
}

#[test]
fn all_walks_every_page() {
    let (code, stdout, stderr) = run(&["--sandbox", "enterprise", "get-customers", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, page, _) = run(&["--sandbox", "enterprise", "get-customers"]);
    let total = json(&page)["data"]["total_items"].as_u64().expect("total");
    let (code2, small, stderr2) = run(&[
        "--sandbox",
        "enterprise",
        "get-customers",
        "--all",
        "--count",
        "1",
    ]);
    assert_eq!(code2, 0, "{stderr2}");
    for out in [&stdout, &small] {
        let items: Vec<Value> = out.lines().map(json).collect();
        assert_eq!(items.len() as u64, total, "{out}");
        assert!(items.iter().all(|c| c["customer_id"].is_string()));
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let (code, _, stderr) = run(&["--sandbox", "enterprise", "get-customers", "--no-such"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unexpected argument '--no-such'"),
        "{stderr}"
    );
}

#[test]
fn missing_required_parameter_is_a_usage_error() {
    let (code, _, stderr) = run(&["--sandbox", "enterprise", "get-customer"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--customer-id"), "{stderr}");
}

#[test]
fn bad_body_json_is_a_usage_error() {
    let (code, stdout, stderr) = run(&[
        "--sandbox",
        "enterprise",
        "post-customer",
        "--body",
        "{nope",
    ]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("the body from --body is not JSON"),
        "{stderr}"
    );
}

#[test]
fn body_not_of_the_type_is_a_usage_error() {
    let (code, stdout, stderr) = run(&[
        "--sandbox",
        "enterprise",
        "post-customer",
        "--body",
        r#"{"customer": 5}"#,
    ]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("post_customer"), "{stderr}");
}

#[test]
fn missing_body_is_a_usage_error() {
    let (code, _, stderr) = run(&["--sandbox", "enterprise", "post-customer"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("needs a body"), "{stderr}");
}

#[test]
fn api_error_prints_the_envelope() {
    let (code, stdout, stderr) = run(&[
        "--sandbox",
        "enterprise",
        "get-customer",
        "--customer-id",
        "no-such-customer",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("404"), "{stderr}");
    let envelope = stderr.lines().last().map(json).expect("envelope");
    assert_eq!(envelope["error"]["exception"], "not_found_exception");
}

#[test]
fn no_configuration_is_a_usage_error() {
    let (code, _, stderr) = run(&["enterprise", "get-customers"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("CARECLOUD_PROJECT_URL") && stderr.contains("--sandbox"),
        "{stderr}"
    );
}

/// `carecloud sandbox serve` on a free port: its first line is the URL; the
/// CLI configured by `CARECLOUD_*` variables works against it, and wrong
/// credentials are an authentication failure without the password shown.
#[test]
fn serve_and_wrong_credentials() {
    let served = Served::start();
    let good = [
        ("CARECLOUD_PROJECT_URL", served.url.as_str()),
        (
            "CARECLOUD_EXTERNAL_APPLICATION_ID",
            "89d1a6111b3fb6e74665d948",
        ),
        ("CARECLOUD_LOGIN", "fabulous_user"),
        ("CARECLOUD_PASSWORD", "password_example"),
    ];
    let (code, stdout, stderr) = run_with(&["enterprise", "get-stores"], None, &good);
    assert_eq!(code, 0, "{stderr}");
    json(&stdout);

    // Elsewhere than the first call's kept token (a kept token is used
    // without logging in: a changed password counts at the next login).
    let mut wrong = good;
    wrong[3] = ("CARECLOUD_PASSWORD", "wrong-password-xyz");
    let elsewhere = scratch("wrong-credentials");
    let (code, stdout, stderr) = run_in(
        Some(&elsewhere),
        &["enterprise", "get-stores"],
        None,
        &wrong,
    );
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(stderr.contains("login"), "{stderr}");
    assert!(!stderr.contains("wrong-password-xyz") && !stdout.contains("wrong-password-xyz"));
}

#[test]
fn completions() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, stderr) = run(&["completions", shell]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("get-customers"), "{shell}");
    }
}

#[test]
fn help_of_the_root() {
    let (code, stdout, _) = run(&["--help"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

#[test]
fn help_of_an_operation() {
    let (code, stdout, _) = run(&["enterprise", "get-customers", "--help"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}
