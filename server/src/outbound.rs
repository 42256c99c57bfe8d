//! Where the server itself may connect to (webhook deliveries): public
//! addresses only. A community admin chooses webhook URLs; without this
//! they could make the server knock on its own network (127.0.0.1, the
//! cloud's metadata service at 169.254.169.254, the office LAN) and read in
//! the delivery log what answered: a port scanner run by the server.
//!
//! The check runs twice: when a webhook is added (its host, and the
//! addresses its name has then), and for every delivery on the addresses
//! the name resolves to at that moment, which are the addresses the
//! connection then uses. A name that resolved to a public address when it
//! was added and to 127.0.0.1 later (DNS rebinding) is refused then.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// Whether the server may connect to `ip` when private destinations are
/// not allowed: not loopback, unspecified, link-local, private (RFC 1918),
/// shared (RFC 6598), unique-local, multicast, broadcast or reserved.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        // Shared address space of carrier-grade NAT (100.64.0.0/10).
        || (a == 100 && (64..128).contains(&b))
        // Reserved for the future, and 192.0.0.0/24 (protocol assignments).
        || a >= 240
        || (a == 192 && b == 0 && ip.octets()[2] == 0))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        // NAT64 of IPv4 (64:ff9b::/96) could reach a private IPv4 address.
        || (first == 0x0064 && ip.segments()[1] == 0xff9b))
}

/// Why a destination is refused, in a sentence for the admin or the log.
pub fn refusal(ip: IpAddr) -> String {
    format!(
        "{ip} is a loopback, link-local or private address; webhooks go to public addresses only"
    )
}

/// A DNS resolver for the webhook client that keeps only the addresses the
/// server may connect to (all of them when private ones are allowed).
pub struct PublicOnly {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|addr| allow_private || is_public(addr.ip()))
                .collect();
            if allowed.is_empty() {
                let why = match found.first() {
                    Some(addr) => refusal(addr.ip()),
                    None => format!("{host} has no address"),
                };
                return Err(why.into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Checks a URL's host: an address literal at once, a name by resolving it
/// now. A name that does not resolve now is let through: the delivery
/// checks again, and a receiver may simply not be online yet.
pub async fn check_host(url: &reqwest::Url, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    match url.host() {
        Some(url::Host::Ipv4(v4)) => check_literal(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => check_literal(IpAddr::V6(v6)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost" || name.ends_with(".localhost") {
                return Err(
                    "localhost is this server itself; webhooks go to public addresses only".into(),
                );
            }
            let port = url.port_or_known_default().unwrap_or(443);
            if let Ok(found) = tokio::net::lookup_host((name.as_str(), port)).await {
                for addr in found {
                    if !is_public(addr.ip()) {
                        return Err(format!("{name} resolves to {}", refusal(addr.ip())));
                    }
                }
            }
            Ok(())
        }
        None => Err("the URL has no host".into()),
    }
}

/// An address written in the URL itself (no resolver sees it at delivery).
pub fn check_literal(ip: IpAddr) -> Result<(), String> {
    if is_public(ip) {
        Ok(())
    } else {
        Err(refusal(ip))
    }
}

/// The resolver, shared by the webhook client.
pub fn resolver(allow_private: bool) -> Arc<PublicOnly> {
    Arc::new(PublicOnly { allow_private })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "127.8.9.10",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fc12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            let ip: IpAddr = private.parse().unwrap();
            assert!(!is_public(ip), "{private}");
            assert!(check_literal(ip).is_err(), "{private}");
        }
        for public in [
            "93.184.216.34",
            "172.32.0.1",
            "8.8.8.8",
            "2a00:1450:4001::1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn hosts_are_checked_by_their_literal_or_their_name() {
        let check = |u: &str| {
            let url = reqwest::Url::parse(u).unwrap();
            async move { check_host(&url, false).await }
        };
        assert!(check("http://127.0.0.1:9000/x").await.is_err());
        assert!(check("http://[::1]/x").await.is_err());
        assert!(check("http://169.254.169.254/latest/meta-data")
            .await
            .is_err());
        assert!(check("http://localhost:8080/").await.is_err());
        assert!(check("http://LOCALHOST./").await.is_err());
        assert!(
            check("http://2130706433/").await.is_err(),
            "127.0.0.1 as a number"
        );
        assert!(check("https://93.184.216.34/hook").await.is_ok());
        let url = reqwest::Url::parse("http://127.0.0.1:9000/x").unwrap();
        assert!(
            check_host(&url, true).await.is_ok(),
            "allowed for development"
        );
    }
}
