// The types of the sandbox's plan, written once for both sides (see
// `model/sandbox.rs`): carecloud-codegen builds its model with them
// (`Name` = `String`, `Seq<T>` = `Slice<T>`, `Ptr<T>` = `Boxed<T>`), and
// writes this file into the sandbox's generated code, where they are static
// (`&'static str`, `&'static [T]`, `&'static T`) and hold the plan itself.
// `docs/sandbox.md` describes the declarations these come from.

/// One collection of records (`seed/<name>.json`) and its rules.
#[derive(Clone, Debug)]
pub struct Resource {
    pub name: Name,
    /// The schema of its records (seed records are checked against it).
    pub schema: Name,
    /// One record, in messages and 404s (`card`).
    pub record: Name,
    pub id: Name,
    /// The field naming the customer a record belongs to (scoping).
    pub owner: Option<Name>,
    /// Fields naming records of other collections (400 `not_found`).
    pub refs: Seq<(Path, Name)>,
    pub unique: Seq<Unique>,
    /// Fields the records keep that replies leave out.
    pub hidden: Seq<Name>,
    /// The ID is these fields' values joined by `:` (else a new one).
    pub compose_id: Seq<Name>,
    /// Set on a new record; on every write (`$record`: the record so far).
    pub on_create: Fields,
    pub on_write: Fields,
    /// Conditions every written record must meet.
    pub checks: Seq<Check>,
    /// Computed on every read (`$record`: the stored record).
    pub derive: Fields,
    pub capacity: Option<Capacity>,
    pub states: Option<States>,
}

/// No two records share these fields' values (text, ignoring case) among
/// the records `among` keeps (`$it`).
#[derive(Clone, Debug)]
pub struct Unique {
    pub fields: Seq<Path>,
    pub among: Option<Expr>,
    pub fail: Fail,
}

/// A condition on a written record and the error if it fails.
#[derive(Clone, Debug)]
pub struct Check {
    pub require: Expr,
    pub fail: Fail,
}

/// A reservable quantity: the records that `hold` (`$it`) take `amount`
/// (1 each when absent) of the `limit` of the slot (of `slots`) they name.
#[derive(Clone, Debug)]
pub struct Capacity {
    pub slots: Name,
    pub slot: Path,
    pub limit: Name,
    pub amount: Option<Name>,
    pub holds: Expr,
    pub fail: Fail,
}

/// A field whose value only moves as declared: a new record starts in one
/// of `initial` (empty: any), a written one moves from a value to one of
/// those `moves` lists for it (or keeps its value).
#[derive(Clone, Debug)]
pub struct States {
    pub field: Name,
    pub initial: Seq<Name>,
    pub moves: Seq<(Name, Seq<Name>)>,
    pub fail: Fail,
}

/// A 400 with one `invalid_params` entry.
#[derive(Clone, Debug)]
pub struct Fail {
    pub reason: Name,
    pub name: Name,
    pub value: Option<Expr>,
    pub message: Name,
}

plan_enum! {
/// How the sandbox serves one operation.
#[derive(Clone)]
pub enum Serve {
    /// A hand-written one-off (`actions::handler`).
    Handler,
    Standard(a0: Ptr<Standard>),
    Ledger(a0: LedgerOp),
    Action(a0: Ptr<Action>),
    View(a0: Ptr<View>),
    Batch(a0: Ptr<Batch>),
}
}

/// List, get, create, replace or delete records of one collection.
#[derive(Clone, Debug)]
pub struct Standard {
    pub resource: Name,
    pub kind: Kind,
    /// The path parameter naming the record (item operations).
    pub id_param: Option<Name>,
    pub parents: Seq<Parent>,
    /// The body field holding a written record (`None`: the body).
    pub body: Option<Name>,
    /// Fields a create or replace sets (`$record`: the record so far).
    pub set: Fields,
    pub list: Option<Ptr<List>>,
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
/// Hand-written code after a write: a customer's password, social login
/// and autologin (`tokens.rs`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    Credentials,
}
}

/// A path parameter naming a record of `of` that must exist.
#[derive(Clone, Debug)]
pub struct Parent {
    pub param: Name,
    pub of: Name,
    pub rel: Rel,
}

plan_enum! {
/// Which records are under a parent: those whose field is its ID; those
/// whose `on` is among its `from` items (copying `take`: field ← item
/// field); or all (it only has to exist).
#[derive(Clone)]
pub enum Rel {
    Field(a0: Path),
    Items {
        from: Path,
        on: Name,
        take: Seq<(Name, Name)>,
    },
    Exists,
}
}

#[derive(Clone, Debug)]
pub struct List {
    /// The field of `data` holding the records.
    pub items: Name,
    pub paged: bool,
    pub filters: Seq<Filter>,
    /// The records are the distinct items (by key) of this array field.
    pub unnest: Option<(Name, Name)>,
    /// Only records for which this holds (`$it`).
    pub keep: Option<Expr>,
    /// The order without `sort_field`: (field, descending).
    pub order: Seq<(Name, bool)>,
    /// A flag parameter that drops paths from each record when true.
    pub omit: Seq<(Name, Seq<Path>)>,
    /// The customer the list is about (`$customer`).
    pub customer: Option<Arg>,
}

/// A query parameter that filters a list.
#[derive(Clone, Debug)]
pub struct Filter {
    pub param: Name,
    pub test: Test,
}

plan_enum! {
/// Any field equals any value (with flag `also.0`, `also.1` counts too); a
/// field at least/at most the value; flags: a field (not) empty, a record
/// (not) valid now.
#[derive(Clone)]
pub enum Test {
    Equals {
        fields: Seq<Path>,
        also: Option<(Name, Path)>,
    },
    From(a0: Path),
    To(a0: Path),
    Present(a0: Path),
    Valid,
}
}

plan_enum! {
/// A value computed from the request and the records (`docs/sandbox.md`).
#[derive(Clone)]
pub enum Expr {
    /// JSON text.
    Lit(a0: Name),
    Now,
    Today,
    NewId(a0: usize),
    Ref(a0: Root, a1: Path),
    Or(a0: Seq<Expr>),
    Array(a0: Seq<Expr>),
    Object(a0: Fields),
    Merge(a0: Seq<Expr>),
    Pick(a0: Ptr<Expr>, a1: Seq<Name>),
    Without(a0: Ptr<Expr>, a1: Seq<Name>),
    First(a0: Ptr<Expr>),
    Concat(a0: Seq<Expr>),
    Initial(a0: Ptr<Expr>),
    Reverse(a0: Ptr<Expr>),
    Contains(a0: Ptr<Expr>, a1: Ptr<Expr>),
    Upper(a0: Ptr<Expr>),
    DateTime(a0: Ptr<Expr>),
    PeriodEnd(a0: Ptr<Expr>, a1: Ptr<Expr>),
    If(a0: Ptr<Expr>, a1: Ptr<Expr>, a2: Ptr<Expr>),
    Map(a0: Ptr<Expr>, a1: Seq<(Name, Expr)>),
    Not(a0: Ptr<Expr>),
    All(a0: Seq<Expr>),
    Any(a0: Seq<Expr>),
    Empty(a0: Ptr<Expr>),
    Present(a0: Ptr<Expr>),
    Flag(a0: Ptr<Expr>),
    Valid(a0: Ptr<Expr>),
    Cmp(a0: Cmp, a1: Ptr<Expr>, a2: Ptr<Expr>),
    In(a0: Ptr<Expr>, a1: Ptr<Expr>),
    Count(a0: Ptr<Select>),
    Exists(a0: Ptr<Select>),
    Children(a0: Ptr<Select>),
    /// Each record a selection picks made into a value (`$it`: the record).
    For(a0: Ptr<Select>, a1: Ptr<Expr>),
    Lookup(a0: Name, a1: Ptr<Expr>, a2: Path),
    Balance(a0: Name, a1: Ptr<Expr>),
    Left(a0: Name),
    /// Numbers, left to right (a division by 0 is 0).
    Math(a0: Arith, a1: Seq<Expr>),
    Floor(a0: Ptr<Expr>),
    /// The items of a list (or their field at the path), added.
    Sum(a0: Ptr<Expr>, a1: Path),
}
}

plan_enum! {
#[derive(Clone, Copy)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
}
}

plan_enum! {
/// Where a reference starts.
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
#[derive(Clone, Copy)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}
}

/// Records of a collection whose fields match (text; a null value skips
/// its field, `Match::Empty` wants none), that `keep` keeps (`$it`).
#[derive(Clone, Debug)]
pub struct Select {
    pub resource: Name,
    pub matching: Seq<(Path, Match)>,
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

/// A value named by a request field (the customer an operation is about).
#[derive(Clone, Debug)]
pub struct Arg {
    pub value: Expr,
    pub name: Name,
}
