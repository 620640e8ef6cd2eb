//! Which base URLs a runtime accepts, and which of them never leave the machine.

use std::net::IpAddr;

/// `localhost`, `127.0.0.0/8` and `::1`: plain http to these never leaves the machine.
pub(super) fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Runtime;
    use super::*;
    use crate::config::Config;

    fn url(text: &str) -> reqwest::Url {
        reqwest::Url::parse(text).unwrap()
    }

    #[test]
    fn loopback_hosts() {
        for text in [
            "http://localhost:1",
            "http://127.0.0.1",
            "http://127.3.2.1:8",
            "http://[::1]:80",
        ] {
            assert!(is_loopback(&url(text)), "{text}");
        }
        for text in [
            "http://example.com",
            "http://localhost.example.com",
            "http://10.0.0.1",
            "http://[::2]",
        ] {
            assert!(!is_loopback(&url(text)), "{text}");
        }
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback_unless_allowed() {
        assert!(Runtime::new("http://localhost:6575", Config::default()).is_ok());
        assert!(Runtime::new("http://127.0.0.1:1/x", Config::default()).is_ok());
        assert!(Runtime::new("http://[::1]:1", Config::default()).is_ok());
        assert!(Runtime::new("http://api.example.com", Config::default()).is_err());
        assert!(Runtime::new(
            "http://api.example.com",
            Config::default().allow_insecure_http()
        )
        .is_ok());
        assert!(Runtime::new("https://api.example.com", Config::default()).is_ok());
    }
}
