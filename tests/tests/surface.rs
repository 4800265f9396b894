//! API-surface summaries of the generated code, one snapshot per module:
//! a spec change shows up here as a short diff (`cargo insta review`).

use carecloud_codegen::surface::summarize_file;

fn summary(file: &str) -> String {
    let root = carecloud_tests::workspace_root();
    let output = carecloud_codegen::generate_workspace(&root).expect("the spec generates");
    let text = output
        .files
        .get(file)
        .unwrap_or_else(|| panic!("{file} is generated"));
    let parsed = syn_file(text);
    summarize_file(file.trim_end_matches(".rs"), &parsed)
}

fn syn_file(text: &str) -> syn::File {
    syn::parse_file(text).expect("generated code parses")
}

#[test]
fn enterprise_surface() {
    let text = summary("enterprise.rs");
    assert!(
        text.contains("post_user_login POST /users/actions/login [public]"),
        "{text}"
    );
    assert!(
        text.contains("get_customers GET /customers [bearer]"),
        "{text}"
    );
    insta::assert_snapshot!("enterprise", text);
}

#[test]
fn customer_surface() {
    let text = summary("customer.rs");
    assert!(text.contains("post_token POST /tokens [public]"), "{text}");
    assert!(
        !text.contains("post_user_login"),
        "enterprise-only operation leaked into customer"
    );
    insta::assert_snapshot!("customer", text);
}

#[test]
fn shared_types_surface() {
    insta::assert_snapshot!("types", summary("types.rs"));
}
