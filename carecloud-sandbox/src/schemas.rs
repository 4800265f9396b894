//! The client's generated types by the name of their schema in the spec,
//! for every schema an operation sends or receives (its body, its success
//! reply, its error replies): how the sandbox reads request bodies and
//! checks its replies, and how tests decode a payload into the type the
//! spec gives it without a hand-written list of types.
//!
//! ```
//! use carecloud_sandbox::schemas::{self, Decoded};
//!
//! let reply = serde_json::json!({"data": {"card_id": "c1", "colour": "gold"}});
//! let decoded: Decoded = schemas::decode("CardIdResponse", reply.clone())
//!     .expect("a schema of the spec")
//!     .expect("fits");
//! assert_eq!(decoded.value, reply, "written back as it came");
//! assert_eq!(decoded.unknown, ["$.data.colour"], "kept in `extra`");
//! ```

pub use carecloud_sandbox_schemas::{Decoded, Visit, decode, visit};

pub(crate) use carecloud_sandbox_schemas::round_trip as round_trip_as;
