//! Tokens minted by the tests with the stack's own signing key (the same key the api
//! signs with and PostgREST verifies against), for tests that need a caller directly.
use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::Stack;

/// Signs `claims` with the stack's active key (RS256, with its `kid`).
pub fn sign(stack: &Stack, claims: &Value) -> Result<String> {
    let dir = std::path::PathBuf::from(stack.var("CIMIENTO_KEYS_DIR"));
    let kid = std::fs::read_to_string(dir.join("active")).context("reading the active kid")?;
    let kid = kid.trim();
    let pem = std::fs::read(dir.join(format!("{kid}.pem")))?;
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(&pem)?;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(kid.to_string());
    Ok(jsonwebtoken::encode(&header, claims, &key)?)
}

/// Standard claims for a user of a tenant, valid for 15 minutes: every role granted in
/// `branches` (as the sign-in service writes grants).
pub fn user_claims(stack: &Stack, tenant: &str, user: &str, roles: &[&str], branches: &[&str]) -> Value {
    let now = chrono::Utc::now().timestamp();
    let grants: serde_json::Map<String, Value> = roles.iter().map(|r| (r.to_string(), json!(branches))).collect();
    json!({
        "iss": "cimiento",
        "aud": stack.var("CIMIENTO_JWT_AUDIENCE"),
        "sub": user,
        "tid": tenant,
        "role": crate::APP_USER,
        "roles": roles,
        "branches": branches,
        "grants": grants,
        "sid": uuid::Uuid::new_v4().to_string(),
        "amr": ["pwd"],
        "iat": now,
        "exp": now + 900,
    })
}

/// A token for a real session of the user (the pre-request hook refuses a token whose
/// session does not exist): the session is opened by the migration owner, as the sign-in
/// service would.
pub async fn session_token(stack: &Stack, tenant: &str, user: &str, roles: &[&str], branches: &[&str]) -> Result<String> {
    let db = stack.owner().await?;
    let sid: uuid::Uuid = db
        .query_one(
            "SELECT core.auth_start_session($1::text::uuid, $2::text::uuid, 'e2e', '127.0.0.1', 'e2e', '{pwd}',
                                            sha256(gen_random_uuid()::text::bytea), interval '1 hour')",
            &[&tenant, &user],
        )
        .await?
        .get(0);
    let mut claims = user_claims(stack, tenant, user, roles, branches);
    claims["sid"] = json!(sid.to_string());
    sign(stack, &claims)
}
