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
    let Some(bytes) = decode_base64(encoded).filter(|b| !b.is_empty()) else {
        return Err(errors::bad_request(
            "data",
            "invalid_value_format",
            Value::Null,
            "data is not base64",
        ));
    };
    let Some(extension) = image_kind(&bytes) else {
        return Err(errors::bad_request(
            "data",
            "not_allowed_value",
            Value::Null,
            "data is not a PNG, JPEG, GIF or WebP image",
        ));
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
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_image_kinds() {
        let png = decode_base64("iVBORw0KGgo=").expect("base64");
        assert_eq!(png, b"\x89PNG\r\n\x1a\n");
        assert_eq!(image_kind(&png), Some("png"));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(image_kind(b"hello"), None);
    }
}
