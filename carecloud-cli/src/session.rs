//! The customer session file: the device token kept between invocations,
//! readable by the user only, and which customer (if any) `customer log-in`
//! logged in on it. Never the customer's password.
//!
//! ```json
//! {"project_url": "...", "customer_application_id": "...", "device_id": "...",
//!  "token_id": "...", "customer_id": null}
//! ```
//!
//! Every customer-interface command resumes the token kept there (if the
//! file is for the same project, application and device) and keeps each
//! token it creates, so a device token is not replaced at every invocation
//! (creating one invalidates the device's previous token).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use carecloud_api::auth::{AuthError, BoxFuture};
use carecloud_api::types::Secret;
use serde::{Deserialize, Serialize};

use crate::exit::Failure;
use crate::private_file::{warn_if_shared, write_private};

/// What the file holds.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Saved {
    project_url: String,
    customer_application_id: String,
    device_id: String,
    token_id: Secret,
    /// The customer `log-in` logged in on the token, if any.
    pub(crate) customer_id: Option<String>,
}

/// Which project, application and device a session belongs to.
#[derive(Clone)]
pub(crate) struct Identity {
    pub(crate) project_url: String,
    pub(crate) customer_application_id: String,
    pub(crate) device_id: String,
}

/// The session file, behind the customer client's device source
/// (`connect::Session`).
pub(crate) struct SessionFile {
    path: PathBuf,
    identity: Identity,
    /// The session read at start (if it is this identity's).
    saved: Mutex<Option<Saved>>,
}

impl fmt::Debug for SessionFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionFile")
            .field("path", &self.path)
            .field("device_id", &self.identity.device_id)
            .finish_non_exhaustive()
    }
}

impl SessionFile {
    /// Opens the session at `path` for `identity`. A missing file is an
    /// empty session; a session of another project or device is not used
    /// (and a warning says so); an unreadable or broken file is an error.
    pub(crate) fn open(path: PathBuf, identity: Identity) -> Result<Self, Failure> {
        let saved = match std::fs::read_to_string(&path) {
            Ok(text) => {
                warn_if_shared(&path);
                // Where, not what: serde's message may quote a value (the token).
                let saved: Saved = serde_json::from_str(&text).map_err(|e| {
                    Failure::usage(format!(
                        "the session file {} is broken (line {}, column {}): delete it, or run `carecloud customer log-in`",
                        path.display(),
                        e.line(),
                        e.column()
                    ))
                })?;
                if saved.project_url == identity.project_url
                    && saved.customer_application_id == identity.customer_application_id
                    && saved.device_id == identity.device_id
                {
                    Some(saved)
                } else {
                    eprintln!(
                        "warning: the session in {} is for another project, application or device; \
                         it is not used, and is replaced when a device token is created",
                        path.display()
                    );
                    None
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Failure::usage(format!(
                    "cannot read the session file {}: {e}",
                    path.display()
                )));
            }
        };
        Ok(Self {
            path,
            identity,
            saved: Mutex::new(saved),
        })
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a customer was logged in on the kept token by `log-in`.
    pub(crate) fn customer_id(&self) -> Option<String> {
        self.lock().as_ref().and_then(|s| s.customer_id.clone())
    }

    /// Keeps `token` with `customer_id` (readable by the user only).
    pub(crate) fn store(&self, token: &Secret, customer_id: Option<String>) -> std::io::Result<()> {
        let saved = Saved {
            project_url: self.identity.project_url.clone(),
            customer_application_id: self.identity.customer_application_id.clone(),
            device_id: self.identity.device_id.clone(),
            token_id: token.clone(),
            customer_id,
        };
        let text = serde_json::to_vec(&saved).map_err(std::io::Error::other)?;
        write_private(&self.path, &text)?;
        *self.lock() = Some(saved);
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Saved>> {
        self.saved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SessionFile {
    /// The kept token, if any.
    pub(crate) fn token(&self) -> Option<Secret> {
        self.lock().as_ref().map(|s| s.token_id.clone())
    }

    /// Keeps a token the client created: no customer is on it.
    pub(crate) fn save_token<'a>(
        &'a self,
        token: &'a Secret,
    ) -> BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move {
            self.store(token, None).map_err(|e| {
                AuthError::unavailable(format!(
                    "cannot keep the device token in {}: {e}",
                    self.path.display()
                ))
            })
        })
    }
}
