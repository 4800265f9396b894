//! Where the CLI's settings come from: `CARECLOUD_*` variables and the
//! profiles of a config file.
//!
//! The config file is `$CARECLOUD_CONFIG`, else
//! `$XDG_CONFIG_HOME/carecloud/config.toml`, else
//! `~/.config/carecloud/config.toml`:
//!
//! ```toml
//! [profiles.staging]
//! project_url = "https://example.crmcarecloud.com"
//! external_application_id = "89d1a6111b3fb6e74665d948"
//! login = "api_user"
//! password = "..."        # then the file must be readable by you only
//! customer_application_id = "8b3f2a4c5d6e7f8091a2b3c4"
//! device_id = "my-laptop"
//! session_file = "/path/to/staging-session.json"   # optional
//! token_store = "redis://127.0.0.1:6379/0"           # optional
//! token_store_key = "base64 of 32 bytes"             # optional; file readable by you only
//! ```
//!
//! With `token_store` (or `CARECLOUD_TOKEN_STORE`), every `carecloud`
//! process shares the tokens through that Redis instead of keeping the
//! bearer token in its file: processes started together log in once. With
//! `token_store_key` (or `CARECLOUD_TOKEN_STORE_KEY`) the tokens are
//! encrypted in Redis; further keys after a comma are previous keys, read
//! but never written with (a rotation).
//!
//! A profile's name also names the files the tokens are kept in
//! (`sessions/<profile>.enterprise.json`, `sessions/<profile>.customer.json`
//! in the state directory).
//!
//! A profile named with `--profile NAME` (or `CARECLOUD_PROFILE`) wins over
//! the variables; a variable fills what the profile leaves out. Without a
//! named profile the variables win, and the `default` profile (if the file
//! has one) fills what they leave out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::exit::Failure;

/// One profile of the config file (every key optional).
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    project_url: Option<String>,
    external_application_id: Option<String>,
    login: Option<String>,
    password: Option<String>,
    customer_application_id: Option<String>,
    device_id: Option<String>,
    customer_email: Option<String>,
    session_file: Option<PathBuf>,
    token_store: Option<String>,
    token_store_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// A setting: a `CARECLOUD_*` variable and its profile key.
#[derive(Clone, Copy)]
pub(crate) enum Key {
    ProjectUrl,
    ExternalApplicationId,
    Login,
    Password,
    CustomerApplicationId,
    DeviceId,
    CustomerEmail,
    CustomerPassword,
    SessionFile,
    TokenStore,
    TokenStoreSecret,
}

impl Key {
    /// The environment variable.
    pub(crate) fn var(self) -> &'static str {
        match self {
            Key::ProjectUrl => "CARECLOUD_PROJECT_URL",
            Key::ExternalApplicationId => "CARECLOUD_EXTERNAL_APPLICATION_ID",
            Key::Login => "CARECLOUD_LOGIN",
            Key::Password => "CARECLOUD_PASSWORD",
            Key::CustomerApplicationId => "CARECLOUD_CUSTOMER_APPLICATION_ID",
            Key::DeviceId => "CARECLOUD_DEVICE_ID",
            Key::CustomerEmail => "CARECLOUD_CUSTOMER_EMAIL",
            Key::CustomerPassword => "CARECLOUD_CUSTOMER_PASSWORD",
            Key::SessionFile => "CARECLOUD_SESSION_FILE",
            Key::TokenStore => "CARECLOUD_TOKEN_STORE",
            Key::TokenStoreSecret => "CARECLOUD_TOKEN_STORE_KEY",
        }
    }

    /// The key in a profile (`None`: the variable only; a customer's
    /// password is never kept in a file).
    fn profile_key(self) -> Option<&'static str> {
        Some(match self {
            Key::ProjectUrl => "project_url",
            Key::ExternalApplicationId => "external_application_id",
            Key::Login => "login",
            Key::Password => "password",
            Key::CustomerApplicationId => "customer_application_id",
            Key::DeviceId => "device_id",
            Key::CustomerEmail => "customer_email",
            Key::SessionFile => "session_file",
            Key::TokenStore => "token_store",
            Key::TokenStoreSecret => "token_store_key",
            Key::CustomerPassword => return None,
        })
    }

    fn of(self, profile: &Profile) -> Option<String> {
        let value = match self {
            Key::ProjectUrl => profile.project_url.clone(),
            Key::ExternalApplicationId => profile.external_application_id.clone(),
            Key::Login => profile.login.clone(),
            Key::Password => profile.password.clone(),
            Key::CustomerApplicationId => profile.customer_application_id.clone(),
            Key::DeviceId => profile.device_id.clone(),
            Key::CustomerEmail => profile.customer_email.clone(),
            Key::SessionFile => profile
                .session_file
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
            Key::TokenStore => profile.token_store.clone(),
            Key::TokenStoreSecret => profile.token_store_key.clone(),
            Key::CustomerPassword => None,
        };
        value.filter(|v| !v.trim().is_empty())
    }
}

/// The settings of one invocation: the variables and, if any, a profile.
pub(crate) struct Config {
    /// The profile's name (`default` when none was named).
    pub(crate) profile_name: String,
    /// The profile, if the config file has it.
    profile: Option<Profile>,
    /// Whether the profile was named (`--profile`, `CARECLOUD_PROFILE`).
    named: bool,
    /// The config file, for messages.
    file: PathBuf,
}

impl Config {
    /// Reads the config file if a profile is named or the file exists; an
    /// unreadable file, a bad one or an unknown named profile is an error
    /// naming the file.
    pub(crate) fn load(named: Option<&str>) -> Result<Self, Failure> {
        let named = named
            .map(str::to_owned)
            .or_else(|| env("CARECLOUD_PROFILE"));
        let file = config_path().unwrap_or_else(|| PathBuf::from("config.toml"));
        let profile_name = named.clone().unwrap_or_else(|| "default".to_owned());
        let profiles = match std::fs::read_to_string(&file) {
            Ok(text) => parse(&file, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && named.is_none() => {
                BTreeMap::new()
            }
            Err(e) => {
                return Err(Failure::usage(format!(
                    "cannot read the config file {}: {e}",
                    file.display()
                )));
            }
        };
        let profile = profiles.get(&profile_name).cloned();
        if named.is_some() && profile.is_none() {
            let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
            return Err(Failure::usage(format!(
                "no profile `{profile_name}` in {} (it has: {})",
                file.display(),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        }
        if profile
            .as_ref()
            .is_some_and(|p| p.password.is_some() || p.token_store_key.is_some())
        {
            check_private(&file)?;
        }
        Ok(Self {
            profile_name,
            profile,
            named: named.is_some(),
            file,
        })
    }

    /// A setting, or `None` when neither the variable nor the profile has it.
    pub(crate) fn get(&self, key: Key) -> Option<String> {
        let from_profile = || self.profile.as_ref().and_then(|p| key.of(p));
        if self.named {
            from_profile().or_else(|| env(key.var()))
        } else {
            env(key.var()).or_else(from_profile)
        }
    }

    /// The values of `keys`, or an error naming every missing one.
    pub(crate) fn require<const N: usize>(&self, keys: [Key; N]) -> Result<[String; N], Failure> {
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| self.get(**k).is_none())
            .map(|k| self.describe(*k))
            .collect();
        if !missing.is_empty() {
            return Err(Failure::usage(format!(
                "not configured: set {} (or use --sandbox)",
                missing.join(", ")
            )));
        }
        Ok(keys.map(|k| self.get(k).unwrap_or_default()))
    }

    /// How to set `key`: its variable, and its profile key.
    pub(crate) fn describe(&self, key: Key) -> String {
        match key.profile_key() {
            Some(name) if self.named => format!(
                "{} (or `{name}` in profile `{}` of {})",
                key.var(),
                self.profile_name,
                self.file.display()
            ),
            _ => key.var().to_owned(),
        }
    }
}

/// A non-empty environment variable.
pub(crate) fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse(file: &Path, text: &str) -> Result<BTreeMap<String, Profile>, Failure> {
    // The message and the line, not toml's excerpt of the line: it may be
    // the one holding a password.
    toml::from_str::<ConfigFile>(text)
        .map(|c| c.profiles)
        .map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
            let at = line.map(|l| format!(", line {l}")).unwrap_or_default();
            Failure::usage(format!(
                "the config file {}{at}: {}",
                file.display(),
                e.message().trim_end()
            ))
        })
}

/// The config file's path.
fn config_path() -> Option<PathBuf> {
    if let Some(path) = env("CARECLOUD_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let base = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".config")))?;
    Some(base.join("carecloud").join("config.toml"))
}

/// The directory the CLI keeps its tokens in: `$CARECLOUD_STATE_DIR`, else
/// `$XDG_STATE_HOME/carecloud`, else `~/.local/state/carecloud`.
pub(crate) fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = env("CARECLOUD_STATE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = env("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".local").join("state")))
        .or_else(|| env("LOCALAPPDATA").map(PathBuf::from))?;
    Some(base.join("carecloud"))
}

fn home() -> Option<PathBuf> {
    env("HOME")
        .or_else(|| env("USERPROFILE"))
        .map(PathBuf::from)
}

/// A config file holding a password must be readable by its owner only.
#[cfg(unix)]
fn check_private(file: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file)
        .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(Failure::usage(format!(
            "{} holds a password but others may read it (mode {:o}): run `chmod 600 {}`",
            file.display(),
            mode & 0o777,
            file.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &Path) -> Result<(), Failure> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let err = parse(
            Path::new("c.toml"),
            "[profiles.a]\nproject_url = \"x\"\npasword = \"y\"\n",
        )
        .err()
        .expect("an error");
        assert!(
            err.message.contains("c.toml") && err.message.contains("pasword"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_syntax_error_does_not_show_the_line() {
        let err = parse(
            Path::new("c.toml"),
            "[profiles.a]\npassword = \"hunter2-secret\" oops\n",
        )
        .err()
        .expect("an error");
        assert!(err.message.contains("line 2"), "{}", err.message);
        assert!(!err.message.contains("hunter2-secret"), "{}", err.message);
    }

    #[test]
    fn profiles_are_read() {
        let profiles = parse(
            Path::new("c.toml"),
            "[profiles.staging]\nproject_url = \"https://s.example\"\ndevice_id = \"d\"\n",
        )
        .ok()
        .expect("parsed");
        let staging = &profiles["staging"];
        assert_eq!(
            Key::ProjectUrl.of(staging).as_deref(),
            Some("https://s.example")
        );
        assert_eq!(Key::Login.of(staging), None);
        assert_eq!(Key::CustomerPassword.of(staging), None);
    }
}
