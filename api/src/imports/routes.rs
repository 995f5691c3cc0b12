//! `POST /imports` (a spreadsheet, streamed to disk and staged a thousand rows at a time,
//! then validated in the background) and `GET /imports/{id}/errors.csv` (the rows refused,
//! as the clerk wrote them, with their errors). Everything else about a batch — progress,
//! preview, promote, cancel — is PostgREST's (`/imports`, `/import_rows`, `/rpc/…`).
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;
use uuid::Uuid;

use super::pipeline::{self, Actor, ImportError, Upload};
use crate::auth::{AccessClaims, AuthUser};
use crate::db;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// The import routes; the upload route reads its own (large) body limit.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload).layer(DefaultBodyLimit::disable()))
        .routes(routes!(errors_csv))
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Read(e) => ApiError::BadRequest { code: "invalid_file", message: e.to_string(), hint: Some("export the sheet as CSV or XLSX with one header row".into()) },
            ImportError::Database(e) => ApiError::Database(e),
            ImportError::TooLarge(max) => ApiError::PayloadTooLarge(format!("the file is larger than {} MB", max / 1_000_000)),
            ImportError::Internal(e) => ApiError::Internal(anyhow::anyhow!(e)),
        }
    }
}

fn field_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    ApiError::BadRequest { code: "invalid_body", message: format!("the multipart body is not readable: {}", e.body_text()), hint: None }
}

/// The form of `POST /imports` (multipart/form-data).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct UploadForm {
    /// The spreadsheet: CSV (UTF-8 or Windows-1252, any of `;` `,` tab `|`) or XLSX.
    #[schema(format = Binary)]
    file: String,
    /// The import target (see `/import_targets`): `students`, `products`, `clients`…
    target: String,
    /// `insert` (default) or `upsert` (update by natural key).
    mode: Option<String>,
    /// JSON `{header: column}`; suggested from the headers when omitted.
    mapping: Option<String>,
    /// The XLSX sheet to read (default: the first).
    sheet: Option<String>,
}

#[utoipa::path(post, path = "/imports", tag = "imports",
    summary = "Upload a spreadsheet into a new import batch; it is validated in the background",
    request_body(content = UploadForm, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 201, description = "the batch (as /imports shows it), validating"),
        (status = 400, description = "unreadable file, unknown target, bad mapping", body = ErrorBody),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "no imports.create or no permission for the target", body = ErrorBody),
        (status = 413, description = "the file is larger than the limit", body = ErrorBody)))]
async fn upload(State(state): State<AppState>, AuthUser(claims): AuthUser, mut form: Multipart) -> Result<Response, ApiError> {
    let limit = state.config.imports.max_bytes;
    let spool = tempfile::Builder::new()
        .prefix("cimiento-import-")
        .tempfile_in(&state.config.imports.spool_dir)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("creating the upload's spool file: {e}")))?;
    let mut upload = Upload::default();
    let mut got_file = false;
    while let Some(mut field) = form.next_field().await.map_err(field_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or("upload.csv").chars().take(255).collect();
            let mut out = tokio::fs::File::from_std(spool.reopen().map_err(|e| ApiError::Internal(e.into()))?);
            let mut written = 0u64;
            while let Some(chunk) = field.chunk().await.map_err(field_error)? {
                written += chunk.len() as u64;
                if written > limit {
                    return Err(ImportError::TooLarge(limit).into());
                }
                out.write_all(&chunk).await.map_err(|e| ApiError::Internal(e.into()))?;
            }
            out.flush().await.map_err(|e| ApiError::Internal(e.into()))?;
            got_file = true;
            continue;
        }
        let text = field.text().await.map_err(field_error)?.trim().to_string();
        let value = (!text.is_empty()).then(|| text.clone());
        match name.as_str() {
            "target" => upload.target = text,
            "mode" => upload.mode = value,
            "sheet" => upload.sheet = value,
            "mapping" => {
                upload.mapping = value
                    .map(|m| serde_json::from_str::<Value>(&m))
                    .transpose()
                    .map_err(|e| ApiError::BadRequest {
                        code: "invalid_mapping",
                        message: format!("mapping is not JSON: {e}"),
                        hint: Some("send {\"header\": \"column\", …}".into()),
                    })?
            }
            other => {
                return Err(ApiError::BadRequest {
                    code: "invalid_body",
                    message: format!("unknown form field {other:?}"),
                    hint: Some("send file, target and optionally mode, mapping, sheet".into()),
                })
            }
        }
    }
    if !got_file || upload.target.is_empty() {
        return Err(ApiError::BadRequest {
            code: "invalid_body",
            message: "a file and a target are required".into(),
            hint: Some("multipart/form-data with the fields file and target".into()),
        });
    }
    let actor = actor_of(&claims)?;
    let mut client = state.db.get().await?;
    let batch = pipeline::stage_file(client.client(), &actor, spool.path(), &upload, |_| {}).await?;
    state.imports.wake();
    Ok((StatusCode::CREATED, axum::Json(batch)).into_response())
}

/// The caller's verified claims, as the background work will act with them.
pub fn actor_of(claims: &AccessClaims) -> Result<Actor, ApiError> {
    Ok(Actor::Claims(serde_json::to_string(claims).map_err(|e| ApiError::Internal(e.into()))?))
}

/// The rows of one page of the errors file.
const ERROR_PAGE: i64 = 1000;

#[utoipa::path(get, path = "/imports/{id}/errors.csv", tag = "imports",
    summary = "The refused rows as the clerk wrote them, each with its errors (CSV, UTF-8 with BOM, the file's delimiter)",
    params(("id" = String, Path, description = "the batch id")), security(("bearer" = [])),
    responses((status = 200, description = "text/csv"), (status = 401, description = "no valid token", body = ErrorBody),
        (status = 404, description = "no such batch for the caller", body = ErrorBody)))]
async fn errors_csv(State(state): State<AppState>, AuthUser(claims): AuthUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id: Uuid = id.parse().map_err(|_| ApiError::bad_request("invalid_id", "the batch id is not a uuid"))?;
    let mut client = state.db.get().await?;
    let tx = db::as_caller(&mut client, &claims, None).await?;
    let row = tx.query_opt("SELECT headers, delimiter, file_name FROM api.imports WHERE id = $1", &[&id]).await?;
    tx.commit().await?;
    let row = row.ok_or_else(|| ApiError::NotFound("import batch not found".into()))?;
    let headers: Vec<String> = row.get(0);
    let delimiter = match row.get::<_, Option<String>>(1).as_deref() {
        Some(";") => b';',
        Some("\t") => b'\t',
        _ => b',',
    };
    let file_name: String = row.get(2);
    // A page at a time, read as the caller, written as it goes.
    let first = {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(&mut out);
        let mut titles = vec!["fila".to_string()];
        titles.extend(headers.iter().cloned());
        titles.push("errores".to_string());
        w.write_record(&titles).map_err(|e| ApiError::Internal(e.into()))?;
        drop(w);
        out
    };
    let pages = futures_util::stream::unfold(Some((client, 0i32, headers, claims)), move |cursor| async move {
        let (mut client, after, headers, claims) = cursor?;
        let page = async {
            let tx = db::as_caller(&mut client, &claims, None).await?;
            let rows = tx
                .query(
                    "SELECT row_no, raw, errors FROM api.import_rows WHERE batch_id = $1 AND errors IS NOT NULL AND row_no > $2
                      ORDER BY row_no LIMIT $3",
                    &[&id, &after, &ERROR_PAGE],
                )
                .await?;
            tx.commit().await?;
            Ok::<_, ApiError>(rows)
        }
        .await;
        let rows = match page {
            Ok(rows) if rows.is_empty() => return None,
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "errors.csv: reading a page failed");
                return Some((Err(std::io::Error::other("reading the errors failed")), None));
            }
        };
        let mut out = Vec::new();
        let mut last = after;
        {
            let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(&mut out);
            for r in &rows {
                last = r.get(0);
                let raw: Value = r.get(1);
                let errors: Value = r.get(2);
                let mut record = vec![last.to_string()];
                record.extend(headers.iter().map(|h| raw.get(h).and_then(Value::as_str).unwrap_or("").to_string()));
                let text = errors
                    .as_object()
                    .map(|o| o.iter().map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or(""))).collect::<Vec<_>>().join("; "))
                    .unwrap_or_default();
                record.push(text);
                if w.write_record(&record).is_err() {
                    return Some((Err(std::io::Error::other("writing the errors failed")), None));
                }
            }
        }
        Some((Ok(out), Some((client, last, headers, claims))))
    });
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) });
    let body = Body::from_stream(futures_util::StreamExt::chain(body, pages));
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let stem: String = file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&file_name).chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{stem}-errores.csv\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
