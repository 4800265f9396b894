//! `CARECLOUD_TOKEN_STORE`: four `carecloud` processes started together
//! against one sandbox and one redis-server log the API user in once.
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

fn four_processes_log_in_once() -> Result<(), Failed> {
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
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let available = redis_server::available();
    let required = std::env::var_os("CARECLOUD_REQUIRE_REDIS").is_some_and(|v| v == "1");
    let trial = Trial::test("four_processes_log_in_once", move || {
        if !available {
            return Err("redis-server is not installed (CARECLOUD_REQUIRE_REDIS=1)".into());
        }
        four_processes_log_in_once()
    })
    .with_ignored_flag(!available && !required);
    libtest_mimic::run(&args, vec![trial]).exit();
}
