//! The case files: `tests/cases/<group>.yaml`, one entry per operation of
//! the group, by its method name (`get_customers`).
//!
//! ```yaml
//! get_customers:               # the call under test
//!   params: {customer_ids: [a, b], sort_field: last_name}
//!   body: {...}                # the request body, if it takes one
//!   status: 200                # expected status (default: any 2xx)
//!   expect:                    # JSON pointer into the typed reply → value
//!     /data/total_items: 2     #   exact; or "<any>", "<absent>", "<len N>"
//!   save: {id: /data/customer_id}   # variables for later steps: ${id}
//!   login: false               # customer interface: John Smith is logged
//!                              #   in first unless this says false
//!   before: [step, ...]        # calls made first; after: calls made after
//!   customer: {...}            # what differs on the customer interface
//!   enterprise: {...}          # ... or on the enterprise interface
//! ```
//!
//! A step of `before`/`after` is `call: <operation>` plus `params`, `body`,
//! `status`, `expect`, `save` and `interface` (`enterprise`/`customer`,
//! default: the one under test). `${token_id}` is the customer client's
//! device token.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

/// One operation's case (every field optional).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub params: Option<Map<String, Value>>,
    pub body: Option<Value>,
    pub status: Option<u16>,
    pub expect: Option<BTreeMap<String, Value>>,
    pub save: Option<BTreeMap<String, String>>,
    pub login: Option<bool>,
    pub before: Option<Vec<Step>>,
    pub after: Option<Vec<Step>>,
    pub enterprise: Option<Box<Case>>,
    pub customer: Option<Box<Case>>,
}

impl Case {
    /// This case as run on `interface` (`enterprise` or `customer`): the
    /// interface's block replaces the fields it sets.
    pub fn on(&self, interface: &str) -> Case {
        let over = match interface {
            "enterprise" => self.enterprise.as_deref(),
            _ => self.customer.as_deref(),
        };
        let Some(over) = over.cloned() else {
            return Case {
                enterprise: None,
                customer: None,
                ..self.clone()
            };
        };
        let base = self.clone();
        Case {
            params: over.params.or(base.params),
            body: over.body.or(base.body),
            status: over.status.or(base.status),
            expect: over.expect.or(base.expect),
            save: over.save.or(base.save),
            login: over.login.or(base.login),
            before: over.before.or(base.before),
            after: over.after.or(base.after),
            enterprise: None,
            customer: None,
        }
    }

    /// The call under test as a step.
    pub fn step(&self, call: &str) -> Step {
        Step {
            call: call.to_owned(),
            interface: None,
            params: self.params.clone().unwrap_or_default(),
            body: self.body.clone(),
            status: self.status,
            expect: self.expect.clone().unwrap_or_default(),
            save: self.save.clone().unwrap_or_default(),
        }
    }
}

/// A call made before or after the one under test.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub call: String,
    pub interface: Option<String>,
    #[serde(default)]
    pub params: Map<String, Value>,
    pub body: Option<Value>,
    pub status: Option<u16>,
    #[serde(default)]
    pub expect: BTreeMap<String, Value>,
    #[serde(default)]
    pub save: BTreeMap<String, String>,
}

/// One case file: its path and its cases (or why it could not be read).
pub struct CaseFile {
    pub path: PathBuf,
    pub cases: Result<BTreeMap<String, Case>, String>,
}

/// Every `tests/cases/*.yaml`, by group (the file's stem).
pub fn load(dir: &Path) -> BTreeMap<String, CaseFile> {
    let mut files = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let Some(group) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        let cases = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                if text.trim().is_empty() {
                    return Ok(BTreeMap::new());
                }
                serde_yaml_ng::from_str(&text).map_err(|e| e.to_string())
            });
        files.insert(group, CaseFile { path, cases });
    }
    files
}

/// `value` with every `${name}` replaced: a string that is exactly one
/// variable becomes the variable's JSON value; elsewhere its text.
pub fn substitute(value: &Value, vars: &Map<String, Value>) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}'))
                && !name.contains("${")
            {
                return vars.get(name).cloned().ok_or_else(|| {
                    format!(
                        "no variable `{name}` (saved so far: {:?})",
                        vars.keys().collect::<Vec<_>>()
                    )
                });
            }
            let mut out = s.clone();
            while let Some(start) = out.find("${") {
                let end = out[start..]
                    .find('}')
                    .ok_or_else(|| format!("unclosed `${{` in {s:?}"))?;
                let name = &out[start + 2..start + end];
                let text = match vars.get(name) {
                    Some(Value::String(t)) => t.clone(),
                    Some(other) => other.to_string(),
                    None => return Err(format!("no variable `{name}`")),
                };
                out.replace_range(start..start + end + 1, &text);
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, vars)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// Whether `value` (or a nested string) names `${name}`.
pub fn mentions(value: &Value, name: &str) -> bool {
    match value {
        Value::String(s) => s.contains(&format!("${{{name}}}")),
        Value::Array(items) => items.iter().any(|v| mentions(v, name)),
        Value::Object(fields) => fields.values().any(|v| mentions(v, name)),
        _ => false,
    }
}

/// Checks `reply` against `expect` (pointer → value); the failures.
pub fn check(reply: &Value, expect: &BTreeMap<String, Value>) -> Vec<String> {
    let mut failures = Vec::new();
    for (pointer, wanted) in expect {
        let actual = reply.pointer(pointer).filter(|v| !v.is_null());
        let ok = match wanted.as_str() {
            Some("<any>") => actual.is_some(),
            Some("<absent>") => actual.is_none(),
            Some(len) if len.starts_with("<len ") => {
                let n = len
                    .trim_start_matches("<len ")
                    .trim_end_matches('>')
                    .parse::<usize>()
                    .ok();
                actual.and_then(Value::as_array).map(Vec::len) == n && n.is_some()
            }
            _ => actual == Some(wanted),
        };
        if !ok {
            failures.push(format!(
                "{pointer}: expected {wanted}, got {}",
                actual.map_or("nothing".to_owned(), Value::to_string)
            ));
        }
    }
    failures
}
