//! The background work of imports: validation and promotion, a chunk per transaction, each
//! as the batch's creator. A worker leases a batch (`imports.next_work`) and renews the lease
//! with every chunk; when the api dies mid-batch the lease runs out and any worker — this
//! process after a restart, or another instance — resumes with the chunks not committed.
//! A promotion's chunks are written side by side by several of the pool's connections.
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::pipeline::{self, Actor};
use crate::state::AppState;

/// Wakes the workers when a batch starts validating or promoting here.
#[derive(Clone, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    pub fn wake(&self) {
        self.0.notify_waiters();
    }
}

/// Starts the configured number of workers.
pub fn spawn(state: AppState) {
    for n in 0..state.config.imports.workers {
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                match work_one(&state).await {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(e) => tracing::warn!(worker = n, error = %crate::error::db_error_text(&e), "import worker: will retry"),
                }
                // Batches started through PostgREST (/rpc/validate_import) are found by polling.
                let _ = tokio::time::timeout(Duration::from_secs(1), state.imports.0.notified()).await;
            }
        });
    }
}

/// Leases one batch and works its phase to the end. `Ok(false)`: nothing to do.
async fn work_one(state: &AppState) -> Result<bool, tokio_postgres::Error> {
    let cfg = &state.config.imports;
    let mut client = match state.db.get().await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "import worker: no database connection");
            return Ok(false);
        }
    };
    let lease = cfg.lease.as_secs_f64();
    let Some(row) = client
        .query_opt("SELECT batch_id, status, claims::text FROM imports.next_work(make_interval(secs => $1))", &[&lease])
        .await?
    else {
        return Ok(false);
    };
    let (batch, status, claims): (uuid::Uuid, String, String) = (row.get(0), row.get(1), row.get(2));
    tracing::info!(%batch, %status, "import worker: working a batch");
    let actor = Actor::Claims(claims);
    let rows = pipeline::ChunkRows { validate: cfg.chunk_rows, promote: cfg.promote_chunk_rows };
    // Promotion's chunks are written side by side: more connections from the pool, as many
    // as it gives up to the setting (fewer only slow the batch down).
    let mut extra = Vec::new();
    if status == "promoting" {
        for _ in 1..cfg.promote_connections {
            match state.db.get().await {
                Ok(c) => extra.push(c),
                Err(e) => {
                    tracing::warn!(%batch, error = %e, "import worker: promoting with fewer connections");
                    break;
                }
            }
        }
    }
    let mut helpers: Vec<&mut tokio_postgres::Client> = extra.iter_mut().map(|c| &mut ***c.client()).collect();
    let ended = pipeline::work(client.client(), &mut helpers, &actor, batch, rows, lease, |_| {}).await?;
    client.execute("SELECT imports.refresh_statistics()", &[]).await?;
    tracing::info!(%batch, status = %ended["status"], rows_invalid = %ended["rows_invalid"], "import worker: phase ended");
    Ok(true)
}
