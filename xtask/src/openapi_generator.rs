//! openapi-generator's Rust client of the same spec, for comparison: the
//! PyPI package `openapi-generator-cli` (which ships the generator's jar) in
//! a venv, run on the bundled `api.json` with networking switched off where
//! the machine allows it, into a workspace of its own.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Context, Result};
use crate::process;
use crate::workspace::write_if_changed;

/// The pinned generator version (PyPI `openapi-generator-cli`).
pub const VERSION: &str = "7.26.0";

/// The generated crate's package (and crate) name.
pub const PACKAGE: &str = "carecloud_oag";

/// The generator options besides `-g rust` and the package name:
/// rustls like carecloud-api (no OpenSSL), one parameter struct per
/// operation (the counterpart of carecloud-api's builders); the default
/// library (reqwest, async) otherwise.
const ADDITIONAL_PROPERTIES: &str = "reqwestDefaultFeatures=rustls,useSingleRequestParameter=true";

/// No docs and no test stubs: only the crate.
const GLOBAL_PROPERTIES: &str = "apiDocs=false,modelDocs=false,apiTests=false,modelTests=false";

/// The generated client, ready to build.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The workspace holding the crate (`openapi-generator/`).
    pub workspace: PathBuf,
    /// The crate folder (`openapi-generator/client/`).
    pub crate_dir: PathBuf,
    /// How it was made: options, isolation, post-fixes.
    pub notes: Vec<String>,
}

/// Makes sure the pinned generator is installed in `work/venv` (installing
/// it with pip the first time) and returns its command.
pub fn install(work: &Path) -> Result<PathBuf> {
    if !process::succeeds("java", &["-version"]) {
        crate::bail!(
            "openapi-generator needs Java (11 or newer): `java -version` did not run. Install a JRE (Debian: openjdk-17-jre-headless) or pass --no-openapi-generator"
        );
    }
    let venv = work.join("venv");
    let cli = venv.join("bin").join("openapi-generator-cli");
    let stamp = venv.join("xtask-installed.txt");
    let wanted = format!("openapi-generator-cli=={VERSION}\n");
    if cli.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(cli);
    }
    let logs = work.join("logs");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        eprintln!("[build-cost] creating a Python venv in {}", venv.display());
        process::run(
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
            "creating a Python venv for openapi-generator (`python3 -m venv`; Debian needs python3-venv)",
            &logs.join("venv.log"),
        )?;
    }
    eprintln!("[build-cost] installing openapi-generator-cli {VERSION} from PyPI");
    process::run(
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            &format!("openapi-generator-cli=={VERSION}"),
        ]),
        &format!("pip install openapi-generator-cli=={VERSION}"),
        &logs.join("pip-install.log"),
    )?;
    let output = process::run(
        Command::new(&cli).arg("version"),
        "openapi-generator-cli version",
        &logs.join("oag-version.log"),
    )?;
    let reported = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !reported.ends_with(VERSION) {
        crate::bail!("openapi-generator-cli reports version `{reported}`, expected {VERSION}");
    }
    std::fs::write(&stamp, wanted).context(|| format!("writing {}", stamp.display()))?;
    Ok(cli)
}

/// Generates the client of `spec` (a bundled JSON document) into
/// `dir/client`, and `dir/Cargo.toml` as its workspace with `profiles`
/// (the measured workspace's `[profile]` tables).
pub fn generate(cli: &Path, spec: &Path, dir: &Path, profiles: &str) -> Result<Generated> {
    let crate_dir = dir.join("client");
    if crate_dir.exists() {
        std::fs::remove_dir_all(&crate_dir)
            .context(|| format!("removing {}", crate_dir.display()))?;
    }
    std::fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
    let mut notes = vec![format!(
        "openapi-generator-cli {VERSION} (PyPI, bundled jar), `-g rust` on the bundled api.json, library reqwest (async, the default), additional properties `{ADDITIONAL_PROPERTIES}`, global properties `{GLOBAL_PROPERTIES}`"
    )];
    let isolated = process::succeeds("unshare", &["-n", "true"]);
    let mut cmd = if isolated {
        let mut cmd = Command::new("unshare");
        cmd.arg("-n").arg(cli);
        cmd
    } else {
        Command::new(cli)
    };
    cmd.arg("generate")
        .arg("-i")
        .arg(spec)
        .args(["-g", "rust", "-o"])
        .arg(&crate_dir)
        .args(["--package-name", PACKAGE])
        .arg(format!("--additional-properties={ADDITIONAL_PROPERTIES}"))
        .arg(format!("--global-property={GLOBAL_PROPERTIES}"));
    process::run(
        &mut cmd,
        "openapi-generator generate -g rust",
        &dir.join("generate.log"),
    )?;
    notes.push(if isolated {
        "generated with networking switched off (`unshare -n`): nothing is fetched at generation time".to_owned()
    } else {
        "`unshare -n` is unavailable here, so generation ran with networking on (the jar ships in the wheel)".to_owned()
    });
    let manifest = format!(
        "# Written by `cargo xtask build-cost`: the generated client as a workspace of its own.\n[workspace]\nresolver = \"2\"\nmembers = [\"client\"]\n\n{profiles}"
    );
    write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    Ok(Generated {
        workspace: dir.to_owned(),
        crate_dir,
        notes,
    })
}
