//! Database access: the api's pool, and transactions that act as the caller, so row-level
//! security decides.
//!
//! The pool may reach PostgreSQL through PgBouncer in transaction mode, where a server
//! connection belongs to this client for one transaction only. tokio-postgres prepares a
//! named statement in one exchange and binds it in the next, so a statement outside a
//! transaction could be bound on another server connection: every statement here runs
//! inside a transaction (one server connection from BEGIN to COMMIT), and every setting is
//! transaction-local, so nothing outlives the request on a shared server connection.
use std::time::Duration;

use deadpool_postgres::{Object, PoolError, Status, Transaction};
use serde_json::json;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use crate::auth::AccessClaims;
use crate::error::ApiError;

/// Begins a transaction as `app_user` with the caller's claims (exactly what PostgREST
/// does), and the request id, so RLS and the audit trail see the real caller.
pub async fn as_caller<'a>(
    client: &'a mut Conn,
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
    client: &mut Conn,
    claims: &AccessClaims,
    permission: &str,
) -> Result<bool, ApiError> {
    let tx = as_caller(client, claims, None).await?;
    let ok: bool = tx.query_one("SELECT cimiento.has_permission($1)", &[&permission]).await?.get(0);
    tx.rollback().await?;
    Ok(ok)
}

/// The api's connection pool (see the module's note on transaction pooling).
#[derive(Clone)]
pub struct Pool {
    inner: deadpool_postgres::Pool,
    statement_timeout: String,
}

impl Pool {
    /// Wraps a pool; every transaction taken from it is bounded by `statement_timeout`.
    pub fn new(inner: deadpool_postgres::Pool, statement_timeout: Duration) -> Self {
        Self { inner, statement_timeout: format!("SET LOCAL statement_timeout = {}", statement_timeout.as_millis()) }
    }

    /// A connection from the pool (waits up to the pool's timeout).
    pub async fn get(&self) -> Result<Conn, PoolError> {
        Ok(Conn { client: self.inner.get().await?, statement_timeout: self.statement_timeout.clone() })
    }

    /// Connections open, idle and waited for (for `/metrics`).
    pub fn status(&self) -> Status {
        self.inner.status()
    }
}

/// A pooled connection whose every statement runs in a transaction.
pub struct Conn {
    client: Object,
    statement_timeout: String,
}

impl Conn {
    /// Begins a transaction bounded by the api's statement timeout.
    pub async fn transaction(&mut self) -> Result<Transaction<'_>, tokio_postgres::Error> {
        let tx = self.client.transaction().await?;
        tx.batch_execute(&self.statement_timeout).await?;
        Ok(tx)
    }

    /// One statement in its own transaction: exactly one row.
    pub async fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, tokio_postgres::Error> {
        let tx = self.transaction().await?;
        let row = tx.query_one(sql, params).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// One statement in its own transaction: at most one row.
    pub async fn query_opt(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>, tokio_postgres::Error> {
        let tx = self.transaction().await?;
        let row = tx.query_opt(sql, params).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// One statement in its own transaction: every row.
    pub async fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, tokio_postgres::Error> {
        let tx = self.transaction().await?;
        let rows = tx.query(sql, params).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// One statement in its own transaction: the rows it changed.
    pub async fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, tokio_postgres::Error> {
        let tx = self.transaction().await?;
        let n = tx.execute(sql, params).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The client itself, for work that manages its own transactions (the import pipeline).
    pub fn client(&mut self) -> &mut Object {
        &mut self.client
    }
}
