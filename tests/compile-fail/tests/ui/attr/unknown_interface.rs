use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprize)]
pub struct NearMiss {
    client: carecloud_api::enterprise::Client,
}

#[derive(CareCloudClient)]
#[carecloud(interface = public)]
pub struct NoSuchInterface {
    client: carecloud_api::enterprise::Client,
}

fn main() {}
