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

/// Reads a fixture and runs the whole generator on it, failing the test if
/// anything panics (the generator itself turns progenitor's panics into
/// `Error::Panicked`; a panic escaping it is a bug).
fn generate(fixture: &str) -> Result<Output, Error> {
    let path = carecloud_tests::fixture(&format!("broken/{fixture}"));
    let read =
        |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let (shared, interfaces) = if path.is_dir() {
        let shared = path.join("components.yaml");
        let shared = shared.exists().then(|| read(&shared));
        let interfaces: Vec<(&str, String)> = carecloud_codegen::INTERFACES
            .iter()
            .map(|module| (*module, path.join(format!("{module}.yaml"))))
            .filter(|(_, p)| p.exists())
            .map(|(module, p)| (module, read(&p)))
            .collect();
        (shared, interfaces)
    } else {
        (
            None,
            vec![("enterprise", read(&path.with_extension("yaml")))],
        )
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let interfaces: Vec<(&str, &str)> = interfaces
            .iter()
            .map(|(module, text)| (*module, text.as_str()))
            .collect();
        let sources = Sources::from_texts(shared.as_deref(), &interfaces)?;
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
    openapi_3_1: "enterprise.yaml", "$.openapi",
        "OpenAPI 3.1.0 is not supported";
    missing_operation_id: "enterprise.yaml", "$.paths['/widgets'].get",
        "missing `operationId`";
    duplicate_operation_id: "enterprise.yaml", "$.paths['/widgets/{id}'].get.operationId",
        "operationIds must be unique";
    operation_ids_same_method: "enterprise.yaml", "$.paths['/widgets/{id}/url'].get.operationId",
        "`getUrl` becomes the method `get_url`, as the operation at $.paths['/widgets'].get does";
    operation_id_new: "enterprise.yaml", "$.paths['/widgets'].get.operationId",
        "already generates on every `Client`";
    two_error_schemas: "enterprise.yaml", "$.paths['/widgets'].get.responses['404']",
        "error schema `NotFoundError` differs from `ErrorEnvelope`";
    several_success_types: "enterprise.yaml", "$.paths['/widgets'].get.responses",
        "success responses have different types (200 → Widget, 201 → Gadget)";
    inline_response_schema: "enterprise.yaml",
        "$.paths['/widgets'].get.responses['200'].content['application/json'].schema",
        "must be a `$ref` to a named schema";
    response_without_description: "enterprise.yaml", "$.paths['/widgets'].get.responses['200']",
        "needs a `description`";
    multipart_body: "enterprise.yaml", "$.paths['/widgets'].post.requestBody.content",
        "exactly one media type, application/json (found: multipart/form-data)";
    two_media_types: "enterprise.yaml", "$.paths['/widgets'].post.requestBody.content",
        "(found: application/json, application/xml)";
    cookie_parameter: "enterprise.yaml", "$.paths['/widgets'].get.parameters[0]",
        "cookie parameter `session` is not supported";
    path_parameter_not_required: "enterprise.yaml", "$.paths['/widgets/{id}'].get.parameters[0]",
        "must have `required: true`";
    path_template_without_parameter: "enterprise.yaml", "$.paths['/widgets/{id}'].get",
        "`{id}` in the path has no path parameter";
    parameter_without_name: "enterprise.yaml", "$.paths['/widgets'].get.parameters[0]",
        "parameter has no `name`";
    object_query_parameter: "enterprise.yaml", "$.paths['/widgets'].get.parameters[0].schema",
        "object schema";
    parameter_named_send: "enterprise.yaml", "$.paths['/widgets'].get.parameters[0]",
        "builder method `send`";
    parameter_named_body: "enterprise.yaml", "$.paths['/widgets'].post.parameters[0]",
        "the request body already takes";
    unresolved_ref: "enterprise.yaml", "$.components.schemas.Widget.properties.colour['$ref']",
        "`#/components/schemas/Colour` does not resolve";
    ref_to_other_file: "enterprise.yaml", "$.components.schemas.Widget.properties.colour['$ref']",
        "points outside this document and components.yaml";
    ref_to_own_file_name: "enterprise.yaml",
        "$.paths['/widgets'].get.responses['200'].content['application/json'].schema['$ref']",
        "write it as `#/components/schemas/Widget`";
    additional_properties_false: "enterprise.yaml", "$.components.schemas.Widget.additionalProperties",
        "would reject fields the server adds later";
    inline_enum: "enterprise.yaml", "$.components.schemas.Widget.properties.colour.enum",
        "inline enum";
    integer_enum_without_varnames: "enterprise.yaml", "$.components.schemas.Priority",
        "needs `x-enum-varnames`";
    enum_varnames_wrong_length: "enterprise.yaml", "$.components.schemas.Priority['x-enum-varnames']",
        "2 names for 3 values";
    enum_value_unknown: "enterprise.yaml", "$.components.schemas.Colour.enum[1]",
        "reserved";
    rust_name_clash_nested: "enterprise.yaml", "$.components.schemas.WidgetBar",
        "becomes the Rust type `WidgetBar`, which enterprise.yaml $.components.schemas.Widget.properties.bar already becomes";
    rust_name_clash_case: "enterprise.yaml", "$.components.schemas.CardType",
        "becomes the Rust type `CardType`, which enterprise.yaml $.components.schemas.Card_type already becomes";
    type_list: "enterprise.yaml", "$.components.schemas.Widget.properties.nickname.type",
        "`nullable: true`";
    unknown_type: "enterprise.yaml", "$.components.schemas.Widget.properties.nickname.type",
        "unknown type \"strnig\"";
    format_password: "enterprise.yaml", "$.components.schemas.Widget.properties.secret.format",
        "`format: password` outside the `Password` schema";
    format_date_time: "enterprise.yaml", "$.components.schemas.Widget.properties.created.format",
        "`DateTime` schema";
    format_uuid: "enterprise.yaml", "$.components.schemas.Widget.properties.uid.format",
        "uuid::Uuid";
    property_named_extra: "enterprise.yaml", "$.components.schemas.Widget.properties.extra",
        "keep unknown fields";
    all_of: "enterprise.yaml", "$.components.schemas.Widget.allOf",
        "`allOf` is not supported";
    response_range: "enterprise.yaml", "$.paths['/widgets'].get.responses['4XX']",
        "ranges and `default` are not supported";
    default_response: "enterprise.yaml", "$.paths['/widgets'].get.responses.default",
        "ranges and `default` are not supported";
    get_with_body: "enterprise.yaml", "$.paths['/widgets'].get.requestBody",
        "a GET operation cannot have a request body";
    unknown_security_scheme: "enterprise.yaml", "$.security[0]",
        "unknown security scheme `apiKey`";
    unused_schema: "enterprise.yaml", "$.components.schemas.Gadget",
        "not used by any operation";
    shared_schema_used_once: "components.yaml", "$.components.schemas.Gadget",
        "used only by enterprise.yaml; move it there";
    shared_request_body: "enterprise.yaml", "$.paths['/widgets'].post.requestBody['$ref']",
        "not `requestBodies`";
    shared_parameter_inline_enum: "components.yaml", "$.components.parameters.Sort.schema.enum",
        "inline enum";
}

#[test]
fn valid_minimal() {
    let output = generate("valid_minimal").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        output.files.keys().collect::<Vec<_>>(),
        ["enterprise.rs", "mod.rs"]
    );
    assert!(output.files["enterprise.rs"].contains("pub fn get_widgets("));
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
            text.contains(&format!("enterprise.yaml: {path}: ")),
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
    assert!(text.starts_with("enterprise.yaml: "), "{text}");
    assert!(text.contains("line 4 column 6"), "{text}");
    insta::assert_snapshot!("yaml_syntax_error", text);
}

#[test]
fn not_a_mapping() {
    let error = error_of("not_a_mapping");
    let text = error.to_string();
    assert!(matches!(error, Error::Yaml { .. }), "{text}");
    assert!(text.starts_with("enterprise.yaml: "), "{text}");
    assert!(text.contains("not a mapping"), "{text}");
    insta::assert_snapshot!("not_a_mapping", text);
}

/// Not caught by validation: progenitor's own reading of the document
/// rejects it, and the message still names the file and the missing field.
#[test]
fn missing_info() {
    let error = error_of("missing_info");
    let text = error.to_string();
    assert!(matches!(error, Error::Progenitor { .. }), "{text}");
    assert!(text.starts_with("enterprise.yaml: "), "{text}");
    assert!(text.contains("missing field `info`"), "{text}");
    insta::assert_snapshot!("missing_info", text);
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
