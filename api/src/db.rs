//! Database helpers: transactions that act as the caller, so row-level security decides.
use deadpool_postgres::{Object, Transaction};
use serde_json::json;

use crate::auth::AccessClaims;
use crate::error::ApiError;

/// Begins a transaction as `app_user` with the caller's claims (exactly what PostgREST
/// does), and the request id, so RLS and the audit trail see the real caller.
pub async fn as_caller<'a>(
    client: &'a mut Object,
    claims: &AccessClaims,
    request_id: Option<&str>,
) -> Result<Transaction<'a>, ApiError> {
    let tx = client.transaction().await?;
    let claims = serde_json::to_string(claims).map_err(|e| ApiError::Internal(e.into()))?;
    act_as(&tx, &claims, request_id).await?;
    Ok(tx)
}

/// Makes a transaction act as the caller whose verified claims (JSON) are given: the
/// `app_user` role and `request.jwt.claims`, as PostgREST does. Transaction-local, so
/// nothing survives the transaction.
pub async fn act_as(tx: &tokio_postgres::Transaction<'_>, claims: &str, request_id: Option<&str>) -> Result<(), tokio_postgres::Error> {
    let headers = json!({ "x-request-id": request_id }).to_string();
    tx.batch_execute("SET LOCAL ROLE app_user").await?;
    tx.execute(
        "SELECT set_config('request.jwt.claims', $1, true), set_config('request.headers', $2, true)",
        &[&claims, &headers],
    )
    .await?;
    Ok(())
}

/// Whether the caller's roles grant `permission` (the database decides).
pub async fn caller_has_permission(
    client: &mut Object,
    claims: &AccessClaims,
    permission: &str,
) -> Result<bool, ApiError> {
    let tx = as_caller(client, claims, None).await?;
    let ok: bool = tx.query_one("SELECT cimiento.has_permission($1)", &[&permission]).await?.get(0);
    tx.rollback().await?;
    Ok(ok)
}
