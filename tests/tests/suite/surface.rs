//! API-surface summaries of the generated code, one snapshot per resource
//! group (and `common` for the shared types): a spec change shows up here as
//! a short diff in the group it touches (`cargo insta review`).

use carecloud_codegen::surface;

#[test]
fn every_group_has_a_reviewed_surface() {
    let output = crate::generated();
    let groups = surface::groups(output);
    assert!(
        groups.contains(&"base".to_owned()) && groups.contains(&"common".to_owned()),
        "{groups:?}"
    );
    let summaries = surface::summarize_groups(output).expect("the generated code parses");
    let summarized: Vec<&String> = summaries.iter().map(|(group, _)| group).collect();
    assert_eq!(summarized, groups.iter().collect::<Vec<_>>());
    for (group, text) in summaries {
        insta::assert_snapshot!(group.as_str(), text);
    }
}

#[test]
fn the_surface_says_who_serves_what() {
    let text = surface::summarize(crate::generated()).expect("the generated code parses");
    for expected in [
        "PostUserLogin POST /users/actions/login [public] enterprise session=Login",
        "PostToken POST /tokens [public] customer session=DeviceToken",
        "GetCustomers GET /customers [bearer] enterprise+customer list=customers, paged",
        "  .customer_ids([String])",
        "  put_customer(customer_id: String, body: PutCustomerRequest)",
        "struct PostCustomerRequest\n  new(customer, customer_source, autologin)",
        "PostCard POST /cards [bearer] enterprise\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
