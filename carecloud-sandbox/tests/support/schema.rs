//! The sandbox's traffic checked against the spec's own JSON Schema, not
//! against the client's (lenient) generated types: every body the sandbox
//! accepts (a 2xx answer) and every reply it sends is validated, strictly,
//! against the schema the spec gives that operation, that status and that
//! direction. A sandbox from [`start`] or [`start_with`] has the check
//! installed (through `Sandbox::observe`); what it finds fails the test
//! that caused it, when the test ends ([`Checked`]'s drop) or at
//! [`Checked::finish`].
//!
//! The schemas come from the spec itself: `spec/` bundled into one
//! document by `carecloud-codegen` (as `carecloud-codegen bundle` writes
//! `api.json`), its OpenAPI 3.0 schemas turned into JSON Schema 2020-12
//! ([`json_schema`]) and compiled once per test binary by the `jsonschema`
//! crate. Strict means:
//! * every object the spec describes is closed (`additionalProperties:
//!   false`): the spec's objects are open by rule (servers may add fields),
//!   but the sandbox and our cases should produce named fields only;
//! * required fields present (in a request, `readOnly` fields are not
//!   required: the server fills them);
//! * types and formats exact; `null` only where the spec says `nullable`
//!   (OpenAPI 3.0's `nullable: true` becomes `"null"` in `type`, in an
//!   `enum`, or an `anyOf` beside a `$ref`);
//! * a status the operation does not declare, a body where the spec has
//!   none, or none where it has one, is a problem too.
//!
//! Answers made by an injected `Fault` are not checked (they are wrong on
//! purpose); problems are described by JSON path and keyword, never by the
//! value (bodies hold passwords and tokens).

#![allow(dead_code)] // Each test binary uses part of it.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use carecloud_sandbox::{Exchange, Sandbox, SandboxConfig};
use jsonschema::{Validator, ValidatorMap};
use serde_json::{Map, Value, json};

/// A sandbox whose traffic is checked against the spec's schema; derefs to
/// the [`Sandbox`]. Dropped with problems recorded (and no panic under
/// way), it panics listing them: the test fails.
pub struct Checked {
    sandbox: Sandbox,
    log: Arc<Log>,
}

/// What the check saw.
#[derive(Default)]
struct Log {
    problems: Mutex<Vec<String>>,
    requests: AtomicUsize,
    replies: AtomicUsize,
}

impl std::ops::Deref for Checked {
    type Target = Sandbox;

    fn deref(&self) -> &Sandbox {
        &self.sandbox
    }
}

impl Checked {
    /// The problems found so far, taken (they will not fail the drop).
    pub fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.problems.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// How many request bodies and replies were checked.
    pub fn checked(&self) -> (usize, usize) {
        (
            self.log.requests.load(Ordering::Relaxed),
            self.log.replies.load(Ordering::Relaxed),
        )
    }

    /// `Err` listing the problems found, if any.
    pub fn finish(self) -> Result<(), String> {
        report(self.take_problems())
    }
}

impl Drop for Checked {
    fn drop(&mut self) {
        let problems = self.take_problems();
        if problems.is_empty() {
            return;
        }
        let report = report(problems).unwrap_err();
        if std::thread::panicking() {
            eprintln!("{report}");
        } else {
            panic!("{report}");
        }
    }
}

/// `Err` describing `problems`, if there are any.
pub fn report(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the sandbox's traffic does not fit the spec's JSON Schema:\n  {}",
        problems.join("\n  ")
    ))
}

/// A sandbox with the default configuration, checked.
pub async fn start() -> Result<Checked, String> {
    start_with(SandboxConfig::default()).await
}

/// A sandbox with `config`, checked.
pub async fn start_with(config: SandboxConfig) -> Result<Checked, String> {
    start_checked_against(spec()?, config).await
}

/// A sandbox with `config`, checked against `spec`.
pub async fn start_checked_against(
    spec: &'static Spec,
    config: SandboxConfig,
) -> Result<Checked, String> {
    let sandbox = Sandbox::start_with(config)
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let log = Arc::new(Log::default());
    let seen = Arc::clone(&log);
    sandbox.observe(move |exchange| {
        let problems = spec.check(exchange, &seen);
        if !problems.is_empty() {
            let mut all = seen.problems.lock().unwrap_or_else(|e| e.into_inner());
            all.extend(problems);
        }
    });
    Ok(Checked { sandbox, log })
}

/// Every request body and reply checked in this test binary, in total:
/// (requests, replies).
pub fn totals() -> (usize, usize) {
    (
        TOTAL_REQUESTS.load(Ordering::Relaxed),
        TOTAL_REPLIES.load(Ordering::Relaxed),
    )
}

static TOTAL_REQUESTS: AtomicUsize = AtomicUsize::new(0);
static TOTAL_REPLIES: AtomicUsize = AtomicUsize::new(0);

/// The spec's bundled document and its schemas, compiled.
pub struct Spec {
    document: Value,
    validators: ValidatorMap,
}

/// The spec of this workspace, every object closed: what the sandbox's
/// traffic is held to. Loaded and compiled once per test binary.
pub fn spec() -> Result<&'static Spec, String> {
    static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();
    SPEC.get_or_init(|| Spec::load(workspace()?, Objects::Closed))
        .as_ref()
        .map_err(Clone::clone)
}

/// The spec of this workspace with its objects open, as the spec says
/// they are (fields it does not name are allowed): for payloads from
/// outside, whose unknown fields are looked for otherwise.
pub fn open_spec() -> Result<&'static Spec, String> {
    static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();
    SPEC.get_or_init(|| Spec::load(workspace()?, Objects::Open))
        .as_ref()
        .map_err(Clone::clone)
}

/// The workspace root (the parent of the crate whose test this is).
fn workspace() -> Result<&'static Path, String> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or_else(|| "no workspace root".to_owned())
}

/// Whether objects the spec describes allow fields it does not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objects {
    /// No (`additionalProperties: false` on each).
    Closed,
    /// Yes, as the spec's objects are by rule.
    Open,
}

/// Which way a body goes: the schemas differ in what `readOnly` means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Request,
    Reply,
}

impl Direction {
    fn key(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Reply => "reply",
        }
    }
}

impl Spec {
    /// The spec of the workspace at `root`, bundled as `carecloud-codegen
    /// bundle` does (the document holding every operation once).
    pub fn load(root: &Path, objects: Objects) -> Result<Spec, String> {
        let sources = carecloud_codegen::load_workspace(root).map_err(|e| e.to_string())?;
        let api = carecloud_codegen::validate::validate(&sources).map_err(|e| e.to_string())?;
        let document = carecloud_codegen::bundle::documents(&sources, &api)
            .into_iter()
            .find(|(stem, _)| stem == "api")
            .map(|(_, document)| document)
            .ok_or("the bundle has no `api` document")?;
        Spec::from_document(document, objects)
    }

    /// The schemas of an OpenAPI `document` with local references.
    pub fn from_document(document: Value, objects: Objects) -> Result<Spec, String> {
        let schema = json_schema(&document, objects);
        let validators = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_keyword(INTEGER_LITERAL, |_, _, _| Ok(Box::new(IntegerLiteral)))
            .build_map(&schema)
            .map_err(|e| format!("the spec's JSON Schema does not compile: {e}"))?;
        Ok(Spec {
            document,
            validators,
        })
    }

    /// The validator of component schema `name` for `direction`.
    pub fn validator(&self, direction: Direction, name: &str) -> Option<&Validator> {
        self.validators
            .get(&format!("#/$defs/{}/{}", direction.key(), escape(name)))
    }

    /// The problems of `value` as the component schema `name`, sent in
    /// `direction`: `<JSON path>: <what is wrong>` (no values quoted).
    pub fn problems(&self, direction: Direction, name: &str, value: &Value) -> Vec<String> {
        let Some(validator) = self.validator(direction, name) else {
            return vec![format!("no schema `{name}` in the spec")];
        };
        validator
            .iter_errors(value)
            .map(|e| {
                let at = e.instance_path().to_string();
                format!(
                    "{name} at `{}`: {}",
                    if at.is_empty() { "/" } else { at.as_str() },
                    e.masked()
                )
            })
            .collect()
    }

    /// The operation object of `method` (lower case) at `template`.
    fn operation(&self, method: &str, template: &str) -> Option<&Value> {
        self.document
            .get("paths")?
            .get(template)?
            .get(method.to_ascii_lowercase())
    }

    /// What the spec says a reply of `status` to `operation` is: `None` if
    /// it declares no such reply; `Some(None)` for a reply without a body;
    /// `Some(Some(name))` for one whose body is the component `name`.
    fn reply(&self, operation: &Value, status: u16) -> Option<Option<String>> {
        let reply = operation.get("responses")?.get(status.to_string())?;
        let reply = self.resolve(reply);
        Some(content_schema(reply))
    }

    /// The component schema every operation declaring a `status` reply
    /// gives it, if they agree (for answers to no operation: 403, 404, 405).
    fn any_reply(&self, status: u16) -> Result<String, String> {
        let names: BTreeSet<String> = self
            .document
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.values())
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .filter_map(|op| self.reply(op, status).flatten())
            .collect();
        match names.len() {
            1 => Ok(names.into_iter().next().unwrap_or_default()),
            0 => Err(format!(
                "no operation declares a {status} reply with a body"
            )),
            _ => Err(format!("{status} replies have several schemas: {names:?}")),
        }
    }

    /// `node`, or what its local `$ref` points at.
    fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        node.get("$ref")
            .and_then(Value::as_str)
            .and_then(|target| target.strip_prefix('#'))
            .and_then(|pointer| self.document.pointer(pointer))
            .unwrap_or(node)
    }

    /// The problems of one exchange; `log` counts what was checked.
    fn check(&self, exchange: &Exchange<'_>, log: &Log) -> Vec<String> {
        if exchange.injected {
            return Vec::new();
        }
        let what = format!("{} {}", exchange.method, exchange.path);
        let Some(op) = exchange.operation else {
            // No operation: the answer is an error envelope.
            log.replies.fetch_add(1, Ordering::Relaxed);
            TOTAL_REPLIES.fetch_add(1, Ordering::Relaxed);
            return match self.any_reply(exchange.status) {
                Ok(name) => self.body_problems(
                    &format!("{what} → {}", exchange.status),
                    Direction::Reply,
                    Some(&name),
                    exchange.reply_body,
                ),
                Err(e) => vec![format!("{what} → {}: {e}", exchange.status)],
            };
        };
        let Some(spec_op) = self.operation(op.method.as_str(), op.path) else {
            return vec![format!(
                "{what}: `{}` is not in the bundled spec",
                op.operation_id
            )];
        };
        let what = format!("{} {} ({})", op.method.as_str(), op.path, op.operation_id);
        let mut problems = Vec::new();
        if (200..300).contains(&exchange.status) {
            log.requests.fetch_add(1, Ordering::Relaxed);
            TOTAL_REQUESTS.fetch_add(1, Ordering::Relaxed);
            let body = spec_op.get("requestBody").map(|b| self.resolve(b));
            let name = body.and_then(content_schema);
            let optional = body.is_some_and(|b| b.get("required") != Some(&Value::Bool(true)));
            if !(optional && blank(exchange.request_body)) {
                problems.extend(self.body_problems(
                    &format!("{what} request"),
                    Direction::Request,
                    name.as_deref(),
                    exchange.request_body,
                ));
            }
        }
        log.replies.fetch_add(1, Ordering::Relaxed);
        TOTAL_REPLIES.fetch_add(1, Ordering::Relaxed);
        let context = format!("{what} → {}", exchange.status);
        match self.reply(spec_op, exchange.status) {
            None => problems.push(format!(
                "{context}: the spec declares no {} reply for this operation",
                exchange.status
            )),
            Some(name) => problems.extend(self.body_problems(
                &context,
                Direction::Reply,
                name.as_deref(),
                exchange.reply_body,
            )),
        }
        problems
    }

    /// The problems of a body that should be the component `name` (`None`:
    /// no body at all).
    fn body_problems(
        &self,
        context: &str,
        direction: Direction,
        name: Option<&str>,
        body: &[u8],
    ) -> Vec<String> {
        match name {
            None if blank(body) => Vec::new(),
            None => vec![format!("{context}: a body, where the spec has none")],
            Some(name) if blank(body) => vec![format!("{context}: no body; the spec says {name}")],
            Some(name) => match serde_json::from_slice::<Value>(body) {
                Err(e) => vec![format!("{context}: the body is not JSON ({e})")],
                Ok(value) => self
                    .problems(direction, name, &value)
                    .into_iter()
                    .map(|p| format!("{context}: {p}"))
                    .collect(),
            },
        }
    }
}

/// Whether a body is empty (or only white space).
fn blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The component schema named by a reply's or request body's
/// `application/json` content (`None`: no content).
fn content_schema(node: &Value) -> Option<String> {
    node.pointer("/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .and_then(|target| target.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
}

/// A JSON pointer token for `name`.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The JSON Schema (draft 2020-12) of the component schemas of an OpenAPI
/// 3.0 `document`: `$defs/request/<Name>` and `$defs/reply/<Name>`, strict
/// as the module says (objects closed or not, as `objects` says).
pub fn json_schema(document: &Value, objects: Objects) -> Value {
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut defs = Map::new();
    for direction in [Direction::Request, Direction::Reply] {
        let converted: Map<String, Value> = schemas
            .iter()
            .map(|(name, schema)| (name.clone(), convert(schema, direction, objects)))
            .collect();
        defs.insert(direction.key().to_owned(), Value::Object(converted));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
    })
}

/// Our keyword beside `type: integer`: JSON Schema counts `1.0` as an
/// integer; the client's integer fields do not take it, so neither does
/// this check.
const INTEGER_LITERAL: &str = "x-integer-literal";

/// The [`INTEGER_LITERAL`] keyword: a number must be written without a
/// fraction or exponent.
struct IntegerLiteral;

impl<'i> jsonschema::Keyword<'i> for IntegerLiteral {
    fn validate(&self, instance: &'i Value) -> Result<(), jsonschema::ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            Err(jsonschema::ValidationError::custom(
                "an integer written as a decimal number",
            ))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        instance.as_number().is_none_or(|n| !n.is_f64())
    }
}

/// Keywords of OpenAPI 3.0 schemas that are annotations (or handled
/// otherwise) and not carried over.
const DROPPED: &[&str] = &[
    "description",
    "example",
    "examples",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "discriminator",
    "xml",
    "externalDocs",
];

/// One OpenAPI 3.0 schema as strict JSON Schema for `direction`.
fn convert(schema: &Value, direction: Direction, objects: Objects) -> Value {
    let Value::Object(node) = schema else {
        return schema.clone();
    };
    let nullable = node.get("nullable") == Some(&Value::Bool(true));
    if let Some(target) = node.get("$ref").and_then(Value::as_str) {
        // OpenAPI 3.0 ignores a `$ref`'s siblings; ours carry descriptions
        // and `nullable`, which the generated types honour, so does this.
        let name = target.trim_start_matches("#/components/schemas/");
        let reference = json!({"$ref": format!("#/$defs/{}/{}", direction.key(), escape(name))});
        return if nullable {
            json!({"anyOf": [reference, {"type": "null"}]})
        } else {
            reference
        };
    }
    let mut out = Map::new();
    for (key, value) in node {
        if DROPPED.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let value = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), convert(property, direction, objects)))
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" if value.is_object() => {
                convert(value, direction, objects)
            }
            "oneOf" | "anyOf" | "allOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|part| convert(part, direction, objects))
                    .collect(),
            ),
            "required" if direction == Direction::Request => {
                // A `readOnly` field is required in replies only.
                let read_only = |name: &str| {
                    node.get("properties")
                        .and_then(|p| p.get(name))
                        .and_then(|p| p.get("readOnly"))
                        == Some(&Value::Bool(true))
                };
                Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|name| !name.as_str().is_some_and(read_only))
                        .cloned()
                        .collect(),
                )
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if objects == Objects::Closed
        && out.contains_key("properties")
        && !out.contains_key("additionalProperties")
    {
        out.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    if out.get("type") == Some(&json!("integer")) {
        out.insert(INTEGER_LITERAL.to_owned(), Value::Bool(true));
    }
    if nullable {
        if let Some(Value::String(kind)) = out.get("type").cloned() {
            out.insert("type".to_owned(), json!([kind, "null"]));
        }
        if let Some(Value::Array(values)) = out.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
        if out.contains_key("oneOf") || out.contains_key("anyOf") {
            return json!({"anyOf": [Value::Object(out), {"type": "null"}]});
        }
    }
    Value::Object(out)
}
