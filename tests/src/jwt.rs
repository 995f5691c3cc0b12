//! Tokens minted by the tests with the stack's own signing key (the same key the api
//! signs with and PostgREST verifies against), for tests that need a caller directly.
use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::Stack;

/// Signs `claims` with the stack's active key (RS256, with its `kid`).
pub fn sign(stack: &Stack, claims: &Value) -> Result<String> {
    sign_with(std::path::Path::new(stack.var("CIMIENTO_KEYS_DIR")), claims)
}

/// Signs `claims` with the active key of a keys folder (benchmarks against a running stack).
pub fn sign_with(dir: &std::path::Path, claims: &Value) -> Result<String> {
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
    claims_for(stack.var("CIMIENTO_JWT_AUDIENCE"), tenant, user, roles, branches)
}

/// The same claims for a given audience.
pub fn claims_for(audience: &str, tenant: &str, user: &str, roles: &[&str], branches: &[&str]) -> Value {
    let now = chrono::Utc::now().timestamp();
    let grants: serde_json::Map<String, Value> = roles.iter().map(|r| (r.to_string(), json!(branches))).collect();
    json!({
        "iss": "cimiento",
        "aud": audience,
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
    session_token_with(&db, std::path::Path::new(stack.var("CIMIENTO_KEYS_DIR")), stack.var("CIMIENTO_JWT_AUDIENCE"), tenant, user, roles, branches).await
}

/// The same from a migration-owner connection, a keys folder and an audience.
pub async fn session_token_with(
    owner: &tokio_postgres::Client,
    keys_dir: &std::path::Path,
    audience: &str,
    tenant: &str,
    user: &str,
    roles: &[&str],
    branches: &[&str],
) -> Result<String> {
    let sid: uuid::Uuid = owner
        .query_one(
            "SELECT core.auth_start_session($1::text::uuid, $2::text::uuid, 'e2e', '127.0.0.1', 'e2e', '{pwd}',
                                            sha256(gen_random_uuid()::text::bytea), interval '1 hour')",
            &[&tenant, &user],
        )
        .await?
        .get(0);
    let mut claims = claims_for(audience, tenant, user, roles, branches);
    claims["sid"] = json!(sid.to_string());
    sign_with(keys_dir, &claims)
}
