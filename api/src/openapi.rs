//! `GET /openapi.json`, generated from the routes: every area's router is a utoipa-axum
//! `OpenApiRouter` whose handlers carry `#[utoipa::path]`, so a route is served and
//! documented by the same declaration ([`crate::app`] splits them). PostgREST documents the
//! business REST API at its own root.
use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::error::ErrorBody;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cimiento api",
        description = "Sign-in (argon2id, RS256 JWT, refresh rotation, sessions per device, TOTP), health, and invoice PDFs. Errors use PostgREST's shape {code, message, details, hint}. The business REST API is PostgREST's, documented at its own root."
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerToken)
)]
struct ApiDoc;

/// The `bearer` security scheme the authenticated routes name.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()));
    }
}

/// The router the areas' routes are merged into, carrying the document's header.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
}

/// Serves the document generated from the routes.
pub fn router(document: Document) -> Router<AppState> {
    let document = Arc::new(document);
    Router::new().route("/openapi.json", get(move || async move { Json(Document::clone(&document)) }))
}
