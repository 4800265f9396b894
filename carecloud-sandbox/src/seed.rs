//! The seeded fixtures and the documented credentials.

use carecloud_api::enterprise::types::User;
use carecloud_api::types::{Card, CardType, Customer, Language, Store};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// `user_external_application_id` of the seeded enterprise API user (the
/// seed's example value).
pub const ENTERPRISE_APPLICATION_ID: &str = "89d1a6111b3fb6e74665d948";
/// Login of the seeded enterprise API user.
pub const API_USER_LOGIN: &str = "fabulous_user";
/// Password of the seeded enterprise API user.
pub const API_USER_PASSWORD: &str = "password_example";
/// `user_id` of the seeded enterprise API user.
pub const API_USER_ID: &str = "838b73aacb5ac326cec4030c80";
/// The SSO token `POST /users/actions/sso-login` accepts (logs in the
/// seeded API user).
pub const SSO_TOKEN: &str = "sandbox-sso-token";
/// The customer interface's external application ID (`POST /tokens`).
pub const CUSTOMER_APPLICATION_ID: &str = "81eaeea13b8984a169c490a325";
/// The seed's John Smith.
pub const JOHN_SMITH_ID: &str = "8ea6abece4cd0a4ded0a29f093";
/// John Smith's e-mail, exactly as the seed document spells it.
pub const JOHN_SMITH_EMAIL: &str = "[email protected]";
/// John Smith's password (the seed's example value).
pub const JOHN_SMITH_PASSWORD: &str = "password_example";
/// The project's test customer (`login-test-customer`).
pub const TEST_CUSTOMER_ID: &str = "8ea6abece4cd0a4ded0a29f0ff";

/// A social network login the sandbox accepts for John Smith.
pub(crate) const JOHN_SOCIAL: (&str, &str) = ("facebook", "sandbox-facebook-token");

const STORE_PRAGUE: &str = "8bed991c68a4";
const STORE_BRNO: &str = "8bed991c68b5";
const CARD_TYPE_GOLD: &str = "86e05affc7a7befcd513ab401";
const CARD_TYPE_SILVER: &str = "86e05affc7a7befcd513ab402";

/// Parses a fixture through the generated type (so it conforms to the spec).
fn typed<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("sandbox fixtures match the generated types")
}

fn customer(
    id: &str,
    first: &str,
    last: &str,
    email: &str,
    gender: u8,
    birthdate: &str,
    store: &str,
) -> Customer {
    typed(json!({
        "customer_id": id,
        "personal_information": {
            "gender": gender,
            "first_name": first,
            "last_name": last,
            "birthdate": birthdate,
            "email": email,
            "phone": "420523828931",
            "language_id": "en",
            "store_id": store,
            "address": {
                "address1": "Old Town Square", "address2": "34", "address3": "", "address4": "",
                "address5": "", "address6": "", "address7": "", "zip": "11000",
                "city": "Prague 1", "country_code": "cz"
            },
            "agreement": {
                "agreement_gtc": 1, "agreement_profiling": 1, "agreement_marketing_communication": 1,
                "custom_agreements": [{"agreement_id": "89ce2a1b9b01f5c939fb1e20cd", "agreement_value": 2}]
            }
        },
        "last_change": "2019-06-23 11:47:22",
        "state": 1
    }))
}

/// Customers, with their passwords.
pub(crate) fn customers() -> Vec<(Customer, &'static str)> {
    let mut all = vec![
        (
            customer(
                JOHN_SMITH_ID,
                "John",
                "Smith",
                JOHN_SMITH_EMAIL,
                1,
                "985-02-12",
                STORE_PRAGUE,
            ),
            JOHN_SMITH_PASSWORD,
        ),
        (
            customer(
                TEST_CUSTOMER_ID,
                "Test",
                "Customer",
                "test.customer@example.com",
                5,
                "1990-01-01",
                STORE_PRAGUE,
            ),
            "test-customer-password",
        ),
    ];
    let names = [
        ("Jana", "Novakova", 2),
        ("Petr", "Svoboda", 1),
        ("Eva", "Dvorakova", 2),
        ("Tomas", "Cerny", 1),
        ("Lucie", "Prochazkova", 2),
        ("Martin", "Kucera", 1),
        ("Anna", "Vesela", 2),
        ("Jakub", "Horak", 1),
        ("Tereza", "Nemcova", 2),
        ("Ondrej", "Marek", 1),
    ];
    for (i, (first, last, gender)) in names.into_iter().enumerate() {
        let id = format!("8ea6abece4cd0a4ded0a29f1{i:02x}");
        let email = format!(
            "{}.{}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        );
        let store = if i % 2 == 0 { STORE_PRAGUE } else { STORE_BRNO };
        let birthdate = format!("19{}-0{}-1{}", 70 + i, 1 + i % 9, i % 10);
        all.push((
            customer(&id, first, last, &email, gender, &birthdate, store),
            "password_example",
        ));
    }
    all
}

/// Cards: two for John Smith, one for the test customer, one per other
/// customer.
pub(crate) fn cards(customers: &[(Customer, &'static str)]) -> Vec<Card> {
    let mut cards = Vec::new();
    let mut n = 0u32;
    for (customer, _) in customers {
        let id = customer.customer_id.clone().unwrap_or_default();
        let count = if id == JOHN_SMITH_ID { 2 } else { 1 };
        for k in 0..count {
            n += 1;
            cards.push(typed(json!({
                "card_id": format!("ca4d0a4ded0a29f0930000{n:04x}"),
                "card_number": format!("2000{n:08}"),
                "card_type_id": if k == 0 { CARD_TYPE_GOLD } else { CARD_TYPE_SILVER },
                "customer_id": id,
                "state": 1,
                "store_id": STORE_PRAGUE,
                "valid_from": "2024-01-01 00:00:00",
                "valid_to": "2030-12-31 23:59:59",
                "last_change": "2024-01-01 00:00:00"
            })));
        }
    }
    cards
}

/// Card types.
pub(crate) fn card_types() -> Vec<CardType> {
    vec![
        typed(
            json!({"card_type_id": CARD_TYPE_GOLD, "name": "Gold card", "prefix": "2000", "text_id": "gold"}),
        ),
        typed(
            json!({"card_type_id": CARD_TYPE_SILVER, "name": "Silver card", "prefix": "3000", "text_id": "silver"}),
        ),
    ]
}

/// Stores.
pub(crate) fn stores() -> Vec<Store> {
    vec![
        typed(json!({
            "store_id": STORE_PRAGUE, "name": "Prague Old Town", "store_code": "PRG1", "system_id": "1",
            "state": 1, "visibility_for_customer": 1, "phone_number": "+420123456789",
            "store_address": {"address1": "Old Town Square", "zip": "11000", "city": "Prague 1", "country_code": "cz"},
            "gps_coordinates": {"gps_latitude": 50.087, "gps_longitude": 14.421},
            "last_change": "2024-01-01 00:00:00"
        })),
        typed(json!({
            "store_id": STORE_BRNO, "name": "Brno Centre", "store_code": "BRN1", "system_id": "2",
            "state": 1, "visibility_for_customer": 0,
            "store_address": {"address1": "Namesti Svobody 1", "zip": "60200", "city": "Brno", "country_code": "cz"},
            "last_change": "2024-01-01 00:00:00"
        })),
    ]
}

/// Languages.
pub(crate) fn languages() -> Vec<Language> {
    ["en", "cs", "de"]
        .into_iter()
        .map(|id| {
            typed(json!({"language_id": id, "state": 1, "last_change": "2024-01-01 00:00:00"}))
        })
        .collect()
}

/// Back-office users (the API user first).
pub(crate) fn users() -> Vec<User> {
    vec![
        typed(json!({
            "user_id": API_USER_ID, "login": API_USER_LOGIN, "first_name": "Fabulous", "last_name": "Legend",
            "email": "fabulous.legend@example.com", "phone": "420123828931",
            "user_role_id": "86e05affc7a7befcd513ab400", "store_id": STORE_PRAGUE
        })),
        typed(json!({
            "user_id": "838b73aacb5ac326cec4030c81", "login": "till7", "first_name": "Till", "last_name": "Seven",
            "email": "till7@example.com", "user_role_id": "86e05affc7a7befcd513ab401", "store_id": STORE_BRNO
        })),
    ]
}
