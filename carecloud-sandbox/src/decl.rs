//! The sandbox's plan: the spec's `x-sandbox` declarations as
//! `carecloud-codegen` resolved and checked them (`generated/plan.rs`).
//! Types only; the engines (`engines/`) give them behaviour. See
//! `docs/sandbox.md` for the declaration syntax these come from.

/// A name: a collection, a field, a parameter.
pub(crate) type Name = &'static str;

/// A path into a record or body: `["reward", "store_list[]", "store_id"]`.
/// A segment ending in `[]` steps into every item of an array.
pub(crate) type Path = &'static [&'static str];

/// Fields and the expressions giving their values.
pub(crate) type Fields = &'static [(Name, Expr)];

/// One collection of records (`seed/<name>.json`).
#[derive(Debug)]
pub(crate) struct Resource {
    pub name: Name,
    /// The schema of its records (seed records are checked against it).
    pub schema: Name,
    /// One record, in messages and 404s (`card`).
    pub record: Name,
    /// The field holding a record's ID.
    pub id: Name,
    /// The field naming the customer a record belongs to (customer scoping).
    pub owner: Option<Name>,
    /// Fields naming records of other collections: checked on every write.
    pub refs: &'static [(Path, Name)],
    pub unique: &'static [Unique],
    /// Fields the records keep that replies leave out.
    pub hidden: &'static [Name],
    /// The ID is these fields' values joined by `:` (else a new random ID).
    pub compose_id: &'static [Name],
    /// Set on a new record (`$record` is the record so far).
    pub on_create: Fields,
    /// Set on every write (create, replace, update).
    pub on_write: Fields,
    /// Conditions every written record must meet.
    pub checks: &'static [Check],
    /// Computed on every read (`$record` is the stored record).
    pub derive: Fields,
    pub capacity: Option<Capacity>,
}

/// No two records may share these fields' values (compared as text,
/// ignoring case); `among` narrows the records compared with (`$it`).
#[derive(Debug)]
pub(crate) struct Unique {
    pub fields: &'static [Path],
    pub among: Option<Expr>,
    pub fail: Fail,
}

/// A condition on a written record (`$record`) and the error if it fails.
#[derive(Debug)]
pub(crate) struct Check {
    pub require: Expr,
    pub fail: Fail,
}

/// A reservable quantity: the records of this collection that `hold`
/// take `amount` (1 each when absent) of their slot's `limit`.
#[derive(Debug)]
pub(crate) struct Capacity {
    /// The collection of the slots (time slots, products).
    pub slots: Name,
    /// The record's field naming its slot.
    pub slot: Path,
    /// The slot's field holding how much it takes.
    pub limit: Name,
    pub amount: Option<Name>,
    /// Whether a record holds its places (`$it`).
    pub holds: Expr,
    pub fail: Fail,
}

/// A 400 with one `invalid_params` entry.
#[derive(Debug)]
pub(crate) struct Fail {
    pub reason: Name,
    pub name: Name,
    /// The value reported (default: null).
    pub value: Option<Expr>,
    pub message: Name,
}

/// How the sandbox serves one operation.
#[derive(Debug)]
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
#[derive(Debug)]
pub(crate) struct Standard {
    pub resource: Name,
    pub kind: Kind,
    /// The path parameter naming the record (item operations).
    pub id_param: Option<Name>,
    pub parents: &'static [Parent],
    /// Create/replace: the body field holding the record (`None`: the body).
    pub body: Option<Name>,
    /// Create/replace: fields set from the request (`$record` so far).
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

/// Hand-written code run after a standard write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hook {
    /// A customer's password, social login and autologin (`tokens.rs`).
    Credentials,
}

/// A path parameter naming a record of `of` that must exist.
#[derive(Debug)]
pub(crate) struct Parent {
    pub param: Name,
    pub of: Name,
    pub rel: Rel,
}

/// Which records are under a parent.
#[derive(Debug)]
pub(crate) enum Rel {
    /// Those whose field is the parent's ID.
    Field(Path),
    /// Those whose `on` is among the parent's `from` (items or values),
    /// with the matching item's fields copied (`take`: field ← item field).
    Items {
        from: Path,
        on: Name,
        take: &'static [(Name, Name)],
    },
    /// All of them: the parent only has to exist.
    Exists,
}

/// A list's shape and filters.
#[derive(Debug)]
pub(crate) struct List {
    /// The field of `data` holding the records.
    pub items: Name,
    pub paged: bool,
    pub filters: &'static [Filter],
    /// The records are the distinct items of this array field (by key)
    /// of the collection's records.
    pub unnest: Option<(Name, Name)>,
    /// Only records for which this holds (`$it`).
    pub keep: Option<Expr>,
    /// The order without `sort_field`: (field, descending).
    pub order: &'static [(Name, bool)],
    /// A flag parameter that drops paths from each record when true.
    pub omit: &'static [(Name, &'static [Path])],
    /// The customer the list is about (`$customer`), named by a parameter.
    pub customer: Option<Arg>,
}

/// A query parameter that filters a list.
#[derive(Debug)]
pub(crate) struct Filter {
    pub param: Name,
    pub test: Test,
}

#[derive(Debug)]
pub(crate) enum Test {
    /// Any of the fields equals any value (text, ignoring case); with the
    /// flag parameter `also.0` true, `also.1` counts too.
    Equals {
        fields: &'static [Path],
        also: Option<(Name, Path)>,
    },
    /// The field is at least / at most the value (text order).
    From(Path),
    To(Path),
    /// Flag: the field is (not) empty.
    Present(Path),
    /// Flag: active (`state` 1) and within `valid_from`..`valid_to`.
    Valid,
}

/// A value computed from the request and the records.
#[derive(Debug)]
#[cfg_attr(
    not(test),
    allow(dead_code, reason = "the language has forms no declaration uses yet")
)]
pub(crate) enum Expr {
    /// JSON text.
    Lit(&'static str),
    Now,
    Today,
    NewId(usize),
    Ref(Root, Path),
    /// The first that is not null.
    Or(&'static [Expr]),
    Array(&'static [Expr]),
    Object(Fields),
    /// Objects merged, later fields winning.
    Merge(&'static [Expr]),
    Pick(&'static Expr, &'static [Name]),
    Without(&'static Expr, &'static [Name]),
    Concat(&'static [Expr]),
    Initial(&'static Expr),
    Upper(&'static Expr),
    /// `2025-01-01T10:00:00` → `2025-01-01 10:00:00`.
    DateTime(&'static Expr),
    /// The end of a period (`2 years`) from a time: a second before it ends.
    PeriodEnd(&'static Expr, &'static Expr),
    If(&'static Expr, &'static Expr, &'static Expr),
    /// The value looked up in a table; null when absent.
    Map(&'static Expr, &'static [(Name, Expr)]),
    Not(&'static Expr),
    All(&'static [Expr]),
    Any(&'static [Expr]),
    Empty(&'static Expr),
    Present(&'static Expr),
    /// `true`/`1` as a flag.
    Flag(&'static Expr),
    /// A record active and within its validity now.
    Valid(&'static Expr),
    Cmp(Cmp, &'static Expr, &'static Expr),
    In(&'static Expr, &'static Expr),
    Count(&'static Select),
    Exists(&'static Select),
    Children(&'static Select),
    /// A field of the record of a collection with this ID.
    Lookup(Name, &'static Expr, Path),
    /// A customer's balance in a ledger.
    Balance(Name, &'static Expr),
    /// What is left of `$record` as a slot of this collection's capacity.
    Left(Name),
}

/// Where a reference starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Root {
    Body,
    Param,
    Query,
    Customer,
    Record,
    It,
    Item,
    Bound(Name),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    not(test),
    allow(dead_code, reason = "the language has forms no declaration uses yet")
)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Records of a collection matching `where` (equal as text; a null value
/// skips its field, `Match::Empty` wants none) and `keep` (`$it`).
#[derive(Debug)]
pub(crate) struct Select {
    pub resource: Name,
    pub matching: &'static [(Path, Match)],
    pub keep: Option<Expr>,
    pub order: Option<Name>,
}

#[derive(Debug)]
pub(crate) enum Match {
    Empty,
    Is(Expr),
}

/// A value named by a request field (the customer an action is for).
#[derive(Debug)]
pub(crate) struct Arg {
    pub value: Expr,
    pub name: Name,
}

/// Steps run under the state lock; if one fails nothing is changed.
#[derive(Debug)]
pub(crate) struct Action {
    pub customer: Option<Arg>,
    pub steps: &'static [Step],
    /// The reply's `data` (`None`: no body).
    pub reply: Option<Fields>,
    pub status: u16,
}

#[derive(Debug)]
pub(crate) struct Step {
    pub when: Option<Expr>,
    pub does: Do,
}

#[derive(Debug)]
pub(crate) enum Do {
    /// Binds the first match: 404 (or `missing`) if there is none; with
    /// `mine`, another customer's record is a 400.
    Find {
        select: Select,
        bind: Name,
        mine: bool,
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
    /// The record bound as `bind` (of `resource`), written back.
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
    /// The steps once per item (`$item`).
    Each {
        items: Expr,
        steps: &'static [Step],
    },
    Ledger {
        ledger: Name,
        verb: Verb,
        customer: Expr,
        amount: Expr,
        /// A reservation's key (`use`, `release`).
        key: Expr,
        note: Expr,
        fail: Option<Fail>,
        bind: Option<Name>,
    },
}

/// A book of lots (points, credits): see `engines/ledger.rs`.
#[derive(Debug)]
pub(crate) struct Ledger {
    pub name: Name,
    pub lots: Name,
    pub assigned: Name,
    pub available: Name,
    /// A lot's end of validity.
    pub expires: Name,
    /// Lot fields naming a record of a collection (type, currency): taken
    /// from the body (checked), else the collection's first record.
    pub dims: &'static [(Name, Name)],
    /// Lot fields copied from the body.
    pub carry: &'static [Name],
    /// The `reason` of a refused amount above the balance.
    pub short: Name,
    pub journal: Journal,
    pub reservations: Option<Reservations>,
    pub body: LedgerBody,
}

/// The movements of a ledger.
#[derive(Debug)]
pub(crate) struct Journal {
    pub resource: Name,
    pub amount: Name,
    pub kind: Name,
    pub note: Name,
    pub time: Name,
    /// Fields copied from the lot or body a movement is about.
    pub carry: &'static [Name],
    /// How each verb is written in `kind`.
    pub kinds: &'static [(Verb, Name)],
}

/// Amounts held for an external key until freed or used.
#[derive(Debug)]
pub(crate) struct Reservations {
    pub resource: Name,
    pub key: Name,
    pub amount: Name,
    pub expires: Name,
    /// The hidden field recording what was taken from which lot.
    pub held: Name,
}

/// The request body's fields a ledger operation reads.
#[derive(Debug)]
pub(crate) struct LedgerBody {
    pub account: Name,
    pub amount: Name,
    pub note: Name,
    pub from: Name,
    pub to: Name,
    pub key: Name,
    pub expires: Name,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Earn,
    Spend,
    Charge,
    Transfer,
    Sync,
    Reserve,
    Release,
    Use,
}

/// An operation that is one ledger verb; `reply` names the lot ID field.
#[derive(Debug)]
pub(crate) struct LedgerOp {
    pub ledger: Name,
    pub verb: Verb,
    pub status: u16,
    pub reply: Option<Name>,
}

/// A read aggregating a customer's records.
#[derive(Debug)]
pub(crate) struct View {
    pub customer: Arg,
    /// Records whose field's day is within two query parameters.
    pub range: Option<(Name, Name, Name)>,
    pub filter: &'static [(Path, Match)],
    pub kind: ViewKind,
    /// Fields added as they are.
    pub extra: Fields,
}

#[derive(Debug)]
pub(crate) enum ViewKind {
    /// Earned, redeemed and available amounts (and per `split.0` into `split.1`).
    Totals {
        ledger: Name,
        names: [Name; 3],
        split: Option<(Name, Name)>,
    },
    /// The earliest expiry day with its amount, and this month's amount.
    Expiry { ledger: Name, names: [Name; 3] },
    /// `value` summed per `by` into `into` as `{names.0, names.1}`.
    SumBy {
        resource: Name,
        value: Name,
        by: Name,
        into: Name,
        names: [Name; 2],
    },
}

/// Records of a body array through steps (`$item`), by `error_processing`.
#[derive(Debug)]
pub(crate) struct Batch {
    pub items: Name,
    pub mode: Name,
    /// Mode 2 answers 400 naming the skipped records (else 204).
    pub report: bool,
    pub parents: &'static [Parent],
    pub steps: &'static [Step],
}
