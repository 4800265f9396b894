//! Page through all customers with `count`/`offset` until `total_items` is
//! reached (against the embedded sandbox).

use carecloud_api::EnterpriseClient;
use carecloud_sandbox::Sandbox;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start().await?;
    let client = EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials())?;
    const PAGE: u64 = 5;
    let mut offset = 0u64;
    loop {
        let page = client
            .get_customers()
            .count(PAGE)
            .offset(offset)
            .sort_field("last_name")
            .sort_direction(carecloud_api::types::SortDirection::Asc)
            .send()
            .await?;
        let total = page.data.total_items.unwrap_or_default() as u64;
        println!(
            "page at offset {offset} ({} of {total}):",
            page.data.customers().len()
        );
        for c in page.data.customers() {
            let info = &c.personal_information;
            println!(
                "  {} {}",
                info.last_name.as_deref().unwrap_or(""),
                info.first_name.as_deref().unwrap_or("")
            );
        }
        offset += page.data.customers().len() as u64;
        if page.data.customers().is_empty() || offset >= total {
            break;
        }
    }
    Ok(())
}
