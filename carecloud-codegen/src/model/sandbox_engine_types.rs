// The plan's types for the engines (actions and their steps, ledgers, views,
// batches), written once for both sides like `sandbox_types.rs`.

/// Steps run in order, atomically; then the reply's `data` (or none).
#[derive(Clone, Debug)]
pub struct Action {
    pub customer: Option<Arg>,
    pub steps: Seq<Step>,
    pub reply: Option<Fields>,
    pub status: u16,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub when: Option<Expr>,
    pub does: Do,
}

plan_enum! {
/// One step (`engines/steps.rs`).
#[derive(Clone)]
pub enum Do {
    Find(a0: Find),
    Require(a0: Check),
    Create(a0: Create),
    Update(a0: Update),
    UpdateAll(a0: UpdateAll),
    Remove { select: Select, none: Option<Fail> },
    Each { items: Expr, steps: Seq<Step> },
    Ledger(a0: LedgerStep),
}
}

/// Binds the first match (`optional`: null when there is none, else 404 or
/// `missing`); with `mine`, another customer's record is a 400.
#[derive(Clone, Debug)]
pub struct Find {
    pub select: Select,
    pub bind: Name,
    pub mine: bool,
    pub optional: bool,
    pub missing: Option<Fail>,
}

#[derive(Clone, Debug)]
pub struct Create {
    pub resource: Name,
    pub record: Expr,
    pub upsert: bool,
    pub bind: Option<Name>,
}

/// The record bound as `bind` (of `resource`) with `set`, written back.
#[derive(Clone, Debug)]
pub struct Update {
    pub bind: Name,
    pub resource: Name,
    pub set: Fields,
}

#[derive(Clone, Debug)]
pub struct UpdateAll {
    pub select: Select,
    pub set: Fields,
}

/// A ledger verb; `fail` replaces its error.
#[derive(Clone, Debug)]
pub struct LedgerStep {
    pub ledger: Name,
    pub verb: Verb,
    pub customer: Expr,
    pub amount: Expr,
    pub key: Expr,
    pub note: Expr,
    pub fail: Option<Fail>,
    pub bind: Option<Name>,
}

/// A book of lots (`engines/ledger.rs`).
#[derive(Clone, Debug)]
pub struct Ledger {
    pub name: Name,
    pub lots: Name,
    pub assigned: Name,
    pub available: Name,
    pub expires: Name,
    /// Lot fields naming a record of a collection (type, currency).
    pub dims: Seq<(Name, Name)>,
    /// Lot fields copied from the body.
    pub carry: Seq<Name>,
    /// The `reason` of an amount above the balance.
    pub short: Name,
    pub journal: Journal,
    pub reservations: Option<Reservations>,
    pub body: LedgerBody,
}

/// The movements of a ledger; `kinds`: how each verb is written.
#[derive(Clone, Debug)]
pub struct Journal {
    pub resource: Name,
    pub amount: Name,
    pub kind: Name,
    pub note: Name,
    pub time: Name,
    pub carry: Seq<Name>,
    pub kinds: Seq<(Verb, Name)>,
}

/// Amounts held under a key; `held` records what came from which lot.
#[derive(Clone, Debug)]
pub struct Reservations {
    pub resource: Name,
    pub key: Name,
    pub amount: Name,
    pub expires: Name,
    pub held: Name,
}

/// The request body's fields a ledger operation reads.
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
#[derive(Clone, Copy, PartialEq, Eq)]
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

/// An operation that is one verb; `reply` names the lot ID field.
#[derive(Clone, Debug)]
pub struct LedgerOp {
    pub ledger: Name,
    pub verb: Verb,
    pub status: u16,
    pub reply: Option<Name>,
}

/// A read aggregating a customer's records: of those whose `range.0`
/// field's day is within the query parameters `range.1`..`range.2` and
/// whose fields match `filter`; with `extra` fields added.
#[derive(Clone, Debug)]
pub struct View {
    pub customer: Arg,
    pub range: Option<(Name, Name, Name)>,
    pub filter: Seq<(Path, Match)>,
    pub kind: ViewKind,
    pub extra: Fields,
}

plan_enum! {
/// Earned, redeemed and available amounts (also per `split.0`, into
/// `split.1`); the next expiry's amount and day and this month's amount; a
/// field summed per another into `{names.0, names.1}` items.
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

/// The items of a body array through steps (`$item`), by
/// `error_processing`; with `report`, mode 2 answers 400 naming the
/// items it skipped.
#[derive(Clone, Debug)]
pub struct Batch {
    pub items: Name,
    pub mode: Name,
    pub report: bool,
    pub parents: Seq<Parent>,
    pub steps: Seq<Step>,
}
