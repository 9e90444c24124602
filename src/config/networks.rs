//! Addresses and networks (`10.0.0.0/8`, `::1`) as the settings name them,
//! and the list of reverse proxies whose forwarding headers are believed
//! (`COMPENDIUM_TRUSTED_PROXIES`), parsed once at load so a typo stops the
//! start instead of silently trusting nobody.

use std::net::IpAddr;
use std::str::FromStr;

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

/// An address alone is a network of that one address.
impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Network, String> {
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
}

impl Network {
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
        // A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`; they
        // must still match the IPv4 networks an operator writes.
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

/// The reverse proxies trusted to report the client's address; empty (the
/// default) trusts none, so forwarding headers are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<Network>);

/// `a, b/8, c`: comma-separated addresses or networks; blanks are skipped.
impl FromStr for TrustedProxies {
    type Err = String;

    fn from_str(text: &str) -> Result<TrustedProxies, String> {
        text.split(',')
            .filter(|part| !part.trim().is_empty())
            .map(str::parse::<Network>)
            .collect::<Result<Vec<Network>, String>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    /// Whether `address` is one of the trusted proxies.
    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(text: &str) -> Result<Network, String> {
        text.parse()
    }

    #[test]
    fn networks_contain_their_addresses() {
        let net = network("10.0.0.0/8").unwrap();
        assert!(net.contains("10.1.2.3".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.9.9.9".parse().unwrap()));
        assert!(network("::1").unwrap().contains("::1".parse().unwrap()));
        assert!(network("fd00::/8")
            .unwrap()
            .contains("fd12::1".parse().unwrap()));
        assert!(network("10.0.0.0/33").is_err());
        assert!(network("proxy").is_err());
    }

    #[test]
    fn proxy_lists_are_comma_separated_and_empty_trusts_none() {
        let proxies: TrustedProxies = "127.0.0.1, 10.0.0.0/8,".parse().unwrap();
        assert_eq!(proxies.0.len(), 2);
        assert!(proxies.contains("10.0.0.2".parse().unwrap()));
        assert!(!proxies.contains("203.0.113.9".parse().unwrap()));
        let none: TrustedProxies = " ".parse().unwrap();
        assert_eq!(none, TrustedProxies::default());
        assert!(!none.contains("127.0.0.1".parse().unwrap()));
        assert!("127.0.0.1, proxy".parse::<TrustedProxies>().is_err());
    }
}
