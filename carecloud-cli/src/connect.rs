//! The configured client of one interface: from `CARECLOUD_*` variables,
//! or against an embedded sandbox (`--sandbox`).

use carecloud_api::dynamic::Args;
use carecloud_api::{
    CustomerClient, CustomerLogin, DeviceRegistration, EnterpriseClient, EnterpriseCredentials,
    Interface, Operation,
};
use carecloud_sandbox::Sandbox;
use serde_json::Value;

use crate::exit::Failure;

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

/// A configured client of one interface.
pub(crate) enum Client {
    Enterprise(EnterpriseClient),
    Customer(CustomerClient),
}

impl Client {
    pub(crate) async fn invoke(&self, op: &Operation, args: Args) -> Result<Value, Failure> {
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
pub(crate) async fn connect(
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
                (
                    url,
                    DeviceRegistration::headless(app, device, "carecloud CLI"),
                    login,
                )
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
