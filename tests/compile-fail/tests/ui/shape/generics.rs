use carecloud_api::CareCloudClient;

#[derive(CareCloudClient)]
#[carecloud(interface = enterprise)]
pub struct Generic<T> {
    client: carecloud_api::enterprise::Client,
    marker: std::marker::PhantomData<T>,
}

fn main() {}
