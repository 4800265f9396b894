//! The client bench's fixed-reply server (`carecloud-fixed-server`, in its
//! own process) serves what both clients need, byte for byte the generated
//! page; and the counting allocator counts.

use carecloud_api::{EnterpriseClient, Error};
use carecloud_bench::alloc_count;
use carecloud_bench::fixed::Process;
use carecloud_bench::hand::HandClient;
use carecloud_bench::page::{PageSpec, customer_page};
use carecloud_sandbox::Sandbox;

const SERVER: &str = env!("CARGO_BIN_EXE_carecloud-fixed-server");

#[tokio::test]
async fn both_clients_log_in_and_read_the_page_from_the_other_process() {
    let server = Process::start(SERVER, 7).expect("starts");
    assert_ne!(server.id(), std::process::id());
    let page = customer_page(&PageSpec {
        customers: 7,
        ..PageSpec::default()
    });

    let hand = HandClient::log_in(&server.url).await.expect("logs in");
    let raw = hand.get_json("/customers?count=7").await.expect("the page");
    assert_eq!(raw, page.value, "the generated page, as made");
    let decoded = hand.get_customers(7).await.expect("decodes");
    assert_eq!(decoded.data.customers.map(|c| c.len()), Some(7));

    let ours =
        EnterpriseClient::new(&server.url, Sandbox::enterprise_credentials()).expect("a client");
    let reply = ours
        .get_customers()
        .count(7u64)
        .send()
        .await
        .expect("logs in, reads");
    assert_eq!(reply.data.customers().len(), 7);
    assert_eq!(
        serde_json::to_value(reply.into_inner()).expect("encodes"),
        page.value,
        "decoded in full, nothing lost"
    );

    // Anything else is refused with the envelope.
    let err = ours.get_stores().send().await.expect_err("404");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let unauthorized = reqwest::get(format!(
        "{}/webservice/rest-api/enterprise-interface/v1.0/customers",
        server.url
    ))
    .await
    .expect("answers");
    assert_eq!(unauthorized.status(), 401);
}

#[test]
fn the_counting_allocator_counts_allocations_and_bytes() {
    let before = alloc_count::so_far();
    let block = std::hint::black_box(vec![7u8; 10_000]);
    let grown = std::hint::black_box({
        let mut v: Vec<u64> = Vec::with_capacity(1);
        v.extend(0..100);
        v
    });
    let counted = alloc_count::so_far() - before;
    assert!(counted.count >= 3, "{counted:?}");
    assert!(counted.bytes >= 10_000 + 800, "{counted:?}");
    drop((block, grown));
}
