//! The client's address, for rate limits and logs. Behind a reverse proxy
//! the peer is the proxy; the real client is in `X-Forwarded-For` (or
//! `Forwarded`), which anyone can write, so it is believed only when the
//! peer is one of the configured trusted proxies, and read from the right:
//! the last address that is not itself a trusted proxy is the client.

use std::net::IpAddr;

use actix_web::http::header;
use actix_web::HttpRequest;

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Result<Network, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or network"))?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("{text:?}: the prefix must be 0 to {bits}"))?,
            None => bits,
        };
        Ok(Network { address, prefix })
    }

    pub fn contains(&self, candidate: IpAddr) -> bool {
        fn masked(bytes: &[u8], prefix: u8) -> Vec<u8> {
            bytes
                .iter()
                .enumerate()
                .map(|(i, byte)| {
                    let kept = (u32::from(prefix)).saturating_sub(i as u32 * 8).min(8);
                    if kept == 0 {
                        0
                    } else {
                        byte & (0xffu8 << (8 - kept))
                    }
                })
                .collect()
        }
        let candidate = match (self.address, candidate) {
            (IpAddr::V4(_), IpAddr::V6(v6)) => {
                v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(candidate)
            }
            _ => candidate,
        };
        match (self.address, candidate) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                masked(&a.octets(), self.prefix) == masked(&b.octets(), self.prefix)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                masked(&a.octets(), self.prefix) == masked(&b.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

/// `a, b/8, c` into networks.
pub fn parse_networks(text: &str) -> Result<Vec<Network>, String> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(Network::parse)
        .collect()
}

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
pub fn address(request: &HttpRequest, trusted: &[Network]) -> String {
    let Some(peer) = request.peer_addr().map(|a| a.ip()) else {
        return String::new();
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer.to_string();
    }
    forwarded_chain(request)
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(*ip))
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
    fn networks_contain_their_addresses() {
        let net = Network::parse("10.0.0.0/8").unwrap();
        assert!(net.contains("10.1.2.3".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.9.9.9".parse().unwrap()));
        assert!(Network::parse("::1")
            .unwrap()
            .contains("::1".parse().unwrap()));
        assert!(Network::parse("fd00::/8")
            .unwrap()
            .contains("fd12::1".parse().unwrap()));
        assert!(Network::parse("10.0.0.0/33").is_err());
        assert!(Network::parse("proxy").is_err());
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted = parse_networks("127.0.0.1, 10.0.0.0/8").unwrap();
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
            address(&proxied, &[]),
            "127.0.0.1",
            "no trusted proxy: headers ignored"
        );
    }
}
