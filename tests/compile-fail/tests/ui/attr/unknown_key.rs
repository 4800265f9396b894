use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interfce = enterprise)]
pub struct Typo {
    client: carecloud_api::enterprise::Client,
}

#[derive(CareCloudClient)]
#[carecloud(interface = customer, url = "sandbox.crmcarecloud.com")]
pub struct NoSuchKey {
    client: carecloud_api::customer::Client,
}

fn main() {}
