//! The client's address, for the tenant's allowed networks (`core.network_allowed`).
use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Extensions};

use crate::error::ApiError;
use crate::state::AppState;

/// Where a request comes from: the last `X-Forwarded-For` entry (the address the proxy in
/// front of us saw) when the proxy is trusted, else the connection's peer. `None` when
/// neither is known (then a tenant with allowed networks refuses the caller).
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        if let Some(value) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            return value.rsplit(',').next().and_then(|last| last.trim().parse().ok());
        }
    }
    peer.map(|p| p.ip())
}

/// [`client_ip`] of a request from its headers and connection info.
pub fn request_ip(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    client_ip(headers, peer, state.config.auth.trust_forwarded_for)
}

/// The refusal of a caller outside the tenant's allowed networks.
pub fn outside_allowed_networks() -> ApiError {
    ApiError::Forbidden("your network may not reach this organisation; connect from one of its allowed networks".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 10.1.2.3".parse().unwrap());
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client_ip(&h, Some(peer), true), Some("10.1.2.3".parse().unwrap()), "the last hop, set by the proxy");
        assert_eq!(client_ip(&h, Some(peer), false), Some(peer.ip()), "a client cannot claim another address");
        h.insert("x-forwarded-for", "not-an-address".parse().unwrap());
        assert_eq!(client_ip(&h, Some(peer), true), None, "garbage is no address");
        assert_eq!(client_ip(&HeaderMap::new(), None, false), None);
    }
}
