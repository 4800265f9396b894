//! Building the [`Api`] model from validated sources: operations with their
//! facts, schemas with the groups (and, for the base group, the interfaces)
//! that use them, and the merged document progenitor reads.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{
    Api, CORE_GROUP, Group, INTERFACES_KEY, Interface, ListShape, Location, Operation, Param,
    SESSION_KEY, Schema, SessionRole, hand_written,
};
use crate::load::{SHARED_FILE, Sources, SpecFile};
use crate::refs::{COMPONENT_KINDS, component, deref, localize, split_ref};

/// Builds the model of validated sources.
pub(crate) fn build(sources: &Sources) -> Api {
    let interfaces = sources
        .interfaces
        .iter()
        .map(|i| Interface {
            module: i.module.clone(),
            public_by_default: i
                .doc
                .value
                .get("security")
                .and_then(Value::as_array)
                .is_none_or(|list| is_public(list)),
        })
        .collect();
    let mut groups = Vec::new();
    let mut operations = Vec::new();
    let mut used_by: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    // Schemas the base group's operations reach → the interfaces serving those operations.
    let mut base_use: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for group in &sources.groups {
        let doc = &group.doc;
        let tags = doc
            .value
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| {
                let name = t.get("name")?.as_str()?.to_owned();
                let description = t.get("description").and_then(Value::as_str).unwrap_or("");
                Some((name, description.trim().to_owned()))
            })
            .collect();
        groups.push(Group {
            name: group.name.clone(),
            file: doc.name.clone(),
            tags,
        });
        let mut seen = BTreeSet::new();
        if let Some(paths) = doc.value.get("paths") {
            crate::refs::reach(sources, doc, paths, &mut seen);
        }
        for key in seen {
            used_by.entry(key).or_default().insert(group.name.clone());
        }
        for (template, item) in path_items(&doc.value) {
            for (method, op) in item {
                if op.get("operationId").is_none() {
                    continue;
                }
                if group.name == CORE_GROUP {
                    let mut seen = BTreeSet::new();
                    crate::refs::reach(sources, doc, op, &mut seen);
                    let served = serving(sources, op);
                    for key in seen {
                        base_use
                            .entry(key)
                            .or_default()
                            .extend(served.iter().cloned());
                    }
                }
                operations.push(operation(
                    sources,
                    doc,
                    &group.name,
                    template,
                    method,
                    item,
                    op,
                ));
            }
        }
    }
    let mut schemas = BTreeMap::new();
    for file in sources.files() {
        let home = sources
            .groups
            .iter()
            .find(|g| g.doc.ref_name == file.ref_name)
            .map(|g| g.name.clone());
        for name in file
            .value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.keys())
        {
            if hand_written(name).is_some() {
                continue;
            }
            schemas.insert(
                name.clone(),
                Schema {
                    name: name.clone(),
                    home: home.clone(),
                    used_by: used_by
                        .get(&(file.ref_name.clone(), name.clone()))
                        .cloned()
                        .unwrap_or_default(),
                    base_interfaces: base_use
                        .get(&(file.ref_name.clone(), name.clone()))
                        .cloned()
                        .unwrap_or_default(),
                },
            );
        }
    }
    Api {
        interfaces,
        groups,
        operations,
        schemas,
        files: sources.files().map(|f| f.name.clone()).collect(),
        document: merged(sources),
        sandbox: Default::default(),
    }
}

fn is_public(security: &[Value]) -> bool {
    security.is_empty()
        || security
            .iter()
            .any(|r| r.as_object().is_some_and(Map::is_empty))
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_owned())
}

fn operation(
    sources: &Sources,
    doc: &SpecFile,
    group: &str,
    template: &str,
    method: &str,
    item: &Map<String, Value>,
    op: &Value,
) -> Operation {
    let interfaces = match op
        .get(crate::model::INTERFACES_KEY)
        .and_then(Value::as_array)
    {
        Some(list) => sources
            .interfaces
            .iter()
            .map(|i| i.module.clone())
            .filter(|m| list.iter().any(|v| v.as_str() == Some(m)))
            .collect(),
        None => sources
            .interfaces
            .iter()
            .map(|i| i.module.clone())
            .collect(),
    };
    let params = parameters(sources, doc, item, op);
    let request_body = op.get("requestBody").and_then(|b| deref(sources, doc, b));
    let body = request_body.and_then(|(_, b)| content_schema(b));
    let body_required =
        request_body.is_some_and(|(_, b)| b.get("required") == Some(&Value::Bool(true)));
    let mut success = Vec::new();
    let mut response = None;
    let mut response_node = None;
    for (code, r) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Ok(status) = code.parse::<u16>() else {
            continue;
        };
        if !(200..300).contains(&status) {
            continue;
        }
        success.push(status);
        if let Some((file, r)) = deref(sources, doc, r)
            && let Some(name) = content_schema(r)
            && response.is_none()
        {
            response_node = r
                .pointer("/content/application~1json/schema")
                .and_then(|schema| deref(sources, file, schema));
            response = Some(name);
        }
    }
    success.sort_unstable();
    let list = response_node.and_then(|(file, node)| list_shape(sources, file, node, &params));
    Operation {
        operation_id: text(op, "operationId").unwrap_or_default(),
        method: method.to_owned(),
        path: template.to_owned(),
        group: group.to_owned(),
        tag: op
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        interfaces,
        public: op
            .get("security")
            .and_then(Value::as_array)
            .map(|list| is_public(list)),
        session: op
            .get(SESSION_KEY)
            .and_then(Value::as_str)
            .and_then(SessionRole::parse),
        summary: text(op, "summary"),
        description: text(op, "description"),
        params,
        body,
        body_required,
        response,
        success,
        list,
    }
}

/// The interfaces serving `op` (`x-interfaces`, or all), in interface order.
fn serving(sources: &Sources, op: &Value) -> Vec<String> {
    let listed = op.get(INTERFACES_KEY).and_then(Value::as_array);
    sources
        .interfaces
        .iter()
        .map(|i| i.module.clone())
        .filter(|m| listed.is_none_or(|list| list.iter().any(|v| v.as_str() == Some(m))))
        .collect()
}

/// The name of the schema a body or response names.
fn content_schema(holder: &Value) -> Option<String> {
    let reference = holder
        .pointer("/content/application~1json/schema/$ref")?
        .as_str()?;
    Some(component(split_ref(reference).1)?.1.to_owned())
}

fn parameters(
    sources: &Sources,
    doc: &SpecFile,
    item: &Map<String, Value>,
    op: &Value,
) -> Vec<Param> {
    let mut out: Vec<Param> = Vec::new();
    for list in [item.get("parameters"), op.get("parameters")] {
        for param in list.and_then(Value::as_array).into_iter().flatten() {
            let Some((file, param)) = deref(sources, doc, param) else {
                continue;
            };
            let location = match param.get("in").and_then(Value::as_str) {
                Some("path") => Location::Path,
                Some("header") => Location::Header,
                _ => Location::Query,
            };
            let name = text(param, "name").unwrap_or_default();
            let schema = param.get("schema").and_then(|s| deref(sources, file, s));
            let array =
                schema.is_some_and(|(_, s)| s.get("type").and_then(Value::as_str) == Some("array"));
            let description = text(param, "description")
                .or_else(|| schema.and_then(|(_, s)| text(s, "description")));
            let new = Param {
                name,
                location,
                required: param.get("required") == Some(&Value::Bool(true)),
                array,
                description,
            };
            match out
                .iter_mut()
                .find(|p| p.name == new.name && p.location == new.location)
            {
                Some(existing) => *existing = new,
                None => out.push(new),
            }
        }
    }
    out
}

/// `data.<items>[]` beside `data.total_items`: a list.
fn list_shape(
    sources: &Sources,
    file: &SpecFile,
    node: &Value,
    params: &[Param],
) -> Option<ListShape> {
    let data_required = node
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|v| v == "data"));
    let data = node.pointer("/properties/data")?;
    let (file, data) = deref(sources, file, data)?;
    let properties = data.get("properties")?.as_object()?;
    properties.get("total_items")?;
    let arrays: Vec<&String> = properties
        .iter()
        .filter(|(_, p)| {
            deref(sources, file, p)
                .is_some_and(|(_, p)| p.get("type").and_then(Value::as_str) == Some("array"))
        })
        .map(|(name, _)| name)
        .collect();
    let [items] = arrays.as_slice() else {
        return None;
    };
    let has = |name: &str| {
        params
            .iter()
            .any(|p| p.name == name && p.location == Location::Query)
    };
    let item_schema = properties
        .get(items.as_str())
        .and_then(|p| deref(sources, file, p))
        .and_then(|(_, p)| p.pointer("/items/$ref")?.as_str())
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_owned);
    let required = |name: &str| {
        data.get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v == name))
    };
    let total_required = required("total_items");
    let items_required = required(items.as_str());
    Some(ListShape {
        items: (*items).clone(),
        paged: has("count") && has("offset"),
        item_schema,
        total_required,
        items_required,
        data_required,
    })
}

/// A document's path items: (template, item).
fn path_items(doc: &Value) -> impl Iterator<Item = (&String, &Map<String, Value>)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(template, item)| Some((template, item.as_object()?)))
}

/// One document holding every group's operations (validation keeps
/// parameters on the operations, so path items from several groups merge)
/// and every document's components, with local references.
fn merged(sources: &Sources) -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for group in &sources.groups {
        for (template, item) in path_items(&group.doc.value) {
            if let Value::Object(target) = paths
                .entry(template.clone())
                .or_insert_with(|| Value::Object(Map::new()))
            {
                target.extend(item.iter().map(|(m, op)| (m.clone(), op.clone())));
            }
        }
    }
    let mut components = Map::new();
    for kind in COMPONENT_KINDS {
        let mut items = Map::new();
        for file in sources.files() {
            if file.ref_name != SHARED_FILE
                && !sources
                    .groups
                    .iter()
                    .any(|g| g.doc.ref_name == file.ref_name)
            {
                continue;
            }
            for (name, item) in file
                .value
                .pointer(&format!("/components/{kind}"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                items.insert(name.clone(), item.clone());
            }
        }
        if !items.is_empty() {
            components.insert((*kind).to_owned(), Value::Object(items));
        }
    }
    let mut document = json!({
        "openapi": "3.0.3",
        "info": {"title": "CareCloud", "version": "v1.0"},
        "paths": paths,
        "components": components,
    });
    localize(&mut document);
    document
}
