//! The few options the bench programs take after `--`
//! (`cargo bench -p carecloud-bench --bench decode -- --rounds 61`).

/// `--name N` among the program's arguments, if given.
pub fn number(name: &str) -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}
