use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise)]
pub enum NotAStruct {
    Client(carecloud_api::enterprise::Client),
}

fn main() {}
