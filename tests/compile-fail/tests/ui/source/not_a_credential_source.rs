use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise, credentials = String)]
pub struct StringSource {
    client: carecloud_api::enterprise::Client,
}

fn main() {}
