//! carecloud-api's generated types by the name of their schema in the spec,
//! for every schema an operation sends or receives (its body, its success
//! reply, its error replies) and every record schema of the sandbox's
//! resources. The sandbox reads request bodies and checks its replies with
//! it; tests decode a payload into the type the spec gives it without a
//! hand-written list of types. Re-exported as `carecloud_sandbox::schemas`,
//! where it is documented with an example.
//!
//! [`decode`] and [`round_trip`] are compiled here, once, for every type;
//! [`visit`] with a visitor of one's own compiles that visitor for every
//! type in the caller's crate.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

// Written by carecloud-codegen from spec/.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

/// Something to do with a generated type, given to [`visit`].
pub trait Visit {
    /// What it gives back.
    type Output;

    /// Does it with the generated type `T`.
    fn visit<T: DeserializeOwned + Serialize>(self) -> Self::Output;
}

/// Calls `visitor` with the generated type of schema `name`; `None` if no
/// operation sends or receives a schema of that name and no resource of
/// the sandbox keeps records of it.
pub fn visit<V: Visit>(name: &str, visitor: V) -> Option<V::Output> {
    generated::with_type(name, visitor)
}

/// A JSON value read as a generated type and written back.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The value as the type writes it (absent optional fields and `null`s
    /// of optional fields dropped, unknown fields kept).
    pub value: Value,
    /// The JSON paths of the fields the type kept in an `extra` map (see
    /// [`carecloud_api::unknown_fields`]): what the spec does not name.
    pub unknown: Vec<String>,
}

/// `value` read as the generated type of schema `name` and written back,
/// with the fields the type does not know; `None` if the schema is not in
/// the table. The error names where the value does not fit
/// (`.card.state: invalid type: ...`).
pub fn decode(name: &str, value: Value) -> Option<Result<Decoded, String>> {
    struct Decode(Value);

    impl Visit for Decode {
        type Output = Result<Decoded, String>;

        fn visit<T: DeserializeOwned + Serialize>(self) -> Self::Output {
            let typed: T = read(self.0)?;
            Ok(Decoded {
                value: serde_json::to_value(&typed).map_err(|e| e.to_string())?,
                unknown: carecloud_api::unknown_fields(&typed),
            })
        }
    }

    visit(name, Decode(value))
}

/// `value` read as the generated type of schema `name` and written back
/// (unknown fields kept, absent optional ones dropped): [`decode`] without
/// looking for unknown fields, what the sandbox does with every body and
/// reply.
pub fn round_trip(name: &str, value: Value) -> Option<Result<Value, String>> {
    struct RoundTrip(Value);

    impl Visit for RoundTrip {
        type Output = Result<Value, String>;

        fn visit<T: DeserializeOwned + Serialize>(self) -> Self::Output {
            let typed: T = read(self.0)?;
            serde_json::to_value(&typed).map_err(|e| e.to_string())
        }
    }

    visit(name, RoundTrip(value))
}

/// `value` as a `T`; the error names where it does not fit.
fn read<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| format!("{}: {}", e.path(), e.inner()))
}
