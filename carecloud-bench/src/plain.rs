//! The fields of a `GET /customers` reply as plain serde-derive structs:
//! what a user would write by hand, and the baseline the generated types are
//! measured against.
//!
//! Same fields as the generated types, with the plainest types that read
//! the pages of [`crate::page`]: text as `String` (dates too), codes as
//! `i64`, optional arrays as `Option<Vec<T>>`. No unknown-field map: fields
//! the structs do not know are skipped (and lost on a write). [`keeping`]
//! has the same structs with the way serde's derive keeps unknown fields,
//! `#[serde(flatten)] extra`.

use serde::{Deserialize, Serialize};

/// The structs, with `$extra` as each one's last field(s).
macro_rules! structs {
    ($($extra:tt)*) => {

/// `{"data": {...}}` of `GET /customers`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerList {
    /// The page.
    pub data: CustomerListData,
    $($extra)*
}

/// One page of customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerListData {
    /// The customers on this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers: Option<Vec<Customer>>,
    /// How many match, across all pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_items: Option<i64>,
    $($extra)*
}

/// A customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Its ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Personal data.
    pub personal_information: PersonalInformation,
    /// E-mail double opt-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi_email: Option<String>,
    /// Phone double opt-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi_phone: Option<String>,
    /// Last change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_change: Option<String>,
    /// State code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<i64>,
    $($extra)*
}

/// Personal data of a customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonalInformation {
    /// Salutation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    /// Gender code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<i64>,
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Title before the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_nominals: Option<String>,
    /// Title after the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_nominals: Option<String>,
    /// Date of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthdate: Option<String>,
    /// E-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Language.
    pub language_id: String,
    /// Home store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    /// Photo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// Address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Legacy consent flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    /// Consents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consents: Option<Vec<Consent>>,
    $($extra)*
}

/// An address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// Line 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    /// Line 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Line 3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address3: Option<String>,
    /// Line 4.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address4: Option<String>,
    /// Line 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address5: Option<String>,
    /// Line 6.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address6: Option<String>,
    /// Line 7.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address7: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Postcode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    $($extra)*
}

/// Legacy consent flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Terms and conditions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement_gtc: Option<i64>,
    /// Marketing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement_marketing_communication: Option<i64>,
    /// Profiling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement_profiling: Option<i64>,
    /// Project-specific agreements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_agreements: Option<Vec<CustomAgreement>>,
    $($extra)*
}

/// One project-specific agreement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomAgreement {
    /// Its definition.
    pub agreement_id: String,
    /// The answer.
    pub agreement_value: i64,
    $($extra)*
}

/// One consent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    /// Its definition.
    pub consent_id: String,
    /// The answer.
    pub consent_value: i64,
    /// Last change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_change: Option<String>,
    $($extra)*
}

    };
}

structs!();

/// The same structs keeping unknown fields as a hand-writer would with
/// serde's derive: `#[serde(flatten)] extra: Map<String, Value>` (serde then
/// buffers every field of the object before reading the known ones).
pub mod keeping {
    use serde::{Deserialize, Serialize};

    structs!(
        /// Fields these structs do not know.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    );
}
