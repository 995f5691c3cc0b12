//! Invoice and credit-note PDFs: rendered once (askama template → warm WeasyPrint) after
//! the issuing transaction commits, stored with their sha256, served byte for byte.
mod listener;
mod renderer;
mod routes;
mod template;

pub use listener::spawn as spawn_listener;
pub use renderer::{RenderError, Renderer};
pub use routes::router;


use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the document is a draft; issue it first")]
    NotIssued,
    /// Rendering this document failed before (recorded with its reason); it is retried with
    /// backoff (`retry_after_secs`) or, after the last attempt, only when an operator asks.
    #[error("the PDF could not be rendered ({attempts} attempts)")]
    RenderFailed { attempts: i32, retry_after_secs: Option<u64> },
    #[error("template: {0}")]
    Template(String),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<PdfError> for ApiError {
    fn from(e: PdfError) -> Self {
        match e {
            PdfError::NotIssued => ApiError::Conflict("the document is a draft; issue it first".into()),
            PdfError::RenderFailed { retry_after_secs: Some(secs), .. } => ApiError::NotReady {
                code: "document_not_rendered",
                message: "the PDF of this document could not be rendered yet; it is retried automatically".into(),
                retry_after_secs: Some(secs.max(1)),
            },
            PdfError::RenderFailed { attempts, retry_after_secs: None } => ApiError::NotReady {
                code: "document_not_rendered",
                message: format!("the PDF of this document could not be rendered after {attempts} attempts; an operator has been told"),
                retry_after_secs: None,
            },
            PdfError::Api(api) => api,
            PdfError::Render(other) => ApiError::Unavailable {
                reason: "the PDF renderer is busy or restarting; retry shortly".into(),
                cause: other.to_string(),
            },
            PdfError::Template(msg) => ApiError::Internal(anyhow::anyhow!("template: {msg}")),
        }
    }
}

impl PdfError {
    /// A failure of this document (recorded, retried with backoff), as opposed to one of
    /// the service (the database, a worker that could not start), which is not its fault.
    fn is_the_documents(&self) -> bool {
        matches!(
            self,
            PdfError::Template(_)
                | PdfError::Render(RenderError::Timeout(_) | RenderError::Document(_) | RenderError::WorkerDied(_))
        )
    }
}

/// A stored document.
pub struct Stored {
    pub sha256: String,
    pub content: Vec<u8>,
}

/// One render per document at a time: a second caller waits for the first, then finds the
/// stored PDF (or the recorded failure) instead of rendering again.
#[derive(Default)]
pub struct Flights {
    inner: std::sync::Mutex<HashMap<(Uuid, Uuid), Arc<tokio::sync::Mutex<()>>>>,
}

struct Flight<'a> {
    flights: &'a Flights,
    key: (Uuid, Uuid),
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Flights {
    async fn enter(&self, key: (Uuid, Uuid)) -> Flight<'_> {
        let lock = self.inner.lock().unwrap_or_else(|p| p.into_inner()).entry(key).or_default().clone();
        Flight { flights: self, key, guard: Some(lock.lock_owned().await) }
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut map = self.flights.inner.lock().unwrap_or_else(|p| p.into_inner());
        if map.get(&self.key).is_some_and(|l| Arc::strong_count(l) == 1) {
            map.remove(&self.key);
        }
    }
}

/// The HTML of an issued document (tenant-scoped data read by the api's own role).
pub async fn document_html(state: &AppState, tenant: Uuid, invoice: Uuid) -> Result<(String, String), PdfError> {
    let mut db = state.db.get().await.map_err(ApiError::from)?;
    let data: Option<Value> = db
        .query_one("SELECT billing.render_data($1, $2)", &[&tenant, &invoice])
        .await
        .map_err(ApiError::from)?
        .get(0);
    let data = data.ok_or(PdfError::NotIssued)?;
    template::render_html(&data)
}

/// The stored PDF of an issued document, rendering and storing it first if its render is
/// due (the first render wins, so every download is the same bytes). A failed render is
/// recorded with its reason; until its retry is due the document is not rendered again.
pub async fn stored_or_rendered(state: &AppState, tenant: Uuid, invoice: Uuid) -> Result<Stored, PdfError> {
    let _flight = state.flights.enter((tenant, invoice)).await;
    let mut db = state.db.get().await.map_err(ApiError::from)?;
    let row = db
        .query_opt(
            "SELECT issued, stored, attempts, render_due, retry_after_secs FROM billing.document_render_state($1, $2)",
            &[&tenant, &invoice],
        )
        .await
        .map_err(ApiError::from)?
        .ok_or(PdfError::NotIssued)?;
    let (issued, stored, attempts, due, retry): (bool, bool, i32, bool, Option<i32>) =
        (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
    if !issued {
        return Err(PdfError::NotIssued);
    }
    if stored {
        let row = db
            .query_one("SELECT sha256, content FROM billing.stored_document($1, $2)", &[&tenant, &invoice])
            .await
            .map_err(ApiError::from)?;
        let (sha256, content): (Option<String>, Option<Vec<u8>>) = (row.get(0), row.get(1));
        return Ok(Stored { sha256: sha256.unwrap_or_default(), content: content.unwrap_or_default() });
    }
    if !due {
        return Err(PdfError::RenderFailed { attempts, retry_after_secs: retry.map(|s| s.max(0) as u64) });
    }
    drop(db);
    match render_and_store(state, tenant, invoice).await {
        Err(e) if e.is_the_documents() => {
            let mut db = state.db.get().await.map_err(ApiError::from)?;
            let row = db
                .query_one(
                    "SELECT attempts, pg_catalog.ceil(EXTRACT(epoch FROM next_attempt_at - now()))::integer
                       FROM billing.record_render_failure($1, $2, $3)",
                    &[&tenant, &invoice, &e.to_string()],
                )
                .await
                .map_err(ApiError::from)?;
            let (attempts, retry): (i32, Option<i32>) = (row.get(0), row.get(1));
            tracing::warn!(tenant_id = %tenant, %invoice, attempts, retry_in_secs = retry, error = %e, "document rendering failed; recorded");
            Err(PdfError::RenderFailed { attempts, retry_after_secs: retry.map(|s| s.max(0) as u64) })
        }
        other => other,
    }
}

/// Renders and stores a document's PDF; returns the stored one.
async fn render_and_store(state: &AppState, tenant: Uuid, invoice: Uuid) -> Result<Stored, PdfError> {
    let (_, html) = document_html(state, tenant, invoice).await?;
    let started = std::time::Instant::now();
    let rendered = state.renderer.render(&html).await;
    let metrics = &*crate::metrics::METRICS;
    metrics.pdf_renders.with_label_values(&[if rendered.is_ok() { "ok" } else { "failed" }]).inc();
    if rendered.is_ok() {
        metrics.pdf_render_seconds.observe(started.elapsed().as_secs_f64());
    }
    let pdf = rendered?;
    let sha = hex::encode(Sha256::digest(&pdf));
    let mut db = state.db.get().await.map_err(ApiError::from)?;
    let stored: Option<String> = db
        .query_one(
            "SELECT billing.store_document($1, $2, $3, $4, $5)",
            &[&tenant, &invoice, &sha, &pdf, &state.renderer.version()],
        )
        .await
        .map_err(ApiError::from)?
        .get(0);
    match stored {
        Some(s) if s == sha => Ok(Stored { sha256: sha, content: pdf }),
        Some(other) => {
            // Someone else's render was stored first: serve those bytes, the canonical ones.
            let row = db
                .query_one("SELECT sha256, content FROM billing.stored_document($1, $2)", &[&tenant, &invoice])
                .await
                .map_err(ApiError::from)?;
            let content: Option<Vec<u8>> = row.get(1);
            Ok(Stored { sha256: other, content: content.unwrap_or_default() })
        }
        None => Err(PdfError::NotIssued),
    }
}
