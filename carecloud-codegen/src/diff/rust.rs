//! The public Rust items a spec element becomes in `carecloud-api`, named as
//! a user writes them (`EnterpriseClient::get_stores`, `types::Store::name`).

use heck::ToSnakeCase;

use crate::model::Operation;
use crate::naming::{method_name, type_name};

/// The client of an interface module (`enterprise` → `EnterpriseClient`).
pub fn client(interface: &str) -> String {
    format!("{}Client", type_name(interface))
}

/// `EnterpriseClient::get_stores` for each interface serving `op`.
pub fn methods(op: &Operation) -> Vec<String> {
    op.interfaces
        .iter()
        .map(|i| format!("{}::{}", client(i), method_name(&op.operation_id)))
        .collect()
}

/// The client methods, the builder and the `OperationId` variant of `op`.
pub fn operation_items(op: &Operation) -> Vec<String> {
    let mut items = methods(op);
    let name = type_name(&op.operation_id);
    items.push(format!("builders::{name}"));
    items.push(format!("OperationId::{name}"));
    items
}

/// The builder's setter of an optional parameter (`builders::GetStores::count`).
pub fn setter(op: &Operation, param: &str) -> String {
    format!(
        "builders::{}::{}",
        type_name(&op.operation_id),
        field(param)
    )
}

/// `types::Store`.
pub fn ty(name: &str) -> String {
    format!("types::{name}")
}

/// The field a property becomes (`storeId` → `store_id`, `type` → `type_`).
pub fn field(property: &str) -> String {
    let snake = property.replace(['[', ']'], "").to_snake_case();
    if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// `types::Store::name`.
pub fn field_path(rust_type: &str, property: &str) -> String {
    format!("types::{rust_type}::{}", field(property))
}

/// `types::Store::with_name`.
pub fn with_setter(rust_type: &str, property: &str) -> String {
    format!(
        "types::{rust_type}::with_{}",
        field(property).trim_end_matches('_')
    )
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "yield",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_named_as_the_generator_names_them() {
        assert_eq!(client("enterprise"), "EnterpriseClient");
        assert_eq!(field("storeId"), "store_id");
        assert_eq!(field("type"), "type_");
        assert_eq!(with_setter("Address", "type"), "types::Address::with_type");
        assert_eq!(field_path("Store", "name"), "types::Store::name");
    }
}
