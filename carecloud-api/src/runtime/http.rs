//! The HTTP client the interface clients send through.

use std::time::Duration;

/// An HTTP client for requests to `base_url`, with `timeout` for the
/// connection and for each whole request.
///
/// For a plain `http://` base URL on this machine (`localhost`, a loopback
/// address: the sandbox, a local proxy) the system's root certificates are
/// not loaded: with the `rustls` feature reqwest reads and parses them for
/// every client it builds (milliseconds in a release build, tens of them in
/// a debug one), for connections that will not use them. Any other host
/// keeps them, since it may redirect to `https://`.
pub(crate) fn client(base_url: &str, timeout: Duration) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout);
    #[cfg(feature = "rustls")]
    let builder = if is_plain_http_on_loopback(base_url) {
        builder.tls_certs_only([])
    } else {
        builder
    };
    #[cfg(not(feature = "rustls"))]
    let _ = base_url;
    builder.build()
}

/// Whether `url` is `http://` to `localhost` or a loopback address.
#[cfg_attr(not(feature = "rustls"), allow(dead_code))]
fn is_plain_http_on_loopback(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else {
        return false;
    };
    let host = url.host_str().unwrap_or_default();
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    url.scheme() == "http"
        && (host.eq_ignore_ascii_case("localhost")
            || ip
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_to_this_machine_skips_the_root_certificates() {
        for url in [
            "http://127.0.0.1:8080/webservice",
            "HTTP://LocalHost:1/x",
            "http://[::1]:9/",
            "http://127.0.0.2/",
        ] {
            assert!(is_plain_http_on_loopback(url), "{url}");
        }
        for url in [
            "https://127.0.0.1/",
            "http://example.com/",
            "http://10.0.0.1/",
            "http://localhost.example.com/",
            "not a url",
        ] {
            assert!(!is_plain_http_on_loopback(url), "{url}");
        }
    }

    #[test]
    fn a_client_is_built_for_either_scheme() {
        client("http://127.0.0.1:1", Duration::from_secs(1)).expect("an http client");
        client("https://example.com", Duration::from_secs(1)).expect("an https client");
    }
}
