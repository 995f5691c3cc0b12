//! `AuthUser`: a verified access token whose session is still active, used from one of the
//! tenant's allowed networks.
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::tokens::{self, AccessClaims, MAX_TOKEN_LEN};
use crate::error::ApiError;
use crate::state::AppState;

/// The caller of a protected route: its verified claims. The session is checked in the
/// database on every request, so a revoked session stops working at once.
#[derive(Clone, Debug)]
pub struct AuthUser(pub AccessClaims);

/// The bearer token of a request, if any (`Authorization: Bearer …`).
pub fn bearer(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) else { return Ok(None) };
    if value.len() > MAX_TOKEN_LEN + 16 {
        return Err(ApiError::unauthorized("invalid_token", "the token is invalid or expired"));
    }
    let value = value.to_str().map_err(|_| ApiError::unauthorized("invalid_token", "the token is invalid or expired"))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(Some(token.trim())),
        _ => Err(ApiError::unauthorized("invalid_token", "the Authorization header must be: Bearer <token>")),
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?.ok_or_else(|| ApiError::unauthorized("missing_token", "sign in first: no bearer token"))?;
        let claims = tokens::verify_access(&state.keys(), &state.config.auth, token)?;
        tracing::Span::current().record("tenant_id", tracing::field::display(claims.tid));
        let ip = super::network::request_ip(state, &parts.headers, &parts.extensions);
        let mut db = state.db.get().await?;
        let row = db
            .query_one(
                "SELECT core.auth_session_active($1, $2, $3), core.network_allowed($1, $4, $5)",
                &[&claims.tid, &claims.sid, &claims.sub, &claims.roles, &ip],
            )
            .await?;
        if !row.get::<_, bool>(0) {
            return Err(ApiError::unauthorized("session_revoked", "the session was revoked or has expired; sign in again"));
        }
        if !row.get::<_, Option<bool>>(1).unwrap_or(false) {
            return Err(super::network::outside_allowed_networks());
        }
        Ok(AuthUser(claims))
    }
}
