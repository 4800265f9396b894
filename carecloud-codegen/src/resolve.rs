//! Step 2: bundle each interface document with the shared components it
//! references, so that progenitor sees one self-contained document.

use serde_json::{Map, Value};

use crate::load::{Sources, SpecFile};

/// Kinds of component that may be shared between the documents.
pub const COMPONENT_KINDS: &[&str] = &["schemas", "parameters", "responses", "headers"];

/// Splits a `$ref` into the file it names (`None` for a local reference) and
/// its fragment (`#/components/...`).
pub fn split_ref(reference: &str) -> (Option<&str>, &str) {
    match reference.split_once('#') {
        Some(("", fragment)) => (None, fragment),
        Some((file, fragment)) => (Some(file.trim_start_matches("./")), fragment),
        None => (Some(reference.trim_start_matches("./")), ""),
    }
}

/// Returns a copy of `doc` in which every reference into the shared document
/// is local, and the shared components are copied into `doc`'s components.
/// Call only on validated sources: clashes were reported by validation.
pub fn bundle(doc: &SpecFile, sources: &Sources) -> Value {
    let mut value = doc.value.clone();
    localize_refs(&mut value);
    let Some(shared) = &sources.shared else {
        return value;
    };
    let root = value
        .as_object_mut()
        .expect("validated: the document is a mapping");
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else {
        return value;
    };
    for kind in COMPONENT_KINDS {
        let Some(shared_items) = shared
            .value
            .pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let target = components
            .entry(*kind)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(target) = target.as_object_mut() {
            for (name, item) in shared_items {
                target.entry(name.clone()).or_insert_with(|| item.clone());
            }
        }
    }
    value
}

/// Rewrites `components.yaml#/x` references to `#/x`.
fn localize_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                let (file, fragment) = split_ref(reference);
                if file.is_some() {
                    *reference = format!("#{fragment}");
                }
            }
            map.values_mut().for_each(localize_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(localize_refs),
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
            split_ref("./components.yaml#/components/schemas/A"),
            (Some("components.yaml"), "/components/schemas/A")
        );
    }

    #[test]
    fn bundles_shared_components_and_localizes_refs() {
        let sources = Sources::from_texts(
            Some("openapi: 3.0.3\ncomponents:\n  schemas:\n    A: {type: string}\n"),
            &[(
                "e",
                "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    B: {$ref: 'components.yaml#/components/schemas/A'}\n",
            )],
        )
        .unwrap();
        let out = bundle(&sources.interfaces[0].doc, &sources);
        assert_eq!(
            out.pointer("/components/schemas/B/$ref").unwrap(),
            "#/components/schemas/A"
        );
        assert_eq!(out.pointer("/components/schemas/A/type").unwrap(), "string");
    }
}
