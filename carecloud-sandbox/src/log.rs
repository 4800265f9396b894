//! The request log: one [`LoggedRequest`] per request, in order.

use carecloud_api::{Interface, OperationId};

/// One request as the sandbox saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The interface its path was under (`None`: neither).
    pub interface: Option<Interface>,
    /// The operation it matched (`None`: no operation of the interface has
    /// that method and path).
    pub operation: Option<OperationId>,
    /// HTTP method.
    pub method: String,
    /// Path below the interface's base path (the full path if none).
    pub path: String,
    /// The query string exactly as sent, without the `?` (empty if none),
    /// e.g. `customer_ids[]=a&customer_ids[]=b`.
    pub query: String,
    /// Whether it had an `Authorization` header.
    pub authorized: bool,
    /// The status the sandbox answered.
    pub status: u16,
}

impl LoggedRequest {
    /// The matched operation's method name (`get_customers`).
    pub fn operation_name(&self) -> Option<&'static str> {
        self.operation.map(|id| id.operation().name)
    }
}
