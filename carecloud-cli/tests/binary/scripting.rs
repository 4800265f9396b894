//! The CLI as scripts and people use it (issue 16): one exit code for a
//! server that cannot be reached, whatever the client was doing; usage
//! errors that name the flag, the subcommand and (in a body) the JSON path
//! as typed; the body's fields in an operation's help; token operations on
//! the kept device token; nothing printed for a reply without a body; one
//! readable `-v` line per call. Against `carecloud sandbox serve`,
//! `--sandbox` and a closed loopback port.

use std::path::Path;

use carecloud_sandbox::{
    API_USER_LOGIN, API_USER_PASSWORD, CUSTOMER_APPLICATION_ID, ENTERPRISE_APPLICATION_ID,
    JOHN_SMITH_EMAIL, JOHN_SMITH_ID, JOHN_SMITH_PASSWORD,
};
use serde_json::{Value, json};

use crate::support::{Served, customer_env, enterprise_env, json, run_in, scratch};

/// A loopback URL nothing listens on (the port was free a moment ago).
fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    drop(listener);
    url
}

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("directory");
    std::fs::write(path, value.to_string()).expect("written");
}

/// The call lines of `-v` output (the events between them are indented).
fn call_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| !l.starts_with(' ')).collect()
}

/// A server that is down is a transport failure (exit 4) on both
/// interfaces (this test and the next), whether the call failed or the
/// login / device-token request the client made first, and the message
/// names the URL. Two tests, so that their retry waits overlap.
#[test]
fn a_refused_connection_exits_4_with_and_without_a_kept_bearer_token() {
    let url = closed_url();
    let dir = scratch("refused");
    let home = Some(&*dir);
    let sessions = dir.join(".local/state/carecloud/sessions");

    // Enterprise, no kept token: the automatic login cannot connect.
    let env = enterprise_env(&url);
    let (code, stdout, stderr) = run_in(home, &["-v", "enterprise", "get-stores"], None, &env);
    assert_eq!(code, 4, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "could not connect to {url} to log the API user in"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("POST /users/actions/login no reply"),
        "{stderr}"
    );
    assert!(!stderr.contains(API_USER_PASSWORD), "{stderr}");

    // Enterprise, with a kept bearer token: the call itself cannot connect.
    write(
        &sessions.join("default.enterprise.json"),
        &json!({
            "project_url": url, "external_application_id": ENTERPRISE_APPLICATION_ID,
            "login": API_USER_LOGIN, "bearer_token": "kept-bearer-4711", "expires_at": 4_000_000_000u64
        }),
    );
    let (code, stdout, stderr) = run_in(home, &["-v", "enterprise", "get-stores"], None, &env);
    assert_eq!(code, 4, "{stdout}{stderr}");
    assert!(stderr.contains("saved bearer token used"), "{stderr}");
    assert!(
        !stderr.contains("/users/actions/login"),
        "no login: {stderr}"
    );
    assert!(stderr.contains("GET /stores no reply"), "{stderr}");
    assert!(
        stderr.contains(&format!("error: could not connect to {url}: ")),
        "{stderr}"
    );
    assert!(!stderr.contains("kept-bearer-4711"), "{stderr}");
}

/// The customer interface's half of the test above.
#[test]
fn a_refused_connection_exits_4_with_and_without_a_kept_device_token() {
    let url = closed_url();
    let dir = scratch("refused-customer");
    let home = Some(&*dir);

    // Customer, no kept token: the device token cannot be created.
    let file = dir.join("customer.json");
    let path = file.to_string_lossy().into_owned();
    let env = customer_env(&url, &path);
    let (code, stdout, stderr) = run_in(home, &["customer", "get-stores"], None, &env);
    assert_eq!(code, 4, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "could not connect to {url} to create a device token"
        )),
        "{stderr}"
    );
    // Nor logged in from the variables at the start of the command.
    let mut with_login = env.clone();
    with_login.push(("CARECLOUD_CUSTOMER_EMAIL", JOHN_SMITH_EMAIL));
    with_login.push(("CARECLOUD_CUSTOMER_PASSWORD", JOHN_SMITH_PASSWORD));
    let (code, stdout, stderr) = run_in(home, &["customer", "get-stores"], None, &with_login);
    assert_eq!(code, 4, "{stdout}{stderr}");
    assert!(!stderr.contains(JOHN_SMITH_PASSWORD), "{stderr}");

    // Customer, with a kept device token: the call itself cannot connect.
    write(
        &file,
        &json!({
            "project_url": url, "customer_application_id": CUSTOMER_APPLICATION_ID,
            "device_id": "cli-test-device", "token_id": "kept-device-4711", "customer_id": null
        }),
    );
    let (code, stdout, stderr) = run_in(home, &["-v", "customer", "get-stores"], None, &env);
    assert_eq!(code, 4, "{stdout}{stderr}");
    assert!(!stderr.contains("POST /tokens"), "no new token: {stderr}");
    assert!(stderr.contains("GET /stores no reply"), "{stderr}");
    assert!(!stderr.contains("kept-device-4711"), "{stderr}");
    // ... and so does a customer login on it.
    let (code, stdout, stderr) = run_in(
        home,
        &[
            "customer",
            "log-in",
            "--email",
            JOHN_SMITH_EMAIL,
            "--password-stdin",
        ],
        Some(JOHN_SMITH_PASSWORD),
        &env,
    );
    assert_eq!(code, 4, "{stdout}{stderr}");
}

/// A refused login stays an authentication failure (3), not 4.
#[test]
fn a_refused_login_exits_3() {
    let served = Served::start();
    let dir = scratch("refused-login");
    let mut env = enterprise_env(&served.url);
    env[3] = ("CARECLOUD_PASSWORD", "not-the-password-0815");
    let (code, stdout, stderr) = run_in(Some(&dir), &["enterprise", "get-stores"], None, &env);
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(!stderr.contains("not-the-password-0815"), "{stderr}");
}

/// A bad value names the flag and the subcommand as typed, and says what
/// is expected in plain words; nothing is sent.
#[test]
fn a_bad_value_names_the_flag_and_the_subcommand() {
    let dir = scratch("bad-value");
    for value in ["0", "abc", "-1"] {
        let (code, stdout, stderr) = run_in(
            Some(&dir),
            &["--sandbox", "enterprise", "get-customers", "--count", value],
            None,
            &[],
        );
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(
            stderr.contains("`get-customers --count` takes a whole number of at least 1"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("get_customers") && !stderr.contains("nonzero"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = run_in(
        Some(&dir),
        &[
            "--sandbox",
            "enterprise",
            "get-customers",
            "--customer-short-salutation",
            "yes",
        ],
        None,
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`get-customers --customer-short-salutation` takes true or false"),
        "{stderr}"
    );
}

/// A bad part of a body is named by its JSON path, with what the spec says
/// it should be, and never by its value.
#[test]
fn a_body_error_names_its_json_path() {
    let dir = scratch("bad-body");
    let run = |body: &str| {
        run_in(
            Some(&dir),
            &["--sandbox", "enterprise", "post-customer", "--body", body],
            None,
            &[],
        )
    };
    let (code, stdout, stderr) = run(
        r#"{"customer": {"personal_information": {"language_id": "en", "gender": "female"}},
            "customer_source": {"customer_source_id": "86e05affc7a7befcd513ab400"}, "autologin": false}"#,
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: `post-customer --body`: `customer.personal_information.gender` should be \
         a whole number such as 1, 2, 3, 4 or 5, or null, not text"
    );

    let (code, _, stderr) = run(
        r#"{"customer": {"personal_information": {"first_name": "Ann"}},
            "customer_source": {"customer_source_id": "86e05affc7a7befcd513ab400"}, "autologin": false}"#,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "`customer.personal_information.language_id` is missing; it is required: text"
        ),
        "{stderr}"
    );

    // A password of the wrong type: named, not shown.
    let (code, _, stderr) = run(
        r#"{"customer": {"personal_information": {"language_id": "en"}},
            "customer_source": {"customer_source_id": "86e05affc7a7befcd513ab400"},
            "autologin": false, "password": 98765432123}"#,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`password` should be text"), "{stderr}");
    assert!(!stderr.contains("98765432123"), "{stderr}");
}

/// No error line says a word twice in a row (`Not Found: Not Found`).
#[test]
fn an_api_error_says_each_thing_once() {
    let dir = scratch("api-error");
    let (code, _, stderr) = run_in(
        Some(&dir),
        &[
            "--sandbox",
            "enterprise",
            "get-customer",
            "--customer-id",
            "nope",
        ],
        None,
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr.lines().next(),
        Some("error: the server answered 404 Not Found: No customer with ID nope")
    );
}

/// `--help` of an operation with a body: its fields (required ones marked,
/// kinds, descriptions) and an example body.
#[test]
fn help_of_an_operation_lists_its_body_fields() {
    let dir = scratch("body-help");
    let (code, stdout, stderr) = run_in(
        Some(&dir),
        &["enterprise", "post-customer", "--help"],
        None,
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  customer.personal_information.language_id*: text."),
        "{stdout}"
    );
    insta::assert_snapshot!(stdout);
    // -h points to it.
    let (_, short, _) = run_in(
        Some(&dir),
        &["enterprise", "post-customer", "-h"],
        None,
        &[],
    );
    assert!(short.contains("--help lists the body's fields"), "{short}");
}

/// The example body of an operation's help is one the CLI sends as it is.
#[test]
fn the_example_body_of_the_help_is_accepted() {
    let dir = scratch("example-body");
    let (_, help, _) = run_in(
        Some(&dir),
        &["enterprise", "post-customer", "--help"],
        None,
        &[],
    );
    let example = help
        .split_once("Example body")
        .and_then(|(_, rest)| rest.find('{').map(|start| &rest[start..]))
        .expect("an example");
    let (code, stdout, stderr) = run_in(
        Some(&dir),
        &[
            "--sandbox",
            "enterprise",
            "post-customer",
            "--body",
            example,
        ],
        None,
        &[],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(json(&stdout)["data"]["customer_id"].is_string(), "{stdout}");
}

/// The customer's token operations take the kept device token when
/// `--token-id` is not given (an explicit one wins); a reply without a body
/// prints nothing; `customer token` shows the token's ID only when asked.
#[test]
fn token_operations_use_the_kept_token() {
    let served = Served::start();
    let dir = scratch("token-ops");
    let home = Some(&*dir);
    let file = dir.join("session.json");
    let path = file.to_string_lossy().into_owned();
    let env = customer_env(&served.url, &path);
    let setup =
        r#"{"setup": {"language_id": "cs", "allowed_gps": false, "allowed_notifications": true}}"#;

    // No token kept yet: one is created, kept, and used (204: nothing printed).
    let (code, stdout, stderr) = run_in(
        home,
        &["-v", "customer", "put-token", "--body", setup],
        None,
        &env,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "a 204 prints nothing");
    let kept: Value = json(&std::fs::read_to_string(&file).expect("a session file"));
    let token = kept["token_id"].as_str().expect("a kept token").to_owned();
    assert!(stderr.contains("PUT /tokens/{token_id} 204"), "{stderr}");
    assert!(
        !stderr.contains(&token),
        "the token is not logged: {stderr}"
    );

    // The token's login action on the kept token: John Smith is on it.
    let login = json!({"login_type": "email", "login_value": JOHN_SMITH_EMAIL, "password": JOHN_SMITH_PASSWORD});
    let (code, stdout, stderr) = run_in(
        home,
        &["customer", "post-token-login", "--body", &login.to_string()],
        None,
        &env,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["data"]["customer_id"], JOHN_SMITH_ID);
    let (code, stdout, stderr) = run_in(home, &["customer", "get-customers"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        json(&stdout)["data"]["customers"][0]["customer_id"],
        JOHN_SMITH_ID
    );

    // An explicit --token-id wins: another token is refused by the server.
    let (code, _, stderr) = run_in(
        home,
        &[
            "customer",
            "put-token",
            "--token-id",
            "not-the-kept-token",
            "--body",
            setup,
        ],
        None,
        &env,
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("token_id"), "{stderr}");

    // `customer token`: whether one is kept and for which device, not the ID...
    let (code, stdout, stderr) = run_in(home, &["customer", "token"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    let shown = json(&stdout);
    assert_eq!(shown["token_kept"], true);
    assert_eq!(shown["device_id"], "cli-test-device");
    assert!(!stdout.contains(&token), "{stdout}");
    // ... unless asked.
    let (code, stdout, _) = run_in(home, &["customer", "token", "--show-id"], None, &env);
    assert_eq!(code, 0);
    assert_eq!(json(&stdout)["token_id"], token.as_str());

    // The logout action, on the kept token: 204, nothing printed.
    let (code, stdout, stderr) = run_in(home, &["customer", "post-token-logout"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    let (code, _, stderr) = run_in(home, &["customer", "get-customers"], None, &env);
    assert_eq!(code, 1, "no customer on the token any more: {stderr}");
    assert_eq!(
        json(&std::fs::read_to_string(&file).expect("the file"))["token_id"],
        token.as_str(),
        "the same token throughout"
    );
}

/// `--sandbox`: the token operations work there too, without `--token-id`.
#[test]
fn token_operations_in_the_sandbox() {
    let dir = scratch("token-sandbox");
    let (code, stdout, stderr) = run_in(
        Some(&dir),
        &["--sandbox", "customer", "post-token-logout"],
        None,
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "a 204 prints nothing");
    // John Smith is logged in on the sandbox's token.
    let (code, stdout, stderr) = run_in(
        Some(&dir),
        &[
            "--sandbox",
            "customer",
            "get-token-authentication",
            "--external-application-id",
            CUSTOMER_APPLICATION_ID,
            "--token-type",
            "2",
        ],
        None,
        &[],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let issued = json(&stdout)["data"]["authentication_token"].clone();
    assert!(
        issued
            .as_str()
            .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit())),
        "{stdout}"
    );
}

/// `-v`: `METHOD path status N ms attempts=N` per call; nothing else but
/// indented events; no token, password or query value.
#[test]
fn verbose_prints_one_line_per_call() {
    let served = Served::start();
    let dir = scratch("verbose-lines");
    let env = enterprise_env(&served.url);
    let (code, _, stderr) = run_in(
        Some(&dir),
        &[
            "-v",
            "enterprise",
            "get-customers",
            "--email",
            "secret-query@example.com",
        ],
        None,
        &env,
    );
    assert_eq!(code, 0, "{stderr}");
    let calls = call_lines(&stderr);
    assert_eq!(calls.len(), 2, "{stderr}");
    for (line, (method, path)) in calls
        .iter()
        .zip([("POST", "/users/actions/login"), ("GET", "/customers")])
    {
        let words: Vec<&str> = line.split(' ').collect();
        assert_eq!(words.len(), 6, "{line}");
        assert_eq!(
            (words[0], words[1], words[2]),
            (method, path, "200"),
            "{line}"
        );
        assert!(words[3].parse::<u64>().is_ok(), "{line}");
        assert_eq!((words[4], words[5]), ("ms", "attempts=1"), "{line}");
    }
    assert!(!stderr.contains("secret-query"), "{stderr}");
    assert!(!stderr.contains(API_USER_PASSWORD), "{stderr}");
}
