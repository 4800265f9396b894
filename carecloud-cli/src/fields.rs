//! A request body's fields, from the spec (`generated::help::SCHEMAS`):
//! listed with an example body in an operation's `--help`, and looked up by
//! JSON path to say what a bad part of a body should be.

use std::fmt::Write as _;

use serde_json::Value;

use crate::command::{first_sentence, wrapped};
use crate::generated::help::{self, BodyHelp, FieldHelp, Kind};
use crate::kind::expected;

/// How deep required objects are followed in `--help` (a schema that
/// contains itself stops sooner).
const MAX_DEPTH: usize = 6;

/// The width the field list is wrapped to.
const WIDTH: usize = 80;

/// The object schema a value of `kind` holds (an object, or an array of
/// objects) and the path suffix of its fields (`""`, `"[]"`).
fn child(kind: Kind) -> Option<(&'static str, &'static str)> {
    match kind {
        Kind::Object(Some(name)) => Some((name, "")),
        Kind::Array(Kind::Object(Some(name))) => Some((name, "[]")),
        _ => None,
    }
}

/// The `--help` section of a body: its schema and description, its fields
/// and an example. Every top-level field is listed, with the fields of an
/// object (or of an array's objects) one level in; below that, the fields of
/// required objects only, to any depth, so that every field a minimal body
/// needs is shown. Read-only fields (filled in by the server) are left out.
pub(crate) fn body_section(body: &BodyHelp, required: bool) -> String {
    let mut out = format!(
        "Request body: {} ({})",
        body.schema,
        if required { "required" } else { "optional" }
    );
    if !body.description.is_empty() {
        let _ = write!(
            out,
            ":\n  {}",
            indented(&wrapped(body.description, WIDTH - 2, "\n"), 2)
        );
    }
    out.push('\n');
    if let Some((schema, suffix)) = child(body.kind) {
        out.push_str(
            "\nFields (* required; read-only ones left out; objects are listed one level\n\
             in, required ones in full):\n",
        );
        let prefix = if suffix.is_empty() { "" } else { "[]." };
        let mut trail = vec![schema];
        list(&mut out, schema, prefix, 0, &mut trail);
    }
    let source = if body.example_in_spec {
        "the spec's example"
    } else {
        "built from the required fields, their examples\nand types; the spec gives none"
    };
    let _ = write!(
        out,
        "\nExample body ({source}):\n  {}",
        indented(body.example, 2)
    );
    out
}

/// The lines of `schema`'s fields under `prefix`, at `depth`; `trail` holds
/// the schemas above (a schema inside itself is not listed again).
fn list(out: &mut String, schema: &str, prefix: &str, depth: usize, trail: &mut Vec<&str>) {
    let Some(schema) = help::schema(schema) else {
        return;
    };
    for field in schema.fields.iter().filter(|f| !f.read_only) {
        let path = format!("{prefix}{}", field.name);
        line(out, &path, field);
        if let Some((inner, suffix)) = child(field.kind)
            && (depth == 0 || field.required)
            && depth < MAX_DEPTH
            && !trail.contains(&inner)
        {
            trail.push(inner);
            list(out, inner, &format!("{path}{suffix}."), depth + 1, trail);
            trail.pop();
        }
    }
}

/// `  path*: what it is. First sentence of its description.`, wrapped.
fn line(out: &mut String, path: &str, field: &FieldHelp) {
    let star = if field.required { "*" } else { "" };
    let what = expected(field.kind, field.nullable);
    let description = first_sentence(field.description);
    let text = if description.is_empty() {
        format!("{path}{star}: {what}.")
    } else {
        format!("{path}{star}: {what}. {description}")
    };
    // Continuation lines are indented by 6.
    let _ = writeln!(out, "  {}", indented(&wrapped(&text, WIDTH - 6, "\n"), 6));
}

/// `text`'s lines after the first indented by `n` spaces.
fn indented(text: &str, n: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(n)))
}

/// One step of a JSON path as serde_path_to_error writes it
/// (`customer.personal_information.gender`, `items[1].name`).
#[derive(Debug, PartialEq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let (index, after) = inner.split_once(']')?;
            steps.push(Step::Index(index.parse().ok()?));
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// What the part of a body of `kind` at `path` should be: its kind,
/// whether it may be null, and its field (if it is one).
pub(crate) fn at_path(kind: Kind, path: &str) -> Option<(Kind, bool, Option<&'static FieldHelp>)> {
    let mut here = (kind, false, None);
    for step in steps(path)? {
        here = match (here.0, step) {
            (Kind::Object(Some(name)), Step::Key(key)) => {
                let field = help::schema(name)?.fields.iter().find(|f| f.name == key)?;
                (field.kind, field.nullable, Some(field))
            }
            (Kind::Array(item), Step::Index(_)) => (*item, false, None),
            _ => return None,
        };
    }
    Some(here)
}

/// The part of `value` at `path`.
pub(crate) fn value_at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    steps(path)?
        .into_iter()
        .try_fold(value, |value, step| match step {
            Step::Key(key) => value.get(key),
            Step::Index(i) => value.get(i),
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn paths_are_read_as_serde_path_to_error_writes_them() {
        assert_eq!(
            steps("a.b[2][0].c"),
            Some(vec![
                Step::Key("a"),
                Step::Key("b"),
                Step::Index(2),
                Step::Index(0),
                Step::Key("c")
            ])
        );
        assert_eq!(steps("a[x]"), None);
        let body = json!({"items": [{"n": 1}, {"n": "two"}]});
        assert_eq!(value_at(&body, "items[1].n"), Some(&json!("two")));
        assert_eq!(value_at(&body, "items[5].n"), None);
    }

    #[test]
    fn a_path_of_a_body_leads_to_its_field() {
        let body = help::lookup("post_customer")
            .and_then(|h| h.body.as_ref())
            .expect("post_customer has a body");
        let (kind, nullable, field) =
            at_path(body.kind, "customer.personal_information.gender").expect("a field");
        assert!(matches!(kind, Kind::IntegerOf(_)) && nullable);
        assert_eq!(field.map(|f| f.name), Some("gender"));
        assert!(at_path(body.kind, "customer.no_such_field").is_none());
    }

    /// Every operation's example body is one the client sends: it decodes
    /// into the body's type (the client checks that before sending, and
    /// names the body when it does not). Against the in-process sandbox,
    /// required parameters filled with placeholder values: the server may
    /// refuse the call, the client must not refuse the body.
    #[test]
    fn every_example_body_is_one_the_client_sends() {
        use carecloud_api::{CustomerClient, EnterpriseClient, Error, Interface};
        use carecloud_dynamic::{Args, Invoke};
        use carecloud_sandbox::Sandbox;

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let refused = runtime.block_on(async {
            let sandbox = Sandbox::start().await.expect("the sandbox");
            let enterprise =
                EnterpriseClient::new(sandbox.url(), Sandbox::enterprise_credentials()).unwrap();
            let customer =
                CustomerClient::new(sandbox.url(), Sandbox::device_registration("examples"))
                    .unwrap();
            let mut refused = Vec::new();
            let mut checked = 0;
            for interface in [Interface::Enterprise, Interface::Customer] {
                for op in interface.operations().iter().filter(|op| op.body.is_some()) {
                    let body = help::lookup(op.name)
                        .and_then(|h| h.body.as_ref())
                        .expect("a body help");
                    let mut args = Args::new().body(serde_json::from_str(body.example).unwrap());
                    for p in op.params.iter().filter(|p| p.required) {
                        args = args.param(p.name, if p.array { json!(["x"]) } else { json!("x") });
                    }
                    let result = match interface {
                        Interface::Enterprise => enterprise.invoke(op.id, args).await,
                        Interface::Customer => customer.invoke(op.id, args).await,
                    };
                    checked += 1;
                    if let Err(Error::InvalidRequest(text)) = result
                        && text.starts_with("`body`")
                    {
                        refused.push(format!("{}: {text}", op.name));
                    }
                }
            }
            assert!(checked > 60, "{checked} operations with a body");
            refused
        });
        assert!(refused.is_empty(), "{}", refused.join("\n"));
    }

    #[test]
    fn the_help_of_a_body_shows_required_fields_at_any_depth() {
        let body = help::lookup("post_customer")
            .and_then(|h| h.body.as_ref())
            .expect("post_customer has a body");
        let text = body_section(body, true);
        assert!(
            text.contains("  customer.personal_information.language_id*: text."),
            "{text}"
        );
        assert!(text.contains("  autologin*: true or false."), "{text}");
        // Read-only fields are left out.
        assert!(!text.contains("customer.customer_id"), "{text}");
        // The example is valid JSON.
        let example = text.split_once("Example body").expect("an example").1;
        let json = &example[example.find('{').expect("an object")..];
        serde_json::from_str::<Value>(json).expect("JSON");
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
    }
}
