//! The validated spec as generation sees it: interfaces, resource groups,
//! operations with the facts the runtime and the sandbox need (session role,
//! parameters and where they go, body and list shape), schemas with the
//! groups that use them, and the merged document progenitor reads.
//!
//! [`crate::validate::validate`] returns it; nothing here re-checks validity.

mod build;
pub mod sandbox;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub(crate) use build::build;

/// The group compiled with every interface, behind no feature of its own:
/// the operations the runtime itself calls (logins, tokens) live there.
pub const CORE_GROUP: &str = "base";

/// Names a group cannot take: carecloud-api's other features and modules.
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    "full",
    "enterprise",
    "customer",
    "schemars",
    "types",
    "builders",
    "auth",
    "runtime",
    "operation",
    "operations",
    "common",
    "wire",
    "core",
    "std",
    "alloc",
    "self",
    "super",
    "crate",
];

/// Operation extension listing the interfaces that serve it (all when absent).
pub const INTERFACES_KEY: &str = "x-interfaces";

/// Operation extension naming its [`SessionRole`].
pub const SESSION_KEY: &str = "x-carecloud-session";

/// Schemas that become hand-written Rust types instead of generated ones:
/// (schema name, Rust path).
pub const HAND_WRITTEN: &[(&str, &str)] = &[
    ("DateTime", "crate::wire::DateTime"),
    ("Date", "crate::wire::Date"),
    ("Password", "crate::wire::Secret"),
    ("SecretToken", "crate::wire::Secret"),
    ("LooseString", "crate::wire::LooseString"),
];

/// The hand-written Rust type a schema name is mapped onto, if any.
pub fn hand_written(schema: &str) -> Option<&'static str> {
    HAND_WRITTEN
        .iter()
        .find(|(name, _)| *name == schema)
        .map(|(_, path)| *path)
}

/// What an operation does to the client's session (`x-carecloud-session`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SessionRole {
    /// Enterprise: obtains a bearer token.
    Login,
    /// Enterprise: ends the bearer token its body names.
    Logout,
    /// Customer: creates a device token.
    DeviceToken,
    /// Customer: logs a customer in on the device token in its path.
    CustomerLogin,
    /// Customer: logs the customer out of the device token in its path.
    CustomerLogout,
}

impl SessionRole {
    /// Every role.
    pub const ALL: &[SessionRole] = &[
        SessionRole::Login,
        SessionRole::Logout,
        SessionRole::DeviceToken,
        SessionRole::CustomerLogin,
        SessionRole::CustomerLogout,
    ];

    /// The role's name in the spec.
    pub fn name(self) -> &'static str {
        match self {
            SessionRole::Login => "login",
            SessionRole::Logout => "logout",
            SessionRole::DeviceToken => "device-token",
            SessionRole::CustomerLogin => "customer-login",
            SessionRole::CustomerLogout => "customer-logout",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The interface whose operations may have this role.
    pub fn interface(self) -> &'static str {
        match self {
            SessionRole::Login | SessionRole::Logout => "enterprise",
            _ => "customer",
        }
    }

    /// Whether the operation obtains the token (and so cannot need one).
    pub fn issues_token(self) -> bool {
        matches!(self, SessionRole::Login | SessionRole::DeviceToken)
    }

    /// The Rust variant of `carecloud_api::operation::SessionRole`.
    pub fn variant(self) -> &'static str {
        match self {
            SessionRole::Login => "Login",
            SessionRole::Logout => "Logout",
            SessionRole::DeviceToken => "DeviceToken",
            SessionRole::CustomerLogin => "CustomerLogin",
            SessionRole::CustomerLogout => "CustomerLogout",
        }
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// One interface.
#[derive(Clone, Debug)]
pub struct Interface {
    /// Its module and feature (`enterprise`).
    pub module: String,
    /// Whether operations without `security` of their own need no token.
    pub public_by_default: bool,
}

/// One resource group.
#[derive(Clone, Debug)]
pub struct Group {
    /// Its name: the Rust module, and the cargo feature unless it is [`CORE_GROUP`].
    pub name: String,
    /// The document, as named in messages (`spec/groups/cards.yaml`).
    pub file: String,
    /// Its tags: (name, description).
    pub tags: Vec<(String, String)>,
}

impl Group {
    /// The cargo feature gating the group (`None` for [`CORE_GROUP`]).
    pub fn feature(&self) -> Option<&str> {
        (self.name != CORE_GROUP).then_some(self.name.as_str())
    }
}

/// One parameter of an operation.
#[derive(Clone, Debug)]
pub struct Param {
    /// Its name on the wire (without the `[]` of an array).
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether the request needs it.
    pub required: bool,
    /// Whether it is an array (sent as `name[]=a&name[]=b`).
    pub array: bool,
    /// Its description.
    pub description: Option<String>,
}

/// A list operation's response shape: `data.<items>[]` and `data.total_items`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListShape {
    /// The field of `data` holding the page's items.
    pub items: String,
    /// Whether it is paged by `count`/`offset`.
    pub paged: bool,
    /// The named schema of the items (`Customer`), when the array's items
    /// are a `$ref`.
    pub item_schema: Option<String>,
    /// Whether `data.total_items` is required (else it is an `Option`).
    pub total_required: bool,
    /// Whether the items array is required (a `Vec`; else an optional
    /// array, `Option<Vec<_>>`, read through its slice accessor).
    pub items_required: bool,
    /// Whether `data` itself is required (else the response's `data` is an
    /// `Option`, and a page without it has no items).
    pub data_required: bool,
}

/// One operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The spec's operationId (`getCustomers`).
    pub operation_id: String,
    /// HTTP method, lower case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Its group's name.
    pub group: String,
    /// Its tag.
    pub tag: String,
    /// The interfaces serving it, in interface order.
    pub interfaces: Vec<String>,
    /// `Some(true)` for `security: []`, `None` to follow the interface.
    pub public: Option<bool>,
    /// What it does to the session.
    pub session: Option<SessionRole>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Parameters, path-level ones first.
    pub params: Vec<Param>,
    /// The request body's schema name, if it has one.
    pub body: Option<String>,
    /// Whether the request body must be sent (`requestBody.required`).
    pub body_required: bool,
    /// The success response's schema name, if it has a body.
    pub response: Option<String>,
    /// Documented success statuses.
    pub success: Vec<u16>,
    /// The list shape of its response, if it is a list.
    pub list: Option<ListShape>,
}

impl Operation {
    /// Whether it needs no token on `interface`.
    pub fn is_public(&self, interface: &Interface) -> bool {
        self.public.unwrap_or(interface.public_by_default)
    }

    /// Whether `interface` serves it.
    pub fn on(&self, interface: &str) -> bool {
        self.interfaces.iter().any(|i| i == interface)
    }
}

/// One named schema.
#[derive(Clone, Debug)]
pub struct Schema {
    /// Its name.
    pub name: String,
    /// The group whose document defines it (`None`: the shared components).
    pub home: Option<String>,
    /// The groups whose operations use it.
    pub used_by: BTreeSet<String>,
    /// The interfaces serving the base group's operations that use it.
    pub base_interfaces: BTreeSet<String>,
}

/// The validated spec.
#[derive(Clone, Debug)]
pub struct Api {
    /// Interfaces, in generation order.
    pub interfaces: Vec<Interface>,
    /// Groups, by name.
    pub groups: Vec<Group>,
    /// Operations, group by group in document order.
    pub operations: Vec<Operation>,
    /// Schemas (hand-written ones excluded), by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Every document's name, for banners.
    pub files: Vec<String>,
    /// One document holding every operation once and every component, with
    /// local references: what progenitor reads.
    pub document: Value,
    /// The sandbox's plan (`x-sandbox` declarations, resolved).
    pub sandbox: sandbox::Plan,
}

impl Api {
    /// The group called `name`.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
}
