//! Routing from the generated operation tables: a request's path and method
//! → the interface and its `&'static Operation`, with the path parameters.
//! No per-operation code: every entry of `Interface::operations()` is
//! served at its path template.

use carecloud_api::{Interface, Operation};
use percent_encoding::percent_decode_str;

use crate::errors::{self, ApiError};

/// The path parameters of a matched request (`customer_id` → `8ea6...`).
pub(crate) type PathParams = Vec<(&'static str, String)>;

/// The interface whose base path `path` is under, and the rest of it.
pub(crate) fn split_interface(path: &str) -> (Option<Interface>, &str) {
    for interface in [Interface::Enterprise, Interface::Customer] {
        if let Some(rest) = path.strip_prefix(interface.base_path())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return (Some(interface), rest);
        }
    }
    (None, path)
}

/// The operation of `interface` for `method` and `path` (below the base
/// path): the template with the most literal segments wins, so
/// `/customers/actions/search-customers` beats `/customers/{customer_id}`.
/// 404 when no template matches the path, 405 when one does but not with
/// this method, 403 `interface_not_allowed_exception` for `/tokens` on the
/// enterprise interface.
pub(crate) fn route(
    interface: Interface,
    method: &str,
    path: &str,
) -> Result<(&'static Operation, PathParams), ApiError> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if interface == Interface::Enterprise && segments.first() == Some(&"tokens") {
        return Err(errors::interface_not_allowed("tokens"));
    }
    // The best-matching template of any method decides which resource the
    // path is; the method must then be one of that template's.
    let mut best_score: Option<usize> = None;
    let mut found: Option<(usize, &'static Operation, PathParams)> = None;
    for op in interface.operations() {
        let Some((score, params)) = matches(op.path, &segments) else {
            continue;
        };
        best_score = best_score.max(Some(score));
        if op.method.as_str() == method && found.as_ref().is_none_or(|(s, _, _)| score > *s) {
            found = Some((score, op, params));
        }
    }
    match (found, best_score) {
        (Some((score, op, params)), Some(best)) if score == best => Ok((op, params)),
        (_, Some(_)) => Err(errors::method_not_allowed(method, path)),
        _ => Err(errors::no_route(path)),
    }
}

/// Whether `segments` fit `template`: the number of literal segments and the
/// parameters (percent-decoded) when they do.
fn matches(template: &'static str, segments: &[&str]) -> Option<(usize, PathParams)> {
    let parts: Vec<&'static str> = template.trim_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut literal = 0;
    let mut params = PathParams::new();
    for (part, segment) in parts.iter().zip(segments) {
        if let Some(name) = part.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if segment.is_empty() {
                return None;
            }
            let value = percent_decode_str(segment).decode_utf8_lossy().into_owned();
            params.push((name, value));
        } else if part == segment {
            literal += 1;
        } else {
            return None;
        }
    }
    Some((literal, params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use carecloud_api::OperationId;

    #[test]
    fn every_operation_is_routed_to_itself() {
        for interface in [Interface::Enterprise, Interface::Customer] {
            for op in interface.operations() {
                let path = op.path.replace('{', "x").replace('}', "");
                let (found, _) = route(interface, op.method.as_str(), &path).expect("routed");
                assert_eq!(found.id, op.id, "{} {}", op.method.as_str(), op.path);
            }
        }
    }

    #[test]
    fn literal_segments_win_and_parameters_are_decoded() {
        let (op, params) = route(
            Interface::Enterprise,
            "GET",
            "/customers/actions/search-customers",
        )
        .expect("ok");
        assert_eq!(op.id, OperationId::GetCustomerSearch);
        assert!(params.is_empty());
        let (op, params) = route(Interface::Enterprise, "GET", "/customers/a%20b").expect("ok");
        assert_eq!(op.id, OperationId::GetCustomer);
        assert_eq!(params, [("customer_id", "a b".to_owned())]);
    }

    #[test]
    fn unknown_paths_methods_and_tokens_on_enterprise() {
        let e = route(Interface::Enterprise, "DELETE", "/customers").expect_err("405");
        assert_eq!(e.status, 405);
        let e = route(Interface::Enterprise, "GET", "/nothing").expect_err("404");
        assert_eq!(e.status, 404);
        let e = route(Interface::Enterprise, "POST", "/tokens").expect_err("403");
        assert_eq!(e.status, 403);
        assert_eq!(e.body["error"]["type"], "interface_not_allowed_exception");
        assert!(route(Interface::Customer, "POST", "/tokens").is_ok());
    }
}
