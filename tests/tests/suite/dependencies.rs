//! What building carecloud-api builds: never the generator's dependencies
//! (the generated code is checked in), and for a crate that only imports
//! types, no HTTP stack at all.

use std::process::Command;

/// The crates `cargo tree` lists for carecloud-api with `features`
/// (`None`: the defaults), and the whole tree as text.
fn tree(features: Option<&str>) -> (Vec<String>, String) {
    match features {
        Some(features) => tree_of(
            "carecloud-api",
            &["--no-default-features", "--features", features],
        ),
        None => tree_of("carecloud-api", &[]),
    }
}

/// The crates `cargo tree` lists for `package` built with `args` (feature
/// flags), and the whole tree as text.
fn tree_of(package: &str, args: &[&str]) -> (Vec<String>, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(carecloud_tests::workspace_root())
        .args([
            "tree",
            "--offline",
            "-p",
            package,
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .args(args)
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout).into_owned();
    let crates = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    (crates, tree)
}

#[test]
fn a_types_only_build_has_no_http_stack() {
    let (crates, tree) = tree(Some("customers"));
    for forbidden in [
        "reqwest",
        "tokio",
        "progenitor-client",
        "hyper",
        "carecloud-derive",
        "http",
    ] {
        assert!(
            !crates.iter().any(|c| c == forbidden),
            "the types-only build depends on `{forbidden}`:\n{tree}"
        );
    }
    for needed in ["serde", "serde_json", "chrono"] {
        assert!(
            crates.iter().any(|c| c == needed),
            "{needed} missing:\n{tree}"
        );
    }
}

#[test]
fn carecloud_api_does_not_depend_on_the_generator() {
    let (crates, tree) = tree(None);
    assert!(tree.contains("reqwest"), "unexpected tree:\n{tree}");
    let forbidden_list = [
        "progenitor-client",
        "progenitor-impl",
        "progenitor",
        "typify",
        "typify-impl",
        "openapiv3",
        "serde_yaml",
        "serde_yaml_ng",
        "unsafe-libyaml",
        "prettyplease",
    ];
    for forbidden in forbidden_list {
        assert!(
            !crates.iter().any(|c| c == forbidden),
            "carecloud-api depends on `{forbidden}`:\n{tree}"
        );
    }
}

/// The Redis client and the cipher of its sealed values are carecloud-redis's
/// alone: no feature of carecloud-api builds them, so an app (or the
/// workspace's quickstart) that shares no tokens between processes never
/// waits for them.
#[test]
fn only_carecloud_redis_depends_on_the_redis_client() {
    let (crates, text) = tree_of("carecloud-api", &["--all-features"]);
    for forbidden in ["redis", "combine", "chacha20poly1305"] {
        assert!(
            !crates.iter().any(|c| c == forbidden),
            "carecloud-api (all features) depends on `{forbidden}`:\n{text}"
        );
    }
    let (crates, text) = tree_of("carecloud-redis", &[]);
    for needed in ["carecloud-api", "redis", "chacha20poly1305"] {
        assert!(
            crates.iter().any(|c| c == needed),
            "carecloud-redis has no `{needed}`:\n{text}"
        );
    }
}
