//! RS256 access tokens (what PostgREST and the api accept) and short-lived MFA tokens.
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::AuthConfig;
use crate::error::ApiError;
use crate::keys::KeySet;

/// Largest token accepted (bytes); bigger ones are refused before parsing.
pub const MAX_TOKEN_LEN: usize = 8192;
/// The database role an access token makes PostgREST switch to (`role` claim; sql/roles.sql).
pub const DB_ROLE: &str = "app_user";
const MFA_AUDIENCE: &str = "cimiento-mfa";
const MFA_TTL_SECS: i64 = 300;

/// The claims of an access token (see the design: identity and isolation).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    pub tid: Uuid,
    pub role: String,
    pub roles: Vec<String>,
    pub branches: serde_json::Value,
    /// Each role with the branches it was granted for (`["*"]`: all): a permission holds
    /// only in the branches of the grant that gives it.
    #[serde(default)]
    pub grants: serde_json::Value,
    pub sid: Uuid,
    pub amr: Vec<String>,
    pub iat: i64,
    pub exp: i64,
    /// Not issued by us; present only to refuse a malformed one.
    #[allow(dead_code)]
    #[serde(default, skip_serializing)]
    pub nbf: Option<i64>,
}

/// What a partially signed-in user may do with an MFA token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MfaPurpose {
    /// Prove a TOTP code (the user has TOTP on).
    Verify,
    /// Enroll and activate TOTP (the tenant requires it for the user's role).
    Enroll,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MfaClaims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    pub tid: Uuid,
    pub purpose: MfaPurpose,
    pub device: Option<String>,
    pub iat: i64,
    pub exp: i64,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn header(keys: &KeySet) -> Header {
    let mut h = Header::new(Algorithm::RS256);
    h.kid = Some(keys.active.clone());
    h
}

/// Signs the access token of a session.
#[allow(clippy::too_many_arguments)]
pub fn issue_access(
    keys: &KeySet,
    cfg: &AuthConfig,
    tenant: Uuid,
    user: Uuid,
    session: Uuid,
    roles: Vec<String>,
    branches: serde_json::Value,
    grants: serde_json::Value,
    amr: Vec<String>,
) -> Result<(String, AccessClaims), ApiError> {
    let iat = now();
    let claims = AccessClaims {
        iss: cfg.issuer.clone(),
        aud: cfg.audience.clone(),
        sub: user,
        tid: tenant,
        role: DB_ROLE.into(),
        roles,
        branches,
        grants,
        sid: session,
        amr,
        iat,
        exp: iat + cfg.access_ttl.as_secs() as i64,
        nbf: None,
    };
    let token = jsonwebtoken::encode(&header(keys), &claims, &keys.signing().encoding)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("signing a token: {e}")))?;
    Ok((token, claims))
}

pub fn issue_mfa(
    keys: &KeySet,
    cfg: &AuthConfig,
    tenant: Uuid,
    user: Uuid,
    purpose: MfaPurpose,
    device: Option<String>,
) -> Result<String, ApiError> {
    let iat = now();
    let claims = MfaClaims {
        iss: cfg.issuer.clone(),
        aud: MFA_AUDIENCE.into(),
        sub: user,
        tid: tenant,
        purpose,
        device,
        iat,
        exp: iat + MFA_TTL_SECS,
    };
    jsonwebtoken::encode(&header(keys), &claims, &keys.signing().encoding)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("signing a token: {e}")))
}

fn invalid(why: &str) -> ApiError {
    tracing::debug!(why, "token refused");
    ApiError::unauthorized("invalid_token", "the token is invalid or expired")
}

/// Verifies signature (RS256 with a known `kid` only), `iss`, `aud`, `exp`/`nbf` (with
/// leeway) and the claim types, before trusting anything in the token.
fn verify<T: serde::de::DeserializeOwned>(keys: &KeySet, cfg: &AuthConfig, token: &str, audience: &str) -> Result<T, ApiError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(invalid("oversized"));
    }
    let header = jsonwebtoken::decode_header(token).map_err(|_| invalid("malformed header"))?;
    if header.alg != Algorithm::RS256 {
        return Err(invalid("algorithm"));
    }
    let kid = header.kid.ok_or_else(|| invalid("no kid"))?;
    let key = keys.keys.get(&kid).ok_or_else(|| invalid("unknown kid"))?;
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&[audience]);
    v.set_issuer(&[cfg.issuer.as_str()]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = cfg.leeway_secs;
    v.validate_exp = true;
    v.validate_nbf = true;
    jsonwebtoken::decode::<T>(token, &key.decoding, &v).map(|d| d.claims).map_err(|e| invalid(&e.to_string()))
}

pub fn verify_access(keys: &KeySet, cfg: &AuthConfig, token: &str) -> Result<AccessClaims, ApiError> {
    let claims: AccessClaims = verify(keys, cfg, token, &cfg.audience)?;
    if claims.role != DB_ROLE || claims.iat > now() + cfg.leeway_secs as i64 {
        return Err(invalid("role or iat"));
    }
    Ok(claims)
}

pub fn verify_mfa(keys: &KeySet, cfg: &AuthConfig, token: &str, purpose: MfaPurpose) -> Result<MfaClaims, ApiError> {
    let claims: MfaClaims = verify(keys, cfg, token, MFA_AUDIENCE)?;
    if claims.purpose != purpose {
        return Err(invalid("mfa purpose"));
    }
    Ok(claims)
}
