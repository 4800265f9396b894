//! The stable ids of the checks, with the level each gives and, for its
//! major level, how the change breaks a downstream crate (the rows of
//! `docs/semver.md` they implement). An id names one kind of change and
//! never changes meaning; a new kind of change gets a new id.

use std::fmt;

/// How a major change breaks a crate that depends on carecloud-api.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Breaks {
    /// It still compiles, but a call that worked now fails or does
    /// something else (a value refused before sending, arguments that go to
    /// another place).
    Behaviour,
    /// It stops compiling.
    Build,
}

impl Breaks {
    /// `build` or `behaviour`.
    pub fn name(self) -> &'static str {
        match self {
            Breaks::Build => "build",
            Breaks::Behaviour => "behaviour",
        }
    }

    /// What it does to a user, in words: `breaks the build`, `compiles,
    /// breaks behaviour`.
    pub fn describe(self) -> &'static str {
        match self {
            Breaks::Build => "breaks the build",
            Breaks::Behaviour => "compiles, breaks behaviour",
        }
    }
}

impl fmt::Display for Breaks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a check's major changes break, as the check declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breaking {
    /// The check never gives major.
    Never,
    /// Every major change it finds breaks this way.
    Always(Breaks),
    /// Arguments reordered: the build when a place now takes another type
    /// than before (the old call no longer type-checks), else behaviour
    /// (the call compiles and the values go to the wrong place). Decided
    /// per change by the check.
    BuildIfTypesMove,
}

impl Breaking {
    /// As `--checks` lists it.
    pub fn describe(self) -> &'static str {
        match self {
            Breaking::Never => "-",
            Breaking::Always(Breaks::Build) => "build",
            Breaking::Always(Breaks::Behaviour) => "behaviour",
            Breaking::BuildIfTypesMove => "build if types move, else behaviour",
        }
    }
}

const NEVER: Breaking = Breaking::Never;
const BUILD: Breaking = Breaking::Always(Breaks::Build);
const BEHAVIOUR: Breaking = Breaking::Always(Breaks::Behaviour);
const TYPES_MOVE: Breaking = Breaking::BuildIfTypesMove;

/// One check: its id, the level it gives, how its major changes break, and
/// what it finds.
#[derive(Clone, Copy, Debug)]
pub struct Check {
    /// The stable id (`operation-removed`).
    pub id: &'static str,
    /// The level, or how it is decided.
    pub level: &'static str,
    /// How a major change it finds breaks a downstream crate.
    pub breaks: Breaking,
    /// What the check finds.
    pub finds: &'static str,
}

const fn check(
    id: &'static str,
    level: &'static str,
    breaks: Breaking,
    finds: &'static str,
) -> Check {
    Check {
        id,
        level,
        breaks,
        finds,
    }
}

/// Every check, operations first, then schemas, then documentation.
pub const CHECKS: &[Check] = &[
    check(
        "group-added",
        "minor",
        NEVER,
        "a new group document: a new cargo feature",
    ),
    check(
        "group-removed",
        "major",
        BUILD,
        "a group document removed: its cargo feature is gone",
    ),
    check(
        "operation-added",
        "minor",
        NEVER,
        "a new operation: a client method, a builder, an OperationId variant",
    ),
    check("operation-removed", "major", BUILD, "an operation removed"),
    check(
        "operation-id-changed",
        "major",
        BUILD,
        "the same method and path under another operationId: the method and builder are renamed",
    ),
    check(
        "operation-group-changed",
        "major",
        BUILD,
        "an operation moved to another group: it needs another feature",
    ),
    check(
        "operation-interface-added",
        "minor",
        NEVER,
        "an operation served by one more interface (x-interfaces)",
    ),
    check(
        "operation-interface-removed",
        "major",
        BUILD,
        "an operation no longer served by an interface",
    ),
    check(
        "operation-path-changed",
        "patch",
        NEVER,
        "an operation's method or path template changed (its arguments are checked apart)",
    ),
    check(
        "operation-security-changed",
        "patch",
        NEVER,
        "an operation's security (public or bearer) changed; the runtime follows it",
    ),
    check(
        "operation-session-changed",
        "major",
        BEHAVIOUR,
        "an operation's session role (x-carecloud-session) changed",
    ),
    check(
        "operation-deprecated",
        "patch",
        NEVER,
        "an operation marked deprecated",
    ),
    check(
        "request-parameter-added",
        "minor",
        NEVER,
        "an optional parameter added: a builder setter",
    ),
    check(
        "request-required-parameter-added",
        "major",
        BUILD,
        "a required parameter added: a method argument",
    ),
    check(
        "request-parameter-removed",
        "major",
        BUILD,
        "a parameter removed",
    ),
    check(
        "request-parameter-became-required",
        "major",
        BUILD,
        "a parameter made required: a setter becomes an argument",
    ),
    check(
        "request-parameter-became-optional",
        "major",
        BUILD,
        "a parameter made optional: an argument becomes a setter",
    ),
    check(
        "request-parameter-type-changed",
        "major",
        BUILD,
        "a parameter's type changed",
    ),
    check(
        "request-parameter-array-changed",
        "major",
        BUILD,
        "a parameter became an array, or stopped being one",
    ),
    check(
        "request-parameter-range-changed",
        "patch if wider, major if narrower",
        BEHAVIOUR,
        "a parameter's minimum or maximum changed",
    ),
    check(
        "request-path-parameters-reordered",
        "major",
        TYPES_MOVE,
        "the path parameters appear in another order: the method's arguments are reordered",
    ),
    check(
        "request-parameter-deprecated",
        "patch",
        NEVER,
        "a parameter marked deprecated",
    ),
    check(
        "request-body-added",
        "minor",
        NEVER,
        "an optional request body added: a `body` setter",
    ),
    check(
        "request-required-body-added",
        "major",
        BUILD,
        "a required request body added: a method argument",
    ),
    check(
        "request-body-removed",
        "major",
        BUILD,
        "the request body removed",
    ),
    check(
        "request-body-became-required",
        "major",
        BUILD,
        "the request body made required: the setter becomes an argument",
    ),
    check(
        "request-body-became-optional",
        "major",
        BUILD,
        "the request body made optional: the argument becomes a setter",
    ),
    check(
        "request-body-schema-changed",
        "major",
        BUILD,
        "the request body's schema replaced",
    ),
    check(
        "response-schema-changed",
        "major",
        BUILD,
        "the success response's schema replaced, added or removed",
    ),
    check(
        "response-list-added",
        "minor",
        NEVER,
        "the response became a list: `pages()` and `items()`",
    ),
    check(
        "response-list-removed",
        "major",
        BUILD,
        "the response is no longer a list",
    ),
    check(
        "response-success-status-changed",
        "patch",
        NEVER,
        "the documented success statuses changed",
    ),
    check("schema-added", "minor", NEVER, "a new schema: a new type"),
    check(
        "schema-removed",
        "major",
        BUILD,
        "a schema removed: its type is gone",
    ),
    check(
        "schema-renamed",
        "major",
        BUILD,
        "a schema removed and an identical one added under another name",
    ),
    check(
        "schema-type-changed",
        "major",
        BUILD,
        "a schema changed kind (object, enum, other) or type",
    ),
    check(
        "schema-group-added",
        "minor",
        NEVER,
        "a schema used by one more group: compiled with one more feature",
    ),
    check(
        "schema-group-removed",
        "major",
        BUILD,
        "a schema no longer used by a group: gone from builds with only that feature",
    ),
    check(
        "property-added",
        "minor",
        NEVER,
        "an optional property added: a field and a `with_` setter on a #[non_exhaustive] struct",
    ),
    check(
        "required-property-added",
        "major",
        BUILD,
        "a required property added: `new(..)` takes one more argument",
    ),
    check(
        "property-removed",
        "major",
        BUILD,
        "a property removed: its field is gone",
    ),
    check(
        "property-became-required",
        "major",
        BUILD,
        "a property made required: `new(..)` and the field's type change",
    ),
    check(
        "property-became-optional",
        "major",
        BUILD,
        "a property made optional: `new(..)` and the field's type change",
    ),
    check(
        "property-type-changed",
        "major",
        BUILD,
        "a property's type, $ref or numeric format changed",
    ),
    check(
        "property-nullable-changed",
        "major if required, else patch",
        BUILD,
        "a property became nullable or not: a required field turns `Option<T>` or back",
    ),
    check(
        "required-properties-reordered",
        "major",
        TYPES_MOVE,
        "the `required` list reordered: `new(..)`'s arguments are reordered",
    ),
    check(
        "property-deprecated",
        "patch",
        NEVER,
        "a property marked deprecated",
    ),
    check(
        "enum-value-added",
        "minor",
        NEVER,
        "a value added to an open, #[non_exhaustive] enum: a new variant",
    ),
    check(
        "enum-value-removed",
        "major",
        BUILD,
        "a value removed from an enum: its variant is gone",
    ),
    check(
        "enum-variant-renamed",
        "major",
        BUILD,
        "an integer enum value named differently (x-enum-varnames)",
    ),
    check(
        "description-changed",
        "patch",
        NEVER,
        "a summary, description, example or string format changed: docs only",
    ),
];

/// The check with this id.
pub fn find(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.id == id)
}

/// How a change found by check `id` at `severity` breaks: `None` below
/// major; for a check that decides per change ([`Breaking::BuildIfTypesMove`])
/// what it `decided`, and the build when it decided nothing.
pub fn breaks(id: &str, severity: super::Severity, decided: Option<Breaks>) -> Option<Breaks> {
    if severity != super::Severity::Major {
        return None;
    }
    match find(id).map(|c| c.breaks) {
        Some(Breaking::Always(kind)) => Some(kind),
        _ => Some(decided.unwrap_or(Breaks::Build)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_that_can_give_major_says_how_it_breaks() {
        for check in CHECKS {
            assert_eq!(
                check.level.contains("major"),
                check.breaks != Breaking::Never,
                "{}",
                check.id
            );
        }
        let ids: std::collections::BTreeSet<&str> = CHECKS.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), CHECKS.len(), "the ids are distinct");
    }
}
