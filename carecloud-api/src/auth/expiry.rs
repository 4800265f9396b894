//! How long an enterprise bearer token is trusted.
//!
//! The login reply's `valid_to` is the project's local time without a zone
//! (`"2026-12-01 19:00:00"`), and the client cannot know that zone. The
//! reply's `Date` header is the server's clock in UTC. Their difference is
//! the token's lifetime *plus* the server's UTC offset (Prague: +1 or +2 h),
//! so it cannot be trusted as is. The rule:
//!
//! 1. `raw = valid_to − Date` (both read as naive date-times).
//! 2. If `raw` is at least [`MIN_PLAUSIBLE_LIFETIME`] (15 min), the lifetime
//!    is `min(raw, DEFAULT_TOKEN_LIFETIME)`: an offset east of UTC can only
//!    lengthen `raw`, so capping at CareCloud's documented 7 hours keeps a
//!    Central European server's 7-hour token at 7 hours, and a shorter
//!    lifetime the project configured is honoured.
//! 3. Otherwise (no or unparsable `valid_to` or `Date`, the zero date, a
//!    `valid_to` in the past or minutes away: a server far west of UTC or a
//!    skewed clock) the lifetime is [`DEFAULT_TOKEN_LIFETIME`].
//!
//! The token is refreshed [`REFRESH_MARGIN`] (5 min) before the lifetime,
//! measured on the client's monotonic [`Clock`](super::Clock) from the moment
//! the login was sent. So no clock or zone can make a token look expired
//! forever (the least lifetime is 15 min, so at most one login per 10 min)
//! or valid forever (at most 7 h). When the rule is wrong the other way (the
//! token dies earlier), the server answers 401 and the client logs in again
//! and replays the call once.

use std::time::Duration;

use chrono::NaiveDateTime;
use reqwest::header::HeaderValue;

use crate::types::DateTime;

/// CareCloud's documented bearer token lifetime: 7 hours.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7 * 3600);

/// How long before the computed expiry the client logs in again: 5 minutes.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The shortest `valid_to − Date` taken at face value: 15 minutes.
pub const MIN_PLAUSIBLE_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The lifetime of a token from its login reply (see the module docs).
pub fn token_lifetime(valid_to: Option<&DateTime>, date_header: Option<&HeaderValue>) -> Duration {
    raw_lifetime(valid_to, date_header)
        .filter(|raw| *raw >= MIN_PLAUSIBLE_LIFETIME)
        .map_or(DEFAULT_TOKEN_LIFETIME, |raw| {
            raw.min(DEFAULT_TOKEN_LIFETIME)
        })
}

/// How long after the login was sent the token is refreshed: the lifetime
/// less [`REFRESH_MARGIN`].
pub fn refresh_after(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(REFRESH_MARGIN)
}

fn raw_lifetime(
    valid_to: Option<&DateTime>,
    date_header: Option<&HeaderValue>,
) -> Option<Duration> {
    let valid_to = valid_to?.to_naive()?;
    let server_now = server_utc(date_header?)?;
    (valid_to - server_now).to_std().ok()
}

/// The `Date` header (an IMF-fixdate, `Tue, 01 Dec 2026 12:00:00 GMT`) as a
/// naive UTC date-time.
fn server_utc(date_header: &HeaderValue) -> Option<NaiveDateTime> {
    let text = date_header.to_str().ok()?;
    let parsed = chrono::DateTime::parse_from_rfc2822(text.trim()).ok()?;
    Some(parsed.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOON: &str = "Tue, 01 Dec 2026 12:00:00 GMT";
    const HOUR: Duration = Duration::from_secs(3600);

    fn lifetime(valid_to: Option<&str>, date: Option<&'static str>) -> Duration {
        let valid_to = valid_to.map(DateTime::new);
        let date = date.map(HeaderValue::from_static);
        token_lifetime(valid_to.as_ref(), date.as_ref())
    }

    #[test]
    fn same_zone_is_taken_at_face_value() {
        assert_eq!(lifetime(Some("2026-12-01 19:00:00"), Some(NOON)), 7 * HOUR);
        assert_eq!(lifetime(Some("2026-12-01 14:00:00"), Some(NOON)), 2 * HOUR);
        assert_eq!(
            lifetime(Some("2026-12-01 12:30:00.123456"), Some(NOON)),
            Duration::from_secs(1800) + Duration::from_micros(123_456)
        );
    }

    #[test]
    fn east_of_utc_is_capped_at_the_default() {
        // A Prague server (UTC+2) issuing a 7-hour token at 14:00 local.
        assert_eq!(lifetime(Some("2026-12-01 21:00:00"), Some(NOON)), 7 * HOUR);
        assert_eq!(lifetime(Some("2026-12-02 02:00:00"), Some(NOON)), 7 * HOUR);
    }

    #[test]
    fn implausible_values_fall_back_to_the_default() {
        for (valid_to, date) in [
            (None, Some(NOON)),
            (Some("2026-12-01 19:00:00"), None),
            (Some("0000-00-00 00:00:00"), Some(NOON)),
            (Some("garbage"), Some(NOON)),
            (Some("2026-12-01 19:00:00"), Some("yesterday")),
            (Some("2026-12-01 05:00:00"), Some(NOON)), // in the past (UTC-10)
            (Some("2026-12-01 12:00:00"), Some(NOON)), // expires now
            (Some("2026-12-01 12:14:59"), Some(NOON)), // minutes away
            (Some("2030-01-01 00:00:00"), Some(NOON)), // years away
        ] {
            assert_eq!(lifetime(valid_to, date), 7 * HOUR, "{valid_to:?} {date:?}");
        }
    }

    #[test]
    fn refresh_leaves_a_margin() {
        assert_eq!(refresh_after(7 * HOUR), 7 * HOUR - REFRESH_MARGIN);
        assert!(refresh_after(MIN_PLAUSIBLE_LIFETIME) >= Duration::from_secs(600));
    }
}
