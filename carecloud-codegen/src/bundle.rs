//! Single self-contained documents for other tools: one per interface (its
//! info, servers and security with the operations it serves), and one with
//! every operation once (`api`), as a vendor would publish it.

use serde_json::{Map, Value};

use crate::load::Sources;
use crate::model::{Api, INTERFACES_KEY};

/// The bundled documents: (file stem, document).
pub fn documents(sources: &Sources, api: &Api) -> Vec<(String, Value)> {
    let tags: Vec<Value> = api
        .groups
        .iter()
        .flat_map(|g| &g.tags)
        .map(|(name, description)| serde_json::json!({"name": name, "description": description}))
        .collect();
    let mut out = Vec::new();
    let mut servers = Vec::new();
    let mut schemes = Map::new();
    let mut security = Vec::new();
    for interface in &sources.interfaces {
        let mut doc = interface.doc.value.clone();
        let paths = paths(&api.document, Some(&interface.module));
        let Some(root) = doc.as_object_mut() else {
            continue;
        };
        servers.extend(
            root.get("servers")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        );
        security.extend(
            root.get("security")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        );
        let own = root
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        schemes.extend(own.clone());
        root.insert("tags".to_owned(), Value::Array(tags.clone()));
        root.insert("paths".to_owned(), paths);
        root.insert("components".to_owned(), components(&api.document, own));
        out.push((interface.module.clone(), doc));
    }
    let mut union = serde_json::json!({
        "openapi": "3.0.3",
        "info": {
            "title": "CareCloud REST API (both interfaces)",
            "version": "v1.0",
            "description": "Every operation of the CareCloud spec once, as one document (bundled by carecloud-codegen). `x-interfaces` names the interfaces serving an operation when not all do.",
        },
        "servers": servers,
        "security": security,
        "tags": tags,
        "paths": paths(&api.document, None),
    });
    union["components"] = components(&api.document, schemes);
    out.push(("api".to_owned(), union));
    out
}

/// The merged document's paths, only the operations `interface` serves.
fn paths(document: &Value, interface: Option<&str>) -> Value {
    let mut out = Map::new();
    for (template, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let mut kept = Map::new();
        for (method, op) in item.as_object().into_iter().flatten() {
            let serves = op
                .get(INTERFACES_KEY)
                .and_then(Value::as_array)
                .is_none_or(|list| interface.is_none_or(|i| list.iter().any(|v| v == i)));
            if serves {
                let mut op = op.clone();
                // The sandbox's declarations are for carecloud-codegen only.
                if let Some(fields) = op.as_object_mut() {
                    fields.remove(crate::validate::sandbox::KEY);
                }
                kept.insert(method.clone(), op);
            }
        }
        if !kept.is_empty() {
            out.insert(template.clone(), Value::Object(kept));
        }
    }
    Value::Object(out)
}

fn components(document: &Value, schemes: Map<String, Value>) -> Value {
    let mut components = document
        .get("components")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if !schemes.is_empty() {
        components.insert("securitySchemes".to_owned(), Value::Object(schemes));
    }
    Value::Object(components)
}
