//! Typed authentication failures, and how they travel through the one crate
//! error ([`crate::Error`]).

use std::fmt;

use crate::Error;
use crate::error::TransportKind;

/// What went wrong while the client obtained or used a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The server refused the API user login (`POST /users/actions/login`):
    /// wrong login or password, unknown external application, blocked user.
    /// Retrying with the same credentials will not help.
    LoginRejected,
    /// The server refused to create a device token (`POST /tokens`), e.g. an
    /// unknown external application ID.
    DeviceTokenRejected,
    /// No token could be obtained for another reason: the network, a
    /// timeout, a 5xx or 429 answer, or a reply that is not the documented
    /// JSON. Retrying later may help.
    Unavailable,
    /// The customer interface's device token stopped working while a
    /// customer was logged in on it (another token was created for the same
    /// device). The client never keeps the customer's password, so the
    /// customer must log in again (`CustomerClient::log_in`).
    CustomerLoginRequired,
}

impl AuthErrorKind {
    const fn summary(self) -> &'static str {
        match self {
            AuthErrorKind::LoginRejected => "the server rejected the API user login",
            AuthErrorKind::DeviceTokenRejected => "the server refused to create a device token",
            AuthErrorKind::Unavailable => "no token could be obtained",
            AuthErrorKind::CustomerLoginRequired => {
                "the device token was invalidated while a customer was logged in; \
                 the customer must log in again"
            }
        }
    }
}

/// A typed authentication failure: [`Error::Auth`](crate::Error::Auth).
///
/// ```no_run
/// # async fn demo(client: carecloud_api::EnterpriseClient) {
/// use carecloud_api::Error;
/// use carecloud_api::auth::AuthErrorKind;
///
/// match client.get_tests_connection().send().await {
///     Ok(_) => println!("connected"),
///     Err(Error::Auth(auth)) if auth.kind() == AuthErrorKind::LoginRejected => {
///         eprintln!("check the API user's credentials: {auth}")
///     }
///     Err(err) => eprintln!("the call failed: {err}"),
/// }
/// # }
/// ```
///
/// It never contains a password or a token: the server's message is kept
/// (its `title` and `detail`), with the password and any bearer credential
/// replaced by `<redacted>`; of a reply that is not the documented JSON or
/// has no error envelope, only where it failed and the status (the login or
/// token reply is never quoted); transport errors lose their URL (customer
/// paths hold the device token). The client's log lines show its kind and
/// status alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthError {
    kind: AuthErrorKind,
    status: Option<u16>,
    message: String,
    /// Whether the cause may pass (a timeout, a 429 or 5xx answer).
    transient: bool,
    /// Where the exchange failed, when the login or token request was lost
    /// on the way rather than answered.
    transport: Option<TransportKind>,
}

impl AuthError {
    pub(crate) fn new(
        kind: AuthErrorKind,
        status: Option<u16>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            status,
            message: message.into(),
            transient: false,
            transport: None,
        }
    }

    /// An [`AuthErrorKind::Unavailable`] error with `message`, e.g. for a
    /// [`CredentialSource`](crate::auth::CredentialSource) whose secret
    /// store cannot be reached. The message must not contain a secret.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(AuthErrorKind::Unavailable, None, message)
    }

    /// What went wrong.
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// The HTTP status of the refused login or token request, if there was
    /// one.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The detail: the server's title and detail, or what failed on the way
    /// (may be empty).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether trying again later may help: no token could be had because
    /// of a timeout, a lost connection, or a 408, 429 or 5xx answer.
    pub fn is_transient(&self) -> bool {
        self.transient
    }

    /// Where the exchange failed, when no token could be had because the
    /// login or device-token request was lost on the way (no connection, a
    /// timeout, a reply cut off) rather than answered: a transport failure
    /// during authentication, not a refusal.
    pub fn transport_kind(&self) -> Option<TransportKind> {
        self.transport
    }

    /// Builds the error for a failed login or token request, keeping the
    /// server's words but never `secrets` (the password) nor the URL.
    pub(crate) fn from_request_failure(
        rejected: AuthErrorKind,
        error: crate::Error,
        secrets: &[&str],
    ) -> Self {
        let mut scrub = crate::error::scrub::Scrub::default();
        for secret in secrets {
            scrub.add(secret);
        }
        let transport = match &error {
            Error::Transport(e) => Some(e.kind()),
            _ => None,
        };
        let (status, message, transient) = match error {
            Error::Api(reply) => {
                let body = &reply.envelope().error;
                let text = [body.title.as_deref(), body.detail.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(": ");
                let status = reply.status();
                (Some(status), text, crate::error::retryable_status(status))
            }
            // Not the body: a login's or token request's reply may carry the
            // token (it is never excerpted anyway).
            Error::UnexpectedStatus(reply) => {
                let status = reply.status();
                let transient = crate::error::retryable_status(status) || status.is_server_error();
                (Some(status), String::new(), transient)
            }
            Error::Transport(e) => (None, e.to_string(), e.kind().is_transient()),
            // The reply may quote the token: keep only where it failed.
            Error::Decode(e) => (
                None,
                match e.position() {
                    Some((line, column)) => format!(
                        "the reply is not the documented JSON: {} (line {line}, column {column})",
                        e.reason()
                    ),
                    None => e.reason().to_owned(),
                },
                false,
            ),
            Error::Auth(inner) => return inner,
            Error::InvalidRequest(text) => (None, text, false),
        };
        let kind = match status {
            Some(s) if s.is_client_error() && s.as_u16() != 408 && s.as_u16() != 429 => rejected,
            _ => AuthErrorKind::Unavailable,
        };
        let mut failure = Self::new(
            kind,
            status.map(|s| s.as_u16()),
            scrub.text_within(&message, 2 * crate::error::scrub::MAX_EXCERPT),
        );
        failure.transient = transient;
        failure.transport = transport;
        failure
    }
}

impl AuthError {
    /// What failed and the status, without the message (the server's words
    /// or the HTTP stack's): what the client's log lines show.
    pub(crate) fn summary(&self) -> Summary<'_> {
        Summary(self)
    }
}

/// See [`AuthError::summary`].
pub(crate) struct Summary<'a>(&'a AuthError);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.kind.summary())?;
        match self.0.status {
            Some(status) => write!(f, " (HTTP {status})"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.summary().fmt(f)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_reads_well() {
        let error = AuthError::new(AuthErrorKind::LoginRejected, Some(401), "Wrong password");
        assert_eq!(
            error.to_string(),
            "the server rejected the API user login (HTTP 401): Wrong password"
        );
    }

    #[test]
    fn request_failures_are_classified_and_redacted() {
        let failure = AuthError::from_request_failure(
            AuthErrorKind::LoginRejected,
            Error::InvalidRequest("echo hunter2 and Bearer abc".into()),
            &["hunter2"],
        );
        assert_eq!(failure.message(), "echo <redacted> and Bearer <redacted>");
        assert_eq!(failure.kind(), AuthErrorKind::Unavailable);
        assert!(!failure.is_transient());

        let headers = reqwest::header::HeaderMap::new();
        let scrub = crate::error::scrub::Scrub::default();
        let refused = |status: u16, body: &[u8]| {
            let status = reqwest::StatusCode::from_u16(status).unwrap();
            let error = match crate::error::ApiError::parse(status, &headers, body, &scrub) {
                Some(api) => Error::Api(api),
                None => Error::UnexpectedStatus(crate::error::StatusError::new(
                    status, &headers, body, &scrub,
                )),
            };
            AuthError::from_request_failure(AuthErrorKind::LoginRejected, error, &[])
        };
        let html_401 = refused(401, b"<html>nope</html>");
        assert_eq!(html_401.kind(), AuthErrorKind::LoginRejected);
        assert_eq!(html_401.status(), Some(401));
        let html_500 = refused(500, b"<html>down</html>");
        assert_eq!(
            (html_500.kind(), html_500.status(), html_500.is_transient()),
            (AuthErrorKind::Unavailable, Some(500), true)
        );
        let limited = refused(429, br#"{"error":{"title":"Too many"}}"#);
        assert_eq!(limited.kind(), AuthErrorKind::Unavailable);
        assert!(limited.is_transient());
        assert_eq!(limited.message(), "Too many");
    }
}
