//! Parses the `#[carecloud(...)]` attributes into [`Attrs`], collecting
//! every mistake instead of stopping at the first.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, Meta, Path, Token};

use crate::ctxt::Ctxt;

/// The attribute's name.
pub const CARECLOUD: &str = "carecloud";
/// `interface = enterprise | customer` (required).
pub const INTERFACE: &str = "interface";
/// `credentials = <path>` (optional; the interface's built-in source).
pub const CREDENTIALS: &str = "credentials";
/// Every key, for near-miss suggestions.
pub const KEYS: &[&str] = &[INTERFACE, CREDENTIALS];
/// The values of `interface = ...`.
pub const INTERFACES: &[&str] = &["enterprise", "customer"];

/// The keys given, each with the syntax it came from.
#[derive(Default)]
pub struct Attrs {
    /// The first `#[carecloud(...)]` attribute, for errors about a key it
    /// lacks.
    pub first: Option<TokenStream>,
    /// `interface = <ident>`: the key and the value as written.
    pub interface: Option<(Ident, Ident)>,
    /// `credentials = <path>`.
    pub credentials: Option<(Ident, Path)>,
    /// Whether a mistake about `interface` was reported already (a typo of
    /// the key, a bad value, an attribute that could not be read), so that
    /// it is not reported again as missing.
    pub interface_reported: bool,
}

/// Reads every `#[carecloud(...)]` among `attrs`.
pub fn get(cx: &Ctxt, attrs: &[Attribute]) -> Attrs {
    let mut out = Attrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(CARECLOUD)) {
        out.first.get_or_insert_with(|| attr.to_token_stream());
        let list = match &attr.meta {
            Meta::List(list) => list,
            other => {
                cx.error(
                    other,
                    "expected `#[carecloud(interface = ...)]` with keys in parentheses",
                );
                out.interface_reported = true;
                continue;
            }
        };
        let entries = match list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(entries) => entries,
            Err(error) => {
                cx.syn_error(error);
                continue;
            }
        };
        for entry in entries {
            entry_of(cx, &mut out, entry);
        }
    }
    out
}

fn entry_of(cx: &Ctxt, out: &mut Attrs, entry: Meta) {
    let Some(key) = entry.path().get_ident().cloned() else {
        cx.error(entry.path(), unknown_key(&path_text(entry.path())));
        return;
    };
    let name = key.to_string();
    if name == INTERFACE {
        // From here on, any problem with it is reported where it is.
        out.interface_reported = true;
    }
    if !KEYS.contains(&name.as_str()) {
        cx.error(&key, unknown_key(&name));
        out.interface_reported |= near_miss(&name, KEYS) == Some(INTERFACE);
        return;
    }
    let value = match entry {
        Meta::NameValue(pair) => pair.value,
        other => {
            cx.error(other, format!("expected `{name} = ...`"));
            return;
        }
    };
    let Some(path) = path_value(&value) else {
        let expected = if name == INTERFACE {
            "`interface = enterprise` or `interface = customer`"
        } else {
            "a type path, e.g. `credentials = MySecretStore`"
        };
        cx.error(&value, format!("expected {expected}"));
        return;
    };
    if name == INTERFACE {
        if out.interface.is_some() {
            cx.error(&key, "duplicate `interface = ...`");
            return;
        }
        let Some(interface) = path.get_ident() else {
            cx.error(&path, unknown_interface(&path_text(&path)));
            return;
        };
        if !INTERFACES.contains(&interface.to_string().as_str()) {
            cx.error(interface, unknown_interface(&interface.to_string()));
            return;
        }
        out.interface = Some((key, interface.clone()));
    } else {
        if out.credentials.is_some() {
            cx.error(&key, "duplicate `credentials = ...`");
            return;
        }
        out.credentials = Some((key, path));
    }
}

/// The value as a plain path (`enterprise`, `crate::MyStore`), if it is one.
fn path_value(value: &Expr) -> Option<Path> {
    match value {
        Expr::Path(path) if path.attrs.is_empty() && path.qself.is_none() => {
            Some(path.path.clone())
        }
        _ => None,
    }
}

fn path_text(path: &Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.join("::")
}

fn unknown_key(name: &str) -> String {
    let mut message = format!("unknown key `{name}` in `#[carecloud(...)]`");
    match near_miss(name, KEYS) {
        Some(key) => message.push_str(&format!("; did you mean `{key}`?")),
        None => message.push_str("; expected `interface` or `credentials`"),
    }
    message
}

fn unknown_interface(name: &str) -> String {
    let mut message = format!("unknown interface `{name}`");
    match near_miss(name, INTERFACES) {
        Some(interface) => message.push_str(&format!("; did you mean `{interface}`?")),
        None => message.push_str("; expected `enterprise` or `customer`"),
    }
    message
}

/// The candidate closest to `name`, if it is close enough to be a typo.
pub fn near_miss(name: &str, candidates: &[&'static str]) -> Option<&'static str> {
    let lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, counting an adjacent swap as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        assert_eq!(near_miss("interfce", KEYS), Some(INTERFACE));
        assert_eq!(near_miss("credential", KEYS), Some(CREDENTIALS));
        assert_eq!(near_miss("Interface", KEYS), Some(INTERFACE));
        assert_eq!(near_miss("url", KEYS), None);
        assert_eq!(near_miss("enterprize", INTERFACES), Some("enterprise"));
        assert_eq!(near_miss("costumer", INTERFACES), Some("customer"));
        assert_eq!(near_miss("public", INTERFACES), None);
    }
}
