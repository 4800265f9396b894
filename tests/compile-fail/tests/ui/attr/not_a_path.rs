use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = "enterprise")]
pub struct QuotedInterface {
    client: carecloud_api::enterprise::Client,
}

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = 42)]
pub struct NumberSource {
    client: carecloud_api::enterprise::Client,
}

fn main() {}
