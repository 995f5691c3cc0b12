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

/// The extension's version and the `cimiento.health()` checks (name → status), or why the
/// database could not be asked.
async fn check_database(state: &AppState) -> Result<(String, serde_json::Map<String, serde_json::Value>), String> {
    let mut client = state.db.get().await.map_err(|e| format!("pool: {e}"))?;
    let rows = client
        .query("SELECT cimiento.version(), h.check_name, h.status FROM cimiento.health() h", &[])
        .await
        .map_err(|e| format!("query: {}", db_error_text(&e)))?;
    let version = rows.first().map(|r| r.get::<_, String>(0)).unwrap_or_default();
    let checks = rows.iter().map(|r| (r.get::<_, String>(1), json!(r.get::<_, String>(2)))).collect();
    Ok((version, checks))
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

/// Ready when the database answers (with the extension installed), none of its
/// `cimiento.health()` checks fails, and PostgREST answers.
#[utoipa::path(get, path = "/ready", tag = "health", summary = "Database healthy and PostgREST reachable",
    responses((status = 200, description = "ready"), (status = 503, description = "not ready, with the reason", body = ErrorBody)))]
async fn ready(State(state): State<AppState>) -> Response {
    let (db, rest) = tokio::join!(check_database(&state), check_postgrest(&state));
    let failing_checks: Vec<String> = match &db {
        Ok((_, checks)) => checks.iter().filter(|(_, s)| *s == "fail").map(|(c, _)| c.clone()).collect(),
        Err(_) => Vec::new(),
    };
    match (&db, &rest) {
        (Ok((version, checks)), Ok(())) if failing_checks.is_empty() => Json(json!({
            "status": "ready",
            "database": "ok",
            "extension_version": version,
            "checks": checks,
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
            if !failing_checks.is_empty() {
                failing.push("database health");
                causes.push(format!("failing checks: {}", failing_checks.join(", ")));
            }
            if let Err(e) = &rest {
                failing.push("postgrest");
                causes.push(format!("postgrest: {e}"));
            }
            let body = ErrorBody {
                code: "unavailable".into(),
                message: format!("not ready: {} not ok", failing.join(" and ")),
                details: Some(format!(
                    "database={} postgrest={}{}",
                    if db.is_ok() { "ok" } else { "down" },
                    if rest.is_ok() { "ok" } else { "down" },
                    if failing_checks.is_empty() { String::new() } else { format!(" failing={}", failing_checks.join(",")) }
                )),
                hint: (!failing_checks.is_empty()).then(|| "SELECT * FROM cimiento.health() shows each check".into()),
            };
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
            response.extensions_mut().insert(LoggedCause(causes.join("; ")));
            response
        }
    }
}

