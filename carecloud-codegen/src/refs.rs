//! `$ref`s between the spec documents: splitting them, and finding the file
//! and node they name.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::load::{Sources, SpecFile};

/// Kinds of component a `$ref` may name in another document.
pub const COMPONENT_KINDS: &[&str] = &["schemas", "parameters", "responses", "headers"];

/// Splits a `$ref` into the file it names (`None` for a local reference) and
/// its fragment (`/components/...`).
pub fn split_ref(reference: &str) -> (Option<&str>, &str) {
    match reference.split_once('#') {
        Some(("", fragment)) => (None, fragment),
        Some((file, fragment)) => (Some(file), fragment),
        None => (Some(reference), ""),
    }
}

/// The spec-relative name of the file a reference written in `from` (a
/// spec-relative name such as `groups/cards.yaml`) names by `file`
/// (`../components.yaml`, `stores.yaml`, `./x.yaml`); `None` if it leaves the
/// spec folder.
pub fn join(from: &str, file: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in file.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The component a fragment names: (`schemas`, `Customer`) for
/// `/components/schemas/Customer`.
pub fn component(fragment: &str) -> Option<(&str, &str)> {
    let rest = fragment.strip_prefix("/components/")?;
    let (kind, name) = rest.split_once('/')?;
    (!name.contains('/')).then_some((kind, name))
}

/// Finds the document and node a `$ref` written in `from` names (one hop).
pub fn resolve<'a>(
    sources: &'a Sources,
    from: &'a SpecFile,
    reference: &str,
) -> Option<(&'a SpecFile, &'a Value)> {
    let (file, fragment) = split_ref(reference);
    let target = match file {
        None => from,
        Some(file) => sources.file(&join(&from.ref_name, file)?)?,
    };
    let node = target.value.pointer(fragment)?;
    Some((target, node))
}

/// Follows `$ref`s from `node` (in `from`) to a node that is not a
/// reference (at most 16 hops).
pub fn deref<'a>(
    sources: &'a Sources,
    from: &'a SpecFile,
    node: &'a Value,
) -> Option<(&'a SpecFile, &'a Value)> {
    let (mut file, mut node) = (from, node);
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => (file, node) = resolve(sources, file, r)?,
            None => return Some((file, node)),
        }
    }
    None
}

/// Adds to `seen` the (file, schema name) pairs reachable from `node` (in
/// `file`) through `$ref`s, transitively.
pub fn reach<'a>(
    sources: &'a Sources,
    file: &'a SpecFile,
    node: &'a Value,
    seen: &mut BTreeSet<(String, String)>,
) {
    match node {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str)
                && let Some((target, value)) = resolve(sources, file, r)
            {
                if let Some(("schemas", name)) = component(split_ref(r).1)
                    && !seen.insert((target.ref_name.clone(), name.to_owned()))
                {
                    return;
                }
                reach(sources, target, value, seen);
            }
            for (k, v) in map {
                if k != "example" && k != "examples" {
                    reach(sources, file, v, seen);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| reach(sources, file, v, seen)),
        _ => {}
    }
}

/// Rewrites every `$ref` in `value` to a local one (`#/components/...`):
/// the documents are merged into one, whose components are unique by name.
pub fn localize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                let (file, fragment) = split_ref(reference);
                if file.is_some() {
                    *reference = format!("#{fragment}");
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "example" && key != "examples" {
                    localize(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(localize),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        assert_eq!(
            split_ref("#/components/schemas/A"),
            (None, "/components/schemas/A")
        );
        assert_eq!(
            split_ref("../components.yaml#/components/schemas/A"),
            (Some("../components.yaml"), "/components/schemas/A")
        );
        assert_eq!(component("/components/schemas/A"), Some(("schemas", "A")));
        assert_eq!(component("/paths/x"), None);
    }

    #[test]
    fn joins_relative_file_names() {
        assert_eq!(
            join("groups/cards.yaml", "../components.yaml").as_deref(),
            Some("components.yaml")
        );
        assert_eq!(
            join("groups/cards.yaml", "stores.yaml").as_deref(),
            Some("groups/stores.yaml")
        );
        assert_eq!(
            join("groups/cards.yaml", "./stores.yaml").as_deref(),
            Some("groups/stores.yaml")
        );
        assert_eq!(
            join("components.yaml", "groups/x.yaml").as_deref(),
            Some("groups/x.yaml")
        );
        assert_eq!(join("components.yaml", "../x.yaml"), None);
    }

    #[test]
    fn resolves_across_files() {
        let sources = Sources::from_texts(
            &[
                (
                    "components.yaml",
                    "openapi: 3.0.3\ncomponents:\n  schemas:\n    A: {type: string}\n",
                ),
                (
                    "groups/g.yaml",
                    "openapi: 3.0.3\ncomponents:\n  schemas:\n    B: {$ref: '../components.yaml#/components/schemas/A'}\n",
                ),
            ],
            &[],
        )
        .unwrap();
        let g = &sources.groups[0].doc;
        let b = g.value.pointer("/components/schemas/B").unwrap();
        let (file, node) = deref(&sources, g, b).unwrap();
        assert_eq!(file.ref_name, "components.yaml");
        assert_eq!(node["type"], "string");
    }
}
