use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = customer)]
pub struct Empty {}

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise)]
pub struct Unit;

fn main() {}
