//! The enterprise bearer token kept between invocations, so that a script
//! running many commands logs the API user in once per token lifetime
//! (~7 h) rather than once per command. It is a cache: a missing, broken or
//! foreign file (another project, application or API user) just means a
//! login, and a token the server refuses is replaced by one.
//!
//! ```json
//! {"project_url": "...", "external_application_id": "...", "login": "...",
//!  "bearer_token": "...", "expires_at": 1796000000}
//! ```

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use carecloud_api::EnterpriseCredentials;
use carecloud_api::auth::{AuthError, BoxFuture, CredentialSource, SavedBearerToken};
use carecloud_api::types::Secret;
use serde::{Deserialize, Serialize};

use crate::private_file::{warn_if_shared, write_private};

#[derive(Serialize, Deserialize)]
struct Kept {
    project_url: String,
    external_application_id: String,
    login: String,
    bearer_token: Secret,
    /// Seconds since the Unix epoch.
    expires_at: u64,
}

/// The API user's credentials and, if there is a place for it, the file
/// their token is kept in: the enterprise client's [`CredentialSource`].
pub(crate) struct KeptLogin {
    pub(crate) project_url: String,
    pub(crate) credentials: EnterpriseCredentials,
    pub(crate) file: Option<PathBuf>,
}

impl fmt::Debug for KeptLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeptLogin")
            .field("credentials", &self.credentials)
            .field("file", &self.file)
            .finish()
    }
}

impl KeptLogin {
    fn owns(&self, kept: &Kept) -> bool {
        kept.project_url == self.project_url
            && kept.external_application_id == self.credentials.user_external_application_id()
            && kept.login == self.credentials.login()
    }
}

impl CredentialSource for KeptLogin {
    fn credentials(&self) -> BoxFuture<'_, Result<EnterpriseCredentials, AuthError>> {
        let credentials = self.credentials.clone();
        Box::pin(async move { Ok(credentials) })
    }

    fn load_token(&self) -> BoxFuture<'_, Result<Option<SavedBearerToken>, AuthError>> {
        let kept = self
            .file
            .as_ref()
            .and_then(|path| {
                warn_if_shared(path);
                std::fs::read(path).ok()
            })
            .and_then(|bytes| serde_json::from_slice::<Kept>(&bytes).ok())
            .filter(|kept| self.owns(kept))
            .map(|kept| {
                SavedBearerToken::new(
                    kept.bearer_token,
                    kept.external_application_id,
                    UNIX_EPOCH + Duration::from_secs(kept.expires_at),
                )
            });
        Box::pin(async move { Ok(kept) })
    }

    fn save_token<'a>(
        &'a self,
        token: &'a SavedBearerToken,
    ) -> BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move {
            let Some(path) = &self.file else {
                return Ok(());
            };
            let kept = Kept {
                project_url: self.project_url.clone(),
                external_application_id: token.application_id().to_owned(),
                login: self.credentials.login().to_owned(),
                bearer_token: token.token().clone(),
                expires_at: token
                    .expires_at()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            };
            let bytes =
                serde_json::to_vec(&kept).map_err(|e| AuthError::unavailable(e.to_string()))?;
            write_private(path, &bytes).map_err(|e| {
                AuthError::unavailable(format!(
                    "cannot keep the bearer token in {}: {e}",
                    path.display()
                ))
            })
        })
    }
}
