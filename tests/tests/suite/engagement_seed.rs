//! The sandbox's seed records of the engagement group (issue 21) fit the
//! spec and each other.
//!
//! Every record decodes as its generated type and encodes back unchanged,
//! with nothing in `extra` but the fields the resource declares `hidden`
//! (a parent's ID the path names but the schema does not carry, a booking's
//! slot and places for the capacity engine, a message's bodies). The
//! sandbox checks that records decode when it starts; this also refuses
//! unknown fields. The records point at records that exist, and each time
//! slot's stored free places are its total less what its live bookings
//! take (the sandbox derives them; the stored figure is what a reader of
//! the seed sees).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use carecloud_api::types;
use carecloud_tests::{leftover_fields, round_trip_as, workspace_root};
use serde_json::{Value, json};

/// One seed file of the group: where it is, the list reply its records are
/// items of, and the fields the sandbox adds that the schema lacks.
struct SeedFile {
    file: &'static str,
    items: &'static str,
    linking: &'static [&'static str],
    check: fn(&Value) -> Result<String, String>,
}

macro_rules! seed_files {
    ($($file:literal, $items:literal, $ty:ty, [$($link:literal),*];)*) => {
        const FILES: &[SeedFile] = &[$(SeedFile {
            file: $file,
            items: $items,
            linking: &[$($link),*],
            check: round_trip_as::<$ty>,
        }),*];
    };
}

seed_files! {
    "audiences.json", "audiences", types::AudienceListResponse, [];
    "booking_statuses.json", "booking_statuses", types::BookingStatusListResponse, [];
    "booking_ticket_properties.json", "booking_ticket_properties", types::BookingTicketPropertyListResponse, [];
    "booking_tickets.json", "booking_tickets", types::BookingTicketListResponse, [];
    "bookings.json", "bookings", types::BookingListResponse, ["time_slot_id", "places"];
    "communication_channels.json", "communication_channels", types::CommunicationChannelListResponse, [];
    "entrances.json", "entrances", types::EntranceListResponse, [];
    "event_groups.json", "event_groups", types::EventGroupListResponse, [];
    "event_properties.json", "event_properties", types::EventPropertyListResponse, ["event_type_id"];
    "event_property_records.json", "property_records", types::EventPropertyRecordListResponse, ["event_id"];
    "event_types.json", "event_types", types::EventTypeListResponse, [];
    "events.json", "events", types::EventListResponse, [];
    "message_templates.json", "message_templates", types::MessageTemplateListResponse, [];
    "messages.json", "messages", types::MessageListResponse, ["plain_text_body", "html_body"];
    "segment_groups.json", "segment_groups", types::SegmentGroupListResponse, [];
    "segment_records.json", "segment_records", types::SegmentMemberListResponse, ["segment_record_id", "segment_group_id"];
    "segments.json", "segments", types::SegmentListResponse, [];
    "task_assignees.json", "task_assignees", types::TaskAssigneeListResponse, ["task_id"];
    "task_comments.json", "task_comments", types::TaskCommentListResponse, [];
    "task_properties.json", "task_properties", types::TaskPropertyListResponse, [];
    "task_property_records.json", "property_records", types::TaskPropertyRecordListResponse, ["task_id"];
    "task_states.json", "task_states", types::TaskStateListResponse, [];
    "task_types.json", "task_types", types::TaskTypeListResponse, [];
    "tasks.json", "tasks", types::TaskListResponse, [];
    "time_slots.json", "time_slots", types::TimeSlotListResponse, [];
    "user_roles.json", "user_roles", types::UserRoleListResponse, [];
}

fn seed_dir() -> PathBuf {
    workspace_root().join("carecloud-sandbox/seed")
}

/// The records of a seed file (`pending/…` or a top-level file).
fn records(file: &str) -> Vec<Value> {
    let path = seed_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_record_fits_its_type_with_only_linking_fields_left_over() {
    let mut problems = Vec::new();
    for seed in FILES {
        for (i, record) in records(seed.file).iter().enumerate() {
            let page = json!({"data": {seed.items: [record], "total_items": 1}});
            match (seed.check)(&page) {
                Err(e) => problems.push(format!("{} record {i}: {e}", seed.file)),
                Ok(debug) => {
                    let unknown: Vec<String> = leftover_fields(&debug)
                        .into_iter()
                        .filter(|f| !seed.linking.contains(&f.as_str()))
                        .collect();
                    if !unknown.is_empty() {
                        problems.push(format!(
                            "{} record {i}: fields the spec does not know: {unknown:?}",
                            seed.file
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The values of `field` across a file's records.
fn ids(file: &str, field: &str) -> BTreeSet<String> {
    records(file)
        .iter()
        .filter_map(|r| r.get(field).and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// Asserts that every `field` of `file`'s records (when set) is one of `known`.
fn points_into(file: &str, field: &str, known: &BTreeSet<String>, problems: &mut Vec<String>) {
    for (i, record) in records(file).iter().enumerate() {
        if let Some(id) = record.get(field).and_then(Value::as_str)
            && !known.contains(id)
        {
            problems.push(format!("{file} record {i}: {field} {id} names nothing"));
        }
    }
}

#[test]
fn records_point_at_records_that_exist() {
    let customers = ids("customers.json", "customer_id");
    let users = ids("users.json", "user_id");
    let channels = ids("communication_channels.json", "communication_channel_id");
    let mut problems = Vec::new();
    for file in [
        "bookings.json",
        "entrances.json",
        "events.json",
        "messages.json",
        "segment_records.json",
        "tasks.json",
    ] {
        points_into(file, "customer_id", &customers, &mut problems);
    }
    points_into(
        "messages.json",
        "communication_channel_id",
        &channels,
        &mut problems,
    );
    points_into(
        "message_templates.json",
        "communication_channel_id",
        &channels,
        &mut problems,
    );
    points_into(
        "agreements.json",
        "communication_channel_id",
        &channels,
        &mut problems,
    );
    points_into(
        "audiences.json",
        "communication_channel_id",
        &channels,
        &mut problems,
    );
    points_into("audiences.json", "created_by", &users, &mut problems);
    points_into("audiences.json", "updated_by", &users, &mut problems);
    let templates = ids("message_templates.json", "message_template_id");
    points_into(
        "messages.json",
        "message_template_id",
        &templates,
        &mut problems,
    );
    let groups = ids("segment_groups.json", "segment_group_id");
    points_into("segments.json", "segment_group_id", &groups, &mut problems);
    points_into(
        "segment_groups.json",
        "parent_group_id",
        &groups,
        &mut problems,
    );
    points_into(
        "segment_records.json",
        "segment_group_id",
        &groups,
        &mut problems,
    );
    let segments = ids("segments.json", "segment_id");
    points_into(
        "segment_records.json",
        "segment_id",
        &segments,
        &mut problems,
    );
    let event_groups = ids("event_groups.json", "event_group_id");
    points_into(
        "event_types.json",
        "event_group_id",
        &event_groups,
        &mut problems,
    );
    let event_types = ids("event_types.json", "event_type_id");
    points_into("events.json", "event_type_id", &event_types, &mut problems);
    points_into(
        "event_properties.json",
        "event_type_id",
        &event_types,
        &mut problems,
    );
    let tasks = ids("tasks.json", "task_id");
    points_into("task_comments.json", "task_id", &tasks, &mut problems);
    points_into("task_assignees.json", "task_id", &tasks, &mut problems);
    points_into("task_assignees.json", "user_id", &users, &mut problems);
    points_into(
        "tasks.json",
        "task_type_id",
        &ids("task_types.json", "task_type_id"),
        &mut problems,
    );
    points_into(
        "tasks.json",
        "task_state_id",
        &ids("task_states.json", "task_state_id"),
        &mut problems,
    );
    let tickets = ids("booking_tickets.json", "ticket_id");
    points_into("time_slots.json", "ticket_id", &tickets, &mut problems);
    let statuses = ids("booking_statuses.json", "booking_status_id");
    points_into("bookings.json", "booking_status", &statuses, &mut problems);
    let cards: BTreeMap<String, Value> = records("cards.json")
        .into_iter()
        .filter_map(|c| Some((c.get("card_id")?.as_str()?.to_owned(), c)))
        .collect();
    for (i, entrance) in records("entrances.json").iter().enumerate() {
        let card = entrance
            .get("card_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match cards.get(card) {
            None => problems.push(format!(
                "entrances.json record {i}: card {card} names nothing"
            )),
            Some(c) if c.get("customer_id") != entrance.get("customer_id") => problems.push(
                format!("entrances.json record {i}: card {card} is not its customer's"),
            ),
            Some(_) => {}
        }
    }
    let roles = ids("user_roles.json", "user_role_id");
    for user in records("users.json") {
        let single = user.get("user_role_id").and_then(Value::as_str);
        let listed = user.get("user_role_ids").and_then(Value::as_array);
        let named = single
            .into_iter()
            .chain(listed.into_iter().flatten().filter_map(Value::as_str));
        for role in named {
            if !roles.contains(role) {
                problems.push(format!("users.json: role {role} names nothing"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_time_slot_has_what_its_live_bookings_leave_free() {
    let bookings: Vec<types::Booking> =
        serde_json::from_value(Value::Array(records("bookings.json"))).expect("bookings decode");
    let cancelled = "8bf3397ab62d3ffd876fc9ae03";
    let mut taken: BTreeMap<String, i64> = BTreeMap::new();
    for booking in &bookings {
        let live = booking
            .state
            .is_none_or(|s| s == types::RecordState::Active)
            && booking.booking_status.as_deref() != Some(cancelled);
        for item in booking.booking_items.as_deref().unwrap_or_default() {
            let places = if live {
                item.capacity_taken.unwrap_or(1)
            } else {
                0
            };
            *taken.entry(item.time_slot_id.clone()).or_default() += places;
        }
    }
    let slots: Vec<types::TimeSlot> =
        serde_json::from_value(Value::Array(records("time_slots.json")))
            .expect("time slots decode");
    let mut problems = Vec::new();
    for slot in &slots {
        let id = slot.time_slot_id.clone().unwrap_or_default();
        let total = slot.total_capacity.unwrap_or_default();
        let used = taken.remove(&id).unwrap_or_default();
        if slot.free_capacity != Some(total - used) {
            problems.push(format!(
                "time slot {id}: {total} places, {used} booked, but {:?} free",
                slot.free_capacity
            ));
        }
    }
    assert!(
        taken.is_empty(),
        "bookings of unknown time slots: {taken:?}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        slots
            .iter()
            .any(|s| s.total_capacity == Some(10) && s.free_capacity == Some(10)),
        "an empty slot of 10 places for the concurrency test"
    );
}
