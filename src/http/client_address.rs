//! The client's address, for rate limits and logs. Behind a reverse proxy
//! the peer is the proxy; the real client is in `X-Forwarded-For` (or
//! `Forwarded`), which anyone can write, so it is believed only when the
//! peer is one of the configured trusted proxies, and read from the right:
//! the last address that is not itself a trusted proxy is the client.

use std::net::IpAddr;

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::config::networks::TrustedProxies;

fn forwarded_chain(request: &HttpRequest) -> Vec<IpAddr> {
    let headers = request.headers();
    if let Some(value) = headers.get(header::FORWARDED).and_then(|v| v.to_str().ok()) {
        // RFC 7239: `for=192.0.2.1, for="[2001:db8::1]:4711"`.
        return value
            .split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    if !key.eq_ignore_ascii_case("for") {
                        return None;
                    }
                    let value = value.trim().trim_matches('"');
                    let host = match value.strip_prefix('[') {
                        Some(rest) => rest.split(']').next()?,
                        None => value.split(':').next()?,
                    };
                    host.parse().ok()
                })
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect()
}

/// The client's address as far as it can be trusted.
pub fn address(request: &HttpRequest, trusted: &TrustedProxies) -> String {
    let Some(peer) = request.peer_addr().map(|a| a.ip()) else {
        return String::new();
    };
    if !trusted.contains(peer) {
        return peer.to_string();
    }
    forwarded_chain(request)
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(*ip))
        .unwrap_or(peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn request(peer: &str, headers: &[(&str, &str)]) -> HttpRequest {
        let mut request =
            TestRequest::default().peer_addr(format!("{peer}:40000").parse().unwrap());
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        request.to_http_request()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().unwrap();
        // A stranger cannot choose its own address.
        let spoofed = request("203.0.113.9", &[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(address(&spoofed, &trusted), "203.0.113.9");
        // Through our proxy: the last untrusted hop is the client.
        let proxied = request(
            "127.0.0.1",
            &[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.2")],
        );
        assert_eq!(address(&proxied, &trusted), "198.51.100.7");
        let forwarded = request(
            "10.0.0.5",
            &[(
                "forwarded",
                "for=192.0.2.60;proto=https, for=\"[2001:db8::1]:4711\"",
            )],
        );
        assert_eq!(address(&forwarded, &trusted), "2001:db8::1");
        let bare = request("127.0.0.1", &[]);
        assert_eq!(address(&bare, &trusted), "127.0.0.1");
        assert_eq!(
            address(&proxied, &TrustedProxies::default()),
            "127.0.0.1",
            "no trusted proxy: headers ignored"
        );
    }
}
