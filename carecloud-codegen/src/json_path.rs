//! JSON paths (`$.paths['/customers'].get`) naming a node inside a spec file.

use std::fmt;

/// A path from a document's root to one of its nodes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Segment>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl JsonPath {
    /// The document root, `$`.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by an object key.
    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.to_owned()));
        next
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    /// Parses the fragment of a local `$ref` (`#/components/schemas/Customer`).
    pub fn from_pointer(pointer: &str) -> Self {
        let mut path = Self::root();
        for raw in pointer.trim_start_matches('#').split('/').skip(1) {
            path.0
                .push(Segment::Key(raw.replace("~1", "/").replace("~0", "~")));
        }
        path
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for seg in &self.0 {
            match seg {
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(k)
                    if !k.is_empty()
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !k.starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    write!(f, ".{k}")?
                }
                Segment::Key(k) => write!(f, "['{}']", k.replace('\'', "\\'"))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_identifiers_and_quoted_keys() {
        let p = JsonPath::root()
            .key("paths")
            .key("/customers")
            .key("get")
            .key("responses")
            .key("400")
            .key("content")
            .key("application/json");
        assert_eq!(
            p.to_string(),
            "$.paths['/customers'].get.responses['400'].content['application/json']"
        );
        assert_eq!(JsonPath::root().key("a").index(3).to_string(), "$.a[3]");
    }

    #[test]
    fn parses_pointers_with_escapes() {
        let p = JsonPath::from_pointer("#/paths/~1tokens~1{token_id}/get");
        assert_eq!(p.to_string(), "$.paths['/tokens/{token_id}'].get");
    }
}
