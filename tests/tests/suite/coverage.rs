//! Spec coverage by area: every operation of an area's reference tags
//! (`tests/fixtures/coverage/<area>.tsv`, facts derived from the
//! reference's operation list; each file's header says how) is in
//! carecloud-api's generated operation tables with the reference's method
//! and path, on exactly the interfaces the reference lists.
//!
//! An area listed as complete fails on any missing or misplaced operation.
//! An area still being written (see [`LOYALTY_COMPLETE`]) prints how far it
//! is and what is missing, and fails only on a misplaced operation (one
//! present with the wrong method, path or interface).

use carecloud_api::{Interface, Operation, customer, enterprise};

/// Whether the loyalty area (issue 9: cards, points, credits, vouchers,
/// rewards, stamper, wallet) is complete: flip to `true` with its last
/// operation, so that a missing one fails from then on.
const LOYALTY_COMPLETE: bool = true;

/// One line of the fact list.
struct Fact {
    /// `both`, `E-only` or `C-only`.
    interface: String,
    method: String,
    path: String,
    operation_id: String,
}

impl Fact {
    /// Whether the reference lists the operation on `interface`.
    fn on(&self, interface: Interface) -> bool {
        match interface {
            Interface::Enterprise => self.interface != "C-only",
            Interface::Customer => self.interface != "E-only",
        }
    }
}

/// The fact list; panics naming a malformed line.
fn facts(name: &str) -> Vec<Fact> {
    let path = carecloud_tests::fixture(&format!("coverage/{name}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [interface, method, path, operation_id] = fields[..] else {
                panic!(
                    "{name}:{}: expected 4 tab-separated fields: {line:?}",
                    i + 1
                )
            };
            assert!(
                ["both", "E-only", "C-only"].contains(&interface),
                "{name}:{}: unknown interface {interface:?}",
                i + 1
            );
            Fact {
                interface: interface.to_owned(),
                method: method.to_owned(),
                path: path.to_owned(),
                operation_id: operation_id.to_owned(),
            }
        })
        .collect()
}

/// The interface's operation table.
fn table(interface: Interface) -> &'static [&'static Operation] {
    match interface {
        Interface::Enterprise => enterprise::OPERATIONS,
        Interface::Customer => customer::OPERATIONS,
    }
}

/// How many facts are served correctly on each interface, and every fact
/// that is not: missing, or misplaced (on the wrong method, path or
/// interface).
struct Report {
    served: [usize; 2],
    expected: [usize; 2],
    missing: Vec<String>,
    misplaced: Vec<String>,
}

/// A path template with its parameters' names left out:
/// `/customers/{customer_id}` → `/customers/{}`.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn check(facts: &[Fact]) -> Report {
    let mut report = Report {
        served: [0, 0],
        expected: [0, 0],
        missing: Vec::new(),
        misplaced: Vec::new(),
    };
    for (slot, interface) in [Interface::Enterprise, Interface::Customer]
        .into_iter()
        .enumerate()
    {
        let name = format!("{interface:?}").to_lowercase();
        for fact in facts {
            let found = table(interface)
                .iter()
                .find(|op| op.operation_id == fact.operation_id);
            let wanted = fact.on(interface);
            report.expected[slot] += usize::from(wanted);
            match (wanted, found) {
                (true, Some(op)) if op.method.as_str() == fact.method && op.path == fact.path => {
                    report.served[slot] += 1;
                }
                (true, Some(op)) => report.misplaced.push(format!(
                    "misplaced: {} is {} {} on the {name} interface; the reference says {} {}{}",
                    fact.operation_id,
                    op.method.as_str(),
                    op.path,
                    fact.method,
                    fact.path,
                    if shape(op.path) == shape(&fact.path) {
                        " (same URL, path parameters named differently)"
                    } else {
                        ""
                    }
                )),
                (true, None) => report.missing.push(format!(
                    "missing: {} ({} {}, {}) on the {name} interface",
                    fact.operation_id, fact.method, fact.path, fact.interface
                )),
                (false, Some(_)) => report.misplaced.push(format!(
                    "misplaced: {} is served on the {name} interface; the reference says {}",
                    fact.operation_id, fact.interface
                )),
                (false, None) => {}
            }
        }
    }
    report
}

/// Checks the area `name` (`<name>.tsv`): prints its progress and what is
/// missing or misplaced; fails on a misplaced operation, and on a missing
/// one too once the area is `complete`. Returns the report.
fn check_area(name: &str, complete: bool) -> Report {
    let facts = facts(&format!("{name}.tsv"));
    assert!(!facts.is_empty(), "{name}.tsv lists no operation");
    let report = check(&facts);
    println!(
        "{name} group: {}/{} enterprise-side, {}/{} customer-side",
        report.served[0], report.expected[0], report.served[1], report.expected[1]
    );
    for problem in report.misplaced.iter().chain(&report.missing) {
        println!("{problem}");
    }
    let failing: Vec<&String> = if complete {
        report.misplaced.iter().chain(&report.missing).collect()
    } else {
        report.misplaced.iter().collect()
    };
    assert!(
        failing.is_empty(),
        "{} operation(s) of the {name} area are {}:\n{}",
        failing.len(),
        if complete {
            "missing or misplaced"
        } else {
            "misplaced"
        },
        failing
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    report
}

#[test]
fn customers_group_covers_every_operation_of_its_tags() {
    check_area("customers", true);
}

#[test]
fn loyalty_group_places_every_operation_it_has_where_the_reference_does() {
    check_area("loyalty", LOYALTY_COMPLETE);
}

#[test]
fn engagement_group_covers_every_operation_of_its_tags() {
    // Issue 21: tasks, segments, messages, events, bookings, entrances and
    // user roles; 67 operations, 7 of them on the enterprise interface only.
    let report = check_area("engagement", true);
    assert_eq!(report.expected, [67, 60], "the fact list changed");
    assert_eq!(report.served, report.expected);
}

#[test]
fn commerce_group_covers_every_operation_of_its_tags() {
    check_area("commerce", true);
}

/// The commerce area's size on each interface, as the reference lists it:
/// a fact list that lost or gained lines would otherwise pass silently.
#[test]
fn commerce_group_counts_match_the_reference() {
    let report = check(&facts("commerce.tsv"));
    assert_eq!(report.expected, [86, 78], "enterprise-side, customer-side");
    assert_eq!(report.served, report.expected);
}

#[test]
fn base_operations_are_all_where_the_reference_puts_them() {
    // Authentication, users, device tokens, the connection test, languages
    // and currencies: the tags none of the four areas takes.
    let report = check_area("base", true);
    assert_eq!(report.expected, [10, 13], "enterprise-side, customer-side");
}

/// The areas together are the whole API (issue 21): every operation of the
/// reference, on exactly its interfaces, and nothing else in the generated
/// tables.
#[test]
fn the_areas_together_cover_the_whole_api() {
    let facts: Vec<Fact> = ["base", "customers", "loyalty", "commerce", "engagement"]
        .iter()
        .flat_map(|area| facts(&format!("{area}.tsv")))
        .collect();
    let report = check(&facts);
    println!(
        "whole API: {}/{} enterprise, {}/{} customer operations",
        report.served[0], report.expected[0], report.served[1], report.expected[1]
    );
    assert_eq!(
        report.expected,
        [313, 280],
        "enterprise-side, customer-side"
    );
    assert_eq!(report.served, report.expected, "{:?}", report.missing);
    let tables = [
        table(Interface::Enterprise).len(),
        table(Interface::Customer).len(),
    ];
    assert_eq!(tables, [313, 280], "operations outside the areas");
}

#[test]
fn the_check_tells_missing_from_misplaced() {
    let fact = |interface: &str, method: &str, path: &str, id: &str| Fact {
        interface: interface.to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        operation_id: id.to_owned(),
    };
    let report = check(&[
        fact("both", "GET", "/customers", "getCustomers"),
        fact("E-only", "GET", "/customers", "getCustomers"),
        fact("both", "GET", "/customers/{id}", "getCustomer"),
        fact("both", "GET", "/nowhere", "getNowhere"),
    ]);
    assert_eq!(report.expected, [4, 3]);
    assert_eq!(report.served, [2, 1]);
    assert_eq!(report.missing.len(), 2);
    assert_eq!(report.misplaced.len(), 3);
    let problems = [report.misplaced, report.missing].concat().join("\n");
    assert!(
        problems.contains(
            "misplaced: getCustomers is served on the customer interface; the reference says E-only"
        ),
        "{problems}"
    );
    assert!(
        problems.contains(
            "misplaced: getCustomer is GET /customers/{customer_id} on the enterprise interface; \
             the reference says GET /customers/{id} (same URL, path parameters named differently)"
        ),
        "{problems}"
    );
    assert!(
        problems.contains("missing: getNowhere (GET /nowhere, both) on the customer interface"),
        "{problems}"
    );
}
