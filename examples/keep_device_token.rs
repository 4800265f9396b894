//! Keep a customer device token across restarts: save `token_id()` after the
//! first run, `CustomerClient::resume` with it on the next, so no new token is
//! created (against the embedded sandbox; the "restart" is a second client).

use carecloud_api::types::Secret;
use carecloud_api::{CustomerClient, Interface, OperationId};
use carecloud_sandbox::Sandbox;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start().await?;
    let path = std::env::temp_dir().join(format!("carecloud-device-token-{}", std::process::id()));

    // First run: the token is created on first need, then saved.
    let app = CustomerClient::new(sandbox.url(), Sandbox::device_registration("kiosk-1"))?;
    app.get_stores().send().await?;
    let token = app.token_id().ok_or("no token yet")?;
    std::fs::write(&path, token.expose())?; // keep it somewhere private in a real app
    println!("run 1: token created and saved to {}", path.display());
    drop(app);

    // Next run: resume with the saved token.
    let saved = Secret::new(std::fs::read_to_string(&path)?);
    let app = CustomerClient::resume(
        sandbox.url(),
        Sandbox::device_registration("kiosk-1"),
        saved,
    )?;
    app.get_stores().send().await?;
    println!(
        "run 2: resumed; tokens created in total: {}",
        sandbox.count(Interface::Customer, OperationId::PostToken)
    );
    std::fs::remove_file(&path)?;
    Ok(())
}
