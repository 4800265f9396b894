//! `carecloud customer log-in` and `log-out`: a customer logged in on the
//! device token kept in the session file, for the next commands;
//! `carecloud customer token`: what the session file keeps (the token's ID
//! only when asked); and `carecloud enterprise log-out`: the kept bearer
//! token ended.

use std::io::{IsTerminal, Read, Write};

use carecloud_api::{CustomerLogin, Error, Interface};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::json;

use crate::call::render;
use crate::config::{Config, Key};
use crate::connect::{Client, CustomerStart, Options, connect, open_session, state_file};
use crate::exit::{EXIT_AUTH, Failure};

/// The subcommands of `carecloud customer` beyond its operations.
pub(crate) fn commands() -> [Command; 3] {
    [
        Command::new("log-in")
            .about("Log a customer in on the kept device token, for the next customer commands (the password is not kept)")
            .arg(
                Arg::new("email")
                    .long("email")
                    .value_name("EMAIL")
                    .help("The customer's e-mail (or CARECLOUD_CUSTOMER_EMAIL, or the profile's customer_email)"),
            )
            .arg(
                Arg::new("password-stdin")
                    .long("password-stdin")
                    .action(ArgAction::SetTrue)
                    .help("Read the password from standard input (else CARECLOUD_CUSTOMER_PASSWORD)"),
            ),
        Command::new("log-out")
            .about("Log the customer out of the kept device token (the token stays for the next commands)"),
        Command::new("token")
            .about("Whether a device token is kept, for which device and customer, and where (its ID only with --show-id)")
            .arg(
                Arg::new("show-id")
                    .long("show-id")
                    .action(ArgAction::SetTrue)
                    .help("Also print the kept token's ID: a secret (whoever holds it acts as this device and its customer)"),
            ),
    ]
}

/// The subcommand of `carecloud enterprise`.
pub(crate) fn enterprise_commands() -> [Command; 1] {
    [Command::new("log-out").about(
        "End the API user's bearer token kept between commands (on the server too) and forget it",
    )]
}

/// `enterprise log-out`: nothing to do without a kept token.
pub(crate) async fn enterprise_log_out(options: &Options) -> Result<(), Failure> {
    no_sandbox(options, "log-out")?;
    let config = Config::load(options.profile.as_deref())?;
    let Some(path) = state_file(&config, "enterprise").filter(|p| p.exists()) else {
        print(&json!({ "logged_out": false }));
        return Ok(());
    };
    let (client, _) = connect(Interface::Enterprise, options, CustomerStart::Fresh).await?;
    let Client::Enterprise(api_user) = &client else {
        return Err(Failure::usage("log-out is an enterprise command here"));
    };
    // The kept token (a login if it has expired), then its end.
    api_user.log_in().await.map_err(|e| client.fail(e))?;
    api_user.log_out().await.map_err(|e| client.fail(e))?;
    std::fs::remove_file(&path).map_err(|e| {
        Failure::usage(format!(
            "logged out, but cannot delete {}: {e}",
            path.display()
        ))
    })?;
    print(&json!({ "logged_out": true }));
    Ok(())
}

/// `log-in`: prints the customer's ID and where the session is kept.
pub(crate) async fn log_in(m: &ArgMatches, options: &Options) -> Result<(), Failure> {
    no_sandbox(options, "log-in")?;
    let config = Config::load(options.profile.as_deref())?;
    let email = m
        .get_one::<String>("email")
        .cloned()
        .or_else(|| config.get(Key::CustomerEmail))
        .ok_or_else(|| {
            Failure::usage(format!(
                "no e-mail to log in with: give --email or set {}",
                config.describe(Key::CustomerEmail)
            ))
        })?;
    let password = if m.get_flag("password-stdin") {
        read_password()?
    } else {
        config.get(Key::CustomerPassword).ok_or_else(|| {
            Failure::usage(
                "no password: give it on standard input with --password-stdin, or set CARECLOUD_CUSTOMER_PASSWORD",
            )
        })?
    };
    let (connected, _) = connect(Interface::Customer, options, CustomerStart::Fresh).await?;
    let Client::Customer(client, Some(file)) = &connected else {
        return Err(Failure::usage(
            "no place to keep the session: give --session-file or set CARECLOUD_SESSION_FILE",
        ));
    };
    let customer_id = client
        .log_in(CustomerLogin::email(email, password))
        .await
        .map_err(|e| {
            // The server answers a wrong e-mail or password with 400
            // (`invalid_credentials`), some setups with 401/403.
            let refused =
                matches!(&e, Error::Api(api) if matches!(api.status().as_u16(), 400 | 401 | 403));
            let mut failure = connected.fail(e);
            if refused {
                failure.code = EXIT_AUTH;
                failure.message = format!("the customer login was refused: {}", failure.message);
            }
            failure
        })?;
    let token = client
        .token_id()
        .ok_or_else(|| Failure::usage("logged in, but the client has no device token"))?;
    file.store(&token, Some(customer_id.clone())).map_err(|e| {
        Failure::usage(format!(
            "logged in, but cannot keep the session in {}: {e}",
            file.path().display()
        ))
    })?;
    print(&json!({
        "customer_id": customer_id,
        "session_file": file.path(),
    }));
    Ok(())
}

/// `log-out`: the kept token stays, without a customer.
pub(crate) async fn log_out(options: &Options) -> Result<(), Failure> {
    no_sandbox(options, "log-out")?;
    let (connected, _) = connect(Interface::Customer, options, CustomerStart::Fresh).await?;
    let Client::Customer(client, file) = &connected else {
        return Err(Failure::usage("log-out is a customer command"));
    };
    client.log_out().await.map_err(|e| connected.fail(e))?;
    if let (Some(file), Some(token)) = (file, client.token_id()) {
        file.store(&token, None).map_err(|e| {
            Failure::usage(format!(
                "logged out, but cannot update {}: {e}",
                file.path().display()
            ))
        })?;
    }
    print(&json!({ "logged_out": true }));
    Ok(())
}

/// `token`: what the session file keeps, without the token's ID unless
/// `--show-id` asks for it. Sends nothing.
pub(crate) fn token(m: &ArgMatches, options: &Options) -> Result<(), Failure> {
    no_sandbox(options, "token")?;
    let config = Config::load(options.profile.as_deref())?;
    let (identity, file) = open_session(options, &config)?;
    let token = file.as_ref().and_then(|f| f.token());
    let mut shown = json!({
        "token_kept": token.is_some(),
        "device_id": identity.device_id,
        "customer_id": file.as_ref().and_then(|f| f.customer_id()),
        "session_file": file.as_ref().map(|f| f.path()),
    });
    if m.get_flag("show-id") {
        shown["token_id"] = json!(token.as_ref().map(|t| t.expose()));
    }
    print(&shown);
    Ok(())
}

fn no_sandbox(options: &Options, command: &str) -> Result<(), Failure> {
    if options.sandbox {
        return Err(Failure::usage(format!(
            "`customer {command}` keeps a session for later commands, and --sandbox has none \
             (John Smith is logged in there already); run `carecloud sandbox serve` for a sandbox that stays"
        )));
    }
    Ok(())
}

/// The password: piped standard input up to the first line end (not typed
/// on a terminal, where it would be shown).
fn read_password() -> Result<String, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(Failure::usage(
            "--password-stdin reads a piped password (e.g. `pass show me | carecloud customer log-in --password-stdin`), \
             not one typed on the terminal, where it would be shown",
        ));
    }
    let mut text = String::new();
    stdin.lock().read_to_string(&mut text).map_err(|e| {
        Failure::usage(format!("cannot read the password from standard input: {e}"))
    })?;
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(Failure::usage("no password on standard input"));
    }
    Ok(password)
}

fn print(value: &serde_json::Value) {
    let pretty = std::io::stdout().is_terminal();
    let _ = writeln!(std::io::stdout().lock(), "{}", render(value, pretty));
}
