//! Spec coverage of the customers area (issue 8): every operation of the
//! reference's customer tags (`tests/fixtures/coverage/customers.tsv`, facts
//! derived from the reference's operation list; its header says how) is in
//! carecloud-api's generated operation tables with the reference's method
//! and path, on exactly the interfaces the reference lists.

use carecloud_api::{Interface, Operation, customer, enterprise};

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
/// that is not (missing, or on the wrong method, path or interface).
struct Report {
    served: [usize; 2],
    expected: [usize; 2],
    problems: Vec<String>,
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
        problems: Vec::new(),
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
                (true, Some(op)) => report.problems.push(format!(
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
                (true, None) => report.problems.push(format!(
                    "missing: {} ({} {}, {}) on the {name} interface",
                    fact.operation_id, fact.method, fact.path, fact.interface
                )),
                (false, Some(_)) => report.problems.push(format!(
                    "misplaced: {} is served on the {name} interface; the reference says {}",
                    fact.operation_id, fact.interface
                )),
                (false, None) => {}
            }
        }
    }
    report
}

#[test]
fn customers_group_covers_every_operation_of_its_tags() {
    let facts = facts("customers.tsv");
    assert!(!facts.is_empty(), "customers.tsv lists no operation");
    let report = check(&facts);
    println!(
        "customers group: {}/{} enterprise-side, {}/{} customer-side",
        report.served[0], report.expected[0], report.served[1], report.expected[1]
    );
    for problem in &report.problems {
        println!("{problem}");
    }
    assert!(
        report.problems.is_empty(),
        "{} operation(s) of the customers area are missing or misplaced:\n{}",
        report.problems.len(),
        report.problems.join("\n")
    );
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
    let problems = report.problems.join("\n");
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
    assert_eq!(report.problems.len(), 5, "{problems}");
}
