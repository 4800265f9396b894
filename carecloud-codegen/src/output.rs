//! Step 7: write the output folder whole, or compare it with what is on disk.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::generate::Output;

/// How a checked-in file differs from freshly generated code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// The file's text differs.
    Changed(PathBuf),
    /// The generator produces the file but it is not on disk.
    Missing(PathBuf),
    /// The file is on disk but the generator no longer produces it.
    Extra(PathBuf),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Changed(p) => write!(f, "changed: {}", p.display()),
            Drift::Missing(p) => write!(f, "missing: {}", p.display()),
            Drift::Extra(p) => write!(f, "not generated any more: {}", p.display()),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

fn files_on_disk(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(vec![]);
    }
    let mut files = vec![];
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        files.push(path);
    }
    files.sort();
    Ok(files)
}

/// Compares `output` with the files in `dir`; an empty list means up to date.
pub fn check(output: &Output, dir: &Path) -> Result<Vec<Drift>> {
    let mut drift = vec![];
    for (name, text) in &output.files {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(current) if current == *text => {}
            Ok(_) => drift.push(Drift::Changed(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.push(Drift::Missing(path)),
            Err(e) => return Err(io(&path)(e)),
        }
    }
    for path in files_on_disk(dir)? {
        let known = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| output.files.contains_key(n));
        if !known {
            drift.push(Drift::Extra(path));
        }
    }
    Ok(drift)
}

/// Replaces the contents of `dir` with `output`: files the generator no
/// longer produces are removed, so removed operations disappear.
pub fn write(output: &Output, dir: &Path) -> Result<()> {
    for path in files_on_disk(dir)? {
        if path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(io(&path))?;
        } else {
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for (name, text) in &output.files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(())
}
