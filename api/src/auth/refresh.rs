//! Opaque refresh tokens: `rt1.<tenant id>.<32 random bytes, base64url>`. The database
//! stores only their SHA-256; the tenant part lets it find the token within its tenant.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub struct Refresh {
    pub token: String,
    pub hash: Vec<u8>,
}

pub fn generate(tenant: Uuid) -> Refresh {
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token = format!("rt1.{}.{}", tenant.simple(), URL_SAFE_NO_PAD.encode(secret));
    let hash = hash(&token);
    Refresh { token, hash }
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The tenant a token belongs to, if it is shaped like one of ours.
pub fn tenant_of(token: &str) -> Option<Uuid> {
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("rt1"), Some(tenant), Some(secret), None) if secret.len() == 43 && token.len() < 200 => Uuid::parse_str(tenant).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_their_tenant_and_hash_stably() {
        let t = Uuid::new_v4();
        let r = generate(t);
        assert_eq!(tenant_of(&r.token), Some(t));
        assert_eq!(hash(&r.token), r.hash);
        assert_ne!(generate(t).token, r.token);
        assert_eq!(tenant_of("rt1.nope.x"), None);
        assert_eq!(tenant_of("garbage"), None);
    }
}
