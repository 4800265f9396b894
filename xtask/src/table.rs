//! The build-cost report: a markdown table of the figures of carecloud-api
//! in two configurations and of openapi-generator's client, with ratios.

/// The figures of one measured crate (medians over the runs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Generated lines compiled.
    pub lines: usize,
    /// Operations compiled, once per interface serving them.
    pub interface_ops: usize,
    /// Operations compiled, each once.
    pub distinct_ops: usize,
    /// Rebuild after a touch (incremental): wall seconds.
    pub touch_wall: Option<f64>,
    /// Rebuild after a touch: user + system CPU seconds.
    pub touch_cpu: Option<f64>,
    /// Rebuild after a touch: rustc peak RSS, MiB.
    pub touch_rss_mib: Option<f64>,
    /// Clean non-incremental build of the crate alone: wall seconds.
    pub clean_wall: Option<f64>,
    /// Clean build: user + system CPU seconds.
    pub clean_cpu: Option<f64>,
    /// Clean build: rustc peak RSS, MiB.
    pub clean_rss_mib: Option<f64>,
}

impl Figures {
    fn per(&self, count: usize) -> Option<f64> {
        (count > 0).then(|| self.lines as f64 / count as f64)
    }
}

/// One row: its label, how to read it from [`Figures`], and its decimals.
struct Row {
    label: &'static str,
    value: fn(&Figures) -> Option<f64>,
    decimals: usize,
}

const ROWS: &[Row] = &[
    Row {
        label: "generated lines",
        value: |f| Some(f.lines as f64),
        decimals: 0,
    },
    Row {
        label: "interface-operations compiled",
        value: |f| Some(f.interface_ops as f64),
        decimals: 0,
    },
    Row {
        label: "distinct operations compiled",
        value: |f| Some(f.distinct_ops as f64),
        decimals: 0,
    },
    Row {
        label: "generated lines per interface-operation",
        value: |f| f.per(f.interface_ops),
        decimals: 1,
    },
    Row {
        label: "generated lines per distinct operation",
        value: |f| f.per(f.distinct_ops),
        decimals: 1,
    },
    Row {
        label: "rebuild after touch, incremental: wall s",
        value: |f| f.touch_wall,
        decimals: 2,
    },
    Row {
        label: "rebuild after touch: CPU user+sys s",
        value: |f| f.touch_cpu,
        decimals: 2,
    },
    Row {
        label: "rebuild after touch: rustc peak RSS MiB",
        value: |f| f.touch_rss_mib,
        decimals: 0,
    },
    Row {
        label: "clean build, crate only, non-incremental: wall s",
        value: |f| f.clean_wall,
        decimals: 2,
    },
    Row {
        label: "clean build: CPU user+sys s",
        value: |f| f.clean_cpu,
        decimals: 2,
    },
    Row {
        label: "clean build: rustc peak RSS MiB",
        value: |f| f.clean_rss_mib,
        decimals: 0,
    },
];

/// A markdown table: a header row and rows of cells (the first column
/// left-aligned, the others right-aligned).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The column headers.
    pub headers: Vec<String>,
    /// The rows, each as many cells as there are headers.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table as markdown, columns padded to line up in plain text.
    pub fn render(&self) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let padded: Vec<String> = (0..columns)
                .map(|i| {
                    let cell = cells.get(i).map(String::as_str).unwrap_or("");
                    if i == 0 {
                        format!("{cell:<w$}", w = widths[i])
                    } else {
                        format!("{cell:>w$}", w = widths[i])
                    }
                })
                .collect();
            format!("| {} |\n", padded.join(" | "))
        };
        let mut out = line(&self.headers);
        let rule: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    format!(":{}", "-".repeat(w + 1))
                } else {
                    format!("{}:", "-".repeat(w + 1))
                }
            })
            .collect();
        out.push_str(&format!("|{}|\n", rule.join("|")));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// The build-cost table: carecloud-api with all groups (`a`) and with
/// `b_groups` groups (`b`), openapi-generator's client (`oag`, if measured),
/// and the ratios (a)/oag and (b)/(a).
pub fn cost_table(a: &Figures, b: &Figures, b_groups: usize, oag: Option<&Figures>) -> Table {
    let headers = vec![
        "metric".to_owned(),
        "carecloud-api (a) all".to_owned(),
        format!("carecloud-api (b) {b_groups} groups"),
        "openapi-generator".to_owned(),
        "ratio (a)/oag".to_owned(),
        "ratio (b)/(a)".to_owned(),
    ];
    let rows = ROWS
        .iter()
        .map(|row| {
            let (va, vb) = ((row.value)(a), (row.value)(b));
            let vo = oag.and_then(|o| (row.value)(o));
            vec![
                row.label.to_owned(),
                number(va, row.decimals),
                number(vb, row.decimals),
                number(vo, row.decimals),
                ratio(va, vo),
                ratio(vb, va),
            ]
        })
        .collect();
    Table { headers, rows }
}

/// A number with `decimals` decimals, `—` when missing.
pub fn number(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => "—".to_owned(),
    }
}

/// `num / den` with two decimals, `—` when either is missing or `den` is 0.
pub fn ratio(num: Option<f64>, den: Option<f64>) -> String {
    match (num, den) {
        (Some(n), Some(d)) if d != 0.0 => number(Some(n / d), 2),
        _ => "—".to_owned(),
    }
}

/// The whole report: a heading, the table, and the notes as a list.
pub fn report(title: &str, table: &Table, notes: &[String]) -> String {
    let mut out = format!("### {title}\n\n{}\nNotes:\n\n", table.render());
    for note in notes {
        out.push_str(&format!("- {note}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_aligned_markdown() {
        let table = Table {
            headers: vec!["metric".into(), "x".into()],
            rows: vec![
                vec!["lines".into(), "1200".into()],
                vec!["rss".into(), "—".into()],
            ],
        };
        assert_eq!(
            table.render(),
            "| metric |    x |\n|:-------|-----:|\n| lines  | 1200 |\n| rss    |    — |\n"
        );
    }

    #[test]
    fn formats_numbers_and_ratios() {
        assert_eq!(number(Some(2.345), 2), "2.35");
        assert_eq!(number(Some(1234.4), 0), "1234");
        assert_eq!(number(None, 1), "—");
        assert_eq!(ratio(Some(1.0), Some(4.0)), "0.25");
        assert_eq!(ratio(Some(1.0), Some(0.0)), "—");
        assert_eq!(ratio(None, Some(1.0)), "—");
    }

    #[test]
    fn builds_the_cost_table() {
        let a = Figures {
            lines: 1000,
            interface_ops: 40,
            distinct_ops: 25,
            touch_wall: Some(2.0),
            clean_wall: Some(10.0),
            clean_rss_mib: Some(500.0),
            ..Figures::default()
        };
        let b = Figures {
            lines: 400,
            interface_ops: 10,
            distinct_ops: 10,
            touch_wall: Some(1.0),
            clean_wall: Some(4.0),
            ..Figures::default()
        };
        let oag = Figures {
            lines: 2000,
            interface_ops: 40,
            distinct_ops: 25,
            clean_wall: Some(20.0),
            ..Figures::default()
        };
        let table = cost_table(&a, &b, 3, Some(&oag));
        assert_eq!(table.headers[2], "carecloud-api (b) 3 groups");
        let row = |label: &str| table.rows.iter().find(|r| r[0] == label).unwrap().clone();
        assert_eq!(
            row("generated lines"),
            ["generated lines", "1000", "400", "2000", "0.50", "0.40"]
        );
        assert_eq!(
            row("generated lines per interface-operation")[1..4],
            ["25.0", "40.0", "50.0"]
        );
        let clean = row("clean build, crate only, non-incremental: wall s");
        assert_eq!(clean[1..], ["10.00", "4.00", "20.00", "0.50", "0.40"]);
        let touch = row("rebuild after touch, incremental: wall s");
        assert_eq!(touch[3..], ["—", "—", "0.50"]);
        let without = cost_table(&a, &b, 3, None);
        assert!(without.rows.iter().all(|r| r[3] == "—" && r[4] == "—"));
        let text = report("t", &table, &["n1".to_owned()]);
        assert!(text.starts_with("### t\n\n| metric"));
        assert!(text.ends_with("Notes:\n\n- n1\n"));
    }
}
