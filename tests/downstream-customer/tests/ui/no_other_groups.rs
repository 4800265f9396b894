// With `features = ["customer", "customers"]`, the types and builders of the
// groups not named (here `cards` and `stores`) are not compiled.
fn main() {
    let _: Option<carecloud_api::types::CardType> = None;
    let _: Option<carecloud_api::builders::GetStores> = None;
}
