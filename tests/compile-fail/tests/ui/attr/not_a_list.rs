use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud]
pub struct Bare {
    client: carecloud_api::enterprise::Client,
}

#[derive(CareCloudClient)]
#[carecloud(interface)]
pub struct KeyWithoutValue {
    client: carecloud_api::enterprise::Client,
}

fn main() {}
