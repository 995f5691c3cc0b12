//! Renders each document once after its issuing transaction commits: the numbering sends
//! `cimiento_documents` notifications (delivered only on commit); on start and on every
//! reconnect the listener also catches up with documents issued while it was away.
use std::time::Duration;

use futures_util::stream::StreamExt;
use tokio_postgres::AsyncMessage;
use uuid::Uuid;

use crate::state::AppState;

/// Starts the listener in the background (it reconnects on its own).
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(500);
        loop {
            match listen(&state).await {
                Ok(()) => backoff = Duration::from_millis(500),
                Err(e) => {
                    tracing::warn!(error = %e, "document listener disconnected; reconnecting");
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
            tokio::time::sleep(backoff).await;
        }
    });
}

async fn render(state: &AppState, tenant: Uuid, invoice: Uuid) {
    let started = std::time::Instant::now();
    match super::render_and_store(state, tenant, invoice).await {
        Ok(doc) => tracing::info!(tenant_id = %tenant, %invoice, sha256 = %doc.sha256, ms = started.elapsed().as_millis() as u64, "document rendered"),
        Err(e) => tracing::error!(tenant_id = %tenant, %invoice, error = %e, "document rendering failed; it will be rendered on first download"),
    }
}

async fn catch_up(state: &AppState) -> anyhow::Result<()> {
    loop {
        let db = state.db.get().await?;
        let rows = db.query("SELECT tenant_id, invoice_id FROM billing.documents_to_render(50)", &[]).await?;
        drop(db);
        if rows.is_empty() {
            return Ok(());
        }
        for r in rows {
            render(state, r.get(0), r.get(1)).await;
        }
    }
}

async fn listen(state: &AppState) -> anyhow::Result<()> {
    let cfg: tokio_postgres::Config = state.config.database_url.parse()?;
    let (client, mut connection) = cfg.connect(tokio_postgres::NoTls).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        let mut stream = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(msg) = stream.next().await {
            match msg {
                Ok(AsyncMessage::Notification(n)) => {
                    let _ = tx.send(n.payload().to_string());
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    client.batch_execute("LISTEN cimiento_documents").await?;
    tracing::info!("document listener ready");
    catch_up(state).await?;
    while let Some(payload) = rx.recv().await {
        let Some((t, i)) = payload.split_once(':') else { continue };
        let (Ok(tenant), Ok(invoice)) = (Uuid::parse_str(t), Uuid::parse_str(i)) else { continue };
        let st = state.clone();
        tokio::spawn(async move { render(&st, tenant, invoice).await });
    }
    drop(client);
    match driver.await {
        Ok(Err(e)) => Err(e.into()),
        _ => Ok(()),
    }
}
