//! Step 1: read the spec files and parse them (YAML or JSON) into JSON values.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// File name of the document holding the components both interfaces share.
pub const SHARED_FILE: &str = "components.yaml";

/// One parsed spec document.
#[derive(Clone, Debug)]
pub struct SpecFile {
    /// How the file is named in messages and banners (e.g. `spec/enterprise.yaml`).
    pub name: String,
    /// The file name that `$ref`s use to point at it (e.g. `enterprise.yaml`).
    pub ref_name: String,
    /// The parsed document.
    pub value: Value,
}

/// One interface: its Rust module name and its document.
#[derive(Clone, Debug)]
pub struct InterfaceDoc {
    /// Rust module the interface is generated into (`enterprise`, `customer`),
    /// taken from the file stem.
    pub module: String,
    /// The interface's document.
    pub doc: SpecFile,
}

/// Everything the generator reads: the shared components and the interfaces.
#[derive(Clone, Debug)]
pub struct Sources {
    /// The shared components document, if there is one.
    pub shared: Option<SpecFile>,
    /// The interface documents, in generation order.
    pub interfaces: Vec<InterfaceDoc>,
}

impl Sources {
    /// Reads `components.yaml` (optional) and the named interface documents
    /// from `spec_dir`; `display_dir` prefixes the names used in messages.
    pub fn read(spec_dir: &Path, display_dir: &str, interfaces: &[&str]) -> Result<Self> {
        let read = |file: &str| -> Result<SpecFile> {
            let path = spec_dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            parse(&format!("{display_dir}/{file}"), file, &text)
        };
        let shared = if spec_dir.join(SHARED_FILE).exists() {
            Some(read(SHARED_FILE)?)
        } else {
            None
        };
        let interfaces = interfaces
            .iter()
            .map(|module| {
                Ok(InterfaceDoc {
                    module: (*module).to_owned(),
                    doc: read(&format!("{module}.yaml"))?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Self { shared, interfaces })
    }

    /// Builds sources from in-memory texts: `(ref name, text)` of the shared
    /// document and `(module, text)` of each interface. Used by tests.
    pub fn from_texts(shared: Option<&str>, interfaces: &[(&str, &str)]) -> Result<Self> {
        let shared = shared
            .map(|text| parse(SHARED_FILE, SHARED_FILE, text))
            .transpose()?;
        let interfaces = interfaces
            .iter()
            .map(|(module, text)| {
                let file = format!("{module}.yaml");
                Ok(InterfaceDoc {
                    module: (*module).to_owned(),
                    doc: parse(&file, &file, text)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Self { shared, interfaces })
    }

    /// All documents: the shared one first, then the interfaces.
    pub fn files(&self) -> impl Iterator<Item = &SpecFile> {
        self.shared
            .iter()
            .chain(self.interfaces.iter().map(|i| &i.doc))
    }
}

/// Parses one document; a syntax error names the file, line and column.
pub fn parse(name: &str, ref_name: &str, text: &str) -> Result<SpecFile> {
    let value: Value = serde_yaml_ng::from_str(text).map_err(|e| Error::Yaml {
        file: name.to_owned(),
        message: e.to_string(),
    })?;
    if !value.is_object() {
        return Err(Error::Yaml {
            file: name.to_owned(),
            message: "the document is not a mapping (expected an OpenAPI object)".to_owned(),
        });
    }
    Ok(SpecFile {
        name: name.to_owned(),
        ref_name: ref_name.to_owned(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_errors_name_file_and_line() {
        let err = parse("spec/x.yaml", "x.yaml", "openapi: 3.0.3\npaths: [\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("spec/x.yaml: "), "{msg}");
        assert!(msg.contains("line"), "{msg}");
    }

    #[test]
    fn non_mapping_document_is_rejected() {
        let err = parse("a.yaml", "a.yaml", "- 1\n- 2\n").unwrap_err();
        assert!(err.to_string().contains("not a mapping"));
    }
}
