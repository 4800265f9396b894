//! The plan's expressions and the engines' declarations: actions (steps),
//! ledgers, views and batches.

use super::{Fail, Fields, Name, Parent, Path};

/// A value computed from the request and the records (`docs/sandbox.md`).
#[allow(dead_code, reason = "forms no declaration uses yet")]
pub(crate) enum Expr {
    /// JSON text.
    Lit(&'static str),
    Now,
    Today,
    NewId(usize),
    Ref(Root, Path),
    Or(&'static [Expr]),
    Array(&'static [Expr]),
    Object(Fields),
    Merge(&'static [Expr]),
    Pick(&'static Expr, &'static [Name]),
    Without(&'static Expr, &'static [Name]),
    First(&'static Expr),
    Concat(&'static [Expr]),
    Initial(&'static Expr),
    Reverse(&'static Expr),
    Contains(&'static Expr, &'static Expr),
    Upper(&'static Expr),
    DateTime(&'static Expr),
    PeriodEnd(&'static Expr, &'static Expr),
    If(&'static Expr, &'static Expr, &'static Expr),
    Map(&'static Expr, &'static [(Name, Expr)]),
    Not(&'static Expr),
    All(&'static [Expr]),
    Any(&'static [Expr]),
    Empty(&'static Expr),
    Present(&'static Expr),
    Flag(&'static Expr),
    Valid(&'static Expr),
    Cmp(Cmp, &'static Expr, &'static Expr),
    In(&'static Expr, &'static Expr),
    Count(&'static Select),
    Exists(&'static Select),
    Children(&'static Select),
    Lookup(Name, &'static Expr, Path),
    Balance(Name, &'static Expr),
    Left(Name),
}

/// Where a reference starts.
#[derive(Clone, Copy, PartialEq, Eq)]
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

#[derive(Clone, Copy)]
#[allow(dead_code, reason = "forms no declaration uses yet")]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Records of a collection whose fields match (text; a null value skips
/// its field, `Match::Empty` wants none), that `keep` keeps (`$it`).
pub(crate) struct Select {
    pub resource: Name,
    pub matching: &'static [(Path, Match)],
    pub keep: Option<Expr>,
    pub order: Option<Name>,
}

pub(crate) enum Match {
    Empty,
    Is(Expr),
}

/// A value named by a request field (the customer an operation is about).
pub(crate) struct Arg {
    pub value: Expr,
    pub name: Name,
}

/// Steps run in order, atomically; then the reply's `data` (or none).
pub(crate) struct Action {
    pub customer: Option<Arg>,
    pub steps: &'static [Step],
    pub reply: Option<Fields>,
    pub status: u16,
}

pub(crate) struct Step {
    pub when: Option<Expr>,
    pub does: Do,
}

/// One step (`engines/steps.rs`).
pub(crate) enum Do {
    /// `optional`: binds null instead of failing when nothing matches.
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
        steps: &'static [Step],
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

/// A book of lots (`engines/ledger.rs`).
pub(crate) struct Ledger {
    pub name: Name,
    pub lots: Name,
    pub assigned: Name,
    pub available: Name,
    pub expires: Name,
    /// Lot fields naming a record of a collection (type, currency).
    pub dims: &'static [(Name, Name)],
    /// Lot fields copied from the body.
    pub carry: &'static [Name],
    /// The `reason` of an amount above the balance.
    pub short: Name,
    pub journal: Journal,
    pub reservations: Option<Reservations>,
    pub body: LedgerBody,
}

/// The movements of a ledger; `kinds`: how each verb is written.
pub(crate) struct Journal {
    pub resource: Name,
    pub amount: Name,
    pub kind: Name,
    pub note: Name,
    pub time: Name,
    pub carry: &'static [Name],
    pub kinds: &'static [(Verb, Name)],
}

/// Amounts held under a key; `held` records what came from which lot.
pub(crate) struct Reservations {
    pub resource: Name,
    pub key: Name,
    pub amount: Name,
    pub expires: Name,
    pub held: Name,
}

/// The request body's fields a ledger operation reads.
pub(crate) struct LedgerBody {
    pub account: Name,
    pub amount: Name,
    pub note: Name,
    pub from: Name,
    pub to: Name,
    pub key: Name,
    pub expires: Name,
}

#[derive(Clone, Copy, PartialEq, Eq)]
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

/// An operation that is one verb; `reply` names the lot ID field.
pub(crate) struct LedgerOp {
    pub ledger: Name,
    pub verb: Verb,
    pub status: u16,
    pub reply: Option<Name>,
}

/// A read aggregating a customer's records: of those whose `range.0`
/// field's day is within the query parameters `range.1`..`range.2` and
/// whose fields match `filter`; with `extra` fields added.
pub(crate) struct View {
    pub customer: Arg,
    pub range: Option<(Name, Name, Name)>,
    pub filter: &'static [(Path, Match)],
    pub kind: ViewKind,
    pub extra: Fields,
}

/// Earned, redeemed and available amounts (also per `split.0`, into
/// `split.1`); the next expiry's amount and day and this month's amount; a
/// field summed per another into `{names.0, names.1}` items.
pub(crate) enum ViewKind {
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

/// The items of a body array through steps (`$item`), by
/// `error_processing`; with `report`, mode 2 answers 400 naming the
/// items it skipped.
pub(crate) struct Batch {
    pub items: Name,
    pub mode: Name,
    pub report: bool,
    pub parents: &'static [Parent],
    pub steps: &'static [Step],
}
