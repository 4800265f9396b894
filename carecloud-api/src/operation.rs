//! What the generated code records about each operation, for the runtime
//! (authentication, session changes, request encoding) and for tools such as
//! the sandbox: method, path, parameters and where they go, the
//! authentication the spec's `security` asks for, the operation's
//! [`SessionRole`], its body and response schemas and its [`List`] shape.
//!
//! Every builder has it as `OPERATION` (`GetCustomers::OPERATION`); every
//! [`OperationId`] has it as [`OperationId::operation`]; each interface lists
//! its own in `OPERATIONS` (`carecloud_api::enterprise::OPERATIONS`).
//!
//! The structs and enums here are `#[non_exhaustive]` (except [`Interface`]:
//! the two interfaces are the API's own): the spec may come to say more
//! about an operation, and a new fact is a new field or variant, not a
//! breaking change. Read the fields; make up an operation (for a test of a
//! tool) with [`Operation::new`] and its `with_` methods.

pub use crate::generated::operations::OperationId;

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

    /// The interface's operations: `enterprise::OPERATIONS` or
    /// `customer::OPERATIONS` (every operation it serves that this build
    /// compiles: the groups whose features are on, and the base group).
    pub fn operations(self) -> &'static [&'static Operation] {
        match self {
            Interface::Enterprise => crate::generated::operations::ENTERPRISE,
            Interface::Customer => crate::generated::operations::CUSTOMER,
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
#[non_exhaustive]
pub enum Auth {
    /// No token: the spec says `security: []` (logins, `POST /tokens`,
    /// `/tests/connection`, `/languages`, ...).
    Public,
    /// The interface's bearer token in `Authorization`.
    Bearer,
}

/// An operation's HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // The names say it.
#[non_exhaustive]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The method as sent, upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether sending the request twice has the effect of sending it once
    /// (GET, PUT, DELETE, HEAD, OPTIONS, TRACE).
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// The query string; an array is sent as `name[]=a&name[]=b`.
    Query,
    /// A request header.
    Header,
}

impl Location {
    /// Where, in a word: `path`, `query` or `header`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// One parameter of an operation. Made with [`Param::path`],
/// [`Param::query`] or [`Param::header`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Param {
    /// Its name on the wire (without the `[]` an array gets).
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Whether a request needs it.
    pub required: bool,
    /// Whether it takes several values.
    pub array: bool,
}

impl Param {
    /// A path parameter (always required).
    pub const fn path(name: &'static str) -> Self {
        Self {
            name,
            location: Location::Path,
            required: true,
            array: false,
        }
    }

    /// An optional query parameter.
    pub const fn query(name: &'static str) -> Self {
        Self {
            name,
            location: Location::Query,
            required: false,
            array: false,
        }
    }

    /// An optional header.
    pub const fn header(name: &'static str) -> Self {
        Self {
            name,
            location: Location::Header,
            required: false,
            array: false,
        }
    }

    /// This parameter, required.
    pub const fn required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }

    /// This parameter, taking several values.
    pub const fn array(self) -> Self {
        Self {
            array: true,
            ..self
        }
    }

    /// The name as sent: `name[]` for an array query parameter.
    pub fn wire_name(&self) -> String {
        if self.array && self.location == Location::Query {
            format!("{}[]", self.name)
        } else {
            self.name.to_owned()
        }
    }
}

/// What an operation does to the client's session (the spec's
/// `x-carecloud-session`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionRole {
    /// Enterprise: obtains a bearer token (`postUserLogin`, `postUserSsoLogin`).
    Login,
    /// Enterprise: ends the bearer token its body names (`postUserLogout`).
    Logout,
    /// Customer: creates a device token (`postToken`).
    DeviceToken,
    /// Customer: logs a customer in on the device token in its path.
    CustomerLogin,
    /// Customer: logs the customer out of the device token in its path.
    CustomerLogout,
}

/// A list operation's reply: a page of items in `data.<items>`, and the
/// number of all matches in `data.total_items`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct List {
    /// The field of `data` holding the items (`customers`).
    pub items: &'static str,
    /// Whether it is paged by the `count` and `offset` parameters.
    pub paged: bool,
}

impl List {
    /// A list whose items are in `data.<items>`, paged by `count` and
    /// `offset` or not.
    pub const fn new(items: &'static str, paged: bool) -> Self {
        Self { items, paged }
    }
}

/// One operation, as the spec describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// Which operation it is.
    pub id: OperationId,
    /// The generated method name (`get_customers`).
    pub name: &'static str,
    /// The spec's operationId (`getCustomers`).
    pub operation_id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template below the interface's base path (`/customers/{customer_id}`).
    pub path: &'static str,
    /// Its resource group (the cargo feature that compiles it, except `base`,
    /// which every interface compiles).
    pub group: &'static str,
    /// The authentication it needs.
    pub auth: Auth,
    /// Whether the enterprise interface serves it.
    pub enterprise: bool,
    /// Whether the customer interface serves it.
    pub customer: bool,
    /// What it does to the session, if anything.
    pub session: Option<SessionRole>,
    /// Its parameters.
    pub params: &'static [Param],
    /// The schema of its request body, if it has one.
    pub body: Option<&'static str>,
    /// Whether a request must carry the body.
    pub body_required: bool,
    /// The schema of its success response, if that has a body.
    pub response: Option<&'static str>,
    /// Its list shape, if it returns a list.
    pub list: Option<List>,
}

impl Operation {
    /// An operation the generated tables do not have, for a tool's tests:
    /// public, in no group, served by no interface, without parameters,
    /// body, response or list until the `with_` methods say otherwise.
    ///
    /// ```
    /// use carecloud_api::operation::{Auth, Method, Operation, OperationId, Param};
    /// use carecloud_api::Interface;
    ///
    /// static DELETE_CARD: Operation =
    ///     Operation::new(OperationId::GetCard, "deleteCard", "delete_card", Method::Delete, "/cards/{card_id}")
    ///         .in_group("cards")
    ///         .with_auth(Auth::Bearer)
    ///         .served_by_interface(Interface::Enterprise)
    ///         .with_params(&[Param::path("card_id")]);
    /// assert!(DELETE_CARD.served_by(Interface::Enterprise));
    /// assert!(!DELETE_CARD.served_by(Interface::Customer));
    /// ```
    pub const fn new(
        id: OperationId,
        operation_id: &'static str,
        name: &'static str,
        method: Method,
        path: &'static str,
    ) -> Self {
        Self {
            id,
            name,
            operation_id,
            method,
            path,
            group: "",
            auth: Auth::Public,
            enterprise: false,
            customer: false,
            session: None,
            params: &[],
            body: None,
            body_required: false,
            response: None,
            list: None,
        }
    }

    /// This operation in the resource group `group`.
    pub const fn in_group(self, group: &'static str) -> Self {
        Self { group, ..self }
    }

    /// This operation, needing `auth`.
    pub const fn with_auth(self, auth: Auth) -> Self {
        Self { auth, ..self }
    }

    /// This operation, served by `interface` too.
    pub const fn served_by_interface(self, interface: Interface) -> Self {
        match interface {
            Interface::Enterprise => Self {
                enterprise: true,
                ..self
            },
            Interface::Customer => Self {
                customer: true,
                ..self
            },
        }
    }

    /// This operation, with the session role `role`.
    pub const fn with_session(self, role: SessionRole) -> Self {
        Self {
            session: Some(role),
            ..self
        }
    }

    /// This operation, with these parameters.
    pub const fn with_params(self, params: &'static [Param]) -> Self {
        Self { params, ..self }
    }

    /// This operation, taking a body of the schema `schema` (which a request
    /// must carry if `required`).
    pub const fn with_body(self, schema: &'static str, required: bool) -> Self {
        Self {
            body: Some(schema),
            body_required: required,
            ..self
        }
    }

    /// This operation, replying with a body of the schema `schema`.
    pub const fn with_response(self, schema: &'static str) -> Self {
        Self {
            response: Some(schema),
            ..self
        }
    }

    /// This operation, replying with a list.
    pub const fn with_list(self, list: List) -> Self {
        Self {
            list: Some(list),
            ..self
        }
    }

    /// Whether `interface` serves it.
    pub fn served_by(&self, interface: Interface) -> bool {
        match interface {
            Interface::Enterprise => self.enterprise,
            Interface::Customer => self.customer,
        }
    }

    /// The parameter called `name`, if it has one.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}
