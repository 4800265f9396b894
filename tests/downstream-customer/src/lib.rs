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

/// What the crate's tests and `tests/evolution.rs` hold it to: code written
/// the way docs/semver.md asks (constructors, setters and `_` arms, never a
/// struct literal or an exhaustive match of a generated enum) keeps
/// compiling when a schema it uses gains an optional field or an enum value.
pub mod usage {
    use carecloud_api::builders::{GetCustomer, GetCustomers};
    use carecloud_api::customer::Client;
    use carecloud_api::types::{
        Customer, CustomerListResponse, CustomerListResponseData, CustomerSourceRecord,
        CustomerState, Gender, PersonalInformation, PostCustomerRequest,
    };

    /// The customer source registrations name.
    pub const SOURCE: &str = "86e05affc7a7befcd513ab400";

    /// A registration body, built with the constructors: `new` takes the
    /// required fields, the `with_` methods the optional ones.
    pub fn registration(first_name: &str, email: &str) -> PostCustomerRequest {
        let person = PersonalInformation::new("en")
            .with_first_name(first_name)
            .with_email(email)
            .with_gender(Gender::Private);
        PostCustomerRequest::new(
            Customer::new(person),
            CustomerSourceRecord::new(SOURCE),
            false,
        )
        .with_password("s3cret")
    }

    /// A `GET /customers` reply, as a test or a mock of the app builds one.
    pub fn reply(customers: Vec<Customer>) -> CustomerListResponse {
        let total = customers.len() as i64;
        CustomerListResponse::new(
            CustomerListResponseData::new()
                .with_total_items(total)
                .with_customers(customers),
        )
    }

    /// A customer's state in words; states this crate does not know yet
    /// fall to the `_` arm.
    pub fn state(customer: &Customer) -> &'static str {
        match customer.state {
            Some(CustomerState::Active) => "active",
            Some(CustomerState::NonActive) => "not active",
            Some(CustomerState::Deleted) => "deleted",
            Some(_) => "another state",
            None => "unknown",
        }
    }

    /// The first page of customers: no required argument, optional ones set.
    pub fn first_page(client: &Client) -> GetCustomers {
        client.get_customers().count(10).sort_field("last_name")
    }

    /// One customer: the ID is a required argument.
    pub fn one(client: &Client, customer_id: &str) -> GetCustomer {
        client.get_customer(customer_id)
    }
}
