//! Typed authentication failures, and how they travel through the one crate
//! error ([`crate::Error`]).

use std::fmt;

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
    /// The stable code used in [`AuthError::TAG`]-prefixed error texts.
    const fn code(self) -> &'static str {
        match self {
            AuthErrorKind::LoginRejected => "login-rejected",
            AuthErrorKind::DeviceTokenRejected => "device-token-rejected",
            AuthErrorKind::Unavailable => "unavailable",
            AuthErrorKind::CustomerLoginRequired => "customer-login-required",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [
            AuthErrorKind::LoginRejected,
            AuthErrorKind::DeviceTokenRejected,
            AuthErrorKind::Unavailable,
            AuthErrorKind::CustomerLoginRequired,
        ]
        .into_iter()
        .find(|kind| kind.code() == code)
    }

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

/// A typed authentication failure.
///
/// Operations return the crate's one error type, [`crate::Error`]. When the
/// client could not authenticate a call (the login was refused, no token
/// could be had, the customer must log in again), that error is
/// `Error::Custom` with a text starting with [`AuthError::TAG`];
/// [`AuthError::from_error`] turns it back into this type:
///
/// ```no_run
/// # async fn demo(client: carecloud_api::EnterpriseClient) {
/// use carecloud_api::auth::{AuthError, AuthErrorKind};
///
/// match client.get_customers().send().await {
///     Ok(page) => println!("{} customers", page.data.customers.len()),
///     Err(err) => match AuthError::from_error(&err) {
///         Some(auth) if auth.kind() == AuthErrorKind::LoginRejected => {
///             eprintln!("check the API user's credentials: {auth}")
///         }
///         Some(auth) => eprintln!("authentication failed: {auth}"),
///         None => eprintln!("the call failed: {err}"),
///     },
/// }
/// # }
/// ```
///
/// It never contains a password or a token: the server's message is kept
/// (its `title` and `detail`), with any occurrence of the password replaced
/// by `<redacted>`, and transport errors lose their URL (customer paths hold
/// the device token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthError {
    kind: AuthErrorKind,
    status: Option<u16>,
    message: String,
}

impl AuthError {
    /// How the text of an authentication failure carried by
    /// `Error::Custom` starts: `[carecloud-auth:<kind>:<status or ->] `.
    pub const TAG: &'static str = "[carecloud-auth:";

    pub(crate) fn new(
        kind: AuthErrorKind,
        status: Option<u16>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            status,
            message: message.into(),
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

    /// The authentication failure carried by an operation's error, if it is
    /// one (see the type's docs). Errors the server returned for the
    /// operation itself (including a 401 that persisted after a fresh login)
    /// are not authentication failures of the client: `None`.
    pub fn from_error(error: &crate::Error) -> Option<Self> {
        match error {
            crate::Error::Custom(text) => Self::decode(text),
            _ => None,
        }
    }

    /// This failure as the crate's error type (`Error::Custom`).
    pub fn into_error<E>(self) -> progenitor_client::Error<E> {
        progenitor_client::Error::Custom(self.encode())
    }

    fn encode(&self) -> String {
        let status = self
            .status
            .map_or_else(|| "-".to_owned(), |s| s.to_string());
        format!("{}{}:{status}] {self}", Self::TAG, self.kind.code())
    }

    fn decode(text: &str) -> Option<Self> {
        let rest = text.strip_prefix(Self::TAG)?;
        let (tag, display) = rest.split_once("] ")?;
        let (code, status) = tag.split_once(':')?;
        let kind = AuthErrorKind::from_code(code)?;
        let status = match status {
            "-" => None,
            s => Some(s.parse().ok()?),
        };
        let preamble = Self::new(kind, status, "").to_string();
        let message = display.strip_prefix(&preamble)?;
        let message = match message.strip_prefix(": ") {
            Some(m) => m,
            None if message.is_empty() => "",
            None => return None,
        };
        Some(Self::new(kind, status, message))
    }

    /// Builds the error for a failed login or token request, keeping the
    /// server's words but never `secrets` (the password) nor the URL.
    pub(crate) fn from_request_failure(
        rejected: AuthErrorKind,
        error: crate::Error,
        secrets: &[&str],
    ) -> Self {
        use progenitor_client::Error as E;
        let (status, message) = match error {
            E::ErrorResponse(reply) => {
                let body = &reply.error;
                let text = [body.title.as_deref(), body.detail.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(": ");
                (Some(reply.status()), text)
            }
            E::UnexpectedResponse(reply) => (Some(reply.status()), String::new()),
            E::CommunicationError(e) | E::ResponseBodyError(e) | E::InvalidUpgrade(e) => {
                (e.status(), with_causes(&e.without_url()))
            }
            // serde_json's message may quote part of the reply (the token):
            // keep only where it failed.
            E::InvalidResponsePayload(_, e) => (
                None,
                format!(
                    "the reply is not the documented JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            ),
            E::InvalidRequest(text) | E::Custom(text) => (None, text),
        };
        let kind = match status {
            Some(s) if s.is_client_error() && s.as_u16() != 408 && s.as_u16() != 429 => rejected,
            _ => AuthErrorKind::Unavailable,
        };
        Self::new(kind, status.map(|s| s.as_u16()), redact(&message, secrets))
    }
}

/// An error's message followed by its causes' (`error sending request:
/// operation timed out`).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// `text` with every non-empty secret replaced by `<redacted>`.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |text, secret| {
            text.replace(secret, "<redacted>")
        })
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.summary())?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

impl<E> From<AuthError> for progenitor_client::Error<E> {
    fn from(error: AuthError) -> Self {
        error.into_error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_crate_error() {
        let cases = [
            AuthError::new(
                AuthErrorKind::LoginRejected,
                Some(401),
                "Unauthorized: bad login",
            ),
            AuthError::new(AuthErrorKind::DeviceTokenRejected, Some(400), ""),
            AuthError::new(
                AuthErrorKind::Unavailable,
                None,
                "timed out: ] with: colons",
            ),
            AuthError::new(AuthErrorKind::CustomerLoginRequired, Some(401), ""),
        ];
        for case in cases {
            let error: crate::Error = case.clone().into();
            assert_eq!(AuthError::from_error(&error), Some(case.clone()), "{error}");
            let crate::Error::Custom(text) = &error else {
                panic!("not Custom: {error}")
            };
            assert!(text.starts_with(AuthError::TAG), "{text}");
        }
    }

    #[test]
    fn other_errors_are_not_auth_errors() {
        for text in [
            "boom",
            "[carecloud-auth:nope:-] x",
            "[carecloud-auth:unavailable:-] other",
        ] {
            let error = crate::Error::Custom(text.to_owned());
            assert_eq!(AuthError::from_error(&error), None, "{text}");
        }
        assert_eq!(
            AuthError::from_error(&crate::Error::InvalidRequest("x".into())),
            None
        );
    }

    #[test]
    fn display_reads_well() {
        let error = AuthError::new(AuthErrorKind::LoginRejected, Some(401), "Wrong password");
        assert_eq!(
            error.to_string(),
            "the server rejected the API user login (HTTP 401): Wrong password"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact("pw hunter2 here", &["hunter2", ""]),
            "pw <redacted> here"
        );
        let failure = AuthError::from_request_failure(
            AuthErrorKind::LoginRejected,
            crate::Error::Custom("echo hunter2".into()),
            &["hunter2"],
        );
        assert_eq!(failure.message(), "echo <redacted>");
        assert_eq!(failure.kind(), AuthErrorKind::Unavailable);
    }
}
