//! The HTTP client the interface clients send through.

use std::time::Duration;

/// An HTTP client for requests to `base_url`, with `timeout` for the
/// connection and for each whole request.
///
/// For a plain `http://` base URL (the sandbox, a TLS-terminating proxy)
/// the system's root certificates are not loaded: with the `rustls`
/// feature reqwest reads and parses them for every client it builds
/// (milliseconds in a release build, tens of them in a debug one), for
/// connections that would never use them.
pub(crate) fn client(base_url: &str, timeout: Duration) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout);
    #[cfg(feature = "rustls")]
    let builder = if is_plain_http(base_url) {
        builder.tls_certs_only([])
    } else {
        builder
    };
    #[cfg(not(feature = "rustls"))]
    let _ = base_url;
    builder.build()
}

/// Whether `url` starts with `http://` (in any case).
#[cfg_attr(not(feature = "rustls"), allow(dead_code))]
fn is_plain_http(url: &str) -> bool {
    url.get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_told_apart_from_https() {
        assert!(is_plain_http("http://127.0.0.1:8080/webservice"));
        assert!(is_plain_http("HTTP://example.com"));
        assert!(!is_plain_http("https://example.com"));
        assert!(!is_plain_http("http:/"));
    }

    #[test]
    fn a_client_is_built_for_either_scheme() {
        client("http://127.0.0.1:1", Duration::from_secs(1)).expect("an http client");
        client("https://example.com", Duration::from_secs(1)).expect("an https client");
    }
}
