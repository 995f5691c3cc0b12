//! The one error type of the service and its JSON shape.
//!
//! Every error leaves as PostgREST's shape `{"code","message","details","hint"}` with a
//! meaningful status. 5xx bodies never carry internals: the internal cause travels in a
//! response extension and is logged once, by [`log_errors`].
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error a handler can return.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String, hint: Option<String> },
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than the route accepts: 413.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body is not JSON (no `Content-Type: application/json`): 415.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// What was asked for is not available yet (409), perhaps after `retry_after_secs`.
    #[error("{message}")]
    NotReady { code: &'static str, message: String, retry_after_secs: Option<u64> },
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A dependency is down; `reason` is safe to show (no internals).
    #[error("{reason}")]
    Unavailable { reason: String, cause: String },
    /// A database error: its SQLSTATE decides the status, as PostgREST does.
    #[error("database error")]
    Database(#[from] tokio_postgres::Error),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// The body every error response carries (PostgREST's shape).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    pub details: Option<String>,
    pub hint: Option<String>,
}

/// The internal cause of a failed request, carried to [`log_errors`] in the response.
#[derive(Clone, Debug)]
pub struct LoggedCause(pub String);

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::BadRequest { code, message: message.into(), hint: None }
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Unauthorized { code, message: message.into() }
    }

    /// Status, body and the internal cause to log (if any).
    fn parts(&self) -> (StatusCode, ErrorBody, Option<String>) {
        let body = |code: &str, message: String| ErrorBody {
            code: code.to_string(),
            message,
            details: None,
            hint: None,
        };
        match self {
            ApiError::BadRequest { code, message, hint } => {
                let mut b = body(code, message.clone());
                b.hint = hint.clone();
                (StatusCode::BAD_REQUEST, b, None)
            }
            ApiError::Unauthorized { code, message } => (StatusCode::UNAUTHORIZED, body(code, message.clone()), None),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, body("forbidden", m.clone()), None),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, body("not_found", m.clone()), None),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, body("conflict", m.clone()), None),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, body("payload_too_large", m.clone()), None),
            ApiError::UnsupportedMediaType(m) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, body("unsupported_media_type", m.clone()), None)
            }
            ApiError::NotReady { code, message, .. } => (StatusCode::CONFLICT, body(code, message.clone()), None),
            ApiError::RateLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, body("rate_limited", self.to_string()), None)
            }
            ApiError::Unavailable { reason, cause } => (
                StatusCode::SERVICE_UNAVAILABLE,
                body("unavailable", reason.clone()),
                Some(cause.clone()),
            ),
            ApiError::Database(e) => database_parts(e),
            ApiError::Internal(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                body("internal", "internal error".into()),
                Some(format!("{e:#}")),
            ),
        }
    }
}

/// What a client may read of a database error. PostgreSQL's `detail` is never echoed (for a
/// constraint it holds the failing row: hashes, secrets); a constraint violation is named
/// by its constraint, which says which rule the input broke.
fn client_message(db: &tokio_postgres::error::DbError) -> String {
    match (db.code().code(), db.constraint()) {
        ("23514", Some(c)) => format!("invalid value: the rule {c} is not met"),
        ("23505", Some(c)) => format!("already exists: {c}"),
        ("23503", Some(c)) => format!("refers to something that does not exist: {c}"),
        ("23502", _) => format!("{} is required", db.column().unwrap_or("a value")),
        _ => db.message().to_string(),
    }
}

/// Maps a database error to a status the way PostgREST does; the SQL message is shown
/// only for errors raised on purpose by our functions (client errors), never for 5xx.
fn database_parts(e: &tokio_postgres::Error) -> (StatusCode, ErrorBody, Option<String>) {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        let status = sqlstate_status(code);
        if status.is_client_error() {
            return (
                status,
                ErrorBody { code: code.to_string(), message: client_message(db), details: None, hint: db.hint().map(str::to_string) },
                None,
            );
        }
    }
    // Connection-level failures are "unavailable"; anything else is our bug.
    let unavailable = e.is_closed()
        || e.as_db_error().is_none()
        || e.as_db_error().map(|d| sqlstate_status(d.code().code())) == Some(StatusCode::SERVICE_UNAVAILABLE);
    let (status, code, message) = if unavailable {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the database could not complete the request")
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    };
    (
        status,
        ErrorBody { code: code.into(), message: message.into(), details: None, hint: None },
        Some(db_error_text(e)),
    )
}

/// A database error with its SQLSTATE and message (for logs; `Display` says only "db error").
pub fn db_error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({}): {}", db.severity(), db.code().code(), db.message()),
        None => format!("{e:#}"),
    }
}

/// PostgREST's SQLSTATE → HTTP status table (the part we use).
pub fn sqlstate_status(code: &str) -> StatusCode {
    match code {
        "23503" => StatusCode::CONFLICT,
        "23505" => StatusCode::CONFLICT,
        "25006" => StatusCode::METHOD_NOT_ALLOWED,
        "42501" => StatusCode::FORBIDDEN,
        "P0002" => StatusCode::NOT_FOUND,
        "28000" | "28P01" => StatusCode::FORBIDDEN,
        c if c.starts_with("PT") && c.len() == 5 => c[2..]
            .parse::<u16>()
            .ok()
            .and_then(|n| StatusCode::from_u16(n).ok())
            .unwrap_or(StatusCode::BAD_REQUEST),
        c if c.starts_with("22") || c.starts_with("23") || c.starts_with("P0") => {
            StatusCode::BAD_REQUEST
        }
        c if c.starts_with("08") || c.starts_with("53") || c.starts_with("57") => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        "40001" | "40P01" => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(db) => ApiError::Database(db),
            other => ApiError::Unavailable {
                reason: "the database is not reachable".into(),
                cause: other.to_string(),
            },
        }
    }
}

/// axum's JSON extractor refuses a body in plain text; the service answers in PostgREST's
/// shape: 415 without a JSON content type, 413 for a body over the limit, 400 `invalid_body`
/// naming what is wrong (serde's message: the field and position, never the body itself).
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::UnsupportedMediaType("send the body as JSON (Content-Type: application/json)".into())
            }
            // A body sent without its length (chunked) that outgrows the limit while read.
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge("the body is larger than this route accepts".into())
            }
            other => ApiError::bad_request("invalid_body", other.body_text()),
        }
    }
}

/// A JSON request body whose refusal is an [`ApiError`] (see `From<JsonRejection>`); use it
/// instead of `axum::Json` to read bodies.
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(JsonBody(value))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body, cause) = self.parts();
        let mut response = (status, axum::Json(body)).into_response();
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs } => Some(retry_after_secs),
            ApiError::NotReady { retry_after_secs, .. } => retry_after_secs,
            _ => None,
        };
        if let Some(secs) = retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("retry-after", v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        if let Some(cause) = cause {
            response.extensions_mut().insert(LoggedCause(cause));
        }
        response
    }
}

/// Logs each failed request once, inside the request's span (request id, tenant id).
pub async fn log_errors(req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let status = response.status();
    if status.is_server_error() {
        let cause = response.extensions().get::<LoggedCause>().map(|c| c.0.as_str()).unwrap_or("-");
        tracing::error!(%method, %path, status = status.as_u16(), cause, "request failed");
    } else if status.is_client_error() {
        tracing::info!(%method, %path, status = status.as_u16(), "request refused");
    }
    response
}

/// What axum and tower-http answer by themselves — no route for the path (404), a method the
/// path does not take (405, with its `Allow` header), a body over the route's limit (413,
/// in plain text) — left without the service's shape; this middleware gives it to them. A
/// response that already carries JSON (every [`ApiError`]) passes untouched, and a body the
/// framework wrote is never echoed.
pub async fn shape_framework_errors(req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    let response = next.run(req).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found".to_string(), "there is nothing at this path".to_string()),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed".to_string(), format!("this path does not take {method}")),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("payload_too_large".to_string(), "the body is larger than this route accepts".to_string())
        }
        s if s.is_server_error() => ("internal".to_string(), "internal error".to_string()),
        s => {
            let reason = s.canonical_reason().unwrap_or("refused");
            (reason.to_lowercase().replace(' ', "_"), reason.to_lowercase())
        }
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = ErrorBody { code, message, details: None, hint: None };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlstates_map_like_postgrest() {
        assert_eq!(sqlstate_status("42501"), StatusCode::FORBIDDEN);
        assert_eq!(sqlstate_status("23505"), StatusCode::CONFLICT);
        assert_eq!(sqlstate_status("P0002"), StatusCode::NOT_FOUND);
        assert_eq!(sqlstate_status("22023"), StatusCode::BAD_REQUEST);
        assert_eq!(sqlstate_status("PT401"), StatusCode::UNAUTHORIZED);
        assert_eq!(sqlstate_status("XX000"), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let e = ApiError::Internal(anyhow::anyhow!("secret connection string"));
        let (status, body, cause) = e.parts();
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body.message.contains("secret"));
        assert!(cause.unwrap().contains("secret"));
    }
}
