//! Passwords: argon2id (the `argon2` crate's defaults: m = 19 MiB, t = 2, p = 1, the OWASP
//! recommendation), computed on the blocking pool with bounded concurrency so a login flood
//! cannot exhaust memory or stall the async runtime. Unknown users are checked against a
//! dummy hash, so the work — and the timing — is the same.
use std::sync::Arc;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::error::ApiError;

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<String>,
}

fn hash_blocking(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("argon2: {e}")))
}

impl Hasher {
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        let dummy = hash_blocking(&uuid::Uuid::new_v4().to_string()).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Self { permits: Arc::new(Semaphore::new(concurrency)), dummy: Arc::new(dummy) })
    }

    /// Hashes a password (argon2id PHC string).
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let _permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .map_err(|e| ApiError::Internal(e.into()))?
    }

    /// True when `password` matches `hash`; with no hash, does the same work and says no.
    pub async fn verify(&self, password: String, hash: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else { return false };
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy.as_ref().clone());
        tokio::task::spawn_blocking(move || {
            let ok = PasswordHash::new(&hash)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false);
            ok && known
        })
        .await
        .unwrap_or(false)
    }
}

/// Refuses weak passwords with a message saying why (zxcvbn score of at least 3, 10–128
/// characters, not built from the user's own email or name).
pub fn check_strength(password: &str, email: &str, name: &str) -> Result<(), ApiError> {
    let weak = |msg: &str| Err(ApiError::BadRequest { code: "weak_password", message: msg.to_string(), hint: None });
    let len = password.chars().count();
    if len < 10 {
        return weak("the password must have at least 10 characters");
    }
    if len > 128 {
        return weak("the password must have at most 128 characters");
    }
    let local = email.split('@').next().unwrap_or("");
    let mut inputs: Vec<&str> = vec![email, local];
    inputs.extend(name.split_whitespace());
    match zxcvbn::zxcvbn(password, &inputs) {
        e if (e.score() as u8) < 3 => {
            let hint = e
                .feedback()
                .and_then(|f| f.warning().map(|w| w.to_string()))
                .unwrap_or_else(|| "it is too easy to guess".into());
            Err(ApiError::BadRequest {
                code: "weak_password",
                message: format!("the password is too weak: {hint}"),
                hint: Some("use a longer passphrase of unrelated words".into()),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(check_strength("short", "a@b.es", "Ana").is_err());
        assert!(check_strength("password123", "a@b.es", "Ana").is_err());
        assert!(check_strength("anagarcia2026", "anagarcia@b.es", "Ana García").is_err());
        assert!(check_strength("violeta-tranvía-cuaderno-47", "a@b.es", "Ana").is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_fail() {
        let h = Hasher::new(2).unwrap();
        let hash = h.hash("violeta-tranvía-cuaderno-47".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(h.verify("violeta-tranvía-cuaderno-47".into(), Some(hash.clone())).await);
        assert!(!h.verify("otra".into(), Some(hash)).await);
        assert!(!h.verify("violeta-tranvía-cuaderno-47".into(), None).await, "no user, no success");
    }
}
