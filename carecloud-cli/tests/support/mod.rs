//! Running the `carecloud` binary in tests, and a sandbox it can talk to
//! across invocations (`carecloud sandbox serve`).

#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use carecloud_sandbox::{
    API_USER_LOGIN, API_USER_PASSWORD, CUSTOMER_APPLICATION_ID, ENTERPRISE_APPLICATION_ID,
};
use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_carecloud");

/// Exit code, stdout and stderr of `carecloud ARGS` with `stdin` piped in
/// (else none) and only the `env` given of the `CARECLOUD_*` variables;
/// `HOME` and the XDG directories point into `home` (if given), so that
/// nothing is read from or written to the user's.
pub fn run_in(
    home: Option<&Path>,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, _) in std::env::vars() {
        if name.starts_with("CARECLOUD_") || name.starts_with("XDG_") {
            cmd.env_remove(name);
        }
    }
    if let Some(home) = home {
        cmd.env("HOME", home);
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(text.as_bytes()).expect("stdin written");
    }
    let out = child.wait_with_output().expect("the binary ends");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The customer configuration of the server at `url`, the session kept in
/// `file`.
pub fn customer_env<'a>(url: &'a str, file: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("CARECLOUD_PROJECT_URL", url),
        ("CARECLOUD_CUSTOMER_APPLICATION_ID", CUSTOMER_APPLICATION_ID),
        ("CARECLOUD_DEVICE_ID", "cli-test-device"),
        ("CARECLOUD_SESSION_FILE", file),
    ]
}

/// The seeded API user's configuration of the server at `url`.
pub fn enterprise_env(url: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("CARECLOUD_PROJECT_URL", url),
        (
            "CARECLOUD_EXTERNAL_APPLICATION_ID",
            ENTERPRISE_APPLICATION_ID,
        ),
        ("CARECLOUD_LOGIN", API_USER_LOGIN),
        ("CARECLOUD_PASSWORD", API_USER_PASSWORD),
    ]
}

/// The JSON printed on stdout.
pub fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// `carecloud sandbox serve` on a free port, killed when dropped.
pub struct Served {
    child: Child,
    /// The sandbox's URL (the project URL to configure).
    pub url: String,
}

impl Served {
    /// Starts the server and reads its URL from the first line it prints.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// [`start`](Self::start) with more flags of `sandbox serve`.
    pub fn start_with(flags: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["sandbox", "serve", "--port", "0"])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve runs");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = lines.next().expect("a line").expect("text");
        let url = first.rsplit(' ').next().expect("url").trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{first}");
        Self { child, url }
    }

    /// The server's process ID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh, empty directory below the system's temporary one, removed
/// when dropped (a failed test's too).
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new [`Scratch`] directory, named after `name`.
pub fn scratch(name: &str) -> Scratch {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("carecloud-cli-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    Scratch(dir)
}
