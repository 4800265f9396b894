//! The sandbox's plan: the spec's `x-sandbox` declarations resolved and
//! checked (see `crate::validate` and `docs/sandbox.md`).
//!
//! Its types are written once, in `sandbox_types.rs` and
//! `sandbox_engine_types.rs`: included here with
//! owned values (`Name` = `String`, `Seq<T>` = [`Slice<T>`], `Ptr<T>` =
//! [`Boxed<T>`]), and written by the generator into the sandbox
//! (`carecloud-sandbox/src/generated/decl.rs`) with static ones
//! ([`SANDBOX_PRELUDE`]). Their `Debug` output *is* the Rust expression of
//! the sandbox's static value ([`Slice`] prints `&[..]`, [`Boxed`] prints
//! `&..`, an enum variant its path, `Expr::Ref(..)`), so the generated plan
//! is this model printed (`generate/sandbox_plan.rs`).

#![allow(missing_docs)] // The types are documented in `sandbox_types.rs` and `sandbox_engine_types.rs`.

use std::fmt;

/// A list printed as `&[..]` (a `&'static [T]` in the sandbox).
#[derive(Clone, PartialEq, Eq)]
pub struct Slice<T>(pub Vec<T>);

impl<T> Default for Slice<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: fmt::Debug> fmt::Debug for Slice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("&")?;
        f.debug_list().entries(&self.0).finish()
    }
}

impl<T> From<Vec<T>> for Slice<T> {
    fn from(items: Vec<T>) -> Self {
        Self(items)
    }
}

/// A value printed as `&..` (a `&'static T` in the sandbox).
#[derive(Clone, PartialEq, Eq)]
pub struct Boxed<T>(pub Box<T>);

impl<T: fmt::Debug> fmt::Debug for Boxed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("&")?;
        self.0.fmt(f)
    }
}

/// `Boxed::new(x)`.
pub fn boxed<T>(value: T) -> Boxed<T> {
    Boxed(Box::new(value))
}

/// An enum whose `Debug` prints each variant with its path
/// (`Expr::Ref(Root::Body, &["x"])`); tuple variants name their fields.
macro_rules! plan_enum {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident $(($($arg:ident: $ty:ty),*))? $({$($field:ident: $fty:ty),* $(,)?})?),* $(,)?
    }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant $(($($ty),*))? $({$($field: $fty),*})?),*
        }

        impl fmt::Debug for $name {
            #[allow(unreachable_code, unused_variables)]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $($name::$variant $(($($arg),*))? $({$($field),*})? => {
                        let path = concat!(stringify!($name), "::", stringify!($variant));
                        $(let mut t = f.debug_tuple(path); $(t.field($arg);)* return t.finish();)?
                        $(let mut s = f.debug_struct(path); $(s.field(stringify!($field), $field);)* return s.finish();)?
                        f.write_str(path)
                    })*
                }
            }
        }
    };
}

pub type Name = String;
pub type Seq<T> = Slice<T>;
pub type Ptr<T> = Boxed<T>;
pub type Path = Slice<String>;
pub type Fields = Slice<(Name, Expr)>;

include!("sandbox_types.rs");
include!("sandbox_engine_types.rs");

/// The types' source, written into the sandbox after [`SANDBOX_PRELUDE`].
pub const SANDBOX_TYPES: &str = concat!(
    include_str!("sandbox_types.rs"),
    "\n",
    include_str!("sandbox_engine_types.rs")
);

/// What the sandbox's copy of the types starts with: static values, and a
/// `plan_enum!` that only declares the enum.
pub const SANDBOX_PRELUDE: &str = r#"//! The types of the sandbox's plan (`plan.rs`): what the engines
//! (`src/engines/`) read. See `docs/sandbox.md`.

pub(crate) type Name = &'static str;
/// A path into a record or body (`["reward", "store_list[]", "store_id"]`);
/// a segment ending in `[]` steps into every item of an array.
pub(crate) type Path = &'static [&'static str];
pub(crate) type Seq<T> = &'static [T];
pub(crate) type Ptr<T> = &'static T;
/// Fields and the expressions giving their values.
pub(crate) type Fields = &'static [(Name, Expr)];

macro_rules! plan_enum {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident $(($($arg:ident: $ty:ty),*))? $({$($field:ident: $fty:ty),* $(,)?})?),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub enum $name {
            $($(#[$vmeta])* $variant $(($($ty),*))? $({$($field: $fty),*})?),*
        }
    };
}

"#;

/// The whole plan.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub resources: Vec<Resource>,
    pub ledgers: Vec<Ledger>,
    /// (OperationId variant, how it is served), in operation order.
    pub operations: Vec<(String, Serve)>,
    /// Schemas of resource records (for the sandbox's seed checks).
    pub schemas: Vec<String>,
}

impl Verb {
    /// Every verb with its name in the spec.
    pub const ALL: &[(&str, Verb)] = &[
        ("earn", Verb::Earn),
        ("spend", Verb::Spend),
        ("charge", Verb::Charge),
        ("transfer", Verb::Transfer),
        ("sync", Verb::Sync),
        ("reserve", Verb::Reserve),
        ("release", Verb::Release),
        ("use", Verb::Use),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_is_the_sandbox_expression() {
        let expr = Expr::Or(Slice(vec![
            Expr::Ref(Root::Body, Slice(vec!["code".into()])),
            Expr::Upper(boxed(Expr::NewId(10))),
        ]));
        assert_eq!(
            format!("{expr:?}"),
            r#"Expr::Or(&[Expr::Ref(Root::Body, &["code"]), Expr::Upper(&Expr::NewId(10))])"#
        );
    }
}
