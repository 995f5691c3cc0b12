//! `cimiento-api`: the thin HTTP service in front of Cimiento's database, as a library —
//! [`app`] is every route, so handlers are tested in-process (`api/tests/in_process.rs`,
//! `tower::ServiceExt::oneshot`); the binary (`main.rs`) only runs [`cli::main`].
//!
//!
//! - [`config`]: every setting, a flag and an environment variable (clap).
//! - [`error`]: the one error type, rendered in PostgREST's `{code,message,details,hint}` shape.
//! - [`state`]: what every handler shares (database pool, keys, password hasher, limiters).
//! - [`telemetry`]: tracing with a request id (and tenant id) on every span.
//! - [`db`]: transactions that act as the caller, so row-level security decides.
//! - [`health`]: `/health` and `/ready`.
//! - [`metrics`]: `/metrics`, Prometheus text (requests, pool, PDFs, event streams, database health).
//! - [`keys`]: the RSA signing keys and the JWKS document.
//! - [`auth`]: sign-in, tokens, refresh rotation, sessions, TOTP, the `AuthUser` extractor.
//! - [`events`]: `GET /events`, what the caller may see happen, as Server-Sent Events.
//! - [`imports`]: bulk imports — `POST /imports`, the errors file, the background worker, the command.
//! - [`fiscal`]: the fiscal send queue's driver and its pluggable [`fiscal::Sender`].
//! - [`pdf`]: invoice PDFs (askama + warm WeasyPrint), stored once, served byte for byte.
//! - [`openapi`]: `/openapi.json`, generated from the routes (utoipa).
//! - [`cli`]: the process entry points (`serve`, `import`, `keys`, `hash-password`).
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod fiscal;
pub mod health;
pub mod imports;
pub mod keys;
pub mod metrics;
pub mod openapi;
pub mod pdf;
pub mod state;
pub mod telemetry;

use axum::Router;
use state::AppState;

/// Every route of the service, each area contributing its own router; the OpenAPI document
/// is generated from the same routes.
pub fn app(state: AppState) -> Router {
    let (routes, mut document) = openapi::routes()
        .merge(health::router())
        .merge(metrics::router())
        .merge(keys::router())
        .merge(auth::router())
        .merge(pdf::router())
        .merge(events::router())
        .split_for_parts();
    // Uploads stream up to their own limit (config `imports.max_bytes`); every other body 1 MB.
    let (uploads, upload_docs) = imports::router().split_for_parts();
    document.merge(upload_docs);
    routes
        .layer(tower_http::limit::RequestBodyLimitLayer::new(1024 * 1024))
        .merge(uploads)
        .merge(openapi::router(document))
        .route_layer(axum::middleware::from_fn(metrics::track))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(error::shape_framework_errors))
        .layer(axum::middleware::from_fn(error::log_errors))
        .layer(telemetry::layer())
}
