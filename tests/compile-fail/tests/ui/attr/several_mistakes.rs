// Every mistake is reported at once, and code using the wrapper's
// constructor adds nothing to them (the fallback).
use carecloud_api::{CareCloudClient, EnterpriseCredentials};

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, interface = enterprise, credntials = EnterpriseCredentials)]
pub struct Broken {
    client: carecloud_api::customer::Client,
}

fn main() {
    let creds = EnterpriseCredentials::new("app", "user", "password");
    let _ = Broken::new("sandbox.crmcarecloud.com", creds);
}
