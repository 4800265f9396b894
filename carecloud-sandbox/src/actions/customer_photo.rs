//! `POST /customers/actions/upload-customer-photo`: takes base64 image
//! data (a `data:` URL prefix is allowed), refuses what is not base64 (400
//! `invalid_value_format`) or not a PNG, JPEG, GIF or WebP image (400
//! `not_allowed_value`), and points the customer's
//! `personal_information.photo_url` at the photo.

use carecloud_api::types::UploadCustomerPhotoRequest;
use serde_json::{Value, json};

use crate::context::{Answer, Ctx, Reply};
use crate::engines::known_customer;
use crate::errors;
use crate::store::set;

/// Where the sandbox says uploaded photos are.
const PHOTO_BASE: &str = "https://photos.sandbox.invalid/customers";

/// `POST /customers/actions/upload-customer-photo`.
pub(crate) fn upload_photo(cx: &mut Ctx<'_>) -> Reply {
    let body: UploadCustomerPhotoRequest = cx.body_as()?;
    let customer = known_customer(cx, "customer_id", &body.customer_id, true)?;
    let data = body.data.as_str();
    let encoded = data.split_once("base64,").map_or(data, |(_, rest)| rest);
    let Some(bytes) = decode(encoded).filter(|b| !b.is_empty()) else {
        let message = "data is not base64";
        return Err(errors::bad_format("data", Value::Null, message));
    };
    let Some(extension) = image_kind(&bytes) else {
        let message = "data is not a PNG, JPEG, GIF or WebP image";
        return Err(errors::not_allowed("data", Value::Null, message));
    };
    let url = format!(
        "{PHOTO_BASE}/{customer}/{}.{extension}",
        cx.state.store.new_id(12)
    );
    let now = cx.state.now();
    if let Some((index, record)) = cx.state.store.find("customers", &customer) {
        let mut record = record.clone();
        set(&mut record, "personal_information.photo_url", json!(url));
        set(&mut record, "last_change", json!(now));
        cx.state.store.replace("customers", index, record);
    }
    Ok(Answer::NoContent)
}

/// The file extension of an image by its first bytes.
fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: [(&[u8], &str); 4] = [
        (b"\x89PNG", "png"),
        (b"\xff\xd8\xff", "jpg"),
        (b"GIF8", "gif"),
        (b"RIFF", "webp"),
    ];
    KINDS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, ext)| *ext)
}

/// Standard or URL-safe base64, padding optional, whitespace ignored.
fn decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let standard: String = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    GeneralPurpose::new(&base64::alphabet::STANDARD, config)
        .decode(standard)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_image_kinds() {
        let png = decode("iVBORw0K Ggo=").expect("base64");
        assert_eq!(png, b"\x89PNG\r\n\x1a\n");
        assert_eq!(image_kind(&png), Some("png"));
        assert_eq!(decode("not base64!"), None);
        assert_eq!(image_kind(b"hello"), None);
    }
}
