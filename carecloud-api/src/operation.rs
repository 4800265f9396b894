//! What the generated code records about each operation beyond what
//! progenitor keeps: its HTTP method, path and the authentication the spec's
//! `security` asks for (progenitor ignores `security`).

/// The two CareCloud interfaces, each with its own base path and auth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Interface {
    /// The Enterprise interface (API users, bearer token from a login).
    Enterprise,
    /// The Customer interface (device token, optional customer login).
    Customer,
}

impl Interface {
    /// The path every operation of the interface is under.
    pub const fn base_path(self) -> &'static str {
        match self {
            Interface::Enterprise => "/webservice/rest-api/enterprise-interface/v1.0",
            Interface::Customer => "/webservice/rest-api/customer-interface/v1.0",
        }
    }
}

/// The base URL of an interface for a project URL as CareCloud admins hand it
/// out: a bare domain (`sandbox.crmcarecloud.com`) means HTTPS; a URL with a
/// scheme (`http://127.0.0.1:8080`) is used as given. A trailing slash is
/// ignored.
///
/// ```
/// use carecloud_api::{Interface, base_url};
/// assert_eq!(
///     base_url("sandbox.crmcarecloud.com", Interface::Customer),
///     "https://sandbox.crmcarecloud.com/webservice/rest-api/customer-interface/v1.0"
/// );
/// assert_eq!(
///     base_url("http://127.0.0.1:8080/", Interface::Enterprise),
///     "http://127.0.0.1:8080/webservice/rest-api/enterprise-interface/v1.0"
/// );
/// ```
pub fn base_url(project_url: &str, interface: Interface) -> String {
    let trimmed = project_url.trim().trim_end_matches('/');
    let root = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    format!("{root}{}", interface.base_path())
}

/// The authentication an operation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// No token: the spec says `security: []` (logins, `POST /tokens`,
    /// `/tests/connection`, `/languages`, ...).
    Public,
    /// The interface's bearer token in `Authorization`.
    Bearer,
}

/// One operation of an interface, as listed in its generated `OPERATIONS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The generated method name, also `OperationInfo::operation_id` in hooks
    /// (`get_customers`).
    pub id: &'static str,
    /// The spec's operationId (`getCustomers`).
    pub operation_id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template below the interface's base path (`/customers/{customer_id}`).
    pub path: &'static str,
    /// The authentication it needs.
    pub auth: Auth,
}

/// Finds an operation by generated method name in an `OPERATIONS` table.
pub fn find(operations: &'static [Operation], id: &str) -> Option<&'static Operation> {
    operations.iter().find(|op| op.id == id)
}
