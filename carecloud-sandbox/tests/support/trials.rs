//! The trials of `tests/operations.rs` (this crate's, through `invoke`)
//! and of `carecloud-cli/tests/operations.rs` (through the `carecloud`
//! binary): one per operation per interface, from the tables, each running
//! its case from `tests/cases/<group>.yaml` with a [`Caller`], and the two
//! checks of the case files and of the coverage.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use carecloud_api::{Interface, Operation, OperationId, customer, enterprise};
use libtest_mimic::{Arguments, Failed, Trial};

use crate::cases::{self, Case, CaseFile};
use crate::run::{self, Caller};

/// The case files, by group.
pub type CaseFiles = BTreeMap<String, CaseFile>;

/// `interface` as the case files name it.
pub fn interface_name(interface: Interface) -> &'static str {
    match interface {
        Interface::Enterprise => "enterprise",
        Interface::Customer => "customer",
    }
}

/// Runs the trials, every call made by a `C`, with the case files of `dir`
/// (`carecloud-sandbox/tests/cases`), and the runner's own checks of the
/// case files (`extra`, given the files).
pub fn main<C: Caller>(dir: &Path, extra: impl FnOnce(Arc<CaseFiles>) -> Vec<Trial>) {
    let args = Arguments::from_args();
    let files = Arc::new(cases::load(dir));
    let planned = trials_planned();
    let mut trials = Vec::new();
    for &(interface, id) in &planned {
        let op = id.operation();
        let files = Arc::clone(&files);
        let name = format!("{}::{}", interface_name(interface), op.name);
        trials
            .push(Trial::test(name, move || trial::<C>(interface, op, &files)).with_kind(op.group));
    }
    let files_for_check = Arc::clone(&files);
    trials.push(Trial::test(
        "cases::every_entry_names_an_operation_of_its_group",
        move || check_case_files(&files_for_check),
    ));
    trials.push(Trial::test(
        "cases::every_operation_of_both_tables_has_a_test",
        move || coverage(&planned),
    ));
    trials.extend(extra(files));
    let conclusion = libtest_mimic::run(&args, trials);
    let (requests, replies) = crate::schema::totals();
    println!(
        "schema check: {requests} accepted request bodies and {replies} replies of the sandbox validated against the spec's JSON Schema"
    );
    conclusion.exit();
}

/// The operations tested, on the interface each test uses: every entry of
/// both tables.
fn trials_planned() -> Vec<(Interface, OperationId)> {
    let tables = [
        (Interface::Enterprise, enterprise::OPERATIONS),
        (Interface::Customer, customer::OPERATIONS),
    ];
    tables
        .into_iter()
        .flat_map(|(interface, table)| table.iter().map(move |op| (interface, op.id)))
        .collect()
}

/// The test of `op` on `interface`.
fn trial<C: Caller>(
    interface: Interface,
    op: &'static Operation,
    files: &BTreeMap<String, CaseFile>,
) -> Result<(), Failed> {
    let file = files.get(op.group);
    let case: Option<Case> = match file.map(|f| &f.cases) {
        Some(Ok(cases)) => cases.get(op.name).map(|c| c.on(interface_name(interface))),
        Some(Err(error)) => {
            return Err(format!(
                "{}: {error}",
                file.map(|f| f.path.display().to_string())
                    .unwrap_or_default()
            )
            .into());
        }
        None => None,
    };
    let case = match case {
        Some(case) => case,
        None => {
            let needs = run::needs(op);
            if !needs.is_empty() {
                return Err(format!(
                    "no case for `{}` in tests/cases/{}.yaml, and it needs {}",
                    op.name,
                    op.group,
                    needs.join(", ")
                )
                .into());
            }
            Case::default()
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(run::run::<C>(interface, op, case))
        .map_err(Failed::from)
}

/// Every case file entry names an operation of the file's group, and an
/// interface block only an interface that serves it.
fn check_case_files(files: &BTreeMap<String, CaseFile>) -> Result<(), Failed> {
    let mut problems = Vec::new();
    for (group, file) in files {
        let cases = match &file.cases {
            Ok(cases) => cases,
            Err(error) => {
                problems.push(format!("{}: {error}", file.path.display()));
                continue;
            }
        };
        for (name, case) in cases {
            let op = enterprise::OPERATIONS
                .iter()
                .chain(customer::OPERATIONS.iter())
                .find(|op| op.name == name);
            match op {
                None => problems.push(format!("{group}.yaml: `{name}` is no operation")),
                Some(op) if op.group != group => problems.push(format!(
                    "{group}.yaml: `{name}` is in the group `{}`",
                    op.group
                )),
                Some(op) => {
                    if case.enterprise.is_some() && !op.enterprise {
                        problems.push(format!(
                            "{group}.yaml: `{name}` has an enterprise block but is customer-only"
                        ));
                    }
                    if case.customer.is_some() && !op.customer {
                        problems.push(format!(
                            "{group}.yaml: `{name}` has a customer block but is enterprise-only"
                        ));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// The runner's own list against both tables: every operation of each
/// table is tested once on that interface, and nothing else is. (Each test
/// also checks that its operation reached the sandbox, via its request log.)
fn coverage(planned: &[(Interface, OperationId)]) -> Result<(), Failed> {
    let mut problems = Vec::new();
    for (interface, table) in [
        (Interface::Enterprise, enterprise::OPERATIONS),
        (Interface::Customer, customer::OPERATIONS),
    ] {
        let tested: Vec<OperationId> = planned
            .iter()
            .filter(|(i, _)| *i == interface)
            .map(|(_, id)| *id)
            .collect();
        let unique: BTreeSet<OperationId> = tested.iter().copied().collect();
        let listed: BTreeSet<OperationId> = table.iter().map(|op| op.id).collect();
        if unique.len() != tested.len() || listed.len() != table.len() {
            problems.push(format!(
                "{interface:?}: an operation is listed or tested twice"
            ));
        }
        for missing in listed.difference(&unique) {
            problems.push(format!(
                "{interface:?}: `{}` has no test",
                missing.operation().name
            ));
        }
        for extra in unique.difference(&listed) {
            problems.push(format!(
                "{interface:?}: `{}` is tested but not served",
                extra.operation().name
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}
