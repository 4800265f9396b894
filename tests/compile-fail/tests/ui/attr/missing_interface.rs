use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(credentials = carecloud_api::EnterpriseCredentials)]
pub struct NoInterface {
    client: carecloud_api::enterprise::Client,
}

#[derive(CareCloudClient)]
pub struct NoAttribute {
    client: carecloud_api::enterprise::Client,
}

fn main() {}
