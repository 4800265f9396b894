//! Reading a spec folder laid out as carecloud-codegen expects it
//! (`components.yaml`, one document per interface, `groups/<group>.yaml`)
//! and counting its operations.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Context, Result};

pub use carecloud_codegen::INTERFACES;
pub use carecloud_codegen::load::GROUPS_DIR;
pub use carecloud_codegen::model::{CORE_GROUP, INTERFACES_KEY};

/// The HTTP methods a path item may hold operations under.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One resource-group document.
#[derive(Clone, Debug)]
pub struct Group {
    /// The group's name: the file stem (`cards`).
    pub name: String,
    /// The file's name in `groups/` (`cards.yaml`).
    pub file_name: String,
    /// The parsed document.
    pub value: Value,
}

/// The interfaces and groups of a spec folder.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The interfaces whose document exists, in [`INTERFACES`] order.
    pub interfaces: Vec<String>,
    /// The group documents, sorted by name.
    pub groups: Vec<Group>,
}

impl Spec {
    /// Reads the interface list and every group document of `dir`.
    pub fn read(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            crate::bail!("spec folder {} does not exist", dir.display());
        }
        let interfaces: Vec<String> = INTERFACES
            .iter()
            .filter(|i| dir.join(format!("{i}.yaml")).is_file())
            .map(|i| (*i).to_owned())
            .collect();
        if interfaces.is_empty() {
            crate::bail!(
                "{} holds no interface document ({})",
                dir.display(),
                INTERFACES
                    .iter()
                    .map(|i| format!("{i}.yaml"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let groups_dir = dir.join(GROUPS_DIR);
        if !groups_dir.is_dir() {
            crate::bail!("{} has no {GROUPS_DIR}/ folder", dir.display());
        }
        let mut groups = Vec::new();
        for file_name in spec_files(&groups_dir)? {
            let name = stem(&file_name).to_owned();
            let value = parse_file(&groups_dir.join(&file_name))?;
            groups.push(Group {
                name,
                file_name,
                value,
            });
        }
        Ok(Self { interfaces, groups })
    }

    /// The groups other than [`CORE_GROUP`]: the cargo features.
    pub fn feature_groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter().filter(|g| g.name != CORE_GROUP)
    }

    /// Operation counts over `groups` (all when `None`), counting only what
    /// the `enabled` interfaces serve.
    pub fn count(&self, groups: Option<&[String]>, enabled: &[String]) -> OperationCounts {
        let mut counts = OperationCounts::default();
        for group in &self.groups {
            let wanted =
                groups.is_none_or(|list| group.name == CORE_GROUP || list.contains(&group.name));
            if wanted {
                counts.add_document(&group.value, &self.interfaces, enabled);
            }
        }
        counts
    }
}

/// How many operations a spec (or part of it) has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperationCounts {
    /// Operations each interface serves.
    pub per_interface: BTreeMap<String, usize>,
    /// Operations, each counted once.
    pub distinct: usize,
    /// Operations every counted interface serves.
    pub on_all: usize,
}

impl OperationCounts {
    /// Adds the operations of one document: each serves the interfaces its
    /// `x-interfaces` lists (all of `interfaces` when absent); only those of
    /// `enabled` count, and an operation none of them serves is skipped.
    pub fn add_document(&mut self, doc: &Value, interfaces: &[String], enabled: &[String]) {
        for op in operations(doc) {
            let served: Vec<&String> = match op.get(INTERFACES_KEY).and_then(Value::as_array) {
                Some(list) => enabled
                    .iter()
                    .filter(|i| list.iter().any(|v| v.as_str() == Some(i.as_str())))
                    .collect(),
                None => enabled.iter().filter(|i| interfaces.contains(i)).collect(),
            };
            if served.is_empty() {
                continue;
            }
            self.distinct += 1;
            if served.len() == enabled.len() {
                self.on_all += 1;
            }
            for interface in served {
                *self.per_interface.entry(interface.clone()).or_default() += 1;
            }
        }
    }

    /// Operations served, counted once per interface serving them.
    pub fn interface_operations(&self) -> usize {
        self.per_interface.values().sum()
    }

    /// The operations `interface` serves.
    pub fn of(&self, interface: &str) -> usize {
        self.per_interface.get(interface).copied().unwrap_or(0)
    }

    /// `enterprise 322, customer 283, on both 274`, interfaces in `order`.
    pub fn summary(&self, order: &[String]) -> String {
        let mut parts: Vec<String> = order
            .iter()
            .map(|i| format!("{i} {}", self.of(i)))
            .collect();
        if order.len() > 1 {
            let all = if order.len() == 2 { "both" } else { "all" };
            parts.push(format!("on {all} {}", self.on_all));
        }
        parts.push(format!("distinct {}", self.distinct));
        parts.join(", ")
    }
}

/// Every operation object of a document (`paths.<template>.<method>`).
pub fn operations(doc: &Value) -> impl Iterator<Item = &Value> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| {
            item.iter()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .map(|(_, op)| op)
        })
}

/// The YAML and JSON file names directly in `dir`, sorted.
pub fn spec_files(dir: &Path) -> Result<Vec<String>> {
    carecloud_codegen::load::spec_files(dir).map_err(|e| crate::error::Error::new(e.to_string()))
}

/// Reads and parses one YAML or JSON document.
pub fn parse_file(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).context(|| format!("reading {}", path.display()))?;
    let value: Value =
        serde_yaml_ng::from_str(&text).context(|| format!("parsing {}", path.display()))?;
    if !value.is_object() {
        crate::bail!("{}: the document is not a mapping", path.display());
    }
    Ok(value)
}

/// A file name without its extension (`cards.yaml` → `cards`).
pub fn stem(file_name: &str) -> &str {
    file_name.split('.').next().unwrap_or(file_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interfaces() -> Vec<String> {
        vec!["enterprise".to_owned(), "customer".to_owned()]
    }

    #[test]
    fn counts_operations_by_interface() {
        let doc: Value = serde_yaml_ng::from_str(
            "paths:\n  /a:\n    get: {operationId: getA}\n    post: {operationId: postA, x-interfaces: [enterprise]}\n    parameters: []\n  /b:\n    get: {operationId: getB, x-interfaces: [customer]}\n",
        )
        .unwrap();
        let mut all = OperationCounts::default();
        all.add_document(&doc, &interfaces(), &interfaces());
        assert_eq!(all.of("enterprise"), 2);
        assert_eq!(all.of("customer"), 2);
        assert_eq!(all.on_all, 1);
        assert_eq!(all.distinct, 3);
        assert_eq!(all.interface_operations(), 4);
        assert_eq!(
            all.summary(&interfaces()),
            "enterprise 2, customer 2, on both 1, distinct 3"
        );

        let mut enterprise = OperationCounts::default();
        enterprise.add_document(&doc, &interfaces(), &["enterprise".to_owned()]);
        assert_eq!(enterprise.distinct, 2);
        assert_eq!(enterprise.interface_operations(), 2);
    }
}
