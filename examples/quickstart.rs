//! The seed's two flows, step by step:
//!
//! * Enterprise: log the API user in, list customers.
//! * Customer: create a device token, log the customer in, get their record.
//!
//! `cargo run --example quickstart` with no configuration runs against the
//! embedded sandbox. To run against a real CareCloud project set all of
//! `CARECLOUD_PROJECT_URL`, `CARECLOUD_EXTERNAL_APPLICATION_ID`,
//! `CARECLOUD_LOGIN`, `CARECLOUD_PASSWORD` (enterprise) and
//! `CARECLOUD_CUSTOMER_APPLICATION_ID`, `CARECLOUD_DEVICE_ID`,
//! `CARECLOUD_CUSTOMER_EMAIL`, `CARECLOUD_CUSTOMER_PASSWORD` (customer).
//! Passwords and tokens are never printed.

use std::process::ExitCode;

use carecloud_api::types::{Device, Setup};
use carecloud_api::{
    CustomerClient, CustomerLogin, DeviceRegistration, EnterpriseClient, EnterpriseCredentials,
};
use carecloud_sandbox::Sandbox;

const VARS: [&str; 8] = [
    "CARECLOUD_PROJECT_URL",
    "CARECLOUD_EXTERNAL_APPLICATION_ID",
    "CARECLOUD_LOGIN",
    "CARECLOUD_PASSWORD",
    "CARECLOUD_CUSTOMER_APPLICATION_ID",
    "CARECLOUD_DEVICE_ID",
    "CARECLOUD_CUSTOMER_EMAIL",
    "CARECLOUD_CUSTOMER_PASSWORD",
];

struct Config {
    project_url: String,
    enterprise: EnterpriseCredentials,
    registration: DeviceRegistration,
    customer: CustomerLogin,
}

fn registration(application_id: &str, device_id: &str) -> DeviceRegistration {
    let device = Device::new(
        device_id,
        std::env::consts::OS,
        "carecloud-rs quickstart",
        "cli",
    );
    let setup = Setup::new("en", false, false);
    DeviceRegistration::new(application_id, device, setup)
}

/// `Ok(None)`: no variable set (use the sandbox); `Err`: the missing ones.
fn from_env() -> Result<Option<Config>, Vec<&'static str>> {
    let values: Vec<Option<String>> = VARS
        .iter()
        .map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .collect();
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let missing: Vec<&'static str> = VARS
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let v: Vec<String> = values.into_iter().flatten().collect();
    Ok(Some(Config {
        project_url: v[0].clone(),
        enterprise: EnterpriseCredentials::new(v[1].clone(), v[2].clone(), v[3].clone()),
        registration: registration(&v[4], &v[5]),
        customer: CustomerLogin::email(v[6].clone(), v[7].clone()),
    }))
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    println!("== Enterprise interface");
    println!(
        "1. POST /users/actions/login (API user {})",
        config.enterprise.login()
    );
    let enterprise = EnterpriseClient::new(&config.project_url, config.enterprise)?;
    enterprise.log_in().await?;
    println!("   logged in; bearer token cached by the client (not shown)");
    println!("2. GET /customers?count=5");
    let page = enterprise.get_customers().count(5).send().await?;
    println!(
        "   {} of {} customers:",
        page.data.customers().len(),
        page.data.total_items.unwrap_or_default()
    );
    for c in page.data.customers() {
        let info = &c.personal_information;
        println!(
            "   - {} {} {}",
            c.customer_id.as_deref().unwrap_or("?"),
            info.first_name.as_deref().unwrap_or(""),
            info.last_name.as_deref().unwrap_or("")
        );
    }
    enterprise.log_out().await?;
    println!("3. POST /users/actions/logout: token ended");

    println!("== Customer interface");
    let app = CustomerClient::new(&config.project_url, config.registration)?;
    println!("1. POST /tokens: creating a device token");
    let stores = app.get_stores().count(1).send().await?; // creates the token first
    println!(
        "   device token created (not shown); the project has {} store(s)",
        stores.data.total_items.unwrap_or_default()
    );
    println!("2. POST /tokens/{{token_id}}/actions/login (e-mail login)");
    let customer_id = app.log_in(config.customer).await?;
    println!("   logged in as customer {customer_id}");
    println!("3. GET /customers (the logged-in customer's record)");
    let me = app.get_customers().send().await?;
    for c in me.data.customers() {
        let info = &c.personal_information;
        println!(
            "   {} {} {} <{}> language {}",
            c.customer_id.as_deref().unwrap_or("?"),
            info.first_name.as_deref().unwrap_or(""),
            info.last_name.as_deref().unwrap_or(""),
            info.email.as_deref().unwrap_or(""),
            info.language_id
        );
    }
    app.log_out().await?;
    println!("4. POST /tokens/{{token_id}}/actions/logout: customer logged out");
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (config, _sandbox) = match from_env() {
        Err(missing) => {
            for name in missing {
                eprintln!("error: environment variable {name} is not set");
            }
            eprintln!(
                "Set all of {} to use a real project, or none to use the embedded sandbox.",
                VARS.join(", ")
            );
            return ExitCode::from(2);
        }
        Ok(Some(config)) => {
            println!("Using the CareCloud project at {}", config.project_url);
            (config, None)
        }
        Ok(None) => {
            let sandbox = match Sandbox::start().await {
                Ok(sandbox) => sandbox,
                Err(err) => {
                    eprintln!("error: could not start the embedded sandbox: {err}");
                    return ExitCode::FAILURE;
                }
            };
            println!(
                "No CARECLOUD_* variables set: using the embedded sandbox at {} (seeded data, no account needed)",
                sandbox.url()
            );
            let config = Config {
                project_url: sandbox.url().to_owned(),
                enterprise: Sandbox::enterprise_credentials(),
                registration: Sandbox::device_registration("quickstart-device"),
                customer: Sandbox::john_smith_login(),
            };
            (config, Some(sandbox))
        }
    };
    match run(config).await {
        Ok(()) => {
            println!("Done.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
