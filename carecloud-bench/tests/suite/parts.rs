//! The bench's own parts, checked without timing anything: the generated
//! pages, the plain structs, the round statistics and the fixed-reply
//! server's answers. (Integration tests rather than unit tests, so that
//! `cargo test` does not compile the library a second time as a harness.)

mod page {
    use carecloud_bench::page::*;

    #[test]
    fn pages_are_deterministic_and_have_what_they_promise() {
        let spec = PageSpec {
            unknown_fields: true,
            nulls: true,
            ..PageSpec::default()
        };
        let a = customer_page(&spec);
        let b = customer_page(&spec);
        assert_eq!(a.json, b.json);
        let s = a.stats;
        assert_eq!(s.customers, 1000);
        assert_eq!(a.value["data"]["customers"].as_array().unwrap().len(), 1000);
        assert!((230..330).contains(&s.empty_consents), "{s:?}");
        assert!((160..250).contains(&s.empty_custom_agreements), "{s:?}");
        assert!(
            s.absent_consents > 50 && s.absent_custom_agreements > 50,
            "{s:?}"
        );
        assert!(s.unknown_fields > 500 && s.nulls > 100, "{s:?}");
        let plain = customer_page(&PageSpec::default());
        assert_eq!(plain.stats.unknown_fields + plain.stats.nulls, 0);
        assert!(!plain.json.contains("null"));
    }
}

mod plain {
    use carecloud_bench::page::{PageSpec, customer_page};
    use carecloud_bench::plain::*;

    #[test]
    fn the_plain_structs_read_a_page_without_unknown_fields_exactly() {
        let page = customer_page(&PageSpec::default());
        let list: CustomerList = serde_json::from_str(&page.json).unwrap();
        assert_eq!(serde_json::to_value(&list).unwrap(), page.value);
    }

    #[test]
    fn the_keeping_structs_keep_unknown_fields() {
        let page = customer_page(&PageSpec {
            unknown_fields: true,
            ..PageSpec::default()
        });
        let list: keeping::CustomerList = serde_json::from_str(&page.json).unwrap();
        assert_eq!(serde_json::to_value(&list).unwrap(), page.value);
    }
}

mod measure {
    use std::time::Duration;

    use carecloud_bench::measure::*;

    #[test]
    fn spread_and_ratios() {
        let s = Spread::of(vec![4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!((s.q1, s.median, s.q3), (2.0, 3.0, 4.0));
        let mut rounds = Rounds::new(&["a", "b"]);
        let orders: Vec<Vec<usize>> = (0..4).map(|r| rounds.order(r)).collect();
        assert_eq!(orders, [[0, 1], [1, 0], [1, 0], [0, 1]]);
        let three = Rounds::new(&["a", "b", "c"]);
        let mut orders: Vec<Vec<usize>> = (0..6).map(|r| three.order(r)).collect();
        orders.sort();
        orders.dedup();
        assert_eq!(orders.len(), 6, "every order once");
        rounds.push(vec![Duration::from_millis(10), Duration::from_millis(20)]);
        rounds.push(vec![Duration::from_millis(10), Duration::from_millis(10)]);
        rounds.push(vec![Duration::from_millis(20), Duration::from_millis(30)]);
        assert_eq!(rounds.ratio(0, 1).median, 1.5);
        assert_eq!(rounds.index("b"), 1);
        assert_eq!(rounds.len(), 3);
    }
}

mod fixed {
    use carecloud_bench::fixed::*;

    #[test]
    fn answers_by_method_path_and_authorization() {
        let replies = Replies::new(r#"{"data":{"customers":[]}}"#);
        let text = |head: &str| String::from_utf8_lossy(replies.answer(head)).into_owned();
        let login = text("POST /x/users/actions/login HTTP/1.1\r\nhost: a\r\n\r\n");
        assert!(login.starts_with("HTTP/1.1 200 OK\r\n"), "{login}");
        assert!(login.ends_with(&format!(r#"{{"data":{{"bearer_token":"{TOKEN}"}}}}"#)));
        let page = text("GET /x/customers?count=100 HTTP/1.1\r\nAuthorization: Bearer t\r\n\r\n");
        assert!(page.contains("content-length: 25\r\n"), "{page}");
        assert!(page.ends_with(r#"{"data":{"customers":[]}}"#));
        let refused = text("GET /x/customers HTTP/1.1\r\nhost: a\r\n\r\n");
        assert!(refused.starts_with("HTTP/1.1 401 "), "{refused}");
        let other = text("GET /x/stores HTTP/1.1\r\nauthorization: Bearer t\r\n\r\n");
        assert!(other.starts_with("HTTP/1.1 404 "), "{other}");
    }
}
