//! The `carecloud` binary against its embedded sandbox (`--sandbox`): a
//! few operations with parameters and bodies, the error cases and their
//! exit codes, and the help texts. Every operation of both tables runs
//! through the binary in `tests/operations.rs`.

use serde_json::Value;

use crate::support::{Served, json, run_in, scratch};

/// Exit code, stdout and stderr of `carecloud ARGS` (no standard input,
/// no `CARECLOUD_*` variables).
fn run(args: &[&str]) -> (i32, String, String) {
    run_with(args, None, &[])
}

/// The same with standard input and variables; `HOME` is a scratch
/// directory of its own, so no token is kept, in the user's or for the
/// next call.
fn run_with(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> (i32, String, String) {
    run_in(Some(&scratch("cli-home")), args, stdin, env)
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
    assert!(
        stderr
            .contains("`post-customer --body`: `customer` should be an object, not a whole number"),
        "{stderr}"
    );
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

/// Each script completes the operations, under their interface and under
/// `carecloud help <interface>` (the CLI builds an interface's subcommands
/// only when needed; the completions need them all).
#[test]
fn completions() {
    for (shell, help_of_an_operation) in [
        (
            "bash",
            "carecloud__subcmd__help__subcmd__enterprise,get-customers)",
        ),
        ("zsh", "help__subcmd__enterprise__subcmd__get-customers"),
        (
            "fish",
            "__fish_carecloud_using_subcommand help; and __fish_seen_subcommand_from enterprise\" -f -a \"get-customers\"",
        ),
    ] {
        let (code, stdout, stderr) = run(&["completions", shell]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("get-customers"), "{shell}");
        assert!(
            stdout.contains(help_of_an_operation),
            "{shell}: `carecloud help enterprise get-customers` is not completed"
        );
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
