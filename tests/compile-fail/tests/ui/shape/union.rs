use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise)]
pub union NotAStruct {
    id: u64,
}

fn main() {}
