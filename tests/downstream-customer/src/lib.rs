//! Uses only the customer interface of carecloud-api.

/// Parses a `GET /customers` response body into the shared customer type.
pub fn parse_customers(body: &str) -> serde_json::Result<Vec<carecloud_api::types::Customer>> {
    let list: carecloud_api::types::CustomerListResponse = serde_json::from_str(body)?;
    Ok(list.data.customers.unwrap_or_default())
}

/// Builds a customer-interface client for a project URL.
pub fn client(project_url: &str) -> carecloud_api::customer::Client {
    let url = carecloud_api::base_url(project_url, carecloud_api::Interface::Customer);
    carecloud_api::customer::Client::new(&url, carecloud_api::Runtime::default())
}

/// Builds the auth-aware customer client, which exists with the customer
/// interface alone.
pub fn app(
    project_url: &str,
    registration: carecloud_api::DeviceRegistration,
) -> Result<carecloud_api::CustomerClient, carecloud_api::ConfigError> {
    carecloud_api::CustomerClient::new(project_url, registration)
}

/// A customer-interface wrapper declared here with the derive: it works with
/// the customer interface alone.
#[derive(carecloud_api::CareCloudClient)]
#[carecloud(interface = customer)]
pub struct KioskClient(carecloud_api::customer::Client);
