//! The sandbox's declarations, checked on a small spec: a resource of
//! widgets, a standard list and an action.

use super::*;
use crate::load::Sources;
use crate::model::sandbox::{Kind, Serve, Test};

const SPEC: &str = "openapi: 3.0.3
info: {title: T, version: v1.0}
tags:
  - {name: Widgets, description: Things.}
x-sandbox:
  resources:
    widgets:
      schema: Widget
      id: widget_id
      owner: customer_id
      unique: [name]
paths:
  /widgets:
    get:
      operationId: getWidgets
      tags: [Widgets]
      x-sandbox: widgets
      parameters:
        - {name: name_list, in: query, schema: {type: array, items: {type: string}}}
      responses:
        '200':
          description: OK.
          content: {application/json: {schema: {$ref: '#/components/schemas/WidgetList'}}}
        '400':
          description: Bad.
          content: {application/json: {schema: {$ref: '#/components/schemas/ErrorEnvelope'}}}
    post:
      operationId: postWidgetCheck
      tags: [Widgets]
      x-sandbox:
        action:
          steps:
            - require: {present: $body.name}
              fail: {reason: required, name: name}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
      responses:
        '204': {description: Checked.}
        '400':
          description: Bad.
          content: {application/json: {schema: {$ref: '#/components/schemas/ErrorEnvelope'}}}
components:
  schemas:
    Widget:
      type: object
      properties:
        widget_id: {type: string}
        name: {type: string}
        customer_id: {type: string}
        status: {$ref: '#/components/schemas/WidgetStatus'}
    WidgetStatus: {type: string, enum: [new, done]}
    WidgetList:
      type: object
      properties:
        data:
          type: object
          properties:
            widgets: {type: array, items: {$ref: '#/components/schemas/Widget'}}
            total_items: {type: integer}
    ErrorEnvelope:
      type: object
      properties:
        error: {type: string}
";

const INTERFACE: &str = "openapi: 3.0.3
info: {title: E, version: v1.0}
paths: {}
";

fn check(spec: &str) -> Result<Api> {
    let files = [
        ("enterprise.yaml", INTERFACE),
        ("groups/widgets.yaml", spec),
    ];
    validate(&Sources::from_texts(&files, &["enterprise"]).expect("YAML parses"))
}

/// The one problem of `SPEC` with `old` replaced by `new`: (path, message).
#[track_caller]
fn problem(old: &str, new: &str) -> (String, String) {
    assert!(SPEC.contains(old), "{old}");
    match check(&SPEC.replacen(old, new, 1)) {
        Err(Error::Invalid(problems)) if problems.len() == 1 => {
            assert_eq!(problems[0].file, "groups/widgets.yaml");
            (problems[0].path.clone(), problems[0].message.clone())
        }
        other => panic!("expected one problem, got {other:?}"),
    }
}

#[test]
fn a_query_parameter_an_action_reads_still_filters_a_later_list() {
    // An action reading `$query.name_list`, declared before the list whose
    // `name_list` filters by `name`: the list keeps its filter.
    let count = "paths:
  /a-check:
    get:
      operationId: getWidgetCheck
      tags: [Widgets]
      x-sandbox:
        action:
          steps:
            - require: {present: $query.name_list}
              fail: {reason: required, name: name_list}
      parameters:
        - {name: name_list, in: query, schema: {type: string}}
      responses:
        '204': {description: Checked.}
";
    let plan = check(&SPEC.replacen("paths:\n", count, 1))
        .expect("valid")
        .sandbox;
    let (_, serve) = plan
        .operations
        .iter()
        .find(|(variant, _)| variant == "GetWidgets")
        .expect("the list");
    let Serve::Standard(standard) = serve else {
        panic!("{serve:?}")
    };
    let filters = &standard.0.list.as_ref().expect("a list").0.filters.0;
    assert_eq!(filters.len(), 1, "{filters:?}");
    assert_eq!(filters[0].param, "name_list");
}

#[test]
fn declarations_resolve_into_the_plan() {
    let plan = check(SPEC).expect("valid").sandbox;
    let widgets = &plan.resources[0];
    assert_eq!(
        (widgets.name.as_str(), widgets.record.as_str()),
        ("widgets", "widget")
    );
    let (variant, serve) = &plan.operations[0];
    assert_eq!(variant, "GetWidgets");
    let Serve::Standard(standard) = serve else {
        panic!("{serve:?}")
    };
    assert_eq!(standard.0.kind, Kind::List);
    let filters = &standard.0.list.as_ref().expect("a list").0.filters.0;
    // `name_list` filters by `name`, the API's naming of list filters.
    assert!(matches!(&filters[0].test, Test::Equals { fields, .. } if fields.0[0].0 == ["name"]));
    assert!(matches!(plan.operations[1].1, Serve::Action(_)));
}

#[test]
fn a_filter_naming_a_field_the_schema_lacks_is_a_problem_where_it_is_declared() {
    let (path, message) = problem(
        "      unique: [name]\n",
        "      unique: [name]\n      filters: {name_list: shade}\n",
    );
    assert_eq!(path, "$['x-sandbox'].resources.widgets.filters.name_list");
    assert!(
        message.contains("(Widget) have no field `shade`"),
        "{message}"
    );
}

#[test]
fn an_engine_parameter_naming_a_missing_field_is_a_problem() {
    let (path, message) = problem("{present: $body.name}", "{present: $body.nmae}");
    assert_eq!(
        path,
        "$.paths['/widgets'].post['x-sandbox'].action.steps[0].require.present"
    );
    assert!(
        message.contains("request body (Widget) has no field `nmae`"),
        "{message}"
    );
    let (_, message) = problem("owner: customer_id", "owner: customer");
    assert!(message.contains("has no field `customer`"), "{message}");
}

#[test]
fn names_and_keys_are_checked_with_suggestions() {
    let (path, message) = problem("      unique: [name]", "      uniqe: [name]");
    assert_eq!(path, "$['x-sandbox'].resources.widgets.uniqe");
    assert!(message.contains("did you mean `unique`?"), "{message}");
    let (_, message) = problem("x-sandbox: widgets", "x-sandbox: widget");
    assert!(
        message.contains("no resource `widget`") && message.contains("`widgets`"),
        "{message}"
    );
    let (_, message) = problem("{present: $body.name}", "{present: $bdy.name}");
    assert!(message.contains("unknown `$bdy`"), "{message}");
}

#[test]
fn every_operation_of_a_declaring_document_says_how_it_is_served() {
    let (path, message) = problem("      x-sandbox: widgets\n", "");
    assert_eq!(path, "$.paths['/widgets'].get");
    assert!(message.contains("`getWidgets` says nothing"), "{message}");
    let (_, message) = problem("name: name_list", "name: colour");
    assert!(
        message.contains("`colour` names no field of Widget"),
        "{message}"
    );
    // A document without declarations leaves its operations to handlers.
    let bare = SPEC
        .replacen("x-sandbox:\n  resources:\n    widgets:\n      schema: Widget\n      id: widget_id\n      owner: customer_id\n      unique: [name]\n", "", 1)
        .replacen("      x-sandbox: widgets\n", "", 1)
        .replacen("      x-sandbox:\n        action:\n          steps:\n            - require: {present: $body.name}\n              fail: {reason: required, name: name}\n", "", 1);
    let plan = check(&bare).expect("valid").sandbox;
    assert!(
        plan.operations
            .iter()
            .all(|(_, s)| matches!(s, Serve::Handler))
    );
}

#[test]
fn declared_state_moves_name_the_values_the_schema_allows() {
    let states = "      unique: [name]\n      states: {field: status, initial: [new], moves: {new: [done]}}\n";
    let plan = check(&SPEC.replacen("      unique: [name]\n", states, 1)).expect("valid");
    let declared = plan.sandbox.resources[0].states.as_ref().expect("states");
    assert_eq!(declared.fail.reason, "not_allowed_value");
    assert_eq!(declared.moves.0[0].0, "new");
    let (path, message) = problem("      unique: [name]\n", &states.replace("[done]", "[don]"));
    assert_eq!(path, "$['x-sandbox'].resources.widgets.states.moves.new");
    assert!(
        message.contains("`don` is not a value of `status`"),
        "{message}"
    );
    let (_, message) = problem(
        "      unique: [name]\n",
        &states.replace("field: status", "field: stat"),
    );
    assert!(message.contains("has no field `stat`"), "{message}");
}
