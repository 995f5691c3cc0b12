//! `GET /invoices/{id}/pdf` (the stored bytes; rendered on demand if missing and its render
//! is due — 409 `document_not_rendered` with Retry-After while a failed one waits) and
//! `GET /invoices/{id}/html` (a preview of the same template). The caller's JWT decides:
//! the invoice is read as that caller, so RLS answers 404 for another tenant's invoice.
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{document_html, stored_or_rendered, Stored};
use crate::auth::AuthUser;
use crate::db;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// The document routes, documented by their handlers.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pdf)).routes(routes!(html))
}

fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::bad_request("invalid_id", "the invoice id is not a uuid"))
}

struct Visible {
    number: Option<String>,
    stored: Option<Stored>,
}

/// The invoice as the caller sees it (RLS), with its stored PDF if any; 404 when invisible.
async fn visible(state: &AppState, claims: &crate::auth::AccessClaims, id: Uuid, headers: &HeaderMap) -> Result<Visible, ApiError> {
    let mut client = state.db.get().await?;
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    let tx = db::as_caller(&mut client, claims, request_id).await?;
    let row = tx
        .query_opt(
            "SELECT i.number_display, d.sha256, d.content
               FROM billing.invoices i
               LEFT JOIN billing.invoice_documents d ON d.tenant_id = i.tenant_id AND d.invoice_id = i.id
              WHERE i.id = $1",
            &[&id],
        )
        .await?;
    tx.commit().await?;
    let row = row.ok_or_else(|| ApiError::NotFound("invoice not found".into()))?;
    let stored = match (row.get::<_, Option<String>>(1), row.get::<_, Option<Vec<u8>>>(2)) {
        (Some(sha256), Some(content)) => Some(Stored { sha256, content }),
        _ => None,
    };
    Ok(Visible { number: row.get(0), stored })
}

fn etag(sha: &str) -> String {
    format!("\"{sha}\"")
}

fn filename(number: &str) -> String {
    number.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

#[utoipa::path(get, path = "/invoices/{id}/pdf", tag = "documents",
    summary = "The invoice or credit note as PDF (rendered once, then served byte for byte; ETag = sha256)",
    params(("id" = String, Path, description = "the invoice id")), security(("bearer" = [])),
    responses((status = 200, description = "application/pdf"), (status = 304, description = "not modified"),
        (status = 401, description = "no valid token", body = ErrorBody), (status = 404, description = "no such invoice for the caller", body = ErrorBody),
        (status = 409, description = "the render failed and waits for its retry (Retry-After)", body = ErrorBody)))]
async fn pdf(State(state): State<AppState>, AuthUser(claims): AuthUser, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let found = visible(&state, &claims, id, &headers).await?;
    let Some(number) = found.number else {
        return Err(ApiError::Conflict("the invoice is a draft; issue it first".into()));
    };
    let doc = match found.stored {
        Some(doc) => doc,
        None => stored_or_rendered(&state, claims.tid, id).await?,
    };
    let tag = etag(&doc.sha256);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
        .unwrap_or(false);
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, doc.content).into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{}.pdf\"", filename(&number))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(res)
}

#[utoipa::path(get, path = "/invoices/{id}/html", tag = "documents",
    summary = "The same document as the HTML the PDF is rendered from (preview)",
    params(("id" = String, Path, description = "the invoice id")), security(("bearer" = [])),
    responses((status = 200, description = "text/html"), (status = 401, description = "no valid token", body = ErrorBody),
        (status = 404, description = "no such invoice for the caller", body = ErrorBody)))]
async fn html(State(state): State<AppState>, AuthUser(claims): AuthUser, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let found = visible(&state, &claims, id, &headers).await?;
    if found.number.is_none() {
        return Err(ApiError::Conflict("the invoice is a draft; issue it first".into()));
    }
    let (_, html) = document_html(&state, claims.tid, id).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
