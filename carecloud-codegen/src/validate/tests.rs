//! Unit tests of the checks, on small in-memory specs: one group document
//! (`groups/widgets.yaml`) beside a bare interface document, plus a shared
//! `components.yaml` where a test needs one.

use super::*;
use crate::load::Sources;

/// A minimal valid group: one GET with a named success and error schema.
const VALID: &str = "openapi: 3.0.3
info: {title: T, version: v1.0}
tags:
  - {name: Widgets, description: Things.}
paths:
  /widgets:
    get:
      operationId: getWidgets
      tags: [Widgets]
      responses:
        '200':
          description: OK.
          content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
        '400':
          description: Bad.
          content: {application/json: {schema: {$ref: '#/components/schemas/ErrorEnvelope'}}}
components:
  schemas:
    Widget:
      type: object
      properties:
        name: {type: string}
    ErrorEnvelope:
      type: object
      properties:
        error: {type: string}
";

const GROUP: &str = "groups/widgets.yaml";

const INTERFACE: &str = "openapi: 3.0.3
info: {title: E, version: v1.0}
security:
  - bearer: []
paths: {}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
";

/// `VALID` with `old` replaced by `new` (which must occur).
fn valid_with(old: &str, new: &str) -> String {
    assert!(VALID.contains(old), "{old}");
    VALID.replacen(old, new, 1)
}

fn problems_of(files: &[(&str, &str)]) -> Vec<Problem> {
    let mut all = vec![("enterprise.yaml", INTERFACE)];
    all.extend_from_slice(files);
    let sources = Sources::from_texts(&all, &["enterprise"]).expect("YAML parses");
    match validate(&sources) {
        Ok(_) => vec![],
        Err(Error::Invalid(problems)) => problems,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

fn problems(shared: Option<&str>, doc: &str) -> Vec<Problem> {
    match shared {
        Some(shared) => problems_of(&[("components.yaml", shared), (GROUP, doc)]),
        None => problems_of(&[(GROUP, doc)]),
    }
}

/// Asserts exactly one problem, in `file` at `path`, mentioning `text`.
#[track_caller]
fn assert_one(problems: &[Problem], file: &str, path: &str, text: &str) {
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert_eq!((p.file.as_str(), p.path.as_str()), (file, path), "{p}");
    assert!(p.message.contains(text), "{p}");
}

const PROPERTY: &str = "        name: {type: string}\n";
const RESPONSES: &str = "      responses:\n";

fn with_param(param: &str) -> String {
    valid_with(
        RESPONSES,
        &format!("      parameters:\n        - {param}\n{RESPONSES}"),
    )
}

#[test]
fn the_minimal_document_is_valid() {
    assert_eq!(problems(None, VALID), vec![]);
}

#[test]
fn type_must_be_one_openapi_3_0_type() {
    let doc = valid_with(PROPERTY, "        name: {type: [string, 'null']}\n");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.components.schemas.Widget.properties.name.type",
        "nullable: true",
    );
    let doc = valid_with(PROPERTY, "        name: {type: strnig}\n");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.components.schemas.Widget.properties.name.type",
        "unknown type \"strnig\"",
    );
}

#[test]
fn chrono_and_uuid_formats_are_rejected() {
    for (format, text) in [
        ("date-time", "`DateTime` schema"),
        ("date", "`Date` schema"),
        ("uuid", "uuid::Uuid"),
    ] {
        let doc = valid_with(
            PROPERTY,
            &format!("        name: {{type: string, format: {format}}}\n"),
        );
        let p = problems(None, &doc);
        assert_one(
            &p,
            GROUP,
            "$.components.schemas.Widget.properties.name.format",
            text,
        );
    }
}

#[test]
fn a_property_named_extra_clashes_with_the_unknown_fields_map() {
    let doc = valid_with(PROPERTY, "        Extra: {type: string}\n");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.components.schemas.Widget.properties.Extra",
        "field `extra`",
    );
}

#[test]
fn object_parameters_are_rejected() {
    let inline = with_param(
        "{name: filter, in: query, schema: {type: object, properties: {a: {type: string}}}}",
    );
    let p = problems(None, &inline);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get.parameters[0].schema",
        "object schema",
    );
    let named =
        with_param("{name: filter, in: query, schema: {$ref: '#/components/schemas/Widget'}}");
    let p = problems(None, &named);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get.parameters[0].schema",
        "object schema",
    );
}

#[test]
fn shared_refs_only_reach_the_kinds_that_are_bundled() {
    let shared = "openapi: 3.0.3
info: {title: S, version: v1.0}
components:
  requestBodies:
    WidgetBody:
      content: {application/json: {schema: {type: object}}}
";
    let doc = valid_with(
        "    get:\n      operationId: getWidgets\n",
        "    post:\n      operationId: postWidget\n      requestBody: {$ref: '../components.yaml#/components/requestBodies/WidgetBody'}\n",
    );
    let p = problems(Some(shared), &doc);
    let p: Vec<_> = p.into_iter().filter(|p| p.file == GROUP).collect();
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].post.requestBody['$ref']",
        "not `requestBodies`",
    );
}

#[test]
fn a_ref_naming_its_own_file_is_reported_as_such() {
    let doc = valid_with(
        "$ref: '#/components/schemas/Widget'",
        "$ref: 'widgets.yaml#/components/schemas/Widget'",
    );
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get.responses['200'].content['application/json'].schema['$ref']",
        "write it as `#/components/schemas/Widget`",
    );
}

#[test]
fn operation_ids_must_not_become_client_constructors() {
    for id in ["new", "newWithClient"] {
        let doc = valid_with("getWidgets", id);
        let p = problems(None, &doc);
        assert_one(
            &p,
            GROUP,
            "$.paths['/widgets'].get.operationId",
            "every `Client`",
        );
    }
}

#[test]
fn parameters_must_not_take_builder_method_names() {
    for name in ["send", "new"] {
        let doc = with_param(&format!(
            "{{name: {name}, in: query, schema: {{type: string}}}}"
        ));
        let p = problems(None, &doc);
        assert_one(
            &p,
            GROUP,
            "$.paths['/widgets'].get.parameters[0]",
            "every operation builder",
        );
    }
    let doc = with_param("{name: body, in: query, schema: {type: string}}");
    assert_eq!(
        problems(None, &doc),
        vec![],
        "`body` is free without a request body"
    );
    let doc = doc.replacen(
            "    get:\n      operationId: getWidgets\n",
            "    post:\n      operationId: postWidget\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}\n",
            1,
        );
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].post.parameters[0]",
        "request body already takes",
    );
}

#[test]
fn an_unknown_security_scheme_says_where_to_define_it() {
    let interface = INTERFACE.replace("- bearer: []", "- apiKey: []");
    let sources = Sources::from_texts(
        &[("enterprise.yaml", &interface), (GROUP, VALID)],
        &["enterprise"],
    )
    .unwrap();
    let Err(Error::Invalid(p)) = validate(&sources) else {
        panic!("must be invalid");
    };
    assert_one(
        &p,
        "enterprise.yaml",
        "$.security[0]",
        "define it under `components.securitySchemes`",
    );
}

#[test]
fn a_group_does_not_set_security() {
    let doc = valid_with("paths:\n", "security:\n  - bearer: []\npaths:\n");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.security",
        "each interface document sets its scheme",
    );
    let doc = valid_with(
        "      tags: [Widgets]\n",
        "      tags: [Widgets]\n      security: [{bearer: []}]\n",
    );
    let p = problems(None, &doc);
    assert_one(&p, GROUP, "$.paths['/widgets'].get.security", "either `[]`");
}

#[test]
fn interfaces_and_session_roles_are_checked() {
    let doc = valid_with(
        "      tags: [Widgets]\n",
        "      tags: [Widgets]\n      x-interfaces: [kiosk]\n",
    );
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get['x-interfaces'][0]",
        "unknown interface \"kiosk\"",
    );
    let doc = valid_with(
        "      tags: [Widgets]\n",
        "      tags: [Widgets]\n      x-carecloud-session: device-token\n",
    );
    let p = problems(None, &doc);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].message.contains("customer interface only"), "{}", p[0]);
    assert!(p[1].message.contains("add `security: []`"), "{}", p[1]);
    let doc = valid_with(
        "      tags: [Widgets]\n",
        "      tags: [Widgets]\n      x-carecloud-session: logon\n",
    );
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get['x-carecloud-session']",
        "unknown session role",
    );
}

#[test]
fn operations_carry_one_of_their_groups_tags() {
    let doc = valid_with("      tags: [Widgets]\n", "      tags: [Gadgets]\n");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get.tags[0]",
        "not one of this group's tags",
    );
    let doc = valid_with("      tags: [Widgets]\n", "");
    let p = problems(None, &doc);
    assert_one(&p, GROUP, "$.paths['/widgets'].get", "needs a tag");
    let other = VALID
        .replace("/widgets", "/gadgets")
        .replace("getWidgets", "getGadgets")
        .replace("Widget:", "Gadget:")
        .replace("schemas/Widget'", "schemas/Gadget'")
        .replace("    ErrorEnvelope:\n      type: object\n      properties:\n        error: {type: string}\n", "")
        .replace("schemas/ErrorEnvelope'", "schemas/Gadget'");
    let p = problems_of(&[(GROUP, VALID), ("groups/gadgets.yaml", &other)]);
    assert!(
        p.iter().any(|p| p.file == "groups/gadgets.yaml"
            && p.message
                .contains("tag `Widgets` is also a tag of groups/widgets.yaml")),
        "{p:#?}"
    );
}

#[test]
fn documents_keep_to_their_roles() {
    let interface = INTERFACE.replace("paths: {}\n", "paths: {/x: {}}\n");
    let sources = Sources::from_texts(
        &[
            ("enterprise.yaml", &interface),
            (GROUP, VALID),
            ("stray.yaml", "openapi: 3.0.3\n"),
        ],
        &["enterprise"],
    )
    .unwrap();
    let Err(Error::Invalid(p)) = validate(&sources) else {
        panic!("must be invalid");
    };
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(
        p[0].message
            .contains("an interface document holds no operations"),
        "{}",
        p[0]
    );
    assert_eq!(p[1].file, "stray.yaml");
    let p = problems_of(&[("groups/Bad-Name.yaml", VALID)]);
    assert!(
        p.iter()
            .any(|p| p.message.contains("lower-case ASCII letters")),
        "{p:#?}"
    );
    let p = problems_of(&[("groups/full.yaml", VALID)]);
    assert!(
        p.iter()
            .any(|p| p.message.contains("already a cargo feature")),
        "{p:#?}"
    );
}

#[test]
fn path_level_parameters_and_duplicates_are_rejected() {
    let doc = valid_with("  /widgets:\n", "  /widgets:\n    parameters: []\n");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].parameters",
        "on each operation",
    );
    let copy = VALID
        .replace("getWidgets", "listWidgets")
        .replace("Widget:", "Gizmo:")
        .replace("schemas/Widget'", "schemas/Gizmo'")
        .replace("ErrorEnvelope", "GizmoError")
        .replace("name: Widgets", "name: Gizmos")
        .replace("tags: [Widgets]", "tags: [Gizmos]");
    let p = problems_of(&[(GROUP, VALID), ("groups/gizmos.yaml", &copy)]);
    assert!(
        p.iter()
            .any(|p| p.message.contains("`GET /widgets` is also defined at")),
        "{p:#?}"
    );
}

#[test]
fn the_shared_document_does_not_depend_on_a_group() {
    let shared = "openapi: 3.0.3
info: {title: S, version: v1.0}
components:
  schemas:
    Holder:
      type: object
      properties:
        widget: {$ref: 'groups/widgets.yaml#/components/schemas/Widget'}
";
    let p = problems(Some(shared), VALID);
    assert!(
        p.iter()
            .any(|p| p.file == "components.yaml"
                && p.message.contains("must not depend on one group")),
        "{p:#?}"
    );
}

#[test]
fn responses_need_a_description() {
    let doc = valid_with("          description: OK.\n", "");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get.responses['200']",
        "`description`",
    );
}

#[test]
fn parameters_need_a_name() {
    let doc = with_param("{in: query, schema: {type: string}}");
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.paths['/widgets'].get.parameters[0]",
        "no `name`",
    );
}

#[test]
fn string_enum_variant_problems_point_at_the_value() {
    let doc = valid_with(
        PROPERTY,
        "        colour: {$ref: '#/components/schemas/Colour'}\n",
    ) + "    Colour: {type: string, enum: [red, unknown, \"ü\"]}\n";
    let p = problems(None, &doc);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert_eq!(p[0].path, "$.components.schemas.Colour.enum[1]");
    assert!(p[0].message.contains("reserved"), "{}", p[0]);
    assert_eq!(p[1].path, "$.components.schemas.Colour.enum[2]");
    assert!(
        p[1].message
            .contains("the value \"ü\" becomes the variant `Ü`"),
        "{}",
        p[1]
    );
    let doc = valid_with(
        PROPERTY,
        "        level: {$ref: '#/components/schemas/Level'}\n",
    ) + "    Level: {type: integer, enum: [1, 2], x-enum-varnames: [Low, Unknown]}\n";
    let p = problems(None, &doc);
    assert_one(
        &p,
        GROUP,
        "$.components.schemas.Level['x-enum-varnames'][1]",
        "reserved",
    );
}

#[test]
fn problems_inside_shared_components_name_their_definition() {
    let shared = "openapi: 3.0.3
info: {title: S, version: v1.0}
components:
  parameters:
    Sort: {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
  responses:
    Bad:
      description: Bad.
      content: {application/json: {schema: {type: object}}}
";
    let doc = with_param("$ref: '../components.yaml#/components/parameters/Sort'").replacen(
            "        '400':\n          description: Bad.\n          content: {application/json: {schema: {$ref: '#/components/schemas/ErrorEnvelope'}}}\n",
            "        '400': {$ref: '../components.yaml#/components/responses/Bad'}\n",
            1,
        );
    let p: Vec<_> = problems(Some(shared), &doc)
        .into_iter()
        .filter(|p| !p.message.contains("not used by any operation"))
        .collect();
    assert_eq!(p.len(), 2, "{p:#?}");
    assert_eq!(
        (p[0].file.as_str(), p[0].path.as_str()),
        (
            "components.yaml",
            "$.components.parameters.Sort.schema.enum"
        )
    );
    assert_eq!(
        (p[1].file.as_str(), p[1].path.as_str()),
        (
            "components.yaml",
            "$.components.responses.Bad.content['application/json'].schema"
        )
    );
}
