//! A synthetic page of customers, shaped like CareCloud's replies to
//! `GET /customers`: `{"data": {"customers": [...], "total_items": n}}`.
//!
//! Deterministic for a given [`PageSpec`]. Every field of the spec's
//! `Customer` appears in some customers and not in others; about 28% of the
//! customers have `personal_information.consents: []` and about 20% an
//! `agreement.custom_agreements: []` (the shares issue 10 counted in a real
//! page), others leave these arrays out or fill them. Unknown fields (at
//! every level, including nested objects and arrays) and `null`s are added
//! only when asked, so that a page can be compared exactly after a round
//! trip (`null` may come back absent: "nothing lost but nulls").

use serde_json::{Map, Value, json};

/// What page to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSpec {
    /// How many customers.
    pub customers: usize,
    /// Whether records carry fields the spec does not know.
    pub unknown_fields: bool,
    /// Whether some optional fields are `null` rather than absent.
    pub nulls: bool,
    /// The seed of the pseudo-random choices.
    pub seed: u64,
}

impl Default for PageSpec {
    /// 1,000 customers, the spec's fields only, no `null`s.
    fn default() -> Self {
        Self {
            customers: 1000,
            unknown_fields: false,
            nulls: false,
            seed: 10,
        }
    }
}

/// A page and what it holds.
#[derive(Clone, Debug)]
pub struct Page {
    /// The reply as a JSON value.
    pub value: Value,
    /// The reply as compact JSON text (what the server sends).
    pub json: String,
    /// Counts of what is in it.
    pub stats: PageStats,
}

/// Counts of what a page holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageStats {
    /// Customers.
    pub customers: usize,
    /// `personal_information.consents: []`.
    pub empty_consents: usize,
    /// `personal_information` without `consents`.
    pub absent_consents: usize,
    /// `agreement.custom_agreements: []`.
    pub empty_custom_agreements: usize,
    /// `agreement` without `custom_agreements`.
    pub absent_custom_agreements: usize,
    /// Fields the spec does not know, at any level.
    pub unknown_fields: usize,
    /// `null` values.
    pub nulls: usize,
}

/// SplitMix64: small, fast, deterministic.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// `true` with probability `percent`/100.
    pub fn chance(&mut self, percent: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 100.0 < percent
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// `len` lower-case hex digits, like CareCloud's record IDs.
    pub fn hex_id(&mut self, len: usize) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        (0..len)
            .map(|_| HEX[self.below(16) as usize] as char)
            .collect()
    }
}

const FIRST_NAMES: &[&str] = &[
    "John", "Jana", "Petr", "Eva", "Tomáš", "Lucie", "Martin", "Anna", "Jakub", "Tereza",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Novák",
    "Svobodová",
    "Dvořák",
    "Černá",
    "Procházka",
    "Kučera",
    "Veselá",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Prague 1", "11000", "cz"),
    ("Brno", "60200", "cz"),
    ("Bratislava", "81101", "sk"),
    ("Vienna", "1010", "at"),
];
const STREETS: &[&str] = &[
    "Old Town Square",
    "Wenceslas Square",
    "Masarykova",
    "Hlavná",
    "Ringstraße",
];

/// A page of customers as `spec` asks.
pub fn customer_page(spec: &PageSpec) -> Page {
    let mut rng = Rng::new(spec.seed);
    let mut stats = PageStats {
        customers: spec.customers,
        ..PageStats::default()
    };
    let customers: Vec<Value> = (0..spec.customers)
        .map(|i| customer(&mut rng, i, spec, &mut stats))
        .collect();
    let value = json!({
        "data": {
            "customers": customers,
            "total_items": spec.customers * 7 + 3,
        }
    });
    let json = serde_json::to_string(&value).expect("a JSON value serializes");
    Page { value, json, stats }
}

/// One customer record (`i` makes its e-mail unique).
pub fn customer(rng: &mut Rng, i: usize, spec: &PageSpec, stats: &mut PageStats) -> Value {
    let mut record = Map::new();
    record.insert("customer_id".into(), json!(rng.hex_id(26)));
    let info = personal_information(rng, i, spec, stats);
    record.insert("personal_information".into(), Value::Object(info));
    if rng.chance(30.0) {
        record.insert("doi_email".into(), json!(date_time(rng)));
    }
    if rng.chance(10.0) {
        record.insert("doi_phone".into(), json!(date_time(rng)));
    } else if spec.nulls && rng.chance(10.0) {
        record.insert("doi_phone".into(), Value::Null);
        stats.nulls += 1;
    }
    record.insert("last_change".into(), json!(date_time(rng)));
    record.insert(
        "state".into(),
        json!([1, 1, 1, 1, 2, 0][rng.below(6) as usize]),
    );
    if spec.unknown_fields {
        unknown(rng, &mut record, stats);
    }
    Value::Object(record)
}

fn personal_information(
    rng: &mut Rng,
    i: usize,
    spec: &PageSpec,
    stats: &mut PageStats,
) -> Map<String, Value> {
    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    let mut info = Map::new();
    if rng.chance(50.0) {
        info.insert("salutation".into(), json!(format!("Dear {first} {last}")));
    }
    if rng.chance(85.0) {
        info.insert("gender".into(), json!(1 + rng.below(5)));
    } else if spec.nulls && rng.chance(50.0) {
        info.insert("gender".into(), Value::Null);
        stats.nulls += 1;
    }
    info.insert("first_name".into(), json!(first));
    info.insert("last_name".into(), json!(last));
    if rng.chance(10.0) {
        info.insert("pre_nominals".into(), json!("Ing."));
    }
    if rng.chance(5.0) {
        info.insert("post_nominals".into(), json!("Ph.D."));
    }
    let birthdate = match rng.below(40) {
        0 => "0000-00-00".to_owned(),
        1 => "985-02-12".to_owned(),
        _ => format!(
            "{}-{:02}-{:02}",
            1940 + rng.below(65),
            1 + rng.below(12),
            1 + rng.below(28)
        ),
    };
    info.insert("birthdate".into(), json!(birthdate));
    info.insert(
        "email".into(),
        json!(format!(
            "{}.{}.{i}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        )),
    );
    if rng.chance(80.0) {
        info.insert(
            "phone".into(),
            json!(format!("420{:09}", rng.below(1_000_000_000))),
        );
    }
    info.insert(
        "language_id".into(),
        json!(rng.pick(&["en", "cs", "sk", "de"])),
    );
    if rng.chance(70.0) {
        info.insert("store_id".into(), json!(rng.hex_id(12)));
    } else if spec.nulls {
        info.insert("store_id".into(), Value::Null);
        stats.nulls += 1;
    }
    if rng.chance(5.0) {
        info.insert(
            "photo_url".into(),
            json!(format!("https://example.com/photos/{}.jpg", rng.hex_id(8))),
        );
    } else if spec.nulls && rng.chance(20.0) {
        info.insert("photo_url".into(), Value::Null);
        stats.nulls += 1;
    }
    if rng.chance(90.0) {
        let (city, zip, country) = CITIES[rng.below(CITIES.len() as u64) as usize];
        let mut address = Map::new();
        address.insert("address1".into(), json!(rng.pick(STREETS)));
        if rng.chance(60.0) {
            address.insert("address2".into(), json!((1 + rng.below(120)).to_string()));
        }
        address.insert("zip".into(), json!(zip));
        address.insert("city".into(), json!(city));
        address.insert("country_code".into(), json!(country));
        if spec.unknown_fields && rng.chance(30.0) {
            address.insert("region".into(), json!("Central Bohemia"));
            stats.unknown_fields += 1;
        }
        info.insert("address".into(), Value::Object(address));
    }
    if rng.chance(90.0) {
        info.insert(
            "agreement".into(),
            Value::Object(agreement(rng, spec, stats)),
        );
    }
    let roll = rng.below(1000);
    if roll < 280 {
        info.insert("consents".into(), json!([]));
        stats.empty_consents += 1;
    } else if roll < 400 {
        stats.absent_consents += 1;
    } else {
        let consents: Vec<Value> = (0..1 + rng.below(3))
            .map(|_| {
                let mut consent = Map::new();
                consent.insert("consent_id".into(), json!(rng.hex_id(26)));
                consent.insert("consent_value".into(), json!(rng.below(3)));
                if rng.chance(70.0) {
                    consent.insert("last_change".into(), json!(date_time(rng)));
                }
                if spec.unknown_fields && rng.chance(20.0) {
                    consent.insert("source".into(), json!("web"));
                    stats.unknown_fields += 1;
                }
                Value::Object(consent)
            })
            .collect();
        info.insert("consents".into(), Value::Array(consents));
    }
    if spec.unknown_fields && rng.chance(40.0) {
        info.insert("nickname".into(), json!(first.to_lowercase()));
        stats.unknown_fields += 1;
    }
    info
}

fn agreement(rng: &mut Rng, spec: &PageSpec, stats: &mut PageStats) -> Map<String, Value> {
    let mut agreement = Map::new();
    for key in [
        "agreement_gtc",
        "agreement_profiling",
        "agreement_marketing_communication",
    ] {
        if rng.chance(90.0) {
            agreement.insert(key.into(), json!(rng.below(3)));
        }
    }
    let roll = rng.below(1000);
    if roll < 228 {
        // 228 of the 900 customers with an agreement: about 205 per 1,000.
        agreement.insert("custom_agreements".into(), json!([]));
        stats.empty_custom_agreements += 1;
    } else if roll < 400 {
        stats.absent_custom_agreements += 1;
    } else {
        let answers: Vec<Value> = (0..1 + rng.below(2))
            .map(|_| {
                let mut answer = Map::new();
                answer.insert("agreement_id".into(), json!(rng.hex_id(26)));
                answer.insert("agreement_value".into(), json!(rng.below(3)));
                if spec.unknown_fields && rng.chance(20.0) {
                    answer.insert("channel".into(), json!("pos"));
                    stats.unknown_fields += 1;
                }
                Value::Object(answer)
            })
            .collect();
        agreement.insert("custom_agreements".into(), Value::Array(answers));
    }
    agreement
}

/// Fields a newer server might send: scalars, an empty array, a nested
/// object with an array inside.
fn unknown(rng: &mut Rng, record: &mut Map<String, Value>, stats: &mut PageStats) {
    if rng.chance(60.0) {
        record.insert(
            "loyalty_segment".into(),
            json!(rng.pick(&["gold", "silver", "bronze"])),
        );
        stats.unknown_fields += 1;
    }
    if rng.chance(40.0) {
        record.insert(
            "points_balance".into(),
            json!(rng.below(100_000) as f64 / 4.0),
        );
        stats.unknown_fields += 1;
    }
    if rng.chance(25.0) {
        record.insert("tags".into(), json!([]));
        stats.unknown_fields += 1;
    }
    if rng.chance(20.0) {
        record.insert(
            "marketing".into(),
            json!({"channels": ["email", "sms"], "score": rng.below(10), "opted_out": false, "notes": {}}),
        );
        stats.unknown_fields += 1;
    }
}

/// A server-local date-time, sometimes with microseconds, sometimes the
/// zero date.
fn date_time(rng: &mut Rng) -> String {
    match rng.below(50) {
        0 => "0000-00-00 00:00:00".to_owned(),
        n => {
            let base = format!(
                "20{:02}-{:02}-{:02} {:02}:{:02}:{:02}",
                10 + rng.below(16),
                1 + rng.below(12),
                1 + rng.below(28),
                rng.below(24),
                rng.below(60),
                rng.below(60)
            );
            if n < 5 {
                format!("{base}.{:06}", rng.below(1_000_000))
            } else {
                base
            }
        }
    }
}
