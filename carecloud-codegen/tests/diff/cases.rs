//! The fixture pairs of `carecloud-codegen diff`: the small spec in
//! `tests/diff/base/` and, per case, the edits that make its new side, with
//! the (check id, level) pairs docs/semver.md gives the change.
//!
//! Shared by `tests/diff.rs` (the reports and their snapshots) and by
//! `cargo xtask diff-probe` (the soundness probe: does a crate written
//! against the old side's generated API fail to compile against the new
//! side's exactly when the report says the build breaks?), which include
//! this file.

use std::path::Path;

pub const SHOP: &str = "groups/shop.yaml";
pub const COMPONENTS: &str = "components.yaml";

/// An edit: in `file`, replace `old` (which must occur once) with `new`.
pub type Edit = (&'static str, &'static str, &'static str);

/// A fixture case: its name, its edits, and the (check id, level) pairs expected.
pub type Case = (&'static str, Vec<Edit>, Vec<(&'static str, &'static str)>);

/// The fixture cases.
pub fn cases() -> Vec<Case> {
    vec![
        (
            "property_added",
            vec![(
                SHOP,
                "        size: {type: integer}\n",
                "        size: {type: integer}\n        weight: {type: number}\n",
            )],
            vec![("property-added", "minor")],
        ),
        (
            "required_property_added",
            vec![(
                SHOP,
                "      required: [name, price]\n      properties:\n",
                "      required: [name, price, sku]\n      properties:\n        sku: {type: string}\n",
            )],
            vec![("required-property-added", "major")],
        ),
        (
            "property_removed",
            vec![(SHOP, "        size: {type: integer}\n", "")],
            vec![("property-removed", "major")],
        ),
        (
            "property_became_required",
            vec![(
                SHOP,
                "required: [name, price]",
                "required: [name, price, size]",
            )],
            vec![("property-became-required", "major")],
        ),
        (
            "property_became_optional",
            vec![(SHOP, "required: [name, price]", "required: [name]")],
            vec![("property-became-optional", "major")],
        ),
        (
            "property_type_changed",
            vec![
                (
                    SHOP,
                    "        size: {type: integer}\n",
                    "        size: {type: string}\n",
                ),
                (SHOP, "format: int64", "format: int32"),
            ],
            vec![
                ("property-type-changed", "major"),
                ("property-type-changed", "major"),
            ],
        ),
        (
            "property_nullable_changed",
            vec![
                (
                    SHOP,
                    "        size: {type: integer}\n",
                    "        size: {type: integer, nullable: true}\n",
                ),
                (
                    SHOP,
                    "name: {type: string, description: Its name.}",
                    "name: {type: string, nullable: true, description: Its name.}",
                ),
            ],
            vec![
                ("property-nullable-changed", "major"),
                ("property-nullable-changed", "patch"),
            ],
        ),
        (
            "required_properties_reordered",
            vec![(SHOP, "required: [name, price]", "required: [price, name]")],
            vec![("required-properties-reordered", "major")],
        ),
        (
            "nested_property_added",
            vec![(
                SHOP,
                "            height: {type: number}\n",
                "            height: {type: number}\n            depth: {type: number}\n",
            )],
            vec![("property-added", "minor")],
        ),
        (
            "enum_value_added",
            vec![
                (
                    SHOP,
                    "enum: [0, 1]\n      x-enum-varnames: [Inactive, Active]",
                    "enum: [0, 1, 2]\n      x-enum-varnames: [Inactive, Active, Retired]",
                ),
                (COMPONENTS, "enum: [red, green]", "enum: [red, green, blue]"),
            ],
            vec![("enum-value-added", "minor"), ("enum-value-added", "minor")],
        ),
        (
            "enum_value_removed",
            vec![(COMPONENTS, "enum: [red, green]", "enum: [red]")],
            vec![("enum-value-removed", "major")],
        ),
        (
            "enum_variant_renamed",
            vec![(
                SHOP,
                "x-enum-varnames: [Inactive, Active]",
                "x-enum-varnames: [Inactive, Live]",
            )],
            vec![("enum-variant-renamed", "major")],
        ),
        (
            "schema_added",
            vec![
                (
                    SHOP,
                    "        size: {type: integer}\n",
                    "        size: {type: integer}\n        maker: {$ref: '#/components/schemas/Maker'}\n",
                ),
                (
                    SHOP,
                    "    WidgetState:\n",
                    "    Maker:\n      type: object\n      properties:\n        name: {type: string}\n    WidgetState:\n",
                ),
            ],
            vec![("schema-added", "minor"), ("property-added", "minor")],
        ),
        (
            "schema_renamed",
            vec![
                (
                    SHOP,
                    "state: {$ref: '#/components/schemas/WidgetState'}",
                    "state: {$ref: '#/components/schemas/WidgetStatus'}",
                ),
                (SHOP, "    WidgetState:\n", "    WidgetStatus:\n"),
            ],
            vec![
                ("schema-renamed", "major"),
                ("property-type-changed", "major"),
            ],
        ),
        (
            "schema_removed",
            vec![
                (
                    SHOP,
                    "        color: {$ref: '../components.yaml#/components/schemas/Color'}\n",
                    "",
                ),
                (
                    SHOP,
                    "        - {name: color, in: query, schema: {$ref: '../components.yaml#/components/schemas/Color'}}\n",
                    "",
                ),
                (
                    COMPONENTS,
                    "    Color:\n      type: string\n      description: A colour.\n      enum: [red, green]\n",
                    "",
                ),
            ],
            vec![
                ("schema-removed", "major"),
                ("property-removed", "major"),
                ("request-parameter-removed", "major"),
            ],
        ),
        (
            "operation_added",
            vec![(
                SHOP,
                "    put:\n      operationId: putWidget\n",
                "    delete:\n      operationId: deleteWidget\n      summary: Delete a widget.\n      tags: [Shop]\n      parameters:\n        - {name: shop_id, in: path, required: true, schema: {type: string}}\n        - {name: widget_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: Deleted.}\n        '400':\n          description: Bad.\n          content: {application/json: {schema: {$ref: '../components.yaml#/components/schemas/ErrorEnvelope'}}}\n    put:\n      operationId: putWidget\n",
            )],
            vec![("operation-added", "minor")],
        ),
        (
            "operation_removed",
            vec![(SHOP, PUT_WIDGET, "")],
            vec![("operation-removed", "major")],
        ),
        (
            "operation_id_changed",
            vec![(
                SHOP,
                "operationId: getWidget\n",
                "operationId: fetchWidget\n",
            )],
            vec![("operation-id-changed", "major")],
        ),
        (
            "operation_interfaces_changed",
            vec![
                (
                    SHOP,
                    "      x-interfaces: [enterprise]\n",
                    "      x-interfaces: [enterprise, customer]\n",
                ),
                (
                    SHOP,
                    "      operationId: getWidget\n",
                    "      operationId: getWidget\n      x-interfaces: [customer]\n",
                ),
            ],
            vec![
                ("operation-interface-added", "minor"),
                ("operation-interface-removed", "major"),
            ],
        ),
        (
            "operation_group_changed",
            vec![(SHOP, PUT_WIDGET, "")],
            vec![
                ("group-added", "minor"),
                ("operation-group-changed", "major"),
                ("schema-group-added", "minor"),
                ("schema-group-added", "minor"),
                ("schema-group-added", "minor"),
                ("schema-group-added", "minor"),
            ],
        ),
        (
            "parameter_added",
            vec![(
                SHOP,
                "        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n",
                "        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n        - {name: q, in: query, schema: {type: string}}\n        - {name: X-Shop, in: header, required: true, schema: {type: string}}\n",
            )],
            vec![
                ("request-required-parameter-added", "major"),
                ("request-parameter-added", "minor"),
            ],
        ),
        (
            "parameter_removed",
            vec![(
                SHOP,
                "        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n",
                "",
            )],
            vec![("request-parameter-removed", "major")],
        ),
        (
            "parameter_became_required",
            vec![(
                SHOP,
                "{name: count, in: query,",
                "{name: count, in: query, required: true,",
            )],
            vec![("request-parameter-became-required", "major")],
        ),
        (
            "parameter_type_changed",
            vec![
                (
                    SHOP,
                    "schema: {type: integer, minimum: 1}}",
                    "schema: {type: string}}",
                ),
                (
                    SHOP,
                    "{name: color, in: query, schema: {$ref: '../components.yaml#/components/schemas/Color'}}",
                    "{name: color, in: query, schema: {type: array, items: {$ref: '../components.yaml#/components/schemas/Color'}}}",
                ),
            ],
            vec![
                ("request-parameter-type-changed", "major"),
                ("request-parameter-array-changed", "major"),
                ("request-parameter-range-changed", "patch"),
                // `color`'s description came from the Color schema.
                ("description-changed", "patch"),
            ],
        ),
        (
            "parameter_range_changed",
            vec![
                (
                    SHOP,
                    "{type: integer, minimum: 1}",
                    "{type: integer, minimum: 0}",
                ),
                (
                    SHOP,
                    "{type: integer, minimum: 0}}\n        - {name: color",
                    "{type: integer, minimum: 0, maximum: 100}}\n        - {name: color",
                ),
            ],
            vec![
                ("request-parameter-range-changed", "major"),
                ("request-parameter-range-changed", "patch"),
            ],
        ),
        (
            "path_parameters_reordered",
            vec![(
                SHOP,
                "  /shops/{shop_id}/widgets/{widget_id}:\n",
                "  /widgets/{widget_id}/shops/{shop_id}:\n",
            )],
            vec![
                ("request-path-parameters-reordered", "major"),
                ("request-path-parameters-reordered", "major"),
                ("operation-path-changed", "patch"),
                ("operation-path-changed", "patch"),
            ],
        ),
        (
            "request_body_became_optional",
            vec![(
                SHOP,
                "      requestBody:\n        required: true\n",
                "      requestBody:\n        required: false\n",
            )],
            vec![("request-body-became-optional", "major")],
        ),
        (
            "response_schema_changed",
            vec![(
                SHOP,
                "      summary: One widget.\n      tags: [Shop]\n      parameters:\n        - {name: shop_id, in: path, required: true, schema: {type: string}}\n        - {name: widget_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: OK.\n          content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}\n",
                "      summary: One widget.\n      tags: [Shop]\n      parameters:\n        - {name: shop_id, in: path, required: true, schema: {type: string}}\n        - {name: widget_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: OK.\n          content: {application/json: {schema: {$ref: '#/components/schemas/WidgetList'}}}\n",
            )],
            vec![
                ("response-schema-changed", "major"),
                ("response-list-added", "minor"),
            ],
        ),
        (
            "security_and_deprecation",
            vec![(
                SHOP,
                "      summary: List widgets.\n",
                "      summary: List widgets.\n      security: []\n      deprecated: true\n",
            )],
            vec![
                ("operation-security-changed", "patch"),
                ("operation-deprecated", "patch"),
            ],
        ),
        (
            "documentation_only",
            vec![
                (SHOP, "summary: List widgets.", "summary: List the widgets."),
                (SHOP, "Its name.", "The widget's name."),
                (
                    SHOP,
                    "description: Page size.",
                    "description: How many widgets a page holds.",
                ),
                (
                    COMPONENTS,
                    "description: A colour.",
                    "description: A colour of a widget.",
                ),
            ],
            vec![
                ("description-changed", "patch"),
                ("description-changed", "patch"),
                ("description-changed", "patch"),
                ("description-changed", "patch"),
                // `color`'s description comes from the Color schema.
                ("description-changed", "patch"),
            ],
        ),
    ]
}

/// The `putWidget` operation, whole.
pub const PUT_WIDGET: &str = "    put:
      operationId: putWidget
      summary: Replace a widget.
      tags: [Shop]
      x-interfaces: [enterprise]
      parameters:
        - {name: shop_id, in: path, required: true, schema: {type: string}}
        - {name: widget_id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
      responses:
        '200':
          description: OK.
          content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
        '400':
          description: Bad.
          content: {application/json: {schema: {$ref: '../components.yaml#/components/schemas/ErrorEnvelope'}}}
";

/// A second group holding `putWidget` (the `operation_group_changed` case).
pub fn admin() -> String {
    let put = PUT_WIDGET.replace("tags: [Shop]", "tags: [Admin]").replace(
        "'#/components/schemas/Widget'",
        "'shop.yaml#/components/schemas/Widget'",
    );
    format!(
        "openapi: 3.0.3
info: {{title: Admin, version: v1.0}}
tags:
  - {{name: Admin, description: Running the shop.}}
paths:
  /shops/{{shop_id}}/widgets/{{widget_id}}:
{put}"
    )
}

/// Files a case adds to the base spec besides its edits (path, text).
pub fn added_files(name: &str) -> Vec<(&'static str, String)> {
    match name {
        "operation_group_changed" => vec![("groups/admin.yaml", admin())],
        _ => vec![],
    }
}

/// Writes the new side of `case` into `dir` (emptied first): a copy of
/// `base` with the case's edits made and its added files written.
pub fn write_case(base: &Path, dir: &Path, case: &Case) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    write_edited(base, dir, &case.1)?;
    for (file, text) in added_files(case.0) {
        let path = dir.join(file);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Writes into `dir` a copy of `base` with `edits` made; an edit whose old
/// text does not occur exactly once is an error.
pub fn write_edited(base: &Path, dir: &Path, edits: &[Edit]) -> Result<(), String> {
    copy(base, dir)?;
    for (file, old, new) in edits {
        let path = dir.join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let found = text.matches(old).count();
        if found != 1 {
            return Err(format!(
                "{file} must hold {old:?} once, holds it {found} times"
            ));
        }
        std::fs::write(&path, text.replacen(old, new, 1))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("{}: {e}", from.display()))?
            .path();
        let Some(name) = path.file_name() else {
            continue;
        };
        let target = to.join(name);
        if path.is_dir() {
            copy(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
