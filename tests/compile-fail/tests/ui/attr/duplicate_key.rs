use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, interface = customer)]
pub struct TwoInterfaces {
    client: carecloud_api::enterprise::Client,
}

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = carecloud_api::EnterpriseCredentials)]
#[carecloud(credentials = carecloud_api::EnterpriseCredentials)]
pub struct TwoSources {
    client: carecloud_api::enterprise::Client,
}

fn main() {}
