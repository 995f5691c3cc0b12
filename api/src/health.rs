//! Liveness (`/health`) and readiness (`/ready`).
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use serde_json::json;

use crate::error::{db_error_text, ErrorBody, LoggedCause};
use crate::state::AppState;

/// `/health` and `/ready`, documented by their handlers.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(ready))
}

/// The process is alive and serving.
#[utoipa::path(get, path = "/health", tag = "health", summary = "The process is alive", responses((status = 200, description = "ok")))]
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

async fn check_database(state: &AppState) -> Result<String, String> {
    let client = state.db.get().await.map_err(|e| format!("pool: {e}"))?;
    let row = client
        .query_one("select cimiento.version()", &[])
        .await
        .map_err(|e| format!("query: {}", db_error_text(&e)))?;
    Ok(row.get::<_, String>(0))
}

async fn check_postgrest(state: &AppState) -> Result<(), String> {
    let url = format!("{}/", state.config.postgrest_url);
    let res = state.http.get(&url).send().await.map_err(|e| format!("{url}: {e}"))?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("{url}: HTTP {}", res.status()))
    }
}

/// Ready when the database answers (with the extension installed) and PostgREST answers.
#[utoipa::path(get, path = "/ready", tag = "health", summary = "Database and PostgREST reachable",
    responses((status = 200, description = "ready"), (status = 503, description = "not ready, with the reason", body = ErrorBody)))]
async fn ready(State(state): State<AppState>) -> Response {
    let (db, rest) = tokio::join!(check_database(&state), check_postgrest(&state));
    match (&db, &rest) {
        (Ok(version), Ok(())) => Json(json!({
            "status": "ready",
            "database": "ok",
            "extension_version": version,
            "postgrest": "ok",
        }))
        .into_response(),
        _ => {
            let mut failing = Vec::new();
            let mut causes = Vec::new();
            if let Err(e) = &db {
                failing.push("database");
                causes.push(format!("database: {e}"));
            }
            if let Err(e) = &rest {
                failing.push("postgrest");
                causes.push(format!("postgrest: {e}"));
            }
            let body = ErrorBody {
                code: "unavailable".into(),
                message: format!("not ready: {} not reachable", failing.join(" and ")),
                details: Some(format!(
                    "database={} postgrest={}",
                    if db.is_ok() { "ok" } else { "down" },
                    if rest.is_ok() { "ok" } else { "down" }
                )),
                hint: None,
            };
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
            response.extensions_mut().insert(LoggedCause(causes.join("; ")));
            response
        }
    }
}

