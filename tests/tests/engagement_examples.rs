//! The vendor's example payloads of the engagement operations (issue 21:
//! tasks, segments, messages, events, bookings, entrances, user roles)
//! decode into the generated types and encode back with nothing lost, and
//! with nothing left over: no field the spec does not know (`extra` empty
//! at every level).
//!
//! An example's operation comes from its file name,
//! `<interface>_<METHOD>_<path with / as _ and no braces>[.<kind>].json`,
//! where a kind starting with `request` names the request body and anything
//! else (or nothing) the success response. Every file of `examples/` and
//! `examples/spec-assembled/` that names an operation of the group is
//! checked.
//!
//! The examples are the vendor's, so they are read where they are kept:
//! `$CARECLOUD_REFERENCE_DIR/examples`, else
//! `<workspace>/../shared/reference/examples`. Where they are not, the tests
//! are reported as ignored (`tests/build.rs` looks).

use std::path::PathBuf;

use carecloud_api::{Interface, Operation, types};
use carecloud_tests::{leftover_fields, round_trip_as, workspace_root};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The group's operations: those of the engagement fact list.
fn group_operations() -> Vec<&'static Operation> {
    let path = carecloud_tests::fixture("coverage/engagement.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ids: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').nth(3).expect("four fields"))
        .collect();
    let all: Vec<&'static Operation> = [Interface::Enterprise, Interface::Customer]
        .into_iter()
        .flat_map(|i| i.operations().iter().copied())
        .collect();
    ids.iter()
        .map(|id| {
            *all.iter()
                .find(|op| op.operation_id == *id)
                .unwrap_or_else(|| panic!("{id} is not in the operation tables"))
        })
        .collect()
}

/// Round-trips `value` as `T`, requiring nothing left in `extra`.
fn round_trip<T: DeserializeOwned + Serialize + std::fmt::Debug>(
    value: &Value,
) -> Result<String, String> {
    let debug = round_trip_as::<T>(value)?;
    let leftovers = leftover_fields(&debug);
    if leftovers.is_empty() {
        Ok(debug)
    } else {
        Err(format!(
            "has fields the spec does not know (in `extra`): {leftovers:?}\n{debug}"
        ))
    }
}

macro_rules! decoders {
    ($($name:literal => $ty:ty),* $(,)?) => {
        /// Every schema name the group's operations use as body or response.
        const SCHEMAS: &[&str] = &[$($name),*];

        /// Round-trips `value` as the generated type of the schema `name`.
        fn decode(name: &str, value: &Value) -> Result<String, String> {
            match name {
                $($name => round_trip::<$ty>(value),)*
                other => Err(format!("no decoder for the schema {other}")),
            }
        }
    };
}

decoders! {
    "AudienceListResponse" => types::AudienceListResponse,
    "AudienceResponse" => types::AudienceResponse,
    "BookingBusyTimesRequest" => types::BookingBusyTimesRequest,
    "BookingBusyTimesResponse" => types::BookingBusyTimesResponse,
    "BookingIdResponse" => types::BookingIdResponse,
    "BookingListResponse" => types::BookingListResponse,
    "BookingResponse" => types::BookingResponse,
    "BookingStatusListResponse" => types::BookingStatusListResponse,
    "BookingStatusResponse" => types::BookingStatusResponse,
    "BookingTicketListResponse" => types::BookingTicketListResponse,
    "BookingTicketPropertyListResponse" => types::BookingTicketPropertyListResponse,
    "BookingTicketResponse" => types::BookingTicketResponse,
    "CommunicationChannelListResponse" => types::CommunicationChannelListResponse,
    "CommunicationChannelResponse" => types::CommunicationChannelResponse,
    "EntranceCustomerStatsResponse" => types::EntranceCustomerStatsResponse,
    "EntranceListResponse" => types::EntranceListResponse,
    "EntranceResponse" => types::EntranceResponse,
    "EntrancesOverviewResponse" => types::EntrancesOverviewResponse,
    "EventGroupListResponse" => types::EventGroupListResponse,
    "EventGroupResponse" => types::EventGroupResponse,
    "EventIdResponse" => types::EventIdResponse,
    "EventListResponse" => types::EventListResponse,
    "EventPropertyListResponse" => types::EventPropertyListResponse,
    "EventPropertyRecordListResponse" => types::EventPropertyRecordListResponse,
    "EventResponse" => types::EventResponse,
    "EventTypeListResponse" => types::EventTypeListResponse,
    "EventTypeResponse" => types::EventTypeResponse,
    "MessageDetailResponse" => types::MessageDetailResponse,
    "MessageListResponse" => types::MessageListResponse,
    "MessageResponse" => types::MessageResponse,
    "MessageTemplateListResponse" => types::MessageTemplateListResponse,
    "MessageTemplateResponse" => types::MessageTemplateResponse,
    "PostBookingRequest" => types::PostBookingRequest,
    "PostEventRequest" => types::PostEventRequest,
    "PostSegmentRequest" => types::PostSegmentRequest,
    "PostTaskAssigneeRequest" => types::PostTaskAssigneeRequest,
    "PostTaskCommentRequest" => types::PostTaskCommentRequest,
    "PostTaskRequest" => types::PostTaskRequest,
    "PropertyDefinitionResponse" => types::PropertyDefinitionResponse,
    "PutBookingRequest" => types::PutBookingRequest,
    "PutEntranceRequest" => types::PutEntranceRequest,
    "PutTaskRequest" => types::PutTaskRequest,
    "SegmentCustomerRequest" => types::SegmentCustomerRequest,
    "SegmentGroupListResponse" => types::SegmentGroupListResponse,
    "SegmentGroupResponse" => types::SegmentGroupResponse,
    "SegmentIdResponse" => types::SegmentIdResponse,
    "SegmentListResponse" => types::SegmentListResponse,
    "SegmentMemberListResponse" => types::SegmentMemberListResponse,
    "SegmentResponse" => types::SegmentResponse,
    "SendMessageRequest" => types::SendMessageRequest,
    "TaskAssigneeIdResponse" => types::TaskAssigneeIdResponse,
    "TaskAssigneeListResponse" => types::TaskAssigneeListResponse,
    "TaskAssigneeResponse" => types::TaskAssigneeResponse,
    "TaskCommentIdResponse" => types::TaskCommentIdResponse,
    "TaskCommentListResponse" => types::TaskCommentListResponse,
    "TaskCommentResponse" => types::TaskCommentResponse,
    "TaskIdResponse" => types::TaskIdResponse,
    "TaskListResponse" => types::TaskListResponse,
    "TaskPropertyListResponse" => types::TaskPropertyListResponse,
    "TaskPropertyRecordListResponse" => types::TaskPropertyRecordListResponse,
    "TaskResponse" => types::TaskResponse,
    "TaskStateListResponse" => types::TaskStateListResponse,
    "TaskStateResponse" => types::TaskStateResponse,
    "TaskTypeListResponse" => types::TaskTypeListResponse,
    "TaskTypeResponse" => types::TaskTypeResponse,
    "TimeSlotListResponse" => types::TimeSlotListResponse,
    "UserRoleListResponse" => types::UserRoleListResponse,
    "UserRoleResponse" => types::UserRoleResponse,
}

/// An example file's operation and which of its payloads it holds.
#[derive(Debug, PartialEq)]
struct Named {
    interface: Interface,
    method: String,
    path: String,
    request: bool,
}

/// Reads an example's file name; `None` for one that names no operation.
fn named(file_name: &str) -> Option<Named> {
    let stem = file_name.strip_suffix(".json")?;
    let (operation, kind) = stem.split_once('.').unwrap_or((stem, ""));
    let mut parts = operation.splitn(3, '_');
    let interface = match parts.next()? {
        "enterprise" => Interface::Enterprise,
        "customer" => Interface::Customer,
        _ => return None,
    };
    Some(Named {
        interface,
        method: parts.next()?.to_owned(),
        path: parts.next()?.to_owned(),
        request: kind.starts_with("request"),
    })
}

/// A path template as example files write it:
/// `/customers/{customer_id}/interest-records` →
/// `customers_customer_id_interest-records`.
fn file_form(path: &str) -> String {
    path.trim_start_matches('/')
        .replace('/', "_")
        .replace(['{', '}'], "")
}

/// The reference folder's `examples` (and its `spec-assembled`) files.
fn example_files() -> Vec<PathBuf> {
    let reference = std::env::var_os("CARECLOUD_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/reference"));
    let examples = reference.join("examples");
    let mut files = Vec::new();
    for dir in [examples.clone(), examples.join("spec-assembled")] {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every example of the group's operations: (file, operation, schema).
fn group_examples() -> Vec<(PathBuf, &'static Operation, &'static str)> {
    let operations = group_operations();
    let mut found = Vec::new();
    for file in example_files() {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(named) = named(name) else { continue };
        let Some(op) = operations.iter().find(|op| {
            op.method.as_str() == named.method
                && file_form(op.path) == named.path
                && op.served_by(named.interface)
        }) else {
            continue;
        };
        let schema = if named.request { op.body } else { op.response };
        let schema =
            schema.unwrap_or_else(|| panic!("{name}: {} has no such payload", op.operation_id));
        found.push((file, *op, schema));
    }
    found
}

#[test]
fn the_decoders_cover_every_payload_of_the_group() {
    let mut missing: Vec<&str> = group_operations()
        .iter()
        .flat_map(|op| [op.body, op.response])
        .flatten()
        .filter(|name| !SCHEMAS.contains(name))
        .collect();
    missing.dedup();
    assert!(missing.is_empty(), "no decoder for {missing:?}");
}

#[test]
fn file_names_name_operations() {
    assert_eq!(
        named("enterprise_POST_events.request.json"),
        Some(Named {
            interface: Interface::Enterprise,
            method: "POST".into(),
            path: "events".into(),
            request: true,
        })
    );
    let reply =
        named("customer_POST_customers_customer_id_property-records.response.json").expect("named");
    assert_eq!(reply.path, "customers_customer_id_property-records");
    assert!(!reply.request);
    assert!(
        !named("enterprise_GET_cards.assigned_card.json")
            .expect("named")
            .request
    );
    assert_eq!(named("error_404_not_found.json"), None);
    assert_eq!(
        file_form("/tasks/{task_id}/task-comments/{task_comment_id}"),
        "tasks_task_id_task-comments_task_comment_id"
    );
}

#[test]
#[cfg_attr(
    not(vendor_examples),
    ignore = "no vendor examples here (set CARECLOUD_REFERENCE_DIR)"
)]
fn every_example_of_the_group_round_trips_with_nothing_left_over() {
    let examples = group_examples();
    let names: Vec<String> = examples
        .iter()
        .map(|(file, _, _)| {
            file.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        names.contains(&"enterprise_POST_events.request.json".to_owned()),
        "{names:?}"
    );
    let mut failures = Vec::new();
    for (file, op, schema) in &examples {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let value: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Err(problem) = decode(schema, &value) {
            failures.push(format!(
                "{} ({} {schema}): {problem}",
                file.display(),
                op.operation_id
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    println!("checked {}: {names:?}", names.len());
}

#[test]
#[cfg_attr(
    not(vendor_examples),
    ignore = "no vendor examples here (set CARECLOUD_REFERENCE_DIR)"
)]
fn the_recorded_event_keeps_its_number_and_its_data_text() {
    let file = example_files()
        .into_iter()
        .find(|f| f.ends_with("enterprise_POST_events.request.json"))
        .expect("the example is there");
    let text = std::fs::read_to_string(&file).expect("readable");
    let request: types::PostEventRequest = serde_json::from_str(&text).expect("decodes");
    let event = &request.event;
    let external_id = &event.external_id;
    assert!(external_id.is_number(), "sent as a JSON number");
    assert_eq!(external_id.as_str(), "157613");
    assert_eq!(
        event.data,
        Some(Value::String("{\"test\":10,\"test2\":20}".into())),
        "JSON written into a string stays a string"
    );
    assert_eq!(
        event.created_at.as_ref().map(|t| t.as_str()),
        Some("2017-06-20 16:59:49")
    );
    assert!(event.secondary_external_id.is_none(), "null");
    let records = request.property_records.as_deref().unwrap_or_default();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].property_id, "contact_person");
    assert_eq!(records[0].property_value, Some(Value::Array(Vec::new())));
}
