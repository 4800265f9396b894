//! Step 1: read the spec files and parse them (YAML or JSON) into JSON values.
//!
//! The spec folder holds three kinds of document, told apart by where they are:
//!
//! * `components.yaml` — parameters, error responses and schemas that several
//!   resource groups use (optional);
//! * `<interface>.yaml` (`enterprise.yaml`, `customer.yaml`) — what belongs to
//!   one interface: its info, servers, security scheme and default security.
//!   It holds no operations;
//! * `groups/<group>.yaml` — one resource group: its tags, its operations (an
//!   operation both interfaces serve is written once; `x-interfaces` narrows
//!   it to one) and the schemas and parameters only it defines. The file stem
//!   names the group's Rust module and cargo feature.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// File name of the document holding the components several groups share.
pub const SHARED_FILE: &str = "components.yaml";

/// Folder (inside the spec folder) of the resource-group documents.
pub const GROUPS_DIR: &str = "groups";

/// One parsed spec document.
#[derive(Clone, Debug)]
pub struct SpecFile {
    /// How the file is named in messages and banners (e.g. `spec/groups/cards.yaml`).
    pub name: String,
    /// The file's path relative to the spec folder, with `/` separators
    /// (e.g. `groups/cards.yaml`): how `$ref`s resolve to it.
    pub ref_name: String,
    /// The parsed document.
    pub value: Value,
}

/// One interface: its Rust module name and its document.
#[derive(Clone, Debug)]
pub struct InterfaceDoc {
    /// Rust module and cargo feature the interface is generated into
    /// (`enterprise`, `customer`), taken from the file stem.
    pub module: String,
    /// The interface's document.
    pub doc: SpecFile,
}

/// One resource group: its name and its document.
#[derive(Clone, Debug)]
pub struct GroupDoc {
    /// The group's name, from the file stem (`cards`): its Rust module and,
    /// unless it is [`CORE_GROUP`](crate::model::CORE_GROUP), its cargo feature.
    pub name: String,
    /// The group's document.
    pub doc: SpecFile,
}

/// Everything the generator reads.
#[derive(Clone, Debug)]
pub struct Sources {
    /// The shared components document, if there is one.
    pub shared: Option<SpecFile>,
    /// The interface documents, in generation order.
    pub interfaces: Vec<InterfaceDoc>,
    /// The resource-group documents, by name.
    pub groups: Vec<GroupDoc>,
    /// Documents that are none of these (validation reports them).
    pub unplaced: Vec<SpecFile>,
}

impl Sources {
    /// Reads `components.yaml` (optional), the named interface documents and
    /// every `groups/*.yaml` from `spec_dir`; `display_dir` prefixes the names
    /// used in messages.
    pub fn read(spec_dir: &Path, display_dir: &str, interfaces: &[&str]) -> Result<Self> {
        let read = |file: &str| -> Result<SpecFile> {
            let path = spec_dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            parse(&format!("{display_dir}/{file}"), file, &text)
        };
        let mut files = Vec::new();
        if spec_dir.join(SHARED_FILE).exists() {
            files.push(read(SHARED_FILE)?);
        }
        for module in interfaces {
            files.push(read(&format!("{module}.yaml"))?);
        }
        for name in spec_files(spec_dir)? {
            let known =
                name == SHARED_FILE || interfaces.iter().any(|m| name == format!("{m}.yaml"));
            if !known {
                files.push(read(&name)?);
            }
        }
        let groups_dir = spec_dir.join(GROUPS_DIR);
        if groups_dir.is_dir() {
            for name in spec_files(&groups_dir)? {
                files.push(read(&format!("{GROUPS_DIR}/{name}"))?);
            }
        }
        Ok(Self::classify(files, interfaces))
    }

    /// Builds sources from in-memory texts, each `(path relative to the spec
    /// folder, text)`: `components.yaml`, `<interface>.yaml` for each of
    /// `interfaces`, and `groups/<group>.yaml`. Used by tests.
    pub fn from_texts(files: &[(&str, &str)], interfaces: &[&str]) -> Result<Self> {
        let files = files
            .iter()
            .map(|(name, text)| parse(name, name, text))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self::classify(files, interfaces))
    }

    /// Builds sources from in-memory texts read elsewhere (from a git
    /// revision): each `(path relative to the spec folder, text)`, named in
    /// messages as `<display_dir>/<path>`. Files that [`Sources::read`]
    /// would not read (in deeper folders, or not YAML or JSON) are left out.
    pub fn from_named_texts(
        display_dir: &str,
        files: &[(String, String)],
        interfaces: &[&str],
    ) -> Result<Self> {
        let mut files: Vec<&(String, String)> = files
            .iter()
            .filter(|(name, _)| {
                let depth_ok = match name.split_once('/') {
                    None => true,
                    Some((dir, rest)) => dir == GROUPS_DIR && !rest.contains('/'),
                };
                depth_ok && [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let files = files
            .into_iter()
            .map(|(name, text)| parse(&format!("{display_dir}/{name}"), name, text))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self::classify(files, interfaces))
    }

    fn classify(files: Vec<SpecFile>, interfaces: &[&str]) -> Self {
        let mut sources = Sources {
            shared: None,
            interfaces: Vec::new(),
            groups: Vec::new(),
            unplaced: Vec::new(),
        };
        let mut by_module = Vec::new();
        for file in files {
            let stem = file
                .ref_name
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .split('.')
                .next()
                .unwrap_or_default()
                .to_owned();
            if file.ref_name == SHARED_FILE {
                sources.shared = Some(file);
            } else if file.ref_name.starts_with(&format!("{GROUPS_DIR}/")) {
                sources.groups.push(GroupDoc {
                    name: stem,
                    doc: file,
                });
            } else if interfaces.contains(&stem.as_str()) && !file.ref_name.contains('/') {
                by_module.push(InterfaceDoc {
                    module: stem,
                    doc: file,
                });
            } else {
                sources.unplaced.push(file);
            }
        }
        for module in interfaces {
            if let Some(i) = by_module.iter().position(|d| d.module == *module) {
                sources.interfaces.push(by_module.remove(i));
            }
        }
        sources
    }

    /// All documents: the shared one first, then the interfaces, then the groups.
    pub fn files(&self) -> impl Iterator<Item = &SpecFile> {
        self.shared
            .iter()
            .chain(self.interfaces.iter().map(|i| &i.doc))
            .chain(self.groups.iter().map(|g| &g.doc))
    }

    /// The document whose [`SpecFile::ref_name`] is `ref_name`.
    pub fn file(&self, ref_name: &str) -> Option<&SpecFile> {
        self.files().find(|f| f.ref_name == ref_name)
    }
}

/// The names of the YAML and JSON files directly in `dir`, sorted.
pub fn spec_files(dir: &Path) -> Result<Vec<String>> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path.is_file() && [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
            names.push(name.to_owned());
        }
    }
    names.sort();
    Ok(names)
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

    #[test]
    fn files_are_classified_by_place() {
        let doc = "openapi: 3.0.3\n";
        let sources = Sources::from_texts(
            &[
                ("groups/cards.yaml", doc),
                ("customer.yaml", doc),
                ("components.yaml", doc),
                ("enterprise.yaml", doc),
                ("other.yaml", doc),
            ],
            &["enterprise", "customer"],
        )
        .unwrap();
        assert!(sources.shared.is_some());
        let modules: Vec<_> = sources.interfaces.iter().map(|i| &i.module).collect();
        assert_eq!(modules, ["enterprise", "customer"]);
        assert_eq!(sources.groups[0].name, "cards");
        assert_eq!(sources.files().count(), 4);
        assert_eq!(sources.unplaced[0].ref_name, "other.yaml");
    }
}
