//! Parameters of an operation: named, located, typed by a schema, and
//! becoming distinct builder methods.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Checker;
use super::operations::OpSite;
use crate::json_path::JsonPath;
use crate::load::SpecFile;
use crate::naming;

/// Methods every operation builder has: a parameter whose builder method is
/// one of these does not compile.
const BUILDER_METHODS: &[&str] = &["new", "send"];

impl<'a> Checker<'a> {
    pub(super) fn parameters(&mut self, file: &'a SpecFile, at: &OpSite<'a, '_>, op: &'a Value) {
        let OpSite {
            template,
            item,
            item_path,
            path,
            ..
        } = *at;
        // Path-level ones, overridden by operation-level ones.
        let mut params: BTreeMap<(String, String), JsonPath> = BTreeMap::new();
        let lists = [
            (item.get("parameters"), item_path.key("parameters")),
            (op.get("parameters"), path.key("parameters")),
        ];
        for (list, list_path) in lists {
            let Some(list) = list.and_then(Value::as_array) else {
                continue;
            };
            for (i, param) in list.iter().enumerate() {
                let use_path = list_path.index(i);
                // Problems of the parameter itself name where it is defined
                // (maybe in the shared file); those of its use name the operation.
                let Some((p_file, param, p_path)) = self.deref(file, param, &use_path) else {
                    continue;
                };
                let Some(name) = param.get("name").and_then(Value::as_str) else {
                    self.problem(p_file, &p_path, "parameter has no `name`");
                    continue;
                };
                let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
                if location == "path" && !template.contains(&format!("{{{name}}}")) {
                    self.problem(
                        file,
                        &use_path,
                        format!("path parameter `{name}` does not appear in `{template}`"),
                    );
                }
                self.parameter(p_file, param, &p_path, name, location);
                params.insert((location.to_owned(), name.to_owned()), use_path);
            }
        }
        let has_body = op.get("requestBody").is_some();
        let mut rust_params: BTreeMap<String, &JsonPath> = BTreeMap::new();
        for ((_, name), p_path) in &params {
            let builder_method = naming::method_name(name);
            if has_body && builder_method == "body" {
                let message = format!(
                    "parameter `{name}` would get the builder method `body`, which the request body already takes (two methods of one name do not compile)"
                );
                self.problem(file, p_path, message);
            }
            if let Some(first) = rust_params.insert(builder_method, p_path) {
                let message = format!(
                    "parameter `{name}` gets the same builder method as the one at {first}"
                );
                self.problem(file, p_path, message);
            }
        }
        for segment in template.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}');
            if !params.contains_key(&("path".to_owned(), name.to_owned())) {
                self.problem(
                    file,
                    path,
                    format!("`{{{name}}}` in the path has no path parameter"),
                );
            }
        }
    }

    /// One parameter, where it is defined.
    fn parameter(
        &mut self,
        p_file: &'a SpecFile,
        param: &'a Value,
        p_path: &JsonPath,
        name: &str,
        location: &str,
    ) {
        match location {
            "path" => {
                if param.get("required") != Some(&Value::Bool(true)) {
                    self.problem(
                        p_file,
                        p_path,
                        format!("path parameter `{name}` must have `required: true`"),
                    );
                }
            }
            "query" => {
                if let Some(style) = param
                    .get("style")
                    .and_then(Value::as_str)
                    .filter(|s| *s != "form")
                {
                    self.problem(
                        p_file,
                        p_path,
                        format!("query style `{style}` is not supported; use `form`"),
                    );
                }
                if name.contains('[') || name.contains(']') {
                    self.problem(
                        p_file,
                        p_path,
                        format!("parameter `{name}`: write the name without brackets; an array parameter is sent as `name[]=a&name[]=b` by itself"),
                    );
                }
            }
            "header" => {}
            "cookie" => self.problem(
                p_file,
                p_path,
                format!("cookie parameter `{name}` is not supported"),
            ),
            other => self.problem(
                p_file,
                p_path,
                format!("unknown parameter location `{other}`"),
            ),
        }
        let builder_method = naming::method_name(name);
        if BUILDER_METHODS.contains(&builder_method.as_str()) {
            self.problem(
                p_file,
                p_path,
                format!("parameter `{name}` would get the builder method `{builder_method}`, which every operation builder already has (two methods of one name do not compile); rename the parameter in the generator first"),
            );
        }
        if param.get("content").is_some() {
            self.problem(
                p_file,
                p_path,
                format!("parameter `{name}` uses `content`; give it a `schema`"),
            );
            return;
        }
        let Some(schema) = param.get("schema") else {
            self.problem(
                p_file,
                p_path,
                format!("parameter `{name}` has no `schema`"),
            );
            return;
        };
        let s_path = p_path.key("schema");
        if let Some((_, s, _)) = self.deref(p_file, schema, &s_path) {
            if s.get("properties").is_some() {
                self.problem(
                    p_file,
                    &s_path,
                    format!("parameter `{name}` has an object schema, which progenitor cannot generate (it panics); make each field a parameter of its own"),
                );
            }
            let array = s.get("type").and_then(Value::as_str) == Some("array");
            if array && location != "query" {
                self.problem(
                    p_file,
                    &s_path,
                    format!("parameter `{name}`: only query parameters may be arrays"),
                );
            }
            if array
                && s.get("items")
                    .and_then(|items| self.deref(p_file, items, &s_path))
                    .is_some_and(|(_, i, _)| {
                        matches!(
                            i.get("type").and_then(Value::as_str),
                            Some("array" | "object")
                        ) || i.get("properties").is_some()
                    })
            {
                self.problem(
                    p_file,
                    &s_path.key("items"),
                    format!("parameter `{name}`: the items of an array parameter must be scalars"),
                );
            }
        }
        self.schema(p_file, schema, &s_path, "Parameter");
    }
}
