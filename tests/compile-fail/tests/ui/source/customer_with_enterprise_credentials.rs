use carecloud_api::{CareCloudClient, EnterpriseCredentials};

#[derive(CareCloudClient)]
#[carecloud(interface = customer, credentials = EnterpriseCredentials)]
pub struct Mismatched {
    client: carecloud_api::customer::Client,
}

fn main() {}
