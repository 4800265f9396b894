//! The CLI configured from outside, against `carecloud sandbox serve`: the
//! customer session file (`customer log-in` / `log-out`, the kept device
//! token), profiles of the config file, and `--verbose` — with no token or
//! password in any output.

use std::path::Path;

use carecloud_sandbox::{
    API_USER_LOGIN, API_USER_PASSWORD, CUSTOMER_APPLICATION_ID, ENTERPRISE_APPLICATION_ID,
    JOHN_SMITH_EMAIL, JOHN_SMITH_ID, JOHN_SMITH_PASSWORD,
};
use serde_json::Value;

use crate::support::{Served, customer_env, enterprise_env, json, run_in, scratch};

fn session(file: &Path) -> Value {
    json(&std::fs::read_to_string(file).expect("the session file"))
}

fn token(file: &Path) -> String {
    session(file)["token_id"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// Fails if `text` shows `secret`.
fn hides(text: &str, secret: &str) {
    assert!(!text.contains(secret), "a secret is shown: {text}");
}

#[test]
fn log_in_keeps_the_device_token_for_the_next_commands() {
    let served = Served::start();
    let dir = scratch("log-in");
    let file = dir.join("state").join("session.json");
    let path = file.to_string_lossy().into_owned();
    let env = customer_env(&served.url, &path);
    let home = Some(&*dir);

    // Without a customer: a device token is created and kept.
    let (code, stdout, stderr) = run_in(home, &["customer", "get-stores"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    json(&stdout);
    let first = token(&file);
    assert!(session(&file)["customer_id"].is_null());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the session file's mode");
        let dir_mode = std::fs::metadata(file.parent().expect("dir"))
            .expect("dir")
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700, "the session directory's mode");
    }
    // A customer-only call without a customer is refused by the server.
    let (code, _, stderr) = run_in(home, &["customer", "get-customers"], None, &env);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("403"), "{stderr}");

    // log-in, the password piped in: on the same token.
    let (code, stdout, stderr) = run_in(
        home,
        &[
            "customer",
            "log-in",
            "--email",
            JOHN_SMITH_EMAIL,
            "--password-stdin",
        ],
        Some(&format!("{JOHN_SMITH_PASSWORD}\n")),
        &env,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["customer_id"], JOHN_SMITH_ID);
    let kept = std::fs::read_to_string(&file).expect("file");
    hides(&kept, JOHN_SMITH_PASSWORD);
    hides(&stdout, &first);
    assert_eq!(token(&file), first, "log-in reuses the kept token");
    assert_eq!(session(&file)["customer_id"], JOHN_SMITH_ID);

    // The next commands are John Smith's, on that token.
    for _ in 0..2 {
        let (code, stdout, stderr) = run_in(home, &["customer", "get-customers"], None, &env);
        assert_eq!(code, 0, "{stderr}");
        let reply = json(&stdout);
        assert_eq!(reply["data"]["total_items"], 1);
        assert_eq!(reply["data"]["customers"][0]["customer_id"], JOHN_SMITH_ID);
        assert_eq!(token(&file), first);
    }

    // log-out: the token stays, without the customer.
    let (code, stdout, stderr) = run_in(home, &["customer", "log-out"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    json(&stdout);
    assert_eq!(token(&file), first);
    assert!(session(&file)["customer_id"].is_null());
    let (code, _, stderr) = run_in(home, &["customer", "get-customers"], None, &env);
    assert_eq!(code, 1, "{stderr}");
}

/// Another token created for the same device kills the kept one: the next
/// command says the customer must log in again (exit 3), and `log-in` gets
/// a new token.
#[test]
fn a_replaced_token_asks_for_a_new_log_in() {
    let served = Served::start();
    let dir = scratch("replaced");
    let file = dir.join("session.json");
    let other = dir.join("other.json");
    let path = file.to_string_lossy().into_owned();
    let other_path = other.to_string_lossy().into_owned();
    let env = customer_env(&served.url, &path);
    let home = Some(&*dir);
    let log_in = [
        "customer",
        "log-in",
        "--email",
        JOHN_SMITH_EMAIL,
        "--password-stdin",
    ];
    let (code, _, stderr) = run_in(home, &log_in, Some(JOHN_SMITH_PASSWORD), &env);
    assert_eq!(code, 0, "{stderr}");
    let first = token(&file);

    let (code, _, stderr) = run_in(
        home,
        &["customer", "get-stores"],
        None,
        &customer_env(&served.url, &other_path),
    );
    assert_eq!(code, 0, "{stderr}");

    let (code, stdout, stderr) = run_in(home, &["customer", "get-customers"], None, &env);
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(
        stderr.contains("customer log-in") && stderr.contains(&path),
        "{stderr}"
    );
    hides(&stderr, &first);

    let (code, _, stderr) = run_in(home, &log_in, Some(JOHN_SMITH_PASSWORD), &env);
    assert_eq!(code, 0, "{stderr}");
    assert_ne!(token(&file), first, "a new token");
    let (code, _, stderr) = run_in(home, &["customer", "get-customers"], None, &env);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn log_in_errors() {
    let served = Served::start();
    let dir = scratch("log-in-errors");
    let file = dir.join("session.json");
    let path = file.to_string_lossy().into_owned();
    let env = customer_env(&served.url, &path);
    let home = Some(&*dir);

    // A wrong password: an authentication failure, the password not shown.
    let (code, stdout, stderr) = run_in(
        home,
        &[
            "customer",
            "log-in",
            "--email",
            JOHN_SMITH_EMAIL,
            "--password-stdin",
        ],
        Some("wrong-password-xyz\n"),
        &env,
    );
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(stderr.contains("customer login was refused"), "{stderr}");
    hides(&stderr, "wrong-password-xyz");
    hides(&stdout, "wrong-password-xyz");

    // No password at all, no e-mail, or --sandbox: usage errors.
    let (code, _, stderr) = run_in(
        home,
        &["customer", "log-in", "--email", JOHN_SMITH_EMAIL],
        None,
        &env,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--password-stdin"), "{stderr}");
    let (code, _, stderr) = run_in(
        home,
        &["customer", "log-in", "--password-stdin"],
        Some("x"),
        &env,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("CARECLOUD_CUSTOMER_EMAIL"), "{stderr}");
    let (code, _, stderr) = run_in(
        home,
        &["--sandbox", "customer", "log-in", "--password-stdin"],
        Some("x"),
        &env,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("sandbox serve"), "{stderr}");

    // A broken session file is named.
    std::fs::write(&file, "{not json").expect("write");
    let (code, _, stderr) = run_in(home, &["customer", "get-stores"], None, &env);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&path) && stderr.contains("broken"),
        "{stderr}"
    );
    // A token of the wrong type: named by place, its value not quoted.
    std::fs::write(
        &file,
        r#"{"project_url": "x", "customer_application_id": "y", "device_id": "z", "token_id": 987654321, "customer_id": null}"#,
    )
    .expect("write");
    let (code, _, stderr) = run_in(home, &["customer", "get-stores"], None, &env);
    assert_eq!(code, 2);
    assert!(stderr.contains("line 1"), "{stderr}");
    hides(&stderr, "987654321");
}

/// The session file's default place: in the state directory, per profile.
#[test]
fn the_session_file_defaults_to_the_state_directory() {
    let served = Served::start();
    let dir = scratch("state-dir");
    let env = [
        ("CARECLOUD_PROJECT_URL", served.url.as_str()),
        ("CARECLOUD_CUSTOMER_APPLICATION_ID", CUSTOMER_APPLICATION_ID),
        ("CARECLOUD_DEVICE_ID", "cli-test-device"),
    ];
    let (code, _, stderr) = run_in(Some(&dir), &["customer", "get-stores"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    let file = dir.join(".local/state/carecloud/sessions/default.customer.json");
    assert!(session(&file)["token_id"].is_string());
    // CARECLOUD_STATE_DIR moves it.
    let state = dir.join("elsewhere");
    let mut moved = env.to_vec();
    let state_path = state.to_string_lossy().into_owned();
    moved.push(("CARECLOUD_STATE_DIR", state_path.as_str()));
    let (code, _, stderr) = run_in(Some(&dir), &["customer", "get-stores"], None, &moved);
    assert_eq!(code, 0, "{stderr}");
    assert!(session(&state.join("sessions/default.customer.json"))["token_id"].is_string());
}

/// The API user's bearer token is kept between commands: one login for
/// several commands, `enterprise log-out` ends it, a kept token the server
/// no longer accepts is replaced by a login.
#[test]
fn the_bearer_token_is_kept_between_commands() {
    let served = Served::start();
    let dir = scratch("bearer");
    let home = Some(&*dir);
    let env = enterprise_env(&served.url);
    let file = dir.join(".local/state/carecloud/sessions/default.enterprise.json");
    let logged_in = |stderr: &str| stderr.contains("API user logged in");

    let (code, _, stderr) = run_in(home, &["-v", "enterprise", "get-stores"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    assert!(logged_in(&stderr), "{stderr}");
    let kept = session(&file);
    let bearer = kept["bearer_token"].as_str().expect("a token").to_owned();
    assert_eq!(kept["login"], API_USER_LOGIN);
    hides(&kept.to_string(), API_USER_PASSWORD);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    for _ in 0..2 {
        let (code, stdout, stderr) =
            run_in(home, &["-v", "enterprise", "get-customers"], None, &env);
        assert_eq!(code, 0, "{stderr}");
        json(&stdout);
        assert!(!logged_in(&stderr), "no second login: {stderr}");
        assert!(stderr.contains("saved bearer token used"), "{stderr}");
        hides(&stderr, &bearer);
    }

    // Another API user (same project) does not use it.
    let mut other = env.to_vec();
    other[2] = ("CARECLOUD_LOGIN", "someone_else");
    let (code, _, stderr) = run_in(home, &["-v", "enterprise", "get-stores"], None, &other);
    assert_eq!(code, 3, "{stderr}");
    assert!(!stderr.contains("saved bearer token used"), "{stderr}");

    // log-out ends it on the server and forgets it.
    let (code, stdout, stderr) = run_in(home, &["enterprise", "log-out"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["logged_out"], true);
    assert!(!file.exists());
    let (code, stdout, _) = run_in(home, &["enterprise", "log-out"], None, &env);
    assert_eq!(code, 0);
    assert_eq!(json(&stdout)["logged_out"], false);

    // A kept token the server no longer knows: 401, a login, the new one kept.
    let (code, _, stderr) = run_in(home, &["enterprise", "get-stores"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    let mut stale = session(&file);
    stale["bearer_token"] = Value::String(bearer.clone());
    std::fs::write(&file, stale.to_string()).expect("write");
    let (code, _, stderr) = run_in(home, &["-v", "enterprise", "get-stores"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("401") && logged_in(&stderr), "{stderr}");
    assert_ne!(session(&file)["bearer_token"], Value::String(bearer));
}

fn write_config(dir: &Path, text: &str, mode: u32) -> String {
    let file = dir.join("config.toml");
    std::fs::write(&file, text).expect("config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    #[cfg(not(unix))]
    let _ = mode;
    file.to_string_lossy().into_owned()
}

#[test]
fn profiles_of_the_config_file() {
    let served = Served::start();
    let dir = scratch("profiles");
    let home = Some(&*dir);
    let config = write_config(
        &dir,
        &format!(
            "[profiles.sandbox]\nproject_url = \"{}\"\nexternal_application_id = \"{ENTERPRISE_APPLICATION_ID}\"\n\
             login = \"{API_USER_LOGIN}\"\npassword = \"{API_USER_PASSWORD}\"\n\n\
             [profiles.default]\nproject_url = \"{}\"\nexternal_application_id = \"{ENTERPRISE_APPLICATION_ID}\"\n",
            served.url, served.url
        ),
        0o600,
    );
    // A named profile wins over the variables.
    let env = [
        ("CARECLOUD_CONFIG", config.as_str()),
        ("CARECLOUD_PROJECT_URL", "http://127.0.0.1:9"),
    ];
    let (code, stdout, stderr) = run_in(
        home,
        &["--profile", "sandbox", "enterprise", "get-stores"],
        None,
        &env,
    );
    assert_eq!(code, 0, "{stderr}");
    json(&stdout);
    // So does CARECLOUD_PROFILE.
    let mut with_var = env.to_vec();
    with_var.push(("CARECLOUD_PROFILE", "sandbox"));
    let (code, _, stderr) = run_in(home, &["enterprise", "get-stores"], None, &with_var);
    assert_eq!(code, 0, "{stderr}");

    // Without one, the `default` profile fills what the variables leave out.
    let env = [
        ("CARECLOUD_CONFIG", config.as_str()),
        ("CARECLOUD_LOGIN", API_USER_LOGIN),
        ("CARECLOUD_PASSWORD", API_USER_PASSWORD),
    ];
    let (code, _, stderr) = run_in(home, &["enterprise", "get-stores"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    // ... and names what is missing.
    let (code, _, stderr) = run_in(
        home,
        &["enterprise", "get-stores"],
        None,
        &[("CARECLOUD_CONFIG", config.as_str())],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("CARECLOUD_LOGIN") && stderr.contains("CARECLOUD_PASSWORD"),
        "{stderr}"
    );

    // An unknown profile lists the known ones.
    let (code, _, stderr) = run_in(
        home,
        &["--profile", "prod", "enterprise", "get-stores"],
        None,
        &[("CARECLOUD_CONFIG", config.as_str())],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`prod`") && stderr.contains("default, sandbox"),
        "{stderr}"
    );
}

#[test]
fn bad_config_files_are_named() {
    let dir = scratch("bad-config");
    let home = Some(&*dir);
    let config = write_config(
        &dir,
        "[profiles.a]\nproject_url = \"x\"\npasword = \"secret-in-typo\"\n",
        0o600,
    );
    let (code, _, stderr) = run_in(
        home,
        &["--profile", "a", "enterprise", "get-stores"],
        None,
        &[("CARECLOUD_CONFIG", config.as_str())],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&config) && stderr.contains("pasword"),
        "{stderr}"
    );

    #[cfg(unix)]
    {
        let config = write_config(
            &dir,
            "[profiles.a]\nproject_url = \"x\"\npassword = \"open-secret\"\n",
            0o644,
        );
        let (code, _, stderr) = run_in(
            home,
            &["--profile", "a", "enterprise", "get-stores"],
            None,
            &[("CARECLOUD_CONFIG", config.as_str())],
        );
        assert_eq!(code, 2);
        assert!(stderr.contains("chmod 600"), "{stderr}");
        hides(&stderr, "open-secret");
    }
}

/// `-v` logs each call on stderr (operation, status, attempts), and no
/// password or token, on either interface.
#[test]
fn verbose_logs_calls_without_secrets() {
    let served = Served::start();
    let dir = scratch("verbose");
    let home = Some(&*dir);
    let env = enterprise_env(&served.url);
    let (code, stdout, stderr) = run_in(home, &["-v", "enterprise", "get-stores"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    json(&stdout);
    // One line per call: the login the call needed, then the call.
    let calls: Vec<&str> = stderr.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(calls.len(), 2, "{stderr}");
    assert!(
        calls[0].starts_with("POST /users/actions/login 200 ")
            && calls[0].ends_with(" ms attempts=1"),
        "{stderr}"
    );
    assert!(
        calls[1].starts_with("GET /stores 200 ") && calls[1].ends_with(" ms attempts=1"),
        "{stderr}"
    );
    assert!(stderr.contains("logged in"), "{stderr}");
    assert!(
        !stderr.contains("time.busy"),
        "no tracing detail at -v: {stderr}"
    );
    hides(&stderr, API_USER_PASSWORD);
    hides(&stderr, "Bearer");
    let (_, _, quiet) = run_in(home, &["enterprise", "get-stores"], None, &env);
    assert!(quiet.is_empty(), "{quiet}");

    let file = dir.join("session.json");
    let path = file.to_string_lossy().into_owned();
    let env = customer_env(&served.url, &path);
    let (code, _, stderr) = run_in(
        home,
        &[
            "-vv",
            "customer",
            "log-in",
            "--email",
            JOHN_SMITH_EMAIL,
            "--password-stdin",
        ],
        Some(JOHN_SMITH_PASSWORD),
        &env,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("device token created"), "{stderr}");
    hides(&stderr, JOHN_SMITH_PASSWORD);
    hides(&stderr, &token(&file));
    let (code, _, stderr) = run_in(home, &["-vv", "customer", "get-customers"], None, &env);
    assert_eq!(code, 0, "{stderr}");
    // -vv: the tracing detail (span fields and timings).
    assert!(
        stderr.contains("operation=\"getCustomers\"") && stderr.contains("time.busy"),
        "{stderr}"
    );
    hides(&stderr, &token(&file));
}
