//! Every schema is used by an operation, and one that a single group uses is
//! defined in that group's document (where its type and feature belong).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Checker;
use crate::json_path::JsonPath;
use crate::load::{GROUPS_DIR, SHARED_FILE};
use crate::model::hand_written;

impl Checker<'_> {
    pub(super) fn usage(&mut self) {
        let sources = self.sources;
        let mut used_by: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
        for group in &sources.groups {
            let mut seen = BTreeSet::new();
            if let Some(paths) = group.doc.value.get("paths") {
                crate::refs::reach(sources, &group.doc, paths, &mut seen);
            }
            for key in seen {
                used_by.entry(key).or_default().insert(&group.name);
            }
        }
        for file in sources.files() {
            let Some(schemas) = file
                .value
                .pointer("/components/schemas")
                .and_then(Value::as_object)
            else {
                continue;
            };
            let is_shared = file.ref_name == SHARED_FILE;
            for name in schemas.keys() {
                let path = JsonPath::root().key("components").key("schemas").key(name);
                match used_by.get(&(file.ref_name.clone(), name.clone())) {
                    None => self.problem(
                        file,
                        &path,
                        format!("schema `{name}` is not used by any operation; remove it"),
                    ),
                    Some(users)
                        if is_shared
                            && users.len() == 1
                            && hand_written(name).is_none()
                            && sources.groups.len() > 1 =>
                    {
                        let only = users.iter().next().copied().unwrap_or_default();
                        self.problem(
                            file,
                            &path,
                            format!("schema `{name}` is used only by the group `{only}`; move it to {GROUPS_DIR}/{only}.yaml, where its type belongs"),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
}
