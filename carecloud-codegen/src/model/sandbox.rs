//! The sandbox's plan: the spec's `x-sandbox` declarations resolved and
//! checked (see `crate::validate` and `docs/sandbox.md`), as
//! `carecloud-sandbox/src/generated/plan.rs` holds them.
//!
//! These types mirror `carecloud-sandbox/src/decl.rs` name for name: their
//! `Debug` output *is* the Rust expression of the sandbox's static value
//! ([`Slice`] prints `&[..]`, [`Boxed`] prints `&..`, an enum variant its
//! path, `Expr::Ref(..)`), so the generated file is this model printed (see
//! `generate/sandbox_plan.rs`), and a name that differs fails to compile in
//! the sandbox.

#![allow(missing_docs)] // The fields are documented on the sandbox's types.

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
        $($variant:ident $(($($arg:ident: $ty:ty),*))? $({$($field:ident: $fty:ty),* $(,)?})?),* $(,)?
    }) => {
        $(#[$meta])*
        pub enum $name {
            $($variant $(($($ty),*))? $({$($field: $fty),*})?),*
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
pub type Path = Slice<String>;
pub type Fields = Slice<(Name, Expr)>;

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

#[derive(Clone, Debug)]
pub struct Resource {
    pub name: Name,
    pub schema: Name,
    pub record: Name,
    pub id: Name,
    pub owner: Option<Name>,
    pub refs: Slice<(Path, Name)>,
    pub unique: Slice<Unique>,
    pub hidden: Slice<Name>,
    pub compose_id: Slice<Name>,
    pub on_create: Fields,
    pub on_write: Fields,
    pub checks: Slice<Check>,
    pub derive: Fields,
    pub capacity: Option<Capacity>,
}

#[derive(Clone, Debug)]
pub struct Unique {
    pub fields: Slice<Path>,
    pub among: Option<Expr>,
    pub fail: Fail,
}

#[derive(Clone, Debug)]
pub struct Check {
    pub require: Expr,
    pub fail: Fail,
}

#[derive(Clone, Debug)]
pub struct Capacity {
    pub slots: Name,
    pub slot: Path,
    pub limit: Name,
    pub amount: Option<Name>,
    pub holds: Expr,
    pub fail: Fail,
}

#[derive(Clone, Debug)]
pub struct Fail {
    pub reason: Name,
    pub name: Name,
    pub value: Option<Expr>,
    pub message: Name,
}

plan_enum! {
#[derive(Clone)]
pub enum Serve {
    Handler,
    Standard(a0: Boxed<Standard>),
    Ledger(a0: LedgerOp),
    Action(a0: Boxed<Action>),
    View(a0: Boxed<View>),
    Batch(a0: Boxed<Batch>),
}
}

#[derive(Clone, Debug)]
pub struct Standard {
    pub resource: Name,
    pub kind: Kind,
    pub id_param: Option<Name>,
    pub parents: Slice<Parent>,
    pub body: Option<Name>,
    pub set: Fields,
    pub list: Option<Boxed<List>>,
    pub after: Option<Hook>,
}

plan_enum! {
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    List,
    Get,
    Create,
    Replace,
    Delete,
}
}

plan_enum! {
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    Credentials,
}
}

#[derive(Clone, Debug)]
pub struct Parent {
    pub param: Name,
    pub of: Name,
    pub rel: Rel,
}

plan_enum! {
#[derive(Clone)]
pub enum Rel {
    Field(a0: Path),
    Items {
        from: Path,
        on: Name,
        take: Slice<(Name, Name)>,
    },
    Exists,
}
}

#[derive(Clone, Debug)]
pub struct List {
    pub items: Name,
    pub paged: bool,
    pub filters: Slice<Filter>,
    pub unnest: Option<(Name, Name)>,
    pub keep: Option<Expr>,
    pub order: Slice<(Name, bool)>,
    pub omit: Slice<(Name, Slice<Path>)>,
    pub customer: Option<Arg>,
}

#[derive(Clone, Debug)]
pub struct Filter {
    pub param: Name,
    pub test: Test,
}

plan_enum! {
#[derive(Clone)]
pub enum Test {
    Equals {
        fields: Slice<Path>,
        also: Option<(Name, Path)>,
    },
    From(a0: Path),
    To(a0: Path),
    Present(a0: Path),
    Valid,
}
}

plan_enum! {
#[derive(Clone)]
pub enum Expr {
    Lit(a0: String),
    Now,
    Today,
    NewId(a0: usize),
    Ref(a0: Root, a1: Path),
    Or(a0: Slice<Expr>),
    Array(a0: Slice<Expr>),
    Object(a0: Fields),
    Merge(a0: Slice<Expr>),
    Pick(a0: Boxed<Expr>, a1: Slice<Name>),
    Without(a0: Boxed<Expr>, a1: Slice<Name>),
    First(a0: Boxed<Expr>),
    Concat(a0: Slice<Expr>),
    Initial(a0: Boxed<Expr>),
    Reverse(a0: Boxed<Expr>),
    Contains(a0: Boxed<Expr>, a1: Boxed<Expr>),
    Upper(a0: Boxed<Expr>),
    DateTime(a0: Boxed<Expr>),
    PeriodEnd(a0: Boxed<Expr>, a1: Boxed<Expr>),
    If(a0: Boxed<Expr>, a1: Boxed<Expr>, a2: Boxed<Expr>),
    Map(a0: Boxed<Expr>, a1: Slice<(Name, Expr)>),
    Not(a0: Boxed<Expr>),
    All(a0: Slice<Expr>),
    Any(a0: Slice<Expr>),
    Empty(a0: Boxed<Expr>),
    Present(a0: Boxed<Expr>),
    Flag(a0: Boxed<Expr>),
    Valid(a0: Boxed<Expr>),
    Cmp(a0: Cmp, a1: Boxed<Expr>, a2: Boxed<Expr>),
    In(a0: Boxed<Expr>, a1: Boxed<Expr>),
    Count(a0: Boxed<Select>),
    Exists(a0: Boxed<Select>),
    Children(a0: Boxed<Select>),
    Lookup(a0: Name, a1: Boxed<Expr>, a2: Path),
    Balance(a0: Name, a1: Boxed<Expr>),
    Left(a0: Name),
}
}

plan_enum! {
#[derive(Clone, PartialEq, Eq)]
pub enum Root {
    Body,
    Param,
    Query,
    Customer,
    Record,
    It,
    Item,
    Bound(a0: Name),
}
}

plan_enum! {
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}
}

#[derive(Clone, Debug)]
pub struct Select {
    pub resource: Name,
    pub matching: Slice<(Path, Match)>,
    pub keep: Option<Expr>,
    pub order: Option<Name>,
}

plan_enum! {
#[derive(Clone)]
pub enum Match {
    Empty,
    Is(a0: Expr),
}
}

#[derive(Clone, Debug)]
pub struct Arg {
    pub value: Expr,
    pub name: Name,
}

#[derive(Clone, Debug)]
pub struct Action {
    pub customer: Option<Arg>,
    pub steps: Slice<Step>,
    pub reply: Option<Fields>,
    pub status: u16,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub when: Option<Expr>,
    pub does: Do,
}

plan_enum! {
#[derive(Clone)]
pub enum Do {
    Find {
        select: Select,
        bind: Name,
        mine: bool,
        optional: bool,
        missing: Option<Fail>,
    },
    Require {
        test: Expr,
        fail: Fail,
    },
    Create {
        resource: Name,
        record: Expr,
        upsert: bool,
        bind: Option<Name>,
    },
    Update {
        bind: Name,
        resource: Name,
        set: Fields,
    },
    UpdateAll {
        select: Select,
        set: Fields,
    },
    Remove {
        select: Select,
        none: Option<Fail>,
    },
    Each {
        items: Expr,
        steps: Slice<Step>,
    },
    Ledger {
        ledger: Name,
        verb: Verb,
        customer: Expr,
        amount: Expr,
        key: Expr,
        note: Expr,
        fail: Option<Fail>,
        bind: Option<Name>,
    },
}
}

#[derive(Clone, Debug)]
pub struct Ledger {
    pub name: Name,
    pub lots: Name,
    pub assigned: Name,
    pub available: Name,
    pub expires: Name,
    pub dims: Slice<(Name, Name)>,
    pub carry: Slice<Name>,
    pub short: Name,
    pub journal: Journal,
    pub reservations: Option<Reservations>,
    pub body: LedgerBody,
}

#[derive(Clone, Debug)]
pub struct Journal {
    pub resource: Name,
    pub amount: Name,
    pub kind: Name,
    pub note: Name,
    pub time: Name,
    pub carry: Slice<Name>,
    pub kinds: Slice<(Verb, Name)>,
}

#[derive(Clone, Debug)]
pub struct Reservations {
    pub resource: Name,
    pub key: Name,
    pub amount: Name,
    pub expires: Name,
    pub held: Name,
}

#[derive(Clone, Debug)]
pub struct LedgerBody {
    pub account: Name,
    pub amount: Name,
    pub note: Name,
    pub from: Name,
    pub to: Name,
    pub key: Name,
    pub expires: Name,
}

plan_enum! {
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    Earn,
    Spend,
    Charge,
    Transfer,
    Sync,
    Reserve,
    Release,
    Use,
}
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

#[derive(Clone, Debug)]
pub struct LedgerOp {
    pub ledger: Name,
    pub verb: Verb,
    pub status: u16,
    pub reply: Option<Name>,
}

#[derive(Clone, Debug)]
pub struct View {
    pub customer: Arg,
    pub range: Option<(Name, Name, Name)>,
    pub filter: Slice<(Path, Match)>,
    pub kind: ViewKind,
    pub extra: Fields,
}

plan_enum! {
#[derive(Clone)]
pub enum ViewKind {
    Totals {
        ledger: Name,
        names: [Name; 3],
        split: Option<(Name, Name)>,
    },
    Expiry {
        ledger: Name,
        names: [Name; 3],
    },
    SumBy {
        resource: Name,
        value: Name,
        by: Name,
        into: Name,
        names: [Name; 2],
    },
}
}

#[derive(Clone, Debug)]
pub struct Batch {
    pub items: Name,
    pub mode: Name,
    pub report: bool,
    pub parents: Slice<Parent>,
    pub steps: Slice<Step>,
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
