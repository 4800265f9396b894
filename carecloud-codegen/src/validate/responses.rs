//! Request and response bodies: JSON with a named schema, one success type
//! per operation and one error schema for the whole API.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Checker;
use crate::json_path::JsonPath;
use crate::load::SpecFile;

impl<'a> Checker<'a> {
    /// A request body or response content: JSON only, one named schema.
    /// Returns the schema's `$ref`, if it has content.
    pub(super) fn content(
        &mut self,
        file: &'a SpecFile,
        holder: &'a Value,
        path: &JsonPath,
        what: &str,
    ) -> Option<String> {
        let content = holder.get("content").and_then(Value::as_object)?;
        let c_path = path.key("content");
        let media: Vec<&String> = content.keys().collect();
        if media.len() != 1 || media[0] != "application/json" {
            let list = media
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            self.problem(
                file,
                &c_path,
                format!(
                    "{what} must have exactly one media type, application/json (found: {list})"
                ),
            );
            return None;
        }
        let mt = &content["application/json"];
        let mt_path = c_path.key("application/json");
        if mt.get("encoding").is_some() {
            self.problem(
                file,
                &mt_path.key("encoding"),
                "`encoding` is not supported",
            );
        }
        match mt
            .get("schema")
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
        {
            Some(r) if r.contains("/components/schemas/") => {
                Some(r.rsplit('/').next().unwrap_or(r).to_owned())
            }
            _ => {
                self.problem(
                    file,
                    &mt_path.key("schema"),
                    format!("the {what} schema must be a `$ref` to a named schema, so that both interfaces share one Rust type"),
                );
                None
            }
        }
    }

    pub(super) fn responses(&mut self, file: &'a SpecFile, op: &'a Value, path: &JsonPath) {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            self.problem(file, path, "missing `responses`");
            return;
        };
        let mut success: Vec<(String, Option<String>)> = Vec::new();
        for (code, response) in responses {
            let r_path = path.key(code);
            let status: Option<u16> = code.parse().ok().filter(|c| (100..600).contains(c));
            let Some(status) = status else {
                self.problem(file, &r_path, format!("status `{code}`: list explicit status codes (ranges and `default` are not supported)"));
                continue;
            };
            // Problems inside the response name where it is defined.
            let Some((d_file, response, d_path)) = self.deref(file, response, &r_path) else {
                continue;
            };
            if !response.get("description").is_some_and(Value::is_string) {
                self.problem(
                    d_file,
                    &d_path,
                    "a response needs a `description` (OpenAPI requires it)",
                );
            }
            let schema = self.content(d_file, response, &d_path, &format!("{code} response"));
            if (200..300).contains(&status) {
                success.push((code.clone(), schema));
            } else if status >= 400 {
                match schema {
                    None if response.get("content").is_none() => self.problem(
                        d_file,
                        &d_path,
                        "error responses need the error schema as application/json content: the client has one error type",
                    ),
                    None => {}
                    Some(name) => match &self.error_schema {
                        None => self.error_schema = Some((name, format!("{} {}", file.name, r_path))),
                        Some((first, at)) if *first != name => {
                            let message = format!(
                                "error schema `{name}` differs from `{first}` used at {at}; every error response must use one schema"
                            );
                            self.problem(file, &r_path, message);
                        }
                        Some(_) => {}
                    },
                }
            }
        }
        let distinct: BTreeSet<&Option<String>> = success.iter().map(|(_, s)| s).collect();
        if success.is_empty() {
            self.problem(
                file,
                path,
                "no 2xx response: the operation needs a success response",
            );
        } else if distinct.len() > 1 {
            let list = success
                .iter()
                .map(|(c, s)| format!("{c} → {}", s.as_deref().unwrap_or("no body")))
                .collect::<Vec<_>>()
                .join(", ");
            self.problem(
                file,
                path,
                format!("success responses have different types ({list}); the client needs one"),
            );
        }
    }
}
