//! Running other programs: their output goes to a log file, and a failure
//! names the step, the command, the log and the last lines of the output.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use crate::error::{Context, Error, Result};

/// How many lines of a failed command's output an error shows.
const TAIL_LINES: usize = 30;

/// Runs `cmd` to completion, writes its stdout and stderr to `log`, and
/// returns its output; fails (naming `what`) if it cannot start or exits
/// unsuccessfully.
pub fn run(cmd: &mut Command, what: &str, log: &Path) -> Result<Output> {
    let output = spawn(cmd, what)?;
    write_log(cmd, &output, log)?;
    if !output.status.success() {
        return Err(failure(what, &output, log));
    }
    Ok(output)
}

/// Runs `cmd` to completion and returns its output, whatever its exit status;
/// fails only if it cannot start.
pub fn spawn(cmd: &mut Command, what: &str) -> Result<Output> {
    cmd.output().map_err(|e| {
        let program = cmd.get_program().to_string_lossy().into_owned();
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            format!(" (`{program}` was not found: is it installed and on PATH?)")
        } else {
            String::new()
        };
        Error::new(format!("{what}: could not start `{program}`: {e}{hint}"))
    })
}

/// Whether `program args` runs and exits successfully (for probing tools).
pub fn succeeds(program: impl AsRef<OsStr>, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The error for a command that exited unsuccessfully.
pub fn failure(what: &str, output: &Output, log: &Path) -> Error {
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Error::new(format!(
        "{what} failed ({}); full output in {}; last lines:\n{}",
        output.status,
        log.display(),
        tail(&text, TAIL_LINES)
    ))
}

/// The last `n` lines of `text`, each indented.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    lines[start..]
        .iter()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the command line and its output to `log`.
fn write_log(cmd: &Command, output: &Output, log: &Path) -> Result<()> {
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
    }
    let mut text = format!("$ {}\n", describe(cmd));
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    text.push_str(&format!("\n[{}]\n", output.status));
    std::fs::write(log, text).context(|| format!("writing {}", log.display()))
}

/// `program arg arg` (for logs).
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "    b\n    c");
        assert_eq!(tail("a", 5), "    a");
        assert_eq!(tail("", 5), "");
    }
}
