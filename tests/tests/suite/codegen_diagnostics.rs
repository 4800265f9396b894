//! Codegen diagnostics for a set of broken specs (`tests/fixtures/broken/`).
//!
//! Each fixture starts from `valid_minimal.yaml` and breaks one rule (one
//! breaks several at once). A fixture file is a single interface document
//! loaded as `enterprise.yaml` with no shared file; a fixture folder holds
//! `components.yaml` and `enterprise.yaml` [+ `customer.yaml`]. Generation
//! must fail without panicking, and the message must name the file, the JSON
//! path and what is wrong; the full text is snapshotted
//! (`snapshots/codegen_diagnostics__<fixture>.snap`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use carecloud_codegen::{Error, Output, Sources};

/// The interface document of a single-file fixture (and of a folder fixture
/// without one of its own).
const INTERFACE: &str = "openapi: 3.0.3
info: {title: Enterprise, version: v1.0}
security:
  - bearer: []
paths: {}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
";

/// The files of a folder fixture, by path relative to it.
fn folder_files(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            folder_files(&path, &format!("{prefix}{name}/"), out);
        } else {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((format!("{prefix}{name}"), text));
        }
    }
}

/// Reads a fixture and runs the whole generator on it, failing the test if
/// anything panics (the generator itself turns progenitor's panics into
/// `Error::Panicked`; a panic escaping it is a bug). A fixture file is the
/// group `groups/widgets.yaml` beside [`INTERFACE`]; a fixture folder holds
/// spec files at their places (`components.yaml`, `groups/*.yaml`, and
/// maybe `enterprise.yaml`).
fn generate(fixture: &str) -> Result<Output, Error> {
    let path = carecloud_tests::fixture(&format!("broken/{fixture}"));
    let mut files = Vec::new();
    if path.is_dir() {
        folder_files(&path, "", &mut files);
    } else {
        let file = path.with_extension("yaml");
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        files.push(("groups/widgets.yaml".to_owned(), text));
    }
    if !files.iter().any(|(name, _)| name == "enterprise.yaml") {
        files.push(("enterprise.yaml".to_owned(), INTERFACE.to_owned()));
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        let sources = Sources::from_texts(&files, &["enterprise"])?;
        carecloud_codegen::generate(&sources)
    }));
    match outcome {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("generating fixture `{fixture}` panicked: {message}")
        }
    }
}

/// The error generating `fixture` must give (the test fails on success).
fn error_of(fixture: &str) -> Error {
    match generate(fixture) {
        Ok(output) => panic!(
            "fixture `{fixture}` generated {:?}; it must be rejected",
            output.files.keys().collect::<Vec<_>>()
        ),
        Err(e) => e,
    }
}

/// Asserts that `fixture` is rejected by validation with a problem in
/// `file` at `path` whose message contains `what`, and snapshots the text.
#[track_caller]
fn assert_invalid(fixture: &str, file: &str, path: &str, what: &str) {
    let error = error_of(fixture);
    let text = error.to_string();
    let Error::Invalid(problems) = &error else {
        panic!("fixture `{fixture}`: expected validation problems, got: {text}");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.file == file && p.path == path && p.message.contains(what)),
        "fixture `{fixture}`: no problem in {file} at {path} mentioning {what:?}:\n{text}"
    );
    // The rendered text puts file and path together on the problem's line.
    assert!(text.contains(&format!("{file}: {path}: ")), "{text}");
    insta::assert_snapshot!(fixture, text);
}

/// One test per single-problem fixture: fixture, file, JSON path, and a
/// phrase the message must contain.
macro_rules! invalid_cases {
    ($($fixture:ident: $file:literal, $path:literal, $what:literal;)*) => {
        $(
            #[test]
            fn $fixture() {
                assert_invalid(stringify!($fixture), $file, $path, $what);
            }
        )*
        /// The fixtures checked by `invalid_cases!`.
        const INVALID_CASES: &[&str] = &[$(stringify!($fixture)),*];
    };
}

invalid_cases! {
    openapi_3_1: "groups/widgets.yaml", "$.openapi",
        "OpenAPI 3.1.0 is not supported";
    missing_operation_id: "groups/widgets.yaml", "$.paths['/widgets'].get",
        "missing `operationId`";
    duplicate_operation_id: "groups/widgets.yaml", "$.paths['/widgets/{id}'].get.operationId",
        "operationIds must be unique";
    operation_ids_same_method: "groups/widgets.yaml", "$.paths['/widgets/{id}/url'].get.operationId",
        "`getUrl` becomes the method `get_url`, as the operation at groups/widgets.yaml $.paths['/widgets'].get does";
    operation_ids_differ_in_first_letter: "groups/widgets.yaml", "$.paths['/widgets/{id}'].get.operationId",
        "`getWidgets` becomes the method `get_widgets`, as the operation at groups/widgets.yaml $.paths['/widgets'].get does";
    operation_id_new: "groups/widgets.yaml", "$.paths['/widgets'].get.operationId",
        "which every `Client` (or its auth-aware wrapper) already has";
    two_error_schemas: "groups/widgets.yaml", "$.paths['/widgets'].get.responses['404']",
        "error schema `NotFoundError` differs from `ErrorEnvelope`";
    several_success_types: "groups/widgets.yaml", "$.paths['/widgets'].get.responses",
        "success responses have different types (200 → Widget, 201 → Gadget)";
    inline_response_schema: "groups/widgets.yaml",
        "$.paths['/widgets'].get.responses['200'].content['application/json'].schema",
        "must be a `$ref` to a named schema";
    response_without_description: "groups/widgets.yaml", "$.paths['/widgets'].get.responses['200']",
        "needs a `description`";
    multipart_body: "groups/widgets.yaml", "$.paths['/widgets'].post.requestBody.content",
        "exactly one media type, application/json (found: multipart/form-data)";
    two_media_types: "groups/widgets.yaml", "$.paths['/widgets'].post.requestBody.content",
        "(found: application/json, application/xml)";
    cookie_parameter: "groups/widgets.yaml", "$.paths['/widgets'].get.parameters[0]",
        "cookie parameter `session` is not supported";
    path_parameter_not_required: "groups/widgets.yaml", "$.paths['/widgets/{id}'].get.parameters[0]",
        "must have `required: true`";
    path_template_without_parameter: "groups/widgets.yaml", "$.paths['/widgets/{id}'].get",
        "`{id}` in the path has no path parameter";
    parameter_without_name: "groups/widgets.yaml", "$.paths['/widgets'].get.parameters[0]",
        "parameter has no `name`";
    object_query_parameter: "groups/widgets.yaml", "$.paths['/widgets'].get.parameters[0].schema",
        "object schema";
    parameter_named_send: "groups/widgets.yaml", "$.paths['/widgets'].get.parameters[0]",
        "builder method `send`";
    parameter_named_body: "groups/widgets.yaml", "$.paths['/widgets'].post.parameters[0]",
        "the request body already takes";
    unresolved_ref: "groups/widgets.yaml", "$.components.schemas.Widget.properties.colour['$ref']",
        "`#/components/schemas/Colour` does not resolve";
    ref_to_other_file: "groups/widgets.yaml", "$.components.schemas.Widget.properties.colour['$ref']",
        "which is not a spec document";
    ref_to_own_file_name: "groups/widgets.yaml",
        "$.paths['/widgets'].get.responses['200'].content['application/json'].schema['$ref']",
        "write it as `#/components/schemas/Widget`";
    additional_properties_false: "groups/widgets.yaml", "$.components.schemas.Widget.additionalProperties",
        "would reject fields the server adds later";
    inline_enum: "groups/widgets.yaml", "$.components.schemas.Widget.properties.colour.enum",
        "inline enum";
    integer_enum_without_varnames: "groups/widgets.yaml", "$.components.schemas.Priority",
        "needs `x-enum-varnames`";
    enum_varnames_wrong_length: "groups/widgets.yaml", "$.components.schemas.Priority['x-enum-varnames']",
        "2 names for 3 values";
    enum_value_unknown: "groups/widgets.yaml", "$.components.schemas.Colour.enum[1]",
        "reserved";
    rust_name_clash_nested: "groups/widgets.yaml", "$.components.schemas.WidgetBar",
        "becomes the Rust type `WidgetBar`, which groups/widgets.yaml $.components.schemas.Widget.properties.bar already becomes";
    rust_name_clash_case: "groups/widgets.yaml", "$.components.schemas.CardType",
        "becomes the Rust type `CardType`, which groups/widgets.yaml $.components.schemas.Card_type already becomes";
    type_list: "groups/widgets.yaml", "$.components.schemas.Widget.properties.nickname.type",
        "`nullable: true`";
    unknown_type: "groups/widgets.yaml", "$.components.schemas.Widget.properties.nickname.type",
        "unknown type \"strnig\"";
    format_password: "groups/widgets.yaml", "$.components.schemas.Widget.properties.secret.format",
        "`format: password` outside the `Password` schema";
    format_date_time: "groups/widgets.yaml", "$.components.schemas.Widget.properties.created.format",
        "`DateTime` schema";
    format_uuid: "groups/widgets.yaml", "$.components.schemas.Widget.properties.uid.format",
        "uuid::Uuid";
    property_named_extra: "groups/widgets.yaml", "$.components.schemas.Widget.properties.extra",
        "keep unknown fields";
    all_of: "groups/widgets.yaml", "$.components.schemas.Widget.allOf",
        "`allOf` is not supported";
    response_range: "groups/widgets.yaml", "$.paths['/widgets'].get.responses['4XX']",
        "ranges and `default` are not supported";
    default_response: "groups/widgets.yaml", "$.paths['/widgets'].get.responses.default",
        "ranges and `default` are not supported";
    get_with_body: "groups/widgets.yaml", "$.paths['/widgets'].get.requestBody",
        "a GET operation cannot have a request body";
    unknown_security_scheme: "enterprise.yaml", "$.security[0]",
        "unknown security scheme `apiKey`";
    unused_schema: "groups/widgets.yaml", "$.components.schemas.Gadget",
        "not used by any operation";
    shared_schema_used_once: "components.yaml", "$.components.schemas.Gadget",
        "used only by the group `gadgets`; move it to groups/gadgets.yaml";
    shared_request_body: "groups/widgets.yaml", "$.paths['/widgets'].post.requestBody['$ref']",
        "not `requestBodies`";
    shared_parameter_inline_enum: "components.yaml", "$.components.parameters.Sort.schema.enum",
        "inline enum";
}

#[test]
fn valid_minimal() {
    let output = generate("valid_minimal").unwrap_or_else(|e| panic!("{e}"));
    let builders = "carecloud-api/src/generated/builders/widgets.rs";
    assert!(
        output.files.contains_key(builders),
        "{:?}",
        output.files.keys()
    );
    assert!(output.files[builders].contains("pub fn get_widgets("));
    assert_eq!(output.features, ["widgets"]);
}

#[test]
fn several_problems_are_reported_at_once() {
    let error = error_of("several_problems");
    let text = error.to_string();
    let Error::Invalid(problems) = &error else {
        panic!("expected validation problems, got: {text}");
    };
    assert!(problems.len() >= 3, "{text}");
    for path in [
        "$.openapi",
        "$.paths['/widgets'].get",
        "$.components.schemas.Widget.properties.colour.enum",
        "$.components.schemas.Gadget",
    ] {
        assert!(
            text.contains(&format!("groups/widgets.yaml: {path}: ")),
            "{path} missing:\n{text}"
        );
    }
    assert!(
        text.starts_with(&format!("the spec has {} problems:\n", problems.len())),
        "{text}"
    );
    insta::assert_snapshot!("several_problems", text);
}

#[test]
fn yaml_syntax_error() {
    let error = error_of("yaml_syntax_error");
    let text = error.to_string();
    assert!(matches!(error, Error::Yaml { .. }), "{text}");
    assert!(text.starts_with("groups/widgets.yaml: "), "{text}");
    assert!(text.contains("line 4 column 6"), "{text}");
    insta::assert_snapshot!("yaml_syntax_error", text);
}

#[test]
fn not_a_mapping() {
    let error = error_of("not_a_mapping");
    let text = error.to_string();
    assert!(matches!(error, Error::Yaml { .. }), "{text}");
    assert!(text.starts_with("groups/widgets.yaml: "), "{text}");
    assert!(text.contains("not a mapping"), "{text}");
    insta::assert_snapshot!("not_a_mapping", text);
}

/// Not caught by validation: progenitor's own reading of the document
/// rejects it, and the message still names the file and the missing field.
#[test]
fn missing_info() {
    assert_invalid("missing_info", "groups/widgets.yaml", "$", "missing `info`");
}

/// Every fixture in the folder is exercised by one of the tests above.
#[test]
fn every_fixture_has_a_test() {
    let dir = carecloud_tests::fixture("broken");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let name = entry.expect("directory entry").file_name();
            let name = name.to_string_lossy();
            name.strip_suffix(".yaml").unwrap_or(&name).to_owned()
        })
        .collect();
    found.sort();
    let mut tested: Vec<String> = INVALID_CASES
        .iter()
        .chain(&[
            "valid_minimal",
            "several_problems",
            "yaml_syntax_error",
            "not_a_mapping",
            "missing_info",
        ])
        .map(|s| (*s).to_owned())
        .collect();
    tested.sort();
    assert_eq!(found, tested);
}
