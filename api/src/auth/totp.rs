//! TOTP (RFC 6238, SHA-1, 6 digits, 30 s steps, ±1 step) with the time step that matched, so
//! the database can accept each step once.
use totp_rs::{Algorithm, Secret, TOTP};

use crate::error::ApiError;

fn totp(secret_b32: &str, account: &str, issuer: &str) -> Result<TOTP, ApiError> {
    let bytes = Secret::Encoded(secret_b32.to_string())
        .to_bytes()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("stored TOTP secret is not base32")))?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, Some(issuer.to_string()), account.to_string())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("totp: {e}")))
}

/// A new secret (base32) and its otpauth:// URL for authenticator apps.
pub fn new_secret(account: &str, issuer: &str) -> Result<(String, String), ApiError> {
    let secret = Secret::generate_secret().to_encoded().to_string();
    let url = totp(&secret, account, issuer)?.get_url();
    Ok((secret, url))
}

/// The time step (`unix time / 30`) whose code equals `code`, checking now ±1 step.
pub fn matching_step(secret_b32: &str, code: &str, now: u64) -> Result<Option<u64>, ApiError> {
    let code = code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(secret_b32, "x", "x")?;
    let step = now / 30;
    for s in [step.saturating_sub(1), step, step + 1] {
        let expected = t.generate(s * 30);
        if constant_time_eq(expected.as_bytes(), code.as_bytes()) {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The current code (for tests of the service itself).
#[cfg(test)]
pub fn code_at(secret_b32: &str, time: u64) -> String {
    totp(secret_b32, "x", "x").unwrap().generate(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_within_one_step() {
        let (secret, url) = new_secret("ana@demo.es", "Cimiento").unwrap();
        assert!(url.starts_with("otpauth://totp/"));
        let now = 1_800_000_000u64;
        let code = code_at(&secret, now);
        assert_eq!(matching_step(&secret, &code, now).unwrap(), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now + 30).unwrap(), Some(now / 30), "previous step accepted");
        assert_eq!(matching_step(&secret, &code, now + 90).unwrap(), None, "too old");
        assert_eq!(matching_step(&secret, "12345", now).unwrap(), None);
        assert_eq!(matching_step(&secret, "abcdef", now).unwrap(), None);
    }
}
