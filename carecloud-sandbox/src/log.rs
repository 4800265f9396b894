//! The request log: the last requests as the sandbox saw them
//! ([`LoggedRequest`], secrets left out by `redact.rs`), in a ring buffer
//! of `SandboxConfig::log_capacity` entries, beside exact counts per
//! operation that no eviction touches.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use carecloud_api::{Interface, OperationId};

/// One request as the sandbox saw it, passwords and tokens left out: each
/// is `<redacted>` (see [`Sandbox::requests`](crate::Sandbox::requests)).
///
/// Its `Debug` shows the body's length only.
#[derive(Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The interface its path was under (`None`: neither).
    pub interface: Option<Interface>,
    /// The operation it matched (`None`: no operation of the interface has
    /// that method and path).
    pub operation: Option<OperationId>,
    /// HTTP method.
    pub method: String,
    /// Path below the interface's base path (the full path if none); the
    /// caller's token, where the path holds it (`/tokens/{token_id}/...`),
    /// is `<redacted>`.
    pub path: String,
    /// The query string as sent, without the `?` (empty if none), e.g.
    /// `customer_ids[]=a&customer_ids[]=b`; the value of a parameter named
    /// like a secret field of the spec (`password`, `token`, ...), and any
    /// value that is the caller's token, is `<redacted>`.
    pub query: String,
    /// Whether it had an `Authorization` header (its value is not kept).
    pub authorized: bool,
    /// The status the sandbox answered.
    pub status: u16,
    /// The request body as received (empty if none), except that every
    /// password and token in it is `<redacted>` (the body is then written
    /// again as compact JSON); a body that is not JSON where one could hold
    /// a secret is replaced by a note of its length.
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

/// The last `capacity` requests, and counts of every request.
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<LoggedRequest>,
    capacity: usize,
    /// Every request since the start (or the last clear).
    total: u64,
    /// Requests per operation since the start (or the last clear).
    per_operation: HashMap<(Interface, OperationId), usize>,
}

impl RequestLog {
    /// An empty log keeping the last `capacity` requests.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity,
            total: 0,
            per_operation: HashMap::new(),
        }
    }

    /// Adds `request`, dropping the oldest entry when the log is full.
    pub fn push(&mut self, request: LoggedRequest) {
        self.total += 1;
        if let (Some(interface), Some(operation)) = (request.interface, request.operation) {
            *self
                .per_operation
                .entry((interface, operation))
                .or_default() += 1;
        }
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(request);
    }

    /// The entries kept, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &LoggedRequest> {
        self.entries.iter()
    }

    /// How many entries are kept now (at most [`capacity`](Self::capacity)).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// How many entries it keeps at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Every request since the start or the last clear, kept or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Requests to `operation` on `interface` since the start or the last
    /// clear, kept or not.
    pub fn count(&self, interface: Interface, operation: OperationId) -> usize {
        self.per_operation
            .get(&(interface, operation))
            .copied()
            .unwrap_or(0)
    }

    /// The operations of `interface` with at least one request.
    pub fn operations(&self, interface: Interface) -> impl Iterator<Item = OperationId> + '_ {
        self.per_operation
            .keys()
            .filter(move |(i, _)| *i == interface)
            .map(|(_, op)| *op)
    }

    /// Forgets every entry and count.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.total = 0;
        self.per_operation.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(operation: OperationId, status: u16) -> LoggedRequest {
        LoggedRequest {
            interface: Some(Interface::Enterprise),
            operation: Some(operation),
            method: "POST".to_owned(),
            path: "/users/actions/login".to_owned(),
            query: String::new(),
            authorized: false,
            status,
            body: br#"{"password":"hunter2"}"#.to_vec(),
        }
    }

    #[test]
    fn debug_shows_the_body_length_only() {
        let debug = format!("{:?}", request(OperationId::PostUserLogin, 200));
        assert!(debug.contains("body: <22 bytes>"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn the_log_keeps_the_last_entries_and_exact_counts() {
        let mut log = RequestLog::new(3);
        for status in 0..10 {
            log.push(request(OperationId::PostUserLogin, status));
        }
        log.push(request(OperationId::GetCustomers, 10));
        assert_eq!(log.len(), 3);
        assert_eq!(log.capacity(), 3);
        let kept: Vec<u16> = log.entries().map(|r| r.status).collect();
        assert_eq!(kept, [8, 9, 10], "the newest, oldest first");
        assert_eq!(log.total(), 11);
        assert_eq!(
            log.count(Interface::Enterprise, OperationId::PostUserLogin),
            10
        );
        assert_eq!(
            log.count(Interface::Customer, OperationId::PostUserLogin),
            0
        );
        let mut called: Vec<OperationId> = log.operations(Interface::Enterprise).collect();
        called.sort();
        assert_eq!(called.len(), 2);
        log.clear();
        assert_eq!((log.len(), log.total()), (0, 0));
        assert_eq!(log.operations(Interface::Enterprise).count(), 0);
    }

    #[test]
    fn a_log_of_capacity_zero_keeps_nothing_but_counts() {
        let mut log = RequestLog::new(0);
        log.push(request(OperationId::PostUserLogin, 200));
        assert_eq!((log.len(), log.total()), (0, 1));
        assert_eq!(
            log.count(Interface::Enterprise, OperationId::PostUserLogin),
            1
        );
    }
}
