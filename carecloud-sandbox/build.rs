//! Lists `seed/<collection>.json` for `src/seed.rs`, so that a new
//! collection's seed file is picked up without touching any code.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=seed");
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("seed");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("carecloud-sandbox/seed/ exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Every `seed/<collection>.json`: (collection, file name, contents).\n\
         pub(crate) static COLLECTIONS: &[(&str, &str, &str)] = &[\n",
    );
    for path in &files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("seed file names are UTF-8");
        let name = path
            .file_name()
            .and_then(|s| s.to_str())
            .expect("seed file names are UTF-8");
        writeln!(
            out,
            "    ({stem:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("seed_files.rs");
    fs::write(target, out).expect("OUT_DIR is writable");
}
