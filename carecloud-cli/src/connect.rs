//! The configured client of one interface: from the `CARECLOUD_*`
//! variables and the config file's profiles (`config`), with the customer's
//! device token kept in the session file (`session`); or against an
//! embedded sandbox (`--sandbox`).

use std::path::PathBuf;
use std::sync::Arc;

use carecloud_api::auth::{AuthError, AuthErrorKind, BoxFuture, DeviceSource, TokenStore};
use carecloud_api::types::Secret;
use carecloud_api::{
    CareCloudClient, CustomerLogin, DeviceRegistration, EnterpriseCredentials, Error, Interface,
    Operation,
};
use carecloud_dynamic::{Args, Invoke};
use carecloud_redis::{RedisTokenStore, TokenStoreKey};
use carecloud_sandbox::Sandbox;
use serde_json::Value;

use crate::bearer::KeptLogin;
use crate::config::{Config, Key, state_dir};
use crate::exit::{Failure, Place, failure};
use crate::session::{Identity, SessionFile};

/// The global options that say where and as whom a call goes.
pub(crate) struct Options {
    /// `--sandbox`: an embedded sandbox, John Smith logged in on the
    /// customer interface.
    pub(crate) sandbox: bool,
    /// `--profile NAME`.
    pub(crate) profile: Option<String>,
    /// `--session-file FILE`.
    pub(crate) session_file: Option<PathBuf>,
}

/// The enterprise client: its bearer token kept in a file between
/// invocations (`bearer`).
#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = KeptLogin)]
pub(crate) struct ApiUserClient {
    client: carecloud_api::enterprise::Client,
}

/// The customer client: its device token kept by the session file.
#[derive(CareCloudClient)]
#[carecloud(interface = customer, credentials = Session)]
pub(crate) struct SessionClient {
    client: carecloud_api::customer::Client,
}

/// The session file (if any: not in the sandbox, nor without a place to
/// keep it) as the customer client's [`DeviceSource`]: each token the
/// client creates is kept there (the kept one is given to the builder).
#[derive(Clone, Debug)]
pub(crate) struct Session {
    registration: DeviceRegistration,
    file: Option<Arc<SessionFile>>,
}

impl DeviceSource for Session {
    fn registration(&self) -> &DeviceRegistration {
        &self.registration
    }

    fn save_token<'a>(&'a self, token: &'a Secret) -> BoxFuture<'a, Result<(), AuthError>> {
        match &self.file {
            Some(file) => file.save_token(token),
            None => Box::pin(async { Ok(()) }),
        }
    }
}

/// A configured client of one interface.
pub(crate) enum Client {
    /// The enterprise interface.
    Enterprise(ApiUserClient),
    /// The customer interface, and its session file (if any).
    Customer(SessionClient, Option<Arc<SessionFile>>),
}

impl Client {
    /// Sends `op` with `args`; the reply's JSON (see [`Client::fail`] for
    /// an error).
    pub(crate) async fn invoke(&self, op: &Operation, args: Args) -> Result<Value, Error> {
        let reply = match self {
            Client::Enterprise(c) => c.invoke(op.id, args).await,
            Client::Customer(c, _) => c.invoke(op.id, args).await,
        };
        Ok(reply?.into_inner())
    }

    /// The device token, for an operation that names it in its path: the
    /// kept one, else a new one (kept from now on). `None` on the
    /// enterprise interface.
    pub(crate) async fn device_token(&self) -> Result<Option<Secret>, Failure> {
        match self {
            Client::Enterprise(_) => Ok(None),
            Client::Customer(c, _) => c.device_token().await.map(Some).map_err(|e| self.fail(e)),
        }
    }

    /// The failure of `err`, from a call of this client.
    pub(crate) fn fail(&self, err: Error) -> Failure {
        match self {
            Client::Enterprise(c) => failure(err, Some(place(c.baseurl(), Interface::Enterprise))),
            Client::Customer(c, file) => customer_failure(
                err,
                file.as_deref(),
                Some(place(c.baseurl(), Interface::Customer)),
            ),
        }
    }
}

/// Where a client of `interface` with base URL `base` calls: its project URL.
fn place(base: &str, interface: Interface) -> Place<'_> {
    Place {
        project_url: base.strip_suffix(interface.base_path()).unwrap_or(base),
        interface,
    }
}

/// A customer-interface error; a lost customer login says how to log in
/// again.
pub(crate) fn customer_failure(
    err: Error,
    file: Option<&SessionFile>,
    place: Option<Place<'_>>,
) -> Failure {
    let lost = err
        .as_auth()
        .is_some_and(|a| a.kind() == AuthErrorKind::CustomerLoginRequired);
    let mut failure = failure(err, place);
    if lost {
        let place = file
            .map(|f| format!(" (kept in {})", f.path().display()))
            .unwrap_or_default();
        failure.message.push_str(&format!(
            "\nthe device token{place} was replaced (another token was created for this device): \
             run `carecloud customer log-in` again, or `carecloud customer log-out` to go on without a customer"
        ));
    }
    failure
}

fn config_error(e: impl std::fmt::Display) -> Failure {
    Failure::usage(format!("configuration: {e}"))
}

/// How the customer client starts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CustomerStart {
    /// As the session file says (a customer on the kept token if `log-in`
    /// put one there).
    Resume,
    /// No customer assumed on the kept token (one that no longer works is
    /// replaced silently), and no login from the variables: `log-in`,
    /// `log-out`.
    Fresh,
}

/// The client for `interface` and, with `--sandbox`, the sandbox it talks to.
pub(crate) async fn connect(
    interface: Interface,
    options: &Options,
    start: CustomerStart,
) -> Result<(Client, Option<Sandbox>), Failure> {
    if options.sandbox {
        let sandbox = Sandbox::start()
            .await
            .map_err(|e| Failure::usage(format!("cannot start the embedded sandbox: {e}")))?;
        let client = match interface {
            Interface::Enterprise => {
                let login = KeptLogin {
                    project_url: sandbox.url().to_owned(),
                    credentials: Sandbox::enterprise_credentials(),
                    file: None,
                };
                Client::Enterprise(ApiUserClient::new(sandbox.url(), login).map_err(config_error)?)
            }
            Interface::Customer => {
                let session = Session {
                    registration: Sandbox::device_registration("carecloud-cli"),
                    file: None,
                };
                let client = Client::Customer(
                    SessionClient::new(sandbox.url(), session).map_err(config_error)?,
                    None,
                );
                if let Client::Customer(c, _) = &client {
                    c.log_in(Sandbox::john_smith_login())
                        .await
                        .map_err(|e| client.fail(e))?;
                }
                client
            }
        };
        return Ok((client, Some(sandbox)));
    }
    let config = Config::load(options.profile.as_deref())?;
    let client = match interface {
        Interface::Enterprise => {
            let [url, app, login, password] = config.require([
                Key::ProjectUrl,
                Key::ExternalApplicationId,
                Key::Login,
                Key::Password,
            ])?;
            let store = token_store(&config)?;
            let login = KeptLogin {
                project_url: url.clone(),
                credentials: EnterpriseCredentials::new(app, login, password),
                // With a token store, the store keeps the token instead.
                file: store
                    .is_none()
                    .then(|| state_file(&config, "enterprise"))
                    .flatten(),
            };
            let mut builder = ApiUserClient::builder(&url, login);
            if let Some(store) = store {
                builder = builder.token_store(store);
            }
            Client::Enterprise(builder.build().map_err(config_error)?)
        }
        Interface::Customer => {
            let (identity, file) = open_session(options, &config)?;
            let url = identity.project_url;
            let registration = DeviceRegistration::headless(
                &identity.customer_application_id,
                &identity.device_id,
                "carecloud CLI",
            );
            // The quickstart's variables log the customer in at each call.
            let login = match (
                config.get(Key::CustomerEmail),
                config.get(Key::CustomerPassword),
            ) {
                (Some(email), Some(password)) if start == CustomerStart::Resume => {
                    Some(CustomerLogin::email(email, password))
                }
                _ => None,
            };
            let customer_on_token = start == CustomerStart::Resume
                && login.is_none()
                && file.as_ref().is_some_and(|f| f.customer_id().is_some());
            let kept = file.as_ref().and_then(|f| f.token());
            let session = Session {
                registration,
                file: file.clone(),
            };
            let mut builder =
                SessionClient::builder(&url, session).customer_logged_in(customer_on_token);
            if let Some(store) = token_store(&config)? {
                builder = builder.token_store(store);
            }
            if let Some(token) = kept {
                builder = builder.device_token(token);
            }
            let client = Client::Customer(builder.build().map_err(config_error)?, file);
            if let (Some(login), Client::Customer(c, _)) = (login, &client) {
                c.log_in(login).await.map_err(|e| client.fail(e))?;
            }
            client
        }
    };
    Ok((client, None))
}

/// The customer configuration and its session file (if there is a place
/// for one).
pub(crate) fn open_session(
    options: &Options,
    config: &Config,
) -> Result<(Identity, Option<Arc<SessionFile>>), Failure> {
    let [project_url, customer_application_id, device_id] =
        config.require([Key::ProjectUrl, Key::CustomerApplicationId, Key::DeviceId])?;
    let identity = Identity {
        project_url,
        customer_application_id,
        device_id,
    };
    let file = match session_path(options, config) {
        Some(path) => Some(Arc::new(SessionFile::open(path, identity.clone())?)),
        None => None,
    };
    Ok((identity, file))
}

/// The token store of `CARECLOUD_TOKEN_STORE` (or the profile's
/// `token_store`): a Redis URL; encrypted with `CARECLOUD_TOKEN_STORE_KEY`
/// (or the profile's `token_store_key`): base64 keys, the first written
/// with, the others (after commas) only read with.
fn token_store(config: &Config) -> Result<Option<Arc<dyn TokenStore>>, Failure> {
    let Some(url) = config.get(Key::TokenStore) else {
        return Ok(None);
    };
    let mut store = RedisTokenStore::new(&url)
        .map_err(|e| config_error(format!("{}: {}", Key::TokenStore.var(), e.message())))?;
    if let Some(keys) = config.get(Key::TokenStoreSecret) {
        let mut keys = keys.split(',').enumerate().map(|(i, text)| {
            TokenStoreKey::from_base64(text).map_err(|e| {
                config_error(format!(
                    "{} (key {}): {}",
                    Key::TokenStoreSecret.var(),
                    i + 1,
                    e.message()
                ))
            })
        });
        if let Some(current) = keys.next() {
            store = store.with_encryption_key(current?);
        }
        store = store.with_previous_keys(keys.collect::<Result<Vec<_>, _>>()?);
    }
    Ok(Some(Arc::new(store)))
}

/// The customer session file: `--session-file`, else
/// `CARECLOUD_SESSION_FILE` (or the profile's `session_file`), else
/// `sessions/<profile>.customer.json` in the state directory.
fn session_path(options: &Options, config: &Config) -> Option<PathBuf> {
    options
        .session_file
        .clone()
        .or_else(|| config.get(Key::SessionFile).map(PathBuf::from))
        .or_else(|| state_file(config, "customer"))
}

/// `sessions/<profile>.<interface>.json` in the state directory.
pub(crate) fn state_file(config: &Config, interface: &str) -> Option<PathBuf> {
    state_dir().map(|d| {
        d.join("sessions")
            .join(format!("{}.{interface}.json", config.profile_name))
    })
}
