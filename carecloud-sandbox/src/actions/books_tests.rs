use super::*;

const NOW: &str = "2026-01-01 00:00:00";

fn store() -> Store {
    let mut store = Store::default();
    store.entry("points", "point_id").records = vec![
        json!({"point_id": "late", "customer_id": "c", "assigned_points": 50.0, "available_points": 50.0, "state": 1, "valid_to": null, "created_at": "2025-01-01 00:00:00"}),
        json!({"point_id": "soon", "customer_id": "c", "assigned_points": 40.0, "available_points": 30.0, "state": 1, "valid_to": "2026-06-30 00:00:00", "created_at": "2025-02-01 00:00:00"}),
        json!({"point_id": "gone", "customer_id": "c", "assigned_points": 99.0, "available_points": 99.0, "state": 1, "valid_to": "2025-06-30 00:00:00"}),
        json!({"point_id": "off", "customer_id": "c", "assigned_points": 7.0, "available_points": 7.0, "state": 2}),
        json!({"point_id": "other", "customer_id": "d", "assigned_points": 5.0, "available_points": 5.0, "state": 1}),
    ];
    store
}

#[test]
fn the_balance_counts_usable_lots_only() {
    assert_eq!(POINTS.balance(&store(), "c", NOW, &Only::default()), 80.0);
}

#[test]
fn taking_draws_from_the_lots_expiring_first_and_gives_back_exactly() {
    let mut store = store();
    let taken = POINTS
        .take(&mut store, "c", 45.5, NOW, &Only::default())
        .expect("enough");
    assert_eq!(
        taken,
        [("soon".to_owned(), 30.0), ("late".to_owned(), 15.5)]
    );
    assert_eq!(POINTS.balance(&store, "c", NOW, &Only::default()), 34.5);
    POINTS.give_back(&mut store, &taken);
    assert_eq!(POINTS.balance(&store, "c", NOW, &Only::default()), 80.0);
}

#[test]
fn taking_more_than_the_balance_changes_nothing() {
    let mut store = store();
    let error = POINTS
        .take(&mut store, "c", 80.5, NOW, &Only::default())
        .expect_err("short");
    assert_eq!(error.status, 400);
    let param = &error.body["error"]["error_data"]["invalid_params"][0];
    assert_eq!(param["reason"], "not_enough_points_for_payment");
    assert_eq!(POINTS.balance(&store, "c", NOW, &Only::default()), 80.0);
    assert!(
        POINTS
            .take(&mut store, "c", 0.0, NOW, &Only::default())
            .is_err()
    );
}

#[test]
fn the_journal_opens_from_the_lots_and_sums_to_what_is_left() {
    let mut store = store();
    POINTS.open_journal(&mut store);
    let c: f64 = store
        .records("point_history")
        .iter()
        .filter(|e| e["customer_id"] == "c")
        .filter_map(|e| e["point_amount"].as_f64())
        .sum();
    // Every lot's grant minus what was spent of it, expired or not.
    assert_eq!(c, 50.0 + 30.0 + 99.0 + 7.0);
    let kinds: Vec<&str> = store
        .records("point_history")
        .iter()
        .filter_map(|e| e["point_operation_type"].as_str())
        .collect();
    assert!(kinds.contains(&"Points addition") && kinds.contains(&"Points redemption"));
}
