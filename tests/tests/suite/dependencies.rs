//! What building carecloud-api builds: never the generator's dependencies
//! (the generated code is checked in), and for a crate that only imports
//! types, no HTTP stack at all.

use std::process::Command;

/// The crates `cargo tree` lists for carecloud-api with `features`
/// (`None`: the defaults), and the whole tree as text.
fn tree(features: Option<&str>) -> (Vec<String>, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut args = vec![
        "tree",
        "--offline",
        "-p",
        "carecloud-api",
        "-e",
        "normal,build",
        "--prefix",
        "none",
        "--format",
        "{p}",
    ];
    if let Some(features) = features {
        args.extend(["--no-default-features", "--features", features]);
    }
    let out = Command::new(cargo)
        .current_dir(carecloud_tests::workspace_root())
        .args(&args)
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

#[test]
fn the_default_build_has_no_redis_client() {
    let (crates, text) = tree(None);
    assert!(
        !crates.iter().any(|c| c == "redis"),
        "the default build depends on `redis` (feature `redis-store` only):\n{text}"
    );
    let (crates, text) = tree(Some("enterprise,redis-store"));
    assert!(
        crates.iter().any(|c| c == "redis"),
        "`redis-store` has no redis:\n{text}"
    );
}
