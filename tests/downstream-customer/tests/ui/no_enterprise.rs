use carecloud_api::enterprise;

fn main() {
    let _ = enterprise::OPERATIONS;
}
