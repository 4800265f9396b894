use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise)]
pub struct NotAClient {
    client: String,
}

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise)]
pub struct OtherInterface {
    client: carecloud_api::customer::Client,
}

#[derive(CareCloudClient)]
#[carecloud(interface = customer)]
pub struct Reference(&'static carecloud_api::customer::Client);

fn main() {}
