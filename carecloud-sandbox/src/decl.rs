//! The sandbox's plan: the spec's `x-sandbox` declarations as
//! `carecloud-codegen` resolved and checked them (`generated/plan.rs`).
//! Types only: the engines (`engines/`) give them behaviour, and
//! `docs/sandbox.md` describes the declarations they come from.

/// A name: a collection, a field, a parameter.
pub(crate) type Name = &'static str;
/// A path into a record or body (`["reward", "store_list[]", "store_id"]`);
/// a segment ending in `[]` steps into every item of an array.
pub(crate) type Path = &'static [&'static str];
/// Fields and the expressions giving their values.
pub(crate) type Fields = &'static [(Name, Expr)];

mod engine;
pub(crate) use engine::*;

/// One collection of records (`seed/<name>.json`) and its rules.
pub(crate) struct Resource {
    pub name: Name,
    /// The schema of its records (seed records are checked against it).
    pub schema: Name,
    /// One record, in messages and 404s (`card`).
    pub record: Name,
    pub id: Name,
    /// The field naming the customer a record belongs to (scoping).
    pub owner: Option<Name>,
    /// Fields naming records of other collections (400 `not_found`).
    pub refs: &'static [(Path, Name)],
    pub unique: &'static [Unique],
    /// Fields the records keep that replies leave out.
    pub hidden: &'static [Name],
    /// The ID is these fields' values joined by `:` (else a new one).
    pub compose_id: &'static [Name],
    /// Set on a new record; on every write (`$record`: the record so far).
    pub on_create: Fields,
    pub on_write: Fields,
    /// Conditions every written record must meet.
    pub checks: &'static [Check],
    /// Computed on every read (`$record`: the stored record).
    pub derive: Fields,
    pub capacity: Option<Capacity>,
}

/// No two records share these fields' values (text, ignoring case) among
/// the records `among` keeps (`$it`).
pub(crate) struct Unique {
    pub fields: &'static [Path],
    pub among: Option<Expr>,
    pub fail: Fail,
}

/// A condition on a written record and the error if it fails.
pub(crate) struct Check {
    pub require: Expr,
    pub fail: Fail,
}

/// A reservable quantity: the records that `hold` (`$it`) take `amount`
/// (1 each when absent) of the `limit` of the slot (of `slots`) they name.
pub(crate) struct Capacity {
    pub slots: Name,
    pub slot: Path,
    pub limit: Name,
    pub amount: Option<Name>,
    pub holds: Expr,
    pub fail: Fail,
}

/// A 400 with one `invalid_params` entry.
pub(crate) struct Fail {
    pub reason: Name,
    pub name: Name,
    pub value: Option<Expr>,
    pub message: Name,
}

/// How the sandbox serves one operation.
pub(crate) enum Serve {
    /// A hand-written one-off (`actions::handler`).
    Handler,
    Standard(&'static Standard),
    Ledger(LedgerOp),
    Action(&'static Action),
    View(&'static View),
    Batch(&'static Batch),
}

/// List, get, create, replace or delete records of one collection.
pub(crate) struct Standard {
    pub resource: Name,
    pub kind: Kind,
    /// The path parameter naming the record (item operations).
    pub id_param: Option<Name>,
    pub parents: &'static [Parent],
    /// The body field holding a written record (`None`: the body).
    pub body: Option<Name>,
    /// Fields a create or replace sets (`$record`: the record so far).
    pub set: Fields,
    pub list: Option<&'static List>,
    pub after: Option<Hook>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    List,
    Get,
    Create,
    Replace,
    Delete,
}

/// Hand-written code after a write: a customer's password, social login
/// and autologin (`tokens.rs`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hook {
    Credentials,
}

/// A path parameter naming a record of `of` that must exist.
pub(crate) struct Parent {
    pub param: Name,
    pub of: Name,
    pub rel: Rel,
}

/// Which records are under a parent: those whose field is its ID; those
/// whose `on` is among its `from` items (copying `take`: field ← item
/// field); or all (it only has to exist).
pub(crate) enum Rel {
    Field(Path),
    Items {
        from: Path,
        on: Name,
        take: &'static [(Name, Name)],
    },
    Exists,
}

pub(crate) struct List {
    /// The field of `data` holding the records.
    pub items: Name,
    pub paged: bool,
    pub filters: &'static [Filter],
    /// The records are the distinct items (by key) of this array field.
    pub unnest: Option<(Name, Name)>,
    /// Only records for which this holds (`$it`).
    pub keep: Option<Expr>,
    /// The order without `sort_field`: (field, descending).
    pub order: &'static [(Name, bool)],
    /// A flag parameter that drops paths from each record when true.
    pub omit: &'static [(Name, &'static [Path])],
    /// The customer the list is about (`$customer`).
    pub customer: Option<Arg>,
}

/// A query parameter that filters a list.
pub(crate) struct Filter {
    pub param: Name,
    pub test: Test,
}

/// Any field equals any value (with flag `also.0`, `also.1` counts too); a
/// field at least/at most the value; flags: a field (not) empty, a record
/// (not) valid now.
pub(crate) enum Test {
    Equals {
        fields: &'static [Path],
        also: Option<(Name, Path)>,
    },
    From(Path),
    To(Path),
    Present(Path),
    Valid,
}
