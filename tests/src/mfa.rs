//! TOTP as an authenticator app computes it, and signing in with it.
use anyhow::{Context, Result};
use serde_json::json;

use crate::http::post;
use crate::Stack;

/// The 6-digit code of a base32 secret at a Unix time (SHA-1, 30 s steps).
pub fn totp_code(secret: &str, at: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_string()).to_bytes().expect("a base32 secret");
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, "x".into()).expect("totp").generate(at)
}

/// Now, in Unix seconds.
pub fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

/// Signs in a demo user whose role requires a second factor and who has not enrolled yet:
/// password, enrolment, activation with the first code. The access token (amr pwd+otp).
pub async fn enrol_and_sign_in(stack: &Stack, tenant: &str, email: &str) -> Result<String> {
    let api = stack.api_url();
    let first = post(&format!("{api}/auth/login"), None,
        &json!({"tenant": tenant, "email": email, "password": stack.var("DEMO_ADMIN_PASSWORD")}), &[]).await?.expect(200)?.json();
    let mfa = first["mfa_token"].as_str().with_context(|| format!("an MFA step: {first}"))?.to_string();
    let enroll = post(&format!("{api}/auth/mfa/enroll"), None, &json!({"mfa_token": mfa}), &[]).await?.expect(200)?.json();
    let secret = enroll["secret"].as_str().context("secret")?;
    let tokens = post(&format!("{api}/auth/mfa/activate"), None, &json!({"mfa_token": mfa, "code": totp_code(secret, now())}), &[])
        .await?.expect(200)?.json();
    Ok(tokens["access_token"].as_str().context("access_token")?.to_string())
}
