use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise)]
pub struct Extra {
    client: carecloud_api::enterprise::Client,
    name: String,
}

fn main() {}
