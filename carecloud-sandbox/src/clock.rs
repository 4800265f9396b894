//! Server-local time, as CareCloud writes it: `YYYY-MM-DD HH:MM:SS`, no
//! zone, in the project's time zone (`SandboxConfig::utc_offset_seconds`).

use std::time::SystemTime;

/// `at` in server-local time.
pub(crate) fn local(utc_offset_seconds: i32, at: SystemTime) -> String {
    let utc = chrono::DateTime::<chrono::Utc>::from(at).naive_utc();
    let local = utc + chrono::TimeDelta::seconds(i64::from(utc_offset_seconds));
    local.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `at` as an HTTP `Date` header value.
pub(crate) fn http_date(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn local_time_is_shifted_and_zoneless() {
        let at = UNIX_EPOCH + Duration::from_secs(86_400);
        assert_eq!(local(0, at), "1970-01-02 00:00:00");
        assert_eq!(local(3600, at), "1970-01-02 01:00:00");
        assert_eq!(http_date(at), "Fri, 02 Jan 1970 00:00:00 GMT");
    }
}
