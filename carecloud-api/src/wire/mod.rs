//! Hand-written wire value types that the generated client code refers to.
//!
//! The CareCloud REST API is not always faithful to its own OpenAPI
//! description. The types in this module absorb the known quirks so that a
//! response from a real server never fails to deserialize because of them, and
//! so that every value round-trips byte for byte:
//!
//! * [`DateTime`] and [`Date`] keep the server's text verbatim (local time
//!   without a zone, MySQL zero dates, malformed years) and parse on demand.
//! * [`Secret`] carries passwords and tokens and never shows them in `Debug`
//!   output.
//! * [`LooseString`] accepts text that the server sends sometimes as a JSON
//!   string and sometimes as a JSON number.
//! * [`Extra`] holds the fields of an object that the spec does not name,
//!   allocated only when there are some.
//! * `open_enum!` (crate-internal) declares enumerations that keep values a
//!   newer server may send, instead of rejecting them; `object!` declares
//!   the generated object types (see `object.rs`).

mod datetime;
mod extra;
mod key;
mod loose;
mod object;
pub(crate) mod open_enum;
mod secret;
mod serde_support;
pub(crate) mod unknown;

pub use self::datetime::{Date, DateTime};
pub use self::extra::Extra;
// Used by the generated types of whichever groups are compiled.
#[cfg_attr(any(test, not(feature = "full")), allow(unused_imports))]
pub(crate) use self::key::Key;
pub use self::loose::LooseString;
#[cfg_attr(any(test, not(feature = "full")), allow(unused_imports))]
pub(crate) use self::serde_support::{de, ser};
// Invoked as `crate::wire::open_enum! { ... }` and `crate::wire::object! {
// ... }` by the generated code (of whichever groups are compiled).
#[allow(unused_imports)]
pub(crate) use self::object::{cfg_items, object, wire_name};
#[allow(unused_imports)]
pub(crate) use self::open_enum::open_enum;
pub use self::secret::Secret;
#[cfg(any(feature = "enterprise", feature = "customer"))]
pub(crate) use self::secret::collect_secrets;
pub use self::unknown::unknown_fields;

#[cfg(feature = "schemars")]
/// Schema of a JSON string with a description and examples, shared by the
/// hand-written `JsonSchema` impls of this module.
fn string_schema(
    format: Option<&str>,
    description: &str,
    examples: &[&str],
) -> schemars::schema::Schema {
    use schemars::schema::{InstanceType, Metadata, SchemaObject};
    SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        format: format.map(str::to_owned),
        metadata: Some(Box::new(Metadata {
            description: Some(description.to_owned()),
            examples: examples.iter().map(|e| (*e).into()).collect(),
            ..Metadata::default()
        })),
        ..SchemaObject::default()
    }
    .into()
}
