// A required parameter is an argument of the client method, and so is a
// required body: leaving one out does not compile (it used to fail at
// `send()`).
fn main() {
    let client = carecloud_api::customer::Client::new("http://127.0.0.1:1", Default::default());
    let _ = client.get_customer();
    let _ = client.put_customer("8ea6abece4cd0a4ded0a29f093");
}
