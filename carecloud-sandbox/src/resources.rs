//! What a standard operation does to which records, inferred from its
//! `Operation` facts alone (no per-operation table):
//!
//! * the path's last literal segment is the collection (`/card-types` →
//!   `card_types`; `/customers/{customer_id}/cards` → `cards`);
//! * a trailing `{param}` makes it an item operation (GET = get, PUT =
//!   replace, DELETE = delete) whose ID field is the parameter's name;
//!   without one, GET lists and POST creates;
//! * a `{param}` before the collection is a parent: the records listed or
//!   created are those whose field of that name is the parent's ID;
//! * the list's items field is `Operation::list`'s (else the collection's
//!   name), paged when the operation has `count` and `offset`;
//! * paths with an `/actions/` segment are not standard (see `actions.rs`).

use std::collections::HashMap;
use std::sync::OnceLock;

use carecloud_api::operation::Method;
use carecloud_api::{Interface, Operation};

/// What a standard operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// GET a collection: a page of records.
    List,
    /// GET one record by ID.
    Get,
    /// POST to a collection: a new record, 201 with its ID.
    Create,
    /// PUT one record: full replacement, 204.
    Replace,
    /// DELETE one record: 204.
    Delete,
}

/// A parent in the path (`customer_id` of `/customers/{customer_id}/cards`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Parent {
    /// The path parameter, also the field of the child records naming it.
    pub param: &'static str,
    /// The collection the parent is in (`customers`).
    pub collection: String,
}

/// A standard operation's resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Resource {
    pub kind: Kind,
    /// The collection (`cards`).
    pub collection: String,
    /// The ID path parameter of an item operation (`card_id`).
    pub id_param: Option<&'static str>,
    /// Parents in the path, outermost first.
    pub parents: Vec<Parent>,
    /// The field of `data` a list's records go in (`cards`).
    pub items: String,
    /// Whether a list is paged by `count`/`offset`.
    pub paged: bool,
}

impl Resource {
    /// The resource of `op`, if it is a standard operation.
    pub fn of(op: &Operation) -> Option<Resource> {
        let segments: Vec<&'static str> = op.path.trim_matches('/').split('/').collect();
        if segments.contains(&"actions") {
            return None;
        }
        let mut last_literal: Option<&str> = None;
        let mut parents = Vec::new();
        let mut id_param = None;
        for (i, segment) in segments.iter().enumerate() {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => {
                    let collection = collection_name(last_literal?);
                    if i + 1 == segments.len() {
                        id_param = Some(param);
                    } else {
                        parents.push(Parent { param, collection });
                    }
                }
                None => last_literal = Some(segment),
            }
        }
        let collection = collection_name(last_literal?);
        let kind = match (id_param.is_some(), op.method) {
            (false, Method::Get) => Kind::List,
            (false, Method::Post) => Kind::Create,
            (true, Method::Get) => Kind::Get,
            (true, Method::Put) => Kind::Replace,
            (true, Method::Delete) => Kind::Delete,
            _ => return None,
        };
        Some(Resource {
            kind,
            items: op
                .list
                .map_or_else(|| collection.clone(), |l| l.items.to_owned()),
            paged: op.list.map_or(
                op.param("count").is_some() && op.param("offset").is_some(),
                |l| l.paged,
            ),
            collection,
            id_param,
            parents,
        })
    }
}

/// A path segment as a collection name: `card-types` → `card_types`.
pub(crate) fn collection_name(segment: &str) -> String {
    segment.replace('-', "_")
}

/// One record of a collection: `customers` → `customer`, `categories` →
/// `category`, `statuses` → `status`, `credit_history` stays.
pub(crate) fn singular(collection: &str) -> String {
    if let Some(stem) = collection.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = collection
        .strip_suffix("sses")
        .or_else(|| collection.strip_suffix("uses"))
    {
        format!("{stem}{}", &collection[stem.len()..stem.len() + 2])
    } else {
        collection
            .strip_suffix('s')
            .unwrap_or(collection)
            .to_owned()
    }
}

/// The ID field of `collection`: the ID parameter of an item operation on it
/// (`GET /cards/{card_id}` → `card_id`), else `<singular>_id`.
pub(crate) fn id_field(collection: &str) -> String {
    static ID_FIELDS: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let known = ID_FIELDS.get_or_init(|| {
        all_operations()
            .filter_map(Resource::of)
            .filter_map(|r| r.id_param.map(|id| (r.collection, id)))
            .collect()
    });
    known.get(collection).map_or_else(
        || format!("{}_id", singular(collection)),
        |id| (*id).to_owned(),
    )
}

/// Every operation of both interfaces (those of both once each).
pub(crate) fn all_operations() -> impl Iterator<Item = &'static Operation> {
    let enterprise = Interface::Enterprise.operations().iter().copied();
    let customer_only = Interface::Customer
        .operations()
        .iter()
        .copied()
        .filter(|op| !op.enterprise);
    enterprise.chain(customer_only)
}

#[cfg(test)]
mod tests {
    use super::*;
    use carecloud_api::OperationId;

    fn of(id: OperationId) -> Resource {
        Resource::of(id.operation()).expect("standard")
    }

    #[test]
    fn shapes_come_from_the_path_and_method() {
        let list = of(OperationId::GetCustomers);
        assert_eq!(
            (list.kind, list.collection.as_str(), list.items.as_str()),
            (Kind::List, "customers", "customers")
        );
        assert!(list.paged);
        let get = of(OperationId::GetCardType);
        assert_eq!(
            (get.kind, get.collection.as_str(), get.id_param),
            (Kind::Get, "card_types", Some("card_type_id"))
        );
        let sub = of(OperationId::GetSubCustomerCards);
        assert_eq!((sub.kind, sub.collection.as_str()), (Kind::List, "cards"));
        assert_eq!(
            sub.parents,
            [Parent {
                param: "customer_id",
                collection: "customers".into()
            }]
        );
        assert_eq!(of(OperationId::PostCard).kind, Kind::Create);
        assert_eq!(of(OperationId::PutCustomer).kind, Kind::Replace);
        assert!(!of(OperationId::GetLanguages).paged);
        assert!(Resource::of(OperationId::GetCustomerSearch.operation()).is_none());
        assert!(Resource::of(OperationId::PostTokenLogin.operation()).is_none());
    }

    #[test]
    fn names() {
        assert_eq!(singular("customers"), "customer");
        assert_eq!(singular("card_types"), "card_type");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("statuses"), "status");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("credit_history"), "credit_history");
        assert_eq!(id_field("cards"), "card_id");
        assert_eq!(id_field("languages"), "language_id");
        assert_eq!(id_field("property_records"), "property_record_id");
    }
}
