//! Renders each document once after its issuing transaction commits: the numbering sends
//! `cimiento_documents` notifications (delivered only on commit). A separate catch-up task
//! renders what is due but was missed (issued while the api was away, dropped under load,
//! or a failed render whose backoff elapsed): on start, on every reconnect and every
//! [`CATCH_UP_EVERY`]. It never blocks notifications, and a document that keeps failing is
//! recorded and skipped until its retry is due, so it cannot hold up the others.
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::StreamExt;
use tokio::sync::Notify;
use tokio_postgres::AsyncMessage;
use uuid::Uuid;

use super::PdfError;
use crate::state::AppState;

/// How often the catch-up looks for due documents without being woken.
const CATCH_UP_EVERY: Duration = Duration::from_secs(30);
/// Documents fetched per catch-up page.
const CATCH_UP_PAGE: i32 = 50;
/// Notifications waiting for a renderer; beyond this they are dropped (the catch-up finds
/// their documents later).
const QUEUE: usize = 1024;

/// Starts the listener and the catch-up in the background (both reconnect on their own).
pub fn spawn(state: AppState) {
    let wake = Arc::new(Notify::new());
    tokio::spawn(catch_up_forever(state.clone(), wake.clone()));
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(500);
        loop {
            match listen(&state, &wake).await {
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

/// `tenant:invoice`, two uuids, as `billing.invoices_notify_numbered` sends them. Anyone
/// who can log in can NOTIFY, so anything else is ignored.
fn parse_payload(payload: &str) -> Option<(Uuid, Uuid)> {
    if payload.len() != 73 {
        return None;
    }
    let (t, i) = payload.split_once(':')?;
    Some((Uuid::parse_str(t).ok()?, Uuid::parse_str(i).ok()?))
}

/// Renders one document in the background (the caller holds a `background_renders`
/// permit); returns whether it made progress (stored, or its failure recorded).
async fn render(state: &AppState, tenant: Uuid, invoice: Uuid) -> bool {
    let started = std::time::Instant::now();
    match super::stored_or_rendered(state, tenant, invoice).await {
        Ok(doc) => {
            tracing::info!(tenant_id = %tenant, %invoice, sha256 = %doc.sha256, ms = started.elapsed().as_millis() as u64, "document rendered");
            true
        }
        Err(PdfError::RenderFailed { .. } | PdfError::NotIssued) => true,
        Err(e) => {
            tracing::error!(tenant_id = %tenant, %invoice, error = %e, "document rendering failed; the catch-up retries it");
            false
        }
    }
}

/// One pass over the due documents, page by page, while pages make progress.
async fn catch_up(state: &AppState) -> anyhow::Result<()> {
    loop {
        let mut db = state.db.get().await?;
        let rows = db.query("SELECT tenant_id, invoice_id FROM billing.documents_to_render($1)", &[&CATCH_UP_PAGE]).await?;
        drop(db);
        if rows.is_empty() {
            return Ok(());
        }
        let mut progress = false;
        for r in rows {
            let _permit = state.background_renders.acquire().await?;
            progress |= render(state, r.get(0), r.get(1)).await;
        }
        if !progress {
            // The service itself is failing (database, workers): wait for the next tick.
            return Ok(());
        }
    }
}

async fn catch_up_forever(state: AppState, wake: Arc<Notify>) {
    loop {
        if let Err(e) = catch_up(&state).await {
            tracing::warn!(error = %e, "document catch-up failed; retrying at the next tick");
        }
        let _ = tokio::time::timeout(CATCH_UP_EVERY, wake.notified()).await;
    }
}

async fn listen(state: &AppState, wake: &Notify) -> anyhow::Result<()> {
    let cfg: tokio_postgres::Config = secrecy::ExposeSecret::expose_secret(state.config.listen_url()).parse()?;
    let (client, mut connection) = cfg.connect(tokio_postgres::NoTls).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel(QUEUE);
    let driver = tokio::spawn(async move {
        let mut stream = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        let mut dropped = 0u64;
        while let Some(msg) = stream.next().await {
            match msg {
                Ok(AsyncMessage::Notification(n)) => match parse_payload(n.payload()) {
                    Some(doc) => {
                        if tx.try_send(doc).is_err() {
                            dropped += 1;
                            if dropped.is_power_of_two() {
                                tracing::warn!(dropped, "document notifications dropped under load; the catch-up renders them");
                            }
                        }
                    }
                    None => tracing::warn!(bytes = n.payload().len(), pid = n.process_id(), "ignored a malformed document notification"),
                },
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    client.batch_execute("LISTEN cimiento_documents").await?;
    tracing::info!("document listener ready");
    wake.notify_one();
    while let Some((tenant, invoice)) = rx.recv().await {
        // Waiting here (not in a spawned task) keeps the backlog in the bounded queue.
        let permit = state.background_renders.clone().acquire_owned().await?;
        let st = state.clone();
        tokio::spawn(async move {
            render(&st, tenant, invoice).await;
            drop(permit);
        });
    }
    drop(client);
    match driver.await {
        Ok(Err(e)) => Err(e.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_payload;

    #[test]
    fn payloads_are_two_uuids_or_ignored() {
        let t = "00000000-0000-4000-8000-000000000001";
        let i = "5f0c5b2e-8a0c-4a3e-9c61-0d3f3b7a2b11";
        assert_eq!(parse_payload(&format!("{t}:{i}")).map(|(a, b)| (a.to_string(), b.to_string())), Some((t.into(), i.into())));
        for bad in ["", ":", "x:y", &format!("{t}:{i}:"), &format!("{t};{i}"), &format!("{t}:{}", "z".repeat(36)), &"a".repeat(8000)] {
            assert_eq!(parse_payload(bad), None, "{bad:?}");
        }
    }
}
