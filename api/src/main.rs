//! `cimiento-api`: the thin HTTP service in front of Cimiento's database.
//!
//! - [`config`]: typed configuration from the environment.
//! - [`error`]: the one error type, rendered in PostgREST's `{code,message,details,hint}` shape.
//! - [`state`]: what every handler shares (database pool, HTTP client, keys).
//! - [`telemetry`]: tracing with a request id (and tenant id) on every span.
//! - [`health`]: `/health` and `/ready`.
//! - [`keys`]: the RSA signing keys and the JWKS document.
//! - [`cli`]: the process entry points (`serve`, `jwks`, `hash-password`).
mod cli;
mod config;
mod error;
mod health;
mod keys;
mod state;
mod telemetry;

use axum::Router;
use state::AppState;

/// Every route of the service, each area contributing its own router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(keys::router())
        .with_state(state.clone())
        .layer(telemetry::layer())
        .layer(axum::middleware::from_fn(error::log_errors))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    cli::main().await
}
