//! The Rust names progenitor and typify derive from spec names, predicted
//! here so that validation can report two schemas that would share one name.

use heck::{ToPascalCase, ToSnakeCase};

/// The Rust type name typify gives a schema named `name` (PascalCase, with
/// characters that cannot appear in an identifier turned into word breaks).
pub fn type_name(name: &str) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let out = cleaned.to_pascal_case();
    match out.chars().next() {
        None => "X".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("X{out}"),
        Some(_) => out,
    }
}

/// The name typify gives an inline schema found under `property` of the type
/// called `parent` (`Customer` + `personal_information` → `CustomerPersonalInformation`).
pub fn nested_type_name(parent: &str, property: &str) -> String {
    type_name(&format!("{parent}-{property}"))
}

/// The Rust method name progenitor gives an operationId (`getCustomers` → `get_customers`).
pub fn method_name(operation_id: &str) -> String {
    operation_id.to_snake_case()
}

/// The Rust variant name an open enum gives a string value (`carecloud-api` → `CarecloudApi`).
pub fn variant_name(value: &str) -> String {
    let lower = if value.chars().any(|c| c.is_ascii_lowercase()) {
        value.to_owned()
    } else {
        value.to_ascii_lowercase()
    };
    type_name(&lower)
}

/// Whether `name` is a PascalCase Rust identifier usable as a variant.
pub fn is_pascal_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && name != "Unknown"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_typify() {
        assert_eq!(type_name("Customer"), "Customer");
        assert_eq!(type_name("Purchase-item-type"), "PurchaseItemType");
        assert_eq!(type_name("Error_processing"), "ErrorProcessing");
        assert_eq!(
            nested_type_name("Customer", "personal_information"),
            "CustomerPersonalInformation"
        );
        assert_eq!(method_name("getCustomers"), "get_customers");
        assert_eq!(method_name("PostSegment"), "post_segment");
        assert_eq!(variant_name("ASC"), "Asc");
        assert_eq!(variant_name("carecloud-api"), "CarecloudApi");
        assert_eq!(variant_name("email"), "Email");
        assert!(is_pascal_ident("NonActive"));
        assert!(!is_pascal_ident("non_active"));
        assert!(!is_pascal_ident("Unknown"));
    }
}
