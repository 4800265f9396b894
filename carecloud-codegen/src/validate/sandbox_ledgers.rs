//! A group's `ledgers`: each a balance kept as lots in a resource (amounts,
//! expiry, source), with its journal of movements and its reservations.

use super::sandbox::Decls;
use super::sandbox_schema::Node;
use crate::model::sandbox::{Journal, Ledger, LedgerBody, Reservations, Verb};

impl<'a> Decls<'a> {
    pub(super) fn ledger(&mut self, name: &str, node: &Node<'a>) -> Ledger {
        let allowed = [
            "lots",
            "assigned",
            "available",
            "expires",
            "dims",
            "carry",
            "short",
            "journal",
            "reservations",
            "body",
        ];
        self.cx.mapping(node, &allowed);
        let lots = self.resource_name(&node.get("lots"));
        let assigned = self.field_at(node, "assigned", &lots, None);
        let available = self.field_at(node, "available", &lots, None);
        let expires = self.field_at(node, "expires", &lots, Some("valid_to"));
        let mut dims = Vec::new();
        for (dim, of) in node.get("dims").entries() {
            self.check_fields(&of, &lots, &[dim.to_owned()]);
            dims.push((dim.to_owned(), self.resource_name(&of)));
        }
        let carry = self.cx.texts(&node.get("carry"));
        let journal = self.journal(&node.get("journal"));
        let reservations = node.opt("reservations").map(|r| {
            self.cx
                .mapping(&r, &["resource", "key", "amount", "expires", "held"]);
            let resource = self.resource_name(&r.get("resource"));
            let mut text = |key: &str| self.field_at(&r, key, &resource, None);
            Reservations {
                key: text("key"),
                amount: text("amount"),
                expires: text("expires"),
                held: text("held"),
                resource,
            }
        });
        let body = node.get("body");
        if !body.value.is_null() {
            self.cx.mapping(
                &body,
                &["account", "amount", "note", "from", "to", "key", "expires"],
            );
        }
        let name_of =
            |key: &str, default: &str| body.get(key).value.as_str().unwrap_or(default).to_owned();
        Ledger {
            name: name.to_owned(),
            short: self.cx.text(&node.get("short")),
            body: LedgerBody {
                account: name_of("account", "customer_id"),
                amount: name_of("amount", "amount"),
                note: name_of("note", "note"),
                from: name_of("from", "original_customer_id"),
                to: name_of("to", "new_customer_id"),
                key: name_of("key", "external_id"),
                expires: name_of("expires", "expiration_time"),
            },
            lots,
            assigned,
            available,
            expires,
            dims: dims.into(),
            carry: carry.into(),
            journal,
            reservations,
        }
    }

    fn journal(&mut self, node: &Node<'a>) -> Journal {
        let allowed = [
            "resource", "amount", "kind", "note", "time", "carry", "kinds",
        ];
        self.cx.mapping(node, &allowed);
        let resource = self.resource_name(&node.get("resource"));
        let mut field = |key: &str| self.field_at(node, key, &resource, None);
        let (amount, kind, note, time) =
            (field("amount"), field("kind"), field("note"), field("time"));
        let carry = self.cx.texts(&node.get("carry"));
        for field in &carry {
            self.check_fields(&node.get("carry"), &resource, std::slice::from_ref(field));
        }
        let mut kinds = Vec::new();
        for (verb, text) in node.get("kinds").entries() {
            match Verb::ALL.iter().find(|(n, _)| *n == verb) {
                Some((_, v)) => kinds.push((*v, self.cx.text(&text))),
                None => self.cx.problem(&text, format!("unknown verb `{verb}`")),
            }
        }
        Journal {
            resource,
            amount,
            kind,
            note,
            time,
            carry: carry.into(),
            kinds: kinds.into(),
        }
    }

    /// A declared ledger's name (a problem if there is none).
    pub(super) fn ledger_name(&mut self, node: &Node<'_>) -> String {
        let name = self.cx.text(node);
        if !self.ledgers.contains_key(&name) {
            self.cx
                .problem(node, format!("no ledger `{name}` is declared"));
        }
        name
    }
}
