//! Which redirects the send loop follows: same-origin only, a bounded number of hops.

/// Same-origin redirects followed in one attempt before giving up.
pub(super) const MAX_REDIRECTS: u32 = 5;

/// Scheme, host and port all equal: so https never goes to http, and nothing goes to another
/// host or port.
pub(super) fn same_origin(from: &reqwest::Url, to: &reqwest::Url) -> bool {
    from.origin() == to.origin() && from.origin().is_tuple()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> reqwest::Url {
        reqwest::Url::parse(text).unwrap()
    }

    #[test]
    fn only_the_same_scheme_host_and_port_is_the_same_origin() {
        let base = url("https://api.example.com/v1/a");
        assert!(same_origin(&base, &url("https://api.example.com/v2/b?x=1")));
        assert!(same_origin(&base, &url("https://api.example.com:443/b")));
        assert!(!same_origin(&base, &url("http://api.example.com/v1/a")));
        assert!(!same_origin(
            &base,
            &url("https://api.example.com:8443/v1/a")
        ));
        assert!(!same_origin(&base, &url("https://evil.example.com/v1/a")));
        assert!(!same_origin(
            &base,
            &url("https://api.example.com.evil.example/")
        ));
    }
}
