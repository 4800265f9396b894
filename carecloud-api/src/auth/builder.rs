//! Configuring an auth-aware client, and what can be wrong with it.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::TokenStore;
use super::{AuthClient, Clock, Connect, SystemClock};
use crate::runtime::{DEFAULT_MAX_RESPONSE_BYTES, Identity, RetryPolicy, Runtime};
use crate::types::Secret;
use crate::{Interface, base_url};

/// The timeout of a request (connecting, sending and reading the reply)
/// unless [`ClientBuilder::timeout`] sets another: 15 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Builds an [`EnterpriseClient`](crate::EnterpriseClient) (from
/// [`EnterpriseCredentials`](crate::EnterpriseCredentials)) or a
/// [`CustomerClient`](crate::CustomerClient) (from a
/// [`DeviceRegistration`](crate::DeviceRegistration)) with settings beyond
/// the defaults, or any wrapper declared with
/// [`CareCloudClient`](crate::CareCloudClient) (`W`) from its source (`S`).
///
/// ```no_run
/// use std::time::Duration;
/// use carecloud_api::{EnterpriseClient, EnterpriseCredentials};
///
/// let creds = EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "fabulous_user", "password_example");
/// let client = EnterpriseClient::builder("sandbox.crmcarecloud.com", creds)
///     .accept_language("en")
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// # Ok::<(), carecloud_api::ConfigError>(())
/// ```
pub struct ClientBuilder<S, W> {
    pub(crate) project_url: String,
    pub(crate) source: S,
    accept_language: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    log_bodies: Option<bool>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) token_store: Option<Arc<dyn TokenStore>>,
    #[cfg_attr(not(feature = "customer"), allow(dead_code))]
    pub(crate) device_token: Option<Secret>,
    #[cfg_attr(not(feature = "customer"), allow(dead_code))]
    pub(crate) customer_logged_in: bool,
    wrapper: PhantomData<fn() -> W>,
}

impl<S: Clone, W> Clone for ClientBuilder<S, W> {
    fn clone(&self) -> Self {
        Self {
            project_url: self.project_url.clone(),
            source: self.source.clone(),
            accept_language: self.accept_language.clone(),
            timeout: self.timeout,
            retry: self.retry.clone(),
            max_response_bytes: self.max_response_bytes,
            log_bodies: self.log_bodies,
            clock: self.clock.clone(),
            token_store: self.token_store.clone(),
            device_token: self.device_token.clone(),
            customer_logged_in: self.customer_logged_in,
            wrapper: PhantomData,
        }
    }
}

/// Shows the settings; the source and a saved token keep their own
/// redaction.
impl<S: fmt::Debug, W> fmt::Debug for ClientBuilder<S, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("project_url", &self.project_url)
            .field("source", &self.source)
            .field("accept_language", &self.accept_language)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("log_bodies", &self.log_bodies)
            .field("clock", &self.clock)
            .field("token_store", &self.token_store)
            .field("device_token", &self.device_token)
            .field("customer_logged_in", &self.customer_logged_in)
            .finish()
    }
}

impl<S, W: AuthClient<Source = S>> ClientBuilder<S, W> {
    /// Builds the client.
    pub fn build(self) -> Result<W, ConfigError> {
        let client = W::Client::connect(self)?;
        Ok(W::from_client(client))
    }
}

impl<S, W> ClientBuilder<S, W> {
    /// A builder for the project URL and source; the wrappers'
    /// `builder(..)` calls this.
    pub(crate) fn new(project_url: &str, source: S) -> Self {
        Self {
            project_url: project_url.to_owned(),
            source,
            accept_language: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::standard(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            log_bodies: None,
            clock: Arc::new(SystemClock),
            token_store: None,
            device_token: None,
            customer_logged_in: true,
            wrapper: PhantomData,
        }
    }

    /// Sends `Accept-Language: <value>` on every request that does not set
    /// it itself (e.g. `"en"`, `"cs, en-gb;q=0.8"`): names, descriptions
    /// and error titles come in that language. Checked by `build`.
    pub fn accept_language(mut self, value: impl Into<String>) -> Self {
        self.accept_language = Some(value.into());
        self
    }

    /// The timeout of each request, connecting included (default
    /// [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How failed calls are retried (default: [`RetryPolicy::standard`];
    /// [`RetryPolicy::disabled`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest success body the client reads (default 64 MiB); a larger
    /// one is an [`Error::Decode`](crate::Error::Decode).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// For debugging: whether a failed call's log line carries an excerpt
    /// of the reply (the start of a body that did not decode or of an error
    /// page, an error envelope's title and detail; scrubbed of secrets and
    /// capped). **Such lines may hold personal data.** Login and token
    /// replies are never excerpted. Default: off, unless the variable
    /// [`CARECLOUD_LOG_BODIES`](crate::runtime::LOG_BODIES_ENV) is `1`;
    /// this setting wins over the variable. See
    /// [`Runtime::with_log_bodies`].
    pub fn log_bodies(mut self, on: bool) -> Self {
        self.log_bodies = Some(on);
        self
    }

    /// The clock the enterprise token's expiry is measured on (default
    /// [`SystemClock`]); tests pass a [`ManualClock`](super::ManualClock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Shares the client's token through `store`: asked before every
    /// login, so that clients built separately, or processes, with the same
    /// project, application and login (or device) log in once between them
    /// (see [`store`](super::store)). Default: none, the token stays in the
    /// client (and its clones).
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Checks the settings and makes what every client is built from.
    pub(crate) fn parts(&self, interface: Interface) -> Result<Parts, ConfigError> {
        let base_url = checked_base_url(&self.project_url, interface)?;
        let mut runtime = Runtime::default()
            .with_retry(self.retry.clone())
            .with_max_response_bytes(self.max_response_bytes);
        if let Some(on) = self.log_bodies {
            runtime = runtime.with_log_bodies(on);
        }
        if let Some(language) = &self.accept_language {
            runtime =
                runtime
                    .with_accept_language(language)
                    .map_err(|e| ConfigError::InvalidHeader {
                        name: "Accept-Language",
                        reason: e.to_string(),
                    })?;
        }
        let http = crate::runtime::http::client(&base_url, self.timeout)
            .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        Ok(Parts {
            base_url,
            http,
            runtime,
        })
    }
}

/// The pieces of a generated client, before the session is added.
pub(crate) struct Parts {
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    runtime: Runtime,
}

impl Parts {
    pub(crate) fn runtime(self, identity: Arc<dyn Identity>) -> (String, reqwest::Client, Runtime) {
        (
            self.base_url,
            self.http,
            self.runtime.with_identity(identity),
        )
    }
}

fn checked_base_url(project_url: &str, interface: Interface) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidProjectUrl {
        url: project_url.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = project_url.trim().trim_end_matches('/');
    if trimmed.is_empty() || trimmed.ends_with(':') {
        return Err(invalid("there is no host"));
    }
    let base = base_url(project_url, interface);
    // The project URL on its own: `https://` + `/webservice/...` would parse.
    let root = base.strip_suffix(interface.base_path()).unwrap_or(&base);
    let parsed = reqwest::Url::parse(root).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.scheme() == "https" && !cfg!(feature = "rustls") {
        return Err(invalid(
            "https needs carecloud-api's `rustls` feature (on by default), which is not enabled",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("there is no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ConfigError::InvalidProjectUrl {
            url: "<redacted: contains credentials>".to_owned(),
            reason: "the URL must not contain credentials".to_owned(),
        });
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("the URL must not have a query or fragment"));
    }
    Ok(base)
}

/// A client could not be built from its settings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The project URL is not a usable `http`/`https` URL.
    InvalidProjectUrl {
        /// The project URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A header value (e.g. the `Accept-Language`) is not valid in HTTP.
    InvalidHeader {
        /// The header.
        name: &'static str,
        /// What is wrong with the value.
        reason: String,
    },
    /// The HTTP client could not be set up (e.g. its TLS backend).
    HttpClient(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidProjectUrl { url, reason } => {
                write!(f, "invalid project URL `{url}`: {reason}")
            }
            ConfigError::InvalidHeader { name, reason } => {
                write!(f, "invalid {name} header value: {reason}")
            }
            ConfigError::HttpClient(reason) => write!(f, "cannot set up the HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_urls() {
        let ok = |url: &str| checked_base_url(url, Interface::Enterprise);
        assert_eq!(
            ok("sandbox.crmcarecloud.com").unwrap(),
            "https://sandbox.crmcarecloud.com/webservice/rest-api/enterprise-interface/v1.0"
        );
        assert!(ok("http://127.0.0.1:8080/").is_ok());
        for bad in [
            "",
            "http://",
            "ftp://example.com",
            "exa mple.com",
            "https://example.com?x=1",
        ] {
            let error = ok(bad).unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidProjectUrl { .. }),
                "{bad}: {error}"
            );
        }
        let error = ok("https://user:hunter2@example.com").unwrap_err();
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    #[test]
    fn bad_accept_language() {
        let builder = ClientBuilder::<(), ()>::new("example.com", ()).accept_language("en\n");
        let Err(error) = builder.parts(Interface::Customer) else {
            panic!("accepted a bad header")
        };
        assert!(matches!(
            error,
            ConfigError::InvalidHeader {
                name: "Accept-Language",
                ..
            }
        ));
    }
}
