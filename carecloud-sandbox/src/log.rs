//! The request log: one [`LoggedRequest`] per request, in order.

use std::fmt;

use carecloud_api::{Interface, OperationId};

/// One request as the sandbox saw it.
///
/// Its `Debug` shows the body's length only: a logged body may hold a
/// password or a token (a login's, a logout's).
#[derive(Clone, PartialEq, Eq)]
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
    /// The request body exactly as received (empty if none). It may hold a
    /// secret: keep it out of output.
    pub body: Vec<u8>,
}

impl fmt::Debug for LoggedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoggedRequest")
            .field("interface", &self.interface)
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("authorized", &self.authorized)
            .field("status", &self.status)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl LoggedRequest {
    /// The matched operation's method name (`get_customers`).
    pub fn operation_name(&self) -> Option<&'static str> {
        self.operation.map(|id| id.operation().name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_body_length_only() {
        let request = LoggedRequest {
            interface: Some(Interface::Enterprise),
            operation: Some(OperationId::PostUserLogin),
            method: "POST".to_owned(),
            path: "/users/actions/login".to_owned(),
            query: String::new(),
            authorized: false,
            status: 200,
            body: br#"{"password":"hunter2"}"#.to_vec(),
        };
        let debug = format!("{request:?}");
        assert!(debug.contains("body: <22 bytes>"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
