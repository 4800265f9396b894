//! `carecloud sandbox serve`: the embedded sandbox as a standalone server.

use std::io::Write;

use carecloud_api::Interface;
use carecloud_sandbox::{Sandbox, SandboxConfig};

use crate::exit::Failure;

pub(crate) async fn serve_sandbox(port: u16) -> Result<(), Failure> {
    let sandbox = Sandbox::start_on_port(SandboxConfig::default(), port)
        .await
        .map_err(|e| Failure::usage(format!("cannot start the sandbox on port {port}: {e}")))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "CareCloud sandbox at {}", sandbox.url());
    let _ = writeln!(
        out,
        "  enterprise: {}",
        carecloud_api::base_url(sandbox.url(), Interface::Enterprise)
    );
    let _ = writeln!(
        out,
        "    API user: external application {}, login {}, password {}",
        carecloud_sandbox::ENTERPRISE_APPLICATION_ID,
        carecloud_sandbox::API_USER_LOGIN,
        carecloud_sandbox::API_USER_PASSWORD
    );
    let _ = writeln!(
        out,
        "  customer:   {}",
        carecloud_api::base_url(sandbox.url(), Interface::Customer)
    );
    let _ = writeln!(
        out,
        "    device tokens: external application {}; customer {} / {}",
        carecloud_sandbox::CUSTOMER_APPLICATION_ID,
        carecloud_sandbox::JOHN_SMITH_EMAIL,
        carecloud_sandbox::JOHN_SMITH_PASSWORD
    );
    let _ = writeln!(
        out,
        "  one-time password: {}",
        carecloud_sandbox::ONE_TIME_PASSWORD
    );
    let _ = writeln!(out, "Press Ctrl-C to stop.");
    let _ = out.flush();
    drop(out);
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::usage(format!("cannot wait for Ctrl-C: {e}")))?;
    drop(sandbox);
    Ok(())
}
