//! The stable ids of the checks, with the level each gives (the rows of
//! `docs/semver.md` they implement). An id names one kind of change and
//! never changes meaning; a new kind of change gets a new id.

/// One check: its id, the level it gives, and what it finds.
#[derive(Clone, Copy, Debug)]
pub struct Check {
    /// The stable id (`operation-removed`).
    pub id: &'static str,
    /// The level, or how it is decided.
    pub level: &'static str,
    /// What the check finds.
    pub finds: &'static str,
}

const fn check(id: &'static str, level: &'static str, finds: &'static str) -> Check {
    Check { id, level, finds }
}

/// Every check, operations first, then schemas, then documentation.
pub const CHECKS: &[Check] = &[
    check(
        "group-added",
        "minor",
        "a new group document: a new cargo feature",
    ),
    check(
        "group-removed",
        "major",
        "a group document removed: its cargo feature is gone",
    ),
    check(
        "operation-added",
        "minor",
        "a new operation: a client method, a builder, an OperationId variant",
    ),
    check("operation-removed", "major", "an operation removed"),
    check(
        "operation-id-changed",
        "major",
        "the same method and path under another operationId: the method and builder are renamed",
    ),
    check(
        "operation-group-changed",
        "major",
        "an operation moved to another group: it needs another feature",
    ),
    check(
        "operation-interface-added",
        "minor",
        "an operation served by one more interface (x-interfaces)",
    ),
    check(
        "operation-interface-removed",
        "major",
        "an operation no longer served by an interface",
    ),
    check(
        "operation-path-changed",
        "patch",
        "an operation's method or path template changed (its arguments are checked apart)",
    ),
    check(
        "operation-security-changed",
        "patch",
        "an operation's security (public or bearer) changed; the runtime follows it",
    ),
    check(
        "operation-session-changed",
        "major",
        "an operation's session role (x-carecloud-session) changed",
    ),
    check(
        "operation-deprecated",
        "patch",
        "an operation marked deprecated",
    ),
    check(
        "request-parameter-added",
        "minor",
        "an optional parameter added: a builder setter",
    ),
    check(
        "request-required-parameter-added",
        "major",
        "a required parameter added: a method argument",
    ),
    check("request-parameter-removed", "major", "a parameter removed"),
    check(
        "request-parameter-became-required",
        "major",
        "a parameter made required: a setter becomes an argument",
    ),
    check(
        "request-parameter-became-optional",
        "major",
        "a parameter made optional: an argument becomes a setter",
    ),
    check(
        "request-parameter-type-changed",
        "major",
        "a parameter's type changed",
    ),
    check(
        "request-parameter-array-changed",
        "major",
        "a parameter became an array, or stopped being one",
    ),
    check(
        "request-parameter-range-changed",
        "patch if wider, major if narrower",
        "a parameter's minimum or maximum changed",
    ),
    check(
        "request-path-parameters-reordered",
        "major",
        "the path parameters appear in another order: the method's arguments are reordered",
    ),
    check(
        "request-parameter-deprecated",
        "patch",
        "a parameter marked deprecated",
    ),
    check(
        "request-body-added",
        "minor",
        "an optional request body added: a `body` setter",
    ),
    check(
        "request-required-body-added",
        "major",
        "a required request body added: a method argument",
    ),
    check("request-body-removed", "major", "the request body removed"),
    check(
        "request-body-became-required",
        "major",
        "the request body made required: the setter becomes an argument",
    ),
    check(
        "request-body-became-optional",
        "major",
        "the request body made optional: the argument becomes a setter",
    ),
    check(
        "request-body-schema-changed",
        "major",
        "the request body's schema replaced",
    ),
    check(
        "response-schema-changed",
        "major",
        "the success response's schema replaced, added or removed",
    ),
    check(
        "response-list-added",
        "minor",
        "the response became a list: `pages()` and `items()`",
    ),
    check(
        "response-list-removed",
        "major",
        "the response is no longer a list",
    ),
    check(
        "response-success-status-changed",
        "patch",
        "the documented success statuses changed",
    ),
    check("schema-added", "minor", "a new schema: a new type"),
    check(
        "schema-removed",
        "major",
        "a schema removed: its type is gone",
    ),
    check(
        "schema-renamed",
        "major",
        "a schema removed and an identical one added under another name",
    ),
    check(
        "schema-type-changed",
        "major",
        "a schema changed kind (object, enum, other) or type",
    ),
    check(
        "schema-group-added",
        "minor",
        "a schema used by one more group: compiled with one more feature",
    ),
    check(
        "schema-group-removed",
        "major",
        "a schema no longer used by a group: gone from builds with only that feature",
    ),
    check(
        "property-added",
        "minor",
        "an optional property added: a field and a `with_` setter on a #[non_exhaustive] struct",
    ),
    check(
        "required-property-added",
        "major",
        "a required property added: `new(..)` takes one more argument",
    ),
    check(
        "property-removed",
        "major",
        "a property removed: its field is gone",
    ),
    check(
        "property-became-required",
        "major",
        "a property made required: `new(..)` and the field's type change",
    ),
    check(
        "property-became-optional",
        "major",
        "a property made optional: `new(..)` and the field's type change",
    ),
    check(
        "property-type-changed",
        "major",
        "a property's type, $ref or numeric format changed",
    ),
    check(
        "property-nullable-changed",
        "major if required, else patch",
        "a property became nullable or not: a required field turns `Option<T>` or back",
    ),
    check(
        "required-properties-reordered",
        "major",
        "the `required` list reordered: `new(..)`'s arguments are reordered",
    ),
    check(
        "property-deprecated",
        "patch",
        "a property marked deprecated",
    ),
    check(
        "enum-value-added",
        "minor",
        "a value added to an open, #[non_exhaustive] enum: a new variant",
    ),
    check(
        "enum-value-removed",
        "major",
        "a value removed from an enum: its variant is gone",
    ),
    check(
        "enum-variant-renamed",
        "major",
        "an integer enum value named differently (x-enum-varnames)",
    ),
    check(
        "description-changed",
        "patch",
        "a summary, description, example or string format changed: docs only",
    ),
];

/// The check with this id.
pub fn find(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.id == id)
}
