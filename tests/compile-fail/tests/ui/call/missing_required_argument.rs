// A required parameter is an argument of the client method, and so is a
// required body: leaving one out does not compile (it used to fail at
// `send()`).
fn main() {
    let enterprise = carecloud_api::enterprise::Client::new("http://127.0.0.1:1", Default::default());
    let _ = enterprise.get_user();
    let customer = carecloud_api::customer::Client::new("http://127.0.0.1:1", Default::default());
    let _ = customer.put_token("8ea6abece4cd0a4ded0a29f093");
}
