//! `CARECLOUD_TOKEN_STORE`: four `carecloud` processes started together
//! against one sandbox and one redis-server log the API user in once (with
//! `CARECLOUD_TOKEN_STORE_KEY`, through an encrypted value).
//! Ignored where redis-server is missing, unless
//! `CARECLOUD_REQUIRE_REDIS=1` (CI), where it fails.

#[path = "../../tests/tests/fleet/redis_server.rs"]
mod redis_server;
mod support;

use carecloud_api::{Interface, OperationId};
use carecloud_sandbox::{API_USER_LOGIN, API_USER_PASSWORD, ENTERPRISE_APPLICATION_ID, Sandbox};
use libtest_mimic::{Arguments, Failed, Trial};

use redis_server::RedisServer;
use support::{BIN, scratch};

/// A key in base64 (32 bytes of 7).
const KEY: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

fn four_processes_log_in_once(key: Option<&str>) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let sandbox = runtime.block_on(Sandbox::start())?;
    let redis = RedisServer::start();
    let home = scratch("token-store");
    let url = redis.url();
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(BIN)
                .args(["enterprise", "get-stores"])
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", &*home)
                .env("CARECLOUD_STATE_DIR", home.join("state"))
                .env("CARECLOUD_PROJECT_URL", sandbox.url())
                .env(
                    "CARECLOUD_EXTERNAL_APPLICATION_ID",
                    ENTERPRISE_APPLICATION_ID,
                )
                .env("CARECLOUD_LOGIN", API_USER_LOGIN)
                .env("CARECLOUD_PASSWORD", API_USER_PASSWORD)
                .env("CARECLOUD_TOKEN_STORE", &url)
                .envs(key.map(|k| ("CARECLOUD_TOKEN_STORE_KEY", k)))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("carecloud runs")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output()?;
        if !out.status.success() {
            return Err(
                format!("a process failed: {}", String::from_utf8_lossy(&out.stderr)).into(),
            );
        }
    }
    let logins = sandbox.count(Interface::Enterprise, OperationId::PostUserLogin);
    if logins != 1 {
        return Err(format!("{logins} logins for 4 processes").into());
    }
    // Nothing was kept in the bearer token file: the store keeps it.
    if home.join("state/sessions/default.enterprise.json").exists() {
        return Err("the token file was written despite the store".into());
    }
    let value = runtime.block_on(async {
        let client = redis::Client::open(url.as_str())?;
        let mut con = client.get_multiplexed_async_connection().await?;
        let names: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut con).await?;
        let name = names.iter().find(|n| !n.ends_with(":lock")).cloned();
        let value: Option<String> = match name {
            Some(name) => redis::cmd("GET").arg(name).query_async(&mut con).await?,
            None => None,
        };
        Ok::<_, redis::RedisError>(value)
    })?;
    let value = value.ok_or("nothing stored")?;
    if value.starts_with("ccs1.") != key.is_some() {
        return Err(format!(
            "key {}, but the stored value is {}encrypted",
            if key.is_some() { "given" } else { "not given" },
            if value.starts_with("ccs1.") {
                ""
            } else {
                "not "
            }
        )
        .into());
    }
    Ok(())
}

/// A key that is not 32 bytes of base64: a usage error naming the
/// variable, nothing sent.
fn a_bad_key_is_a_usage_error() -> Result<(), Failed> {
    let home = scratch("token-store-bad-key");
    let out = std::process::Command::new(BIN)
        .args(["enterprise", "get-stores"])
        .env_clear()
        .env("HOME", &*home)
        .env("CARECLOUD_STATE_DIR", home.join("state"))
        .env("CARECLOUD_PROJECT_URL", "http://127.0.0.1:9")
        .env(
            "CARECLOUD_EXTERNAL_APPLICATION_ID",
            ENTERPRISE_APPLICATION_ID,
        )
        .env("CARECLOUD_LOGIN", API_USER_LOGIN)
        .env("CARECLOUD_PASSWORD", API_USER_PASSWORD)
        .env("CARECLOUD_TOKEN_STORE", "redis://127.0.0.1:9/0")
        .env("CARECLOUD_TOKEN_STORE_KEY", "c2VjcmV0LWJ1dC1zaG9ydA")
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2)
        || !stderr.contains("CARECLOUD_TOKEN_STORE_KEY (key 1)")
        || !stderr.contains("this one has 16")
        || stderr.contains("c2VjcmV0LWJ1dC1zaG9ydA")
    {
        return Err(format!("exit {:?}: {stderr}", out.status.code()).into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let available = redis_server::available();
    let required = std::env::var_os("CARECLOUD_REQUIRE_REDIS").is_some_and(|v| v == "1");
    let trial = |name: &'static str, key: Option<&'static str>| {
        Trial::test(name, move || {
            if !available {
                return Err("redis-server is not installed (CARECLOUD_REQUIRE_REDIS=1)".into());
            }
            four_processes_log_in_once(key)
        })
        .with_ignored_flag(!available && !required)
    };
    let trials = vec![
        trial("four_processes_log_in_once", None),
        trial("four_processes_with_a_key_log_in_once_encrypted", Some(KEY)),
        Trial::test(
            "a_bad_token_store_key_is_a_usage_error",
            a_bad_key_is_a_usage_error,
        ),
    ];
    libtest_mimic::run(&args, trials).exit();
}
