//! `GET /openapi.json`: the api's own endpoints (PostgREST documents the REST API at its `/`).
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn body(props: Value, required: &[&str]) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": props, "required": required } } } })
}

fn tokens() -> Value {
    json!({ "description": "signed in", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Tokens" } } } })
}

pub fn document() -> Value {
    let s = |t: &str| json!({ "type": t });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Cimiento api",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Sign-in (argon2id, RS256 JWT, refresh rotation, sessions per device, TOTP), health, and invoice PDFs. Errors use PostgREST's shape {code, message, details, hint}. The business REST API is PostgREST's, documented at its own root."
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } },
            "schemas": {
                "Error": { "type": "object", "properties": { "code": s("string"), "message": s("string"), "details": s("string"), "hint": s("string") } },
                "Tokens": { "type": "object", "properties": {
                    "access_token": s("string"), "token_type": s("string"), "expires_in": s("integer"),
                    "refresh_token": s("string"), "session_id": s("string"), "tenant_id": s("string"), "user_id": s("string") } }
            }
        },
        "paths": {
            "/health": { "get": { "summary": "The process is alive", "responses": { "200": { "description": "ok" } } } },
            "/ready": { "get": { "summary": "Database and PostgREST reachable", "responses": { "200": { "description": "ready" }, "503": error_response("not ready, with the reason") } } },
            "/.well-known/jwks.json": { "get": { "summary": "Public keys that verify access tokens", "responses": { "200": { "description": "JWKS" } } } },
            "/auth/register": { "post": {
                "summary": "Create an organisation (tenant with a unique subdomain slug), its first branch and its admin",
                "requestBody": body(json!({ "organization": s("string"), "email": s("string"), "password": s("string"), "full_name": s("string"), "device_name": s("string"), "cookie": s("boolean") }), &["organization", "email", "password", "full_name"]),
                "responses": { "201": tokens(), "400": error_response("bad input or weak password"), "429": error_response("too many attempts") } } },
            "/auth/login": { "post": {
                "summary": "Sign in; the tenant comes from the body, X-Tenant-Subdomain or the Host's first label",
                "requestBody": body(json!({ "tenant": s("string"), "email": s("string"), "password": s("string"), "device_name": s("string"), "cookie": s("boolean") }), &["email", "password"]),
                "responses": { "200": tokens(), "401": error_response("invalid email or password"), "429": error_response("too many attempts (Retry-After)") } } },
            "/auth/mfa/enroll": { "post": { "summary": "Start TOTP enrollment (bearer token or mfa_token)", "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "secret and otpauth URL" }, "409": error_response("already active") } } },
            "/auth/mfa/activate": { "post": { "summary": "Confirm TOTP with a code", "security": [{ "bearer": [] }],
                "requestBody": body(json!({ "code": s("string"), "mfa_token": s("string") }), &["code"]),
                "responses": { "200": { "description": "active (or tokens when called with an mfa_token)" }, "401": error_response("wrong or replayed code") } } },
            "/auth/mfa/verify": { "post": { "summary": "Finish a login with a TOTP code",
                "requestBody": body(json!({ "mfa_token": s("string"), "code": s("string") }), &["mfa_token", "code"]),
                "responses": { "200": tokens(), "401": error_response("wrong or replayed code") } } },
            "/auth/refresh": { "post": { "summary": "Rotate a refresh token (body or cookie)",
                "requestBody": body(json!({ "refresh_token": s("string") }), &[]),
                "responses": { "200": tokens(), "401": error_response("invalid, expired or reused (the session is then revoked)"), "409": error_response("already rotated by a concurrent request") } } },
            "/auth/logout": { "post": { "summary": "Revoke the current session", "security": [{ "bearer": [] }], "responses": { "204": { "description": "revoked" } } } },
            "/auth/sessions": { "get": { "summary": "Own sessions (?all=true with sessions.manage)", "security": [{ "bearer": [] }], "responses": { "200": { "description": "sessions" } } } },
            "/auth/sessions/{id}": { "delete": { "summary": "Revoke a session (own, or any of the tenant's with sessions.manage)", "security": [{ "bearer": [] }],
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": s("string") }],
                "responses": { "204": { "description": "revoked" }, "404": error_response("no such active session") } } },
            "/auth/me": { "get": { "summary": "The signed-in user", "security": [{ "bearer": [] }], "responses": { "200": { "description": "profile and claims" } } } },
            "/auth/email": { "post": { "summary": "Change the caller's own e-mail (needs the password again)", "security": [{ "bearer": [] }],
                "requestBody": body(json!({ "email": s("string"), "password": s("string") }), &["email", "password"]),
                "responses": { "200": { "description": "changed" }, "400": error_response("not an e-mail address"), "401": error_response("wrong password"), "409": error_response("the address is taken in the tenant") } } },
            "/invoices/{id}/pdf": { "get": { "summary": "The invoice or credit note as PDF (rendered once, then served byte for byte; ETag = sha256)", "security": [{ "bearer": [] }],
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": s("string") }],
                "responses": { "200": { "description": "application/pdf" }, "304": { "description": "not modified" }, "401": error_response("no valid token"), "404": error_response("no such invoice for the caller") } } },
            "/invoices/{id}/html": { "get": { "summary": "The same document as the HTML the PDF is rendered from (preview)", "security": [{ "bearer": [] }],
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": s("string") }],
                "responses": { "200": { "description": "text/html" }, "401": error_response("no valid token"), "404": error_response("no such invoice for the caller") } } }
        }
    })
}
