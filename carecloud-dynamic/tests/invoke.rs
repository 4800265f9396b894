//! `invoke` through the crate's public API: on every kind of client (the
//! interface clients, the auth-aware ones, a `#[derive(CareCloudClient)]`
//! one), over real HTTP on loopback; the errors raised before anything is
//! sent (and that nothing is); `Args`' `Debug`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use carecloud_api::{
    CareCloudClient, CustomerClient, DeviceRegistration, EnterpriseClient, EnterpriseCredentials,
    Error, OperationId, Runtime,
};
use carecloud_dynamic::{Args, Invoke};
use serde_json::json;

/// A server on loopback answering every request with the connection test's
/// reply (`test_string` reversed: `olleH`), keeping each request line.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
                let mut head = Vec::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push(line.trim_end().to_owned());
                }
                seen.lock()
                    .unwrap()
                    .push(head.first().cloned().unwrap_or_default());
                let body = r#"{"data":{"test_string":"olleH"}}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        Self { url, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn enterprise(server: &Server) -> EnterpriseClient {
    let creds = EnterpriseCredentials::new("89d1a6111b3fb6e74665d948", "user", "password");
    EnterpriseClient::new(&server.url, creds).expect("a client")
}

fn registration() -> DeviceRegistration {
    DeviceRegistration::headless("89d1a6111b3fb6e74665d948", "device-1", "tests")
}

/// A client of the customer interface declared by an application.
#[derive(CareCloudClient)]
#[carecloud(interface = customer)]
struct Kiosk {
    client: carecloud_api::customer::Client,
}

/// The `InvalidRequest` text of a call that must fail before sending.
async fn refused(
    reply: impl Future<Output = carecloud_api::Result<carecloud_api::ResponseValue<serde_json::Value>>>,
) -> String {
    match reply.await {
        Err(Error::InvalidRequest(text)) => text,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn every_kind_of_client_sends_and_gives_back_json() {
    let server = Server::start();
    let args = || Args::new().param("test_string", "Hello");
    let id = OperationId::GetTestsConnection;
    let interface_base = format!("{}/webservice/rest-api/customer-interface/v1.0", server.url);
    let replies = [
        enterprise(&server).invoke(id, args()).await,
        CustomerClient::new(&server.url, registration())
            .expect("a client")
            .invoke(id, args())
            .await,
        Kiosk::new(&server.url, registration())
            .expect("a client")
            .invoke(id, args())
            .await,
        carecloud_api::customer::Client::new(&interface_base, Runtime::default())
            .invoke(id, args())
            .await,
    ];
    for reply in replies {
        let reply = reply.expect("the connection test succeeds");
        assert_eq!(reply.status(), 200);
        assert_eq!(
            reply.headers()["content-type"],
            "application/json",
            "the reply's headers are kept"
        );
        assert_eq!(
            reply.into_inner(),
            json!({"data": {"test_string": "olleH"}})
        );
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "{requests:?}");
    assert_eq!(
        requests[0],
        "GET /webservice/rest-api/enterprise-interface/v1.0/tests/connection?test_string=Hello HTTP/1.1"
    );
    for request in &requests[1..] {
        assert_eq!(
            request,
            "GET /webservice/rest-api/customer-interface/v1.0/tests/connection?test_string=Hello HTTP/1.1"
        );
    }
}

#[tokio::test]
async fn the_future_can_be_spawned() {
    let server = Server::start();
    let call = enterprise(&server).invoke(
        OperationId::GetTestsConnection,
        Args::new().param("test_string", "Hello"),
    );
    let reply = tokio::spawn(call)
        .await
        .expect("the task")
        .expect("a reply");
    assert_eq!(reply.into_inner()["data"]["test_string"], "olleH");
}

#[tokio::test]
async fn bad_arguments_fail_before_anything_is_sent() {
    let server = Server::start();
    let client = enterprise(&server);
    let kiosk = Kiosk::new(&server.url, registration()).expect("a client");
    let good_card = json!({"card_type_id": "t", "card_number": "1", "state": 1});
    let cases = [
        (
            client.invoke(OperationId::GetCustomer, Args::new()),
            "`customer_id` is required by `get_customer` but was not given",
        ),
        (
            client.invoke(OperationId::PostBatchCards, Args::new()),
            "`post_batch_cards` needs a body",
        ),
        (
            client.invoke(
                OperationId::GetTestsConnection,
                Args::new().param("color", "red"),
            ),
            "`get_tests_connection` has no parameter `color` (it has: Accept-Language, test_string)",
        ),
        (
            client.invoke(OperationId::GetTestsConnection, Args::new().body(json!({}))),
            "`get_tests_connection` takes no body",
        ),
        (
            client.invoke(
                OperationId::GetCustomers,
                Args::new().param("count", "many"),
            ),
            "`count` of `get_customers`: ",
        ),
        // A bad part inside a body is named by its JSON path ...
        (
            client.invoke(
                OperationId::PostBatchCards,
                Args::new().body(json!({"cards": [
                    good_card,
                    {"card_type_id": "t", "card_number": 5, "state": 1}
                ]})),
            ),
            "`body` of `post_batch_cards` at `cards[1].card_number`: ",
        ),
        // ... a bad body as a whole has no path.
        (
            client.invoke(OperationId::PostBatchCards, Args::new().body(json!(5))),
            "`body` of `post_batch_cards`: ",
        ),
        (
            client.invoke(OperationId::PostToken, Args::new()),
            "`post_token` is not an operation of the Enterprise interface",
        ),
    ];
    for (call, expected) in cases {
        let error = refused(call).await;
        assert!(error.starts_with(expected), "{error}\nexpected: {expected}");
    }
    let error = refused(kiosk.invoke(OperationId::PostBatchCards, Args::new())).await;
    assert_eq!(
        error,
        "`post_batch_cards` is not an operation of the Customer interface"
    );
    assert_eq!(server.requests(), Vec::<String>::new(), "nothing was sent");
}

#[test]
fn debug_shows_no_value() {
    let args = Args::new()
        .param("token_id", "t0k3n-secret")
        .body(json!({"password": "hunter2"}));
    let debug = format!("{args:?}");
    assert!(
        debug.contains("token_id") && debug.contains("body: true"),
        "{debug}"
    );
    assert!(
        !debug.contains("t0k3n") && !debug.contains("hunter2"),
        "{debug}"
    );
}
