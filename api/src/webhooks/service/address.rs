//! Where a webhook may go (SSRF protection): `https` only, plain `http` only to the hosts the
//! operator lists; never (unless the operator allows it) to a private, loopback or link-local
//! address — checked when an endpoint is created or changed, and again at every connection by
//! the resolver the delivery client uses, so a name that later resolves inward (DNS rebinding)
//! is refused too.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use url::{Host, Url};

use crate::config::WebhookConfig;
use crate::error::{AppError, AppResult};
use crate::messages::{Message, MessageKey};

/// Whether `address` is one a webhook must not reach: private (RFC 1918, unique local),
/// loopback, link-local, shared (CGNAT), unspecified, multicast or broadcast.
pub fn is_internal(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(v4),
            None => internal_v6(v6),
        },
    }
}

fn internal_v4(address: Ipv4Addr) -> bool {
    let [first, second, ..] = address.octets();
    address.is_private()
        || address.is_loopback()
        || address.is_link_local()
        || address.is_unspecified()
        || address.is_multicast()
        || address.is_broadcast()
        || first == 0
        || (first == 100 && (64..128).contains(&second))
}

fn internal_v6(address: Ipv6Addr) -> bool {
    let first = address.segments()[0];
    address.is_loopback()
        || address.is_unspecified()
        || address.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// Checks an endpoint's URL (`field` names it in errors): absolute, `https` (or `http` to an
/// allowed host), no credentials or fragment, and not leading to an internal address. Answers
/// the URL as it will be called.
pub async fn check_url(config: &WebhookConfig, field: &str, raw: &str) -> AppResult<Url> {
    let bad = || AppError::bad_input(field, Message::new(MessageKey::WebhookBadUrl).with("field", field));
    let url = Url::parse(raw.trim()).map_err(|_| bad())?;
    let host = url.host_str().ok_or_else(bad)?.to_owned();
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() || raw.len() > 2048 {
        return Err(bad());
    }
    match url.scheme() {
        "https" => {}
        "http" if config.allows_http(host.trim_start_matches('[').trim_end_matches(']')) => {}
        _ => {
            return Err(AppError::bad_input(
                field,
                Message::new(MessageKey::WebhookNeedsHttps).with("field", field),
            ));
        }
    }
    if !config.webhook_allow_private {
        for address in addresses_of(&url).await {
            if is_internal(address) {
                return Err(private(field, address));
            }
        }
    }
    Ok(url)
}

fn private(field: &str, address: IpAddr) -> AppError {
    AppError::bad_input(
        field,
        Message::new(MessageKey::WebhookPrivateAddress)
            .with("field", field)
            .with("address", address.to_string()),
    )
}

/// The addresses `url`'s host stands for: itself when it is an address, else what it resolves
/// to now (nothing when it does not resolve: the delivery will fail and be retried).
async fn addresses_of(url: &Url) -> Vec<IpAddr> {
    match url.host() {
        Some(Host::Ipv4(v4)) => vec![IpAddr::V4(v4)],
        Some(Host::Ipv6(v6)) => vec![IpAddr::V6(v6)],
        Some(Host::Domain(name)) => {
            let port = url.port_or_known_default().unwrap_or(443);
            match tokio::net::lookup_host((name, port)).await {
                Ok(found) => found.map(|socket| socket.ip()).collect(),
                Err(_) => Vec::new(),
            }
        }
        None => Vec::new(),
    }
}

/// Whether a delivery may connect to `url`'s literal address (a name is checked by
/// [`GuardedResolver`] as it resolves).
pub fn literal_allowed(config: &WebhookConfig, url: &Url) -> bool {
    let literal = match url.host() {
        Some(Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        _ => None,
    };
    config.webhook_allow_private || literal.is_none_or(|address| !is_internal(address))
}

/// The delivery client's resolver: the system's, with internal addresses left out (and a
/// refusal when nothing else is left), unless the operator allows them.
#[derive(Clone)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|socket| allow_private || !is_internal(socket.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(format!("{} resolves to no public address", name.as_str()).into());
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl GuardedResolver {
    pub fn shared(config: &WebhookConfig) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver {
            allow_private: config.webhook_allow_private,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_ranges() {
        for internal in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_internal(internal.parse().expect("address")), "{internal}");
        }
        for public in ["93.184.216.34", "2a00:1450:4001::1", "172.32.0.1", "100.128.0.1"] {
            assert!(!is_internal(public.parse().expect("address")), "{public}");
        }
    }
}
