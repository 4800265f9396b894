//! Nothing to import: this package holds the workspace's runnable examples
//! (`cargo run --example quickstart`, `page_customers`,
//! `create_customer_and_card`, `keep_device_token`), each a file beside
//! this one.
