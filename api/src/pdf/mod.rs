//! Invoice and credit-note PDFs: rendered once (askama template → warm WeasyPrint) after
//! the issuing transaction commits, stored with their sha256, served byte for byte.
mod listener;
mod renderer;
mod routes;
mod template;

pub use listener::spawn as spawn_listener;
pub use renderer::{RenderError, Renderer};
pub use routes::router;

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
            PdfError::Api(api) => api,
            PdfError::Render(RenderError::Document(msg)) => ApiError::Internal(anyhow::anyhow!("rendering failed: {msg}")),
            PdfError::Render(other) => ApiError::Unavailable {
                reason: "the PDF renderer is busy or restarting; retry shortly".into(),
                cause: other.to_string(),
            },
            PdfError::Template(msg) => ApiError::Internal(anyhow::anyhow!("template: {msg}")),
        }
    }
}

/// A stored document.
pub struct Stored {
    pub sha256: String,
    pub content: Vec<u8>,
}

/// The HTML of an issued document (tenant-scoped data read by the api's own role).
pub async fn document_html(state: &AppState, tenant: Uuid, invoice: Uuid) -> Result<(String, String), PdfError> {
    let db = state.db.get().await.map_err(ApiError::from)?;
    let data: Option<Value> = db
        .query_one("SELECT billing.render_data($1, $2)", &[&tenant, &invoice])
        .await
        .map_err(ApiError::from)?
        .get(0);
    let data = data.ok_or(PdfError::NotIssued)?;
    template::render_html(&data)
}

/// Renders and stores a document's PDF unless one is stored; returns the stored one (the
/// first render wins, so every download is the same bytes).
pub async fn render_and_store(state: &AppState, tenant: Uuid, invoice: Uuid) -> Result<Stored, PdfError> {
    let (_, html) = document_html(state, tenant, invoice).await?;
    let pdf = state.renderer.render(&html).await?;
    let sha = hex::encode(Sha256::digest(&pdf));
    let db = state.db.get().await.map_err(ApiError::from)?;
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
