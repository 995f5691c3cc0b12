//! The sign-in endpoints.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::extractor::{bearer, AuthUser};
use super::password::check_strength;
use super::tokens::{self, AccessClaims, MfaClaims, MfaPurpose};
use tokio_postgres::Row;
use super::{refresh, totp};
use crate::db;
use crate::error::{ApiError, ErrorBody, JsonBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use crate::state::AppState;

const COOKIE: &str = "cimiento_refresh";

/// The sign-in routes, each documented by its handler's `#[utoipa::path]`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(mfa_enroll))
        .routes(routes!(mfa_activate))
        .routes(routes!(mfa_verify))
        .routes(routes!(refresh_tokens))
        .routes(routes!(logout))
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(me))
        .routes(routes!(change_email))
}

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "invalid email or password")
}

fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(500).collect())
}

fn valid_email(email: &str) -> bool {
    let email = email.trim();
    email.len() <= 254
        && email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
        && !email.chars().any(char::is_whitespace)
}

/// The body of every answer that signs in (and of refresh).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Tokens {
    access_token: String,
    /// Always `Bearer`.
    token_type: String,
    /// Seconds until the access token expires.
    expires_in: i64,
    /// Absent when the refresh token travels only in its HttpOnly cookie (`cookie: true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    session_id: Uuid,
    tenant_id: Uuid,
    user_id: Uuid,
    /// The new organisation's subdomain (registration only).
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
}

/// A session's tokens, as returned by every endpoint that signs in (and by refresh).
struct Issued {
    body: Tokens,
    refresh: String,
}

impl Issued {
    fn new(access: String, claims: &tokens::AccessClaims, refresh: String) -> Self {
        Issued {
            body: Tokens {
                access_token: access,
                token_type: "Bearer".into(),
                expires_in: claims.exp - claims.iat,
                refresh_token: Some(refresh.clone()),
                session_id: claims.sid,
                tenant_id: claims.tid,
                user_id: claims.sub,
                slug: None,
            },
            refresh,
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn start_session(
    state: &AppState,
    tenant: Uuid,
    user: Uuid,
    roles: Vec<String>,
    branches: Value,
    grants: Value,
    amr: Vec<String>,
    device: Option<String>,
    ip: &SocketAddr,
    ua: Option<String>,
) -> Result<Issued, ApiError> {
    let rt = refresh::generate(tenant);
    let lifetime = pg_interval_secs(state.config.auth.session_ttl.as_secs());
    let mut db = state.db.get().await?;
    let sid: Uuid = db
        .query_one(
            "SELECT core.auth_start_session($1, $2, $3, $4, $5, $6, $7, $8::text::interval)",
            &[&tenant, &user, &device, &ip.ip().to_string(), &ua, &amr, &rt.hash, &lifetime],
        )
        .await?
        .get(0);
    let (access, claims) = tokens::issue_access(&state.keys(), &state.config.auth, tenant, user, sid, roles, branches, grants, amr)?;
    Ok(Issued::new(access, &claims, rt.token))
}

fn pg_interval_secs(secs: u64) -> String {
    format!("{secs} seconds")
}

/// The response, with the refresh token also as an HttpOnly cookie when asked.
/// The token response; with `cookie` the refresh token travels only in its HttpOnly cookie
/// (a script that can read the body must not get it).
fn respond(state: &AppState, status: StatusCode, mut issued: Issued, cookie: bool) -> Response {
    if cookie {
        issued.body.refresh_token = None;
    }
    let mut res = (status, Json(issued.body)).into_response();
    if cookie {
        let secure = if state.config.auth.cookie_secure { "; Secure" } else { "" };
        let value = format!(
            "{COOKIE}={}; Path=/auth; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
            issued.refresh,
            state.config.auth.session_ttl.as_secs()
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// The client a sign-in attempt is counted for.
fn client(ip: &SocketAddr) -> String {
    ip.ip().to_string()
}

fn throttled(wait: std::time::Duration) -> ApiError {
    ApiError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
}

/// The sign-in row of an account if the password is right. Argon2 runs even for an unknown
/// account (against no hash), so the answer takes as long either way.
async fn password_checked(state: &AppState, tenant: &str, email: &str, password: &str) -> Result<Option<Row>, ApiError> {
    let mut db = state.db.get().await?;
    let row = db
        .query_opt(
            "SELECT tenant_id, tenant_active, user_id, user_active, password_hash, totp_enabled, roles, branches, mfa_required,
                    grants
               FROM core.auth_user_for_login($1, $2)",
            &[&tenant, &email],
        )
        .await?;
    drop(db);
    let hash: Option<String> = row.as_ref().and_then(|r| r.get(4));
    let ok = state.hasher.verify(password.to_string(), hash).await;
    Ok(row.filter(|_| ok))
}

// ---- registration ------------------------------------------------------------------------

#[derive(Deserialize, utoipa::ToSchema)]
struct RegisterReq {
    organization: String,
    email: String,
    password: String,
    full_name: String,
    device_name: Option<String>,
    #[serde(default)]
    cookie: bool,
}

#[utoipa::path(post, path = "/auth/register", tag = "auth",
    summary = "Create an organisation (tenant with a unique subdomain slug), its first branch and its admin",
    request_body = RegisterReq,
    responses((status = 201, description = "signed in", body = Tokens), (status = 400, description = "bad input or weak password", body = ErrorBody), (status = 429, description = "too many attempts", body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<RegisterReq>,
) -> Result<Response, ApiError> {
    state.throttle.attempt(&client(&ip), None).map_err(throttled)?;
    let org = req.organization.trim();
    if org.is_empty() || org.chars().count() > 200 {
        return Err(ApiError::bad_request("invalid_organization", "organization must have 1 to 200 characters"));
    }
    if !valid_email(&req.email) {
        return Err(ApiError::bad_request("invalid_email", "email is not a valid address"));
    }
    let name = req.full_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::bad_request("invalid_full_name", "full_name must have 1 to 200 characters"));
    }
    check_strength(&req.password, &req.email, name)?;
    let hash = state.hasher.hash(req.password.clone()).await?;
    let mut db = state.db.get().await?;
    let row = db
        .query_one(
            "SELECT tenant_id, slug, user_id FROM core.auth_register($1, $1, $2, $3, $4)",
            &[&org, &req.email.trim(), &hash, &name],
        )
        .await?;
    let (tenant, slug, user): (Uuid, String, Uuid) = (row.get(0), row.get(1), row.get(2));
    drop(db);
    let mut issued = start_session(
        &state,
        tenant,
        user,
        vec!["admin".into()],
        json!(["*"]),
        json!({ "admin": ["*"] }),
        vec!["pwd".into()],
        req.device_name,
        &ip,
        user_agent(&headers),
    )
    .await?;
    issued.body.slug = Some(slug.clone());
    tracing::info!(tenant_id = %tenant, slug, "tenant registered");
    Ok(respond(&state, StatusCode::CREATED, issued, req.cookie))
}

// ---- login ---------------------------------------------------------------------------------

#[derive(Deserialize, utoipa::ToSchema)]
struct LoginReq {
    tenant: Option<String>,
    email: String,
    password: String,
    device_name: Option<String>,
    #[serde(default)]
    cookie: bool,
}

/// The tenant of a login: the body, the `X-Tenant-Subdomain` header, or the Host's first label.
fn tenant_of_login(req_tenant: Option<&str>, headers: &HeaderMap) -> Option<String> {
    if let Some(t) = req_tenant.map(str::trim).filter(|t| !t.is_empty()) {
        return Some(t.to_lowercase());
    }
    if let Some(t) = headers.get("x-tenant-subdomain").and_then(|v| v.to_str().ok()).map(str::trim).filter(|t| !t.is_empty()) {
        return Some(t.to_lowercase());
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let host = host.split(':').next()?;
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() >= 3 && labels.iter().any(|l| l.chars().any(|c| c.is_ascii_alphabetic())) {
        Some(labels[0].to_lowercase())
    } else {
        None
    }
}

#[utoipa::path(post, path = "/auth/login", tag = "auth",
    summary = "Sign in; the tenant comes from the body, X-Tenant-Subdomain or the Host's first label",
    request_body = LoginReq,
    responses((status = 200, description = "signed in", body = Tokens), (status = 401, description = "invalid email or password", body = ErrorBody), (status = 429, description = "too many attempts (Retry-After)", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<LoginReq>,
) -> Result<Response, ApiError> {
    let tenant = tenant_of_login(req.tenant.as_deref(), &headers).ok_or_else(|| {
        ApiError::bad_request("missing_tenant", "say which organisation: tenant in the body, X-Tenant-Subdomain, or its subdomain")
    })?;
    let account = format!("{tenant}/{}", req.email.trim().to_lowercase());
    let who = client(&ip);
    state.throttle.attempt(&who, Some(&account)).map_err(throttled)?;
    if req.password.len() > 1024 || req.email.len() > 254 {
        state.throttle.failed(&who, &account);
        return Err(invalid_credentials());
    }
    let row = password_checked(&state, &tenant, &req.email, &req.password).await?;
    let Some(row) = row.filter(|r| r.get::<_, bool>(1) && r.get::<_, bool>(3)) else {
        state.throttle.failed(&who, &account);
        tracing::info!(tenant, "login refused");
        return Err(invalid_credentials());
    };
    state.throttle.succeeded(&who, &account);
    let (tenant_id, user_id): (Uuid, Uuid) = (row.get(0), row.get(2));
    let roles: Vec<String> = row.get(6);
    let from = super::network::client_ip(&headers, Some(ip), state.config.auth.trust_forwarded_for);
    let mut db = state.db.get().await?;
    let allowed: Option<bool> =
        db.query_one("SELECT core.network_allowed($1, $2, $3)", &[&tenant_id, &roles, &from]).await?.get(0);
    drop(db);
    if !allowed.unwrap_or(false) {
        tracing::info!(tenant, "login refused: outside the allowed networks");
        return Err(super::network::outside_allowed_networks());
    }
    let (totp_enabled, mfa_required): (bool, bool) = (row.get(5), row.get(8));
    if totp_enabled || mfa_required {
        let purpose = if totp_enabled { MfaPurpose::Verify } else { MfaPurpose::Enroll };
        let mfa = tokens::issue_mfa(&state.keys(), &state.config.auth, tenant_id, user_id, purpose, req.device_name.clone())?;
        let body = if totp_enabled {
            json!({ "mfa_required": true, "mfa_token": mfa, "next": "/auth/mfa/verify" })
        } else {
            json!({ "mfa_enrollment_required": true, "mfa_token": mfa, "next": "/auth/mfa/enroll" })
        };
        return Ok((StatusCode::OK, Json(body)).into_response());
    }
    let issued = start_session(
        &state,
        tenant_id,
        user_id,
        row.get(6),
        row.get(7),
        row.get(9),
        vec!["pwd".into()],
        req.device_name,
        &ip,
        user_agent(&headers),
    )
    .await?;
    Ok(respond(&state, StatusCode::OK, issued, req.cookie))
}

// ---- TOTP ----------------------------------------------------------------------------------

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct MfaReq {
    mfa_token: Option<String>,
    code: Option<String>,
    /// Enrolling from a signed-in session asks for the password again.
    password: Option<String>,
    #[serde(default)]
    cookie: bool,
}

/// The user an MFA call is for: a signed-in user (bearer token) or an MFA token.
enum MfaCaller {
    Signed(tokens::AccessClaims),
    Partial(MfaClaims),
}

impl MfaCaller {
    fn ids(&self) -> (Uuid, Uuid) {
        match self {
            MfaCaller::Signed(c) => (c.tid, c.sub),
            MfaCaller::Partial(c) => (c.tid, c.sub),
        }
    }
}

async fn mfa_caller(state: &AppState, parts: &axum::http::request::Parts, req: &MfaReq, purpose: MfaPurpose) -> Result<MfaCaller, ApiError> {
    if let Some(token) = req.mfa_token.as_deref() {
        return Ok(MfaCaller::Partial(tokens::verify_mfa(&state.keys(), &state.config.auth, token, purpose)?));
    }
    if bearer(parts)?.is_some() {
        let mut p = parts.clone();
        let AuthUser(claims) = <AuthUser as axum::extract::FromRequestParts<AppState>>::from_request_parts(&mut p, state).await?;
        return Ok(MfaCaller::Signed(claims));
    }
    Err(ApiError::unauthorized("missing_token", "send a bearer token or the mfa_token from /auth/login"))
}

#[utoipa::path(post, path = "/auth/mfa/enroll", tag = "auth", summary = "Start TOTP enrollment (bearer token or mfa_token)",
    request_body(content = MfaReq, description = "mfa_token, or the password again from a signed-in session"),
    security(("bearer" = [])),
    responses((status = 200, description = "secret and otpauth URL"), (status = 409, description = "already active", body = ErrorBody)))]
async fn mfa_enroll(State(state): State<AppState>, request: axum::extract::Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let req: MfaReq = read_json_or_default(body).await?;
    let caller = mfa_caller(&state, &parts, &req, MfaPurpose::Enroll).await?;
    let (tenant, user) = caller.ids();
    // A stolen access token alone must not bind the account to the thief's authenticator;
    // an MFA token was minted by a password sign-in moments ago.
    if let MfaCaller::Signed(claims) = &caller {
        reauthenticate(&state, claims, req.password.as_deref()).await?;
    }
    let mut db = state.db.get().await?;
    let profile = db
        .query_one("SELECT email, tenant_slug FROM core.auth_profile($1, $2)", &[&tenant, &user])
        .await?;
    let (email, slug): (String, String) = (profile.get(0), profile.get(1));
    let (secret, url) = totp::new_secret(&email, &format!("Cimiento ({slug})"))?;
    let stored: bool = db.query_one("SELECT core.auth_totp_set_secret($1, $2, $3)", &[&tenant, &user, &secret]).await?.get(0);
    if !stored {
        return Err(ApiError::Conflict("two-factor authentication is already active".into()));
    }
    Ok(Json(json!({ "secret": secret, "otpauth_url": url, "next": "/auth/mfa/activate" })).into_response())
}

async fn read_json_or_default<T: serde::de::DeserializeOwned + Default>(body: axum::body::Body) -> Result<T, ApiError> {
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map_err(|_| ApiError::bad_request("invalid_body", "the request body is too large"))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(&bytes).map_err(|e| ApiError::bad_request("invalid_body", format!("invalid JSON body: {e}")))
}

/// Checks a code and accepts its time step once. `Ok(false)` for a wrong or replayed code.
async fn accept_code(state: &AppState, tenant: Uuid, user: Uuid, code: &str, activate: bool) -> Result<bool, ApiError> {
    let mut db = state.db.get().await?;
    let row = db.query_one("SELECT secret, enabled FROM core.auth_totp_secret($1, $2)", &[&tenant, &user]).await?;
    let Some(secret): Option<String> = row.get(0) else {
        return Err(ApiError::Conflict("start with /auth/mfa/enroll".into()));
    };
    let now = chrono::Utc::now().timestamp() as u64;
    let Some(step) = totp::matching_step(&secret, code, now)? else { return Ok(false) };
    let accepted: bool = db
        .query_one("SELECT core.auth_totp_accept($1, $2, $3, $4)", &[&tenant, &user, &(step as i64), &activate])
        .await?
        .get(0);
    Ok(accepted)
}

fn wrong_code() -> ApiError {
    ApiError::unauthorized("invalid_code", "the code is wrong, expired or already used")
}

async fn signed_in_after_mfa(
    state: &AppState,
    tenant: Uuid,
    user: Uuid,
    device: Option<String>,
    ip: &SocketAddr,
    headers: &HeaderMap,
    cookie: bool,
) -> Result<Response, ApiError> {
    let mut db = state.db.get().await?;
    let rb = db.query_one("SELECT roles, branches, grants FROM core.auth_roles_and_branches($1, $2)", &[&tenant, &user]).await?;
    drop(db);
    let issued = start_session(
        state,
        tenant,
        user,
        rb.get(0),
        rb.get(1),
        rb.get(2),
        vec!["pwd".into(), "otp".into()],
        device,
        ip,
        user_agent(headers),
    )
    .await?;
    Ok(respond(state, StatusCode::OK, issued, cookie))
}

#[utoipa::path(post, path = "/auth/mfa/activate", tag = "auth", summary = "Confirm TOTP with a code",
    request_body = MfaReq, security(("bearer" = [])),
    responses((status = 200, description = "active (or tokens when called with an mfa_token)"), (status = 401, description = "wrong or replayed code", body = ErrorBody)))]
async fn mfa_activate(
    State(state): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let req: MfaReq = read_json_or_default(body).await?;
    let code = req.code.clone().ok_or_else(|| ApiError::bad_request("missing_code", "code is required"))?;
    let caller = mfa_caller(&state, &parts, &req, MfaPurpose::Enroll).await?;
    let (tenant, user) = caller.ids();
    if !accept_code(&state, tenant, user, &code, true).await? {
        return Err(wrong_code());
    }
    match caller {
        MfaCaller::Signed(_) => Ok(Json(json!({ "totp_enabled": true })).into_response()),
        MfaCaller::Partial(c) => signed_in_after_mfa(&state, tenant, user, c.device, &ip, &parts.headers, req.cookie).await,
    }
}

#[utoipa::path(post, path = "/auth/mfa/verify", tag = "auth", summary = "Finish a login with a TOTP code",
    request_body = MfaReq,
    responses((status = 200, description = "signed in", body = Tokens), (status = 401, description = "wrong or replayed code", body = ErrorBody)))]
async fn mfa_verify(
    State(state): State<AppState>,
    ConnectInfo(ip): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<MfaReq>,
) -> Result<Response, ApiError> {
    let token = req.mfa_token.as_deref().ok_or_else(|| ApiError::bad_request("missing_mfa_token", "mfa_token is required"))?;
    let code = req.code.as_deref().ok_or_else(|| ApiError::bad_request("missing_code", "code is required"))?;
    let claims = tokens::verify_mfa(&state.keys(), &state.config.auth, token, MfaPurpose::Verify)?;
    let (account, who) = (format!("mfa/{}", claims.sub), client(&ip));
    state.throttle.attempt(&who, Some(&account)).map_err(throttled)?;
    if !accept_code(&state, claims.tid, claims.sub, code, false).await? {
        state.throttle.failed(&who, &account);
        return Err(wrong_code());
    }
    state.throttle.succeeded(&who, &account);
    signed_in_after_mfa(&state, claims.tid, claims.sub, claims.device.clone(), &ip, &headers, req.cookie).await
}

// ---- refresh, logout, sessions, me ----------------------------------------------------------

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct RefreshReq {
    refresh_token: Option<String>,
}

#[utoipa::path(post, path = "/auth/refresh", tag = "auth", summary = "Rotate a refresh token (body or cookie)",
    request_body = RefreshReq,
    responses((status = 200, description = "signed in", body = Tokens), (status = 401, description = "invalid, expired or reused (the session is then revoked)", body = ErrorBody), (status = 409, description = "already rotated by a concurrent request", body = ErrorBody)))]
async fn refresh_tokens(State(state): State<AppState>, request: axum::extract::Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let req: RefreshReq = read_json_or_default(body).await?;
    let from_cookie = req.refresh_token.is_none();
    let token = req
        .refresh_token
        .or_else(|| cookie_value(&parts.headers, COOKIE))
        .ok_or_else(|| ApiError::unauthorized("missing_refresh_token", "send refresh_token (or its cookie)"))?;
    let Some(tenant) = refresh::tenant_of(&token) else {
        return Err(ApiError::unauthorized("invalid_refresh_token", "the refresh token is invalid or expired"));
    };
    let next = refresh::generate(tenant);
    let grace = pg_interval_secs(state.config.auth.refresh_grace.as_secs());
    let mut db = state.db.get().await?;
    let row = db
        .query_one(
            "SELECT outcome, session_id, user_id, roles, branches, grants, amr
               FROM core.auth_rotate_refresh($1, $2, $3, $4::text::interval)",
            &[&tenant, &refresh::hash(&token), &next.hash, &grace],
        )
        .await?;
    let outcome: String = row.get(0);
    match outcome.as_str() {
        "ok" => {
            let (sid, user): (Uuid, Uuid) = (row.get(1), row.get(2));
            let (access, claims) =
                tokens::issue_access(
                &state.keys(),
                &state.config.auth,
                tenant,
                user,
                sid,
                row.get(3),
                row.get(4),
                row.get(5),
                row.get(6),
            )?;
            Ok(respond(&state, StatusCode::OK, Issued::new(access, &claims, next.token), from_cookie))
        }
        "reused" => Err(ApiError::Conflict(
            "this refresh token was just rotated by another request; use the newest refresh token".into(),
        )),
        "revoked" => {
            tracing::warn!(tenant_id = %tenant, "refresh token reused after rotation: session revoked");
            Err(ApiError::unauthorized("refresh_token_reused", "this refresh token was already used; the session is revoked"))
        }
        _ => Err(ApiError::unauthorized("invalid_refresh_token", "the refresh token is invalid or expired")),
    }
}

#[utoipa::path(post, path = "/auth/logout", tag = "auth", summary = "Revoke the current session", security(("bearer" = [])),
    responses((status = 204, description = "revoked")))]
async fn logout(State(state): State<AppState>, AuthUser(claims): AuthUser) -> Result<Response, ApiError> {
    let mut db = state.db.get().await?;
    db.query_one(
        "SELECT core.auth_revoke_session($1, $2, $3, false, 'logout')",
        &[&claims.tid, &claims.sid, &claims.sub],
    )
    .await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("cimiento_refresh=; Path=/auth; Max-Age=0; HttpOnly; SameSite=Strict"),
    );
    Ok(res)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SessionsQuery {
    /// Every session of the tenant (needs sessions.manage), not only the caller's.
    #[serde(default)]
    all: bool,
}

#[utoipa::path(get, path = "/auth/sessions", tag = "auth", summary = "Own sessions (?all=true with sessions.manage)",
    params(SessionsQuery), security(("bearer" = [])),
    responses((status = 200, description = "sessions")))]
async fn list_sessions(
    State(state): State<AppState>,
    AuthUser(claims): AuthUser,
    Query(q): Query<SessionsQuery>,
) -> Result<Response, ApiError> {
    let mut db = state.db.get().await?;
    if q.all && !db::caller_has_permission(&mut db, &claims, "sessions.manage").await? {
        return Err(ApiError::Forbidden("permission denied: sessions.manage is required to list other users' sessions".into()));
    }
    let rows = db
        .query(
            "SELECT id, user_id, device_name, ip, user_agent, amr, created_at, last_seen_at, expires_at, revoked_at, revoked_reason
               FROM core.auth_list_sessions($1, $2, $3)",
            &[&claims.tid, &claims.sub, &q.all],
        )
        .await?;
    let sessions: Vec<Value> = rows
        .iter()
        .map(|r| {
            let id: Uuid = r.get(0);
            json!({
                "id": id, "user_id": r.get::<_, Uuid>(1), "device_name": r.get::<_, Option<String>>(2),
                "ip": r.get::<_, Option<String>>(3), "user_agent": r.get::<_, Option<String>>(4),
                "amr": r.get::<_, Vec<String>>(5),
                "created_at": r.get::<_, chrono::DateTime<chrono::Utc>>(6),
                "last_seen_at": r.get::<_, chrono::DateTime<chrono::Utc>>(7),
                "expires_at": r.get::<_, chrono::DateTime<chrono::Utc>>(8),
                "revoked_at": r.get::<_, Option<chrono::DateTime<chrono::Utc>>>(9),
                "revoked_reason": r.get::<_, Option<String>>(10),
                "current": id == claims.sid,
            })
        })
        .collect();
    Ok(Json(sessions).into_response())
}

#[utoipa::path(delete, path = "/auth/sessions/{id}", tag = "auth", summary = "Revoke a session (own, or any of the tenant's with sessions.manage)",
    params(("id" = String, Path, description = "the session id")), security(("bearer" = [])),
    responses((status = 204, description = "revoked"), (status = 404, description = "no such active session", body = ErrorBody)))]
async fn revoke_session(
    State(state): State<AppState>,
    AuthUser(claims): AuthUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::bad_request("invalid_id", "the session id is not a uuid"))?;
    let mut db = state.db.get().await?;
    let may_manage = db::caller_has_permission(&mut db, &claims, "sessions.manage").await?;
    let revoked: bool = db
        .query_one(
            "SELECT core.auth_revoke_session($1, $2, $3, $4, $5)",
            &[&claims.tid, &id, &claims.sub, &may_manage, &format!("revoked by {}", claims.sub)],
        )
        .await?
        .get(0);
    if !revoked {
        return Err(ApiError::NotFound("no active session with that id among yours".into()));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/auth/me", tag = "auth", summary = "The signed-in user", security(("bearer" = [])),
    responses((status = 200, description = "profile and claims")))]
async fn me(State(state): State<AppState>, AuthUser(claims): AuthUser) -> Result<Response, ApiError> {
    let mut db = state.db.get().await?;
    let row = db
        .query_opt(
            "SELECT email, full_name, totp_enabled, tenant_slug, tenant_name, locale FROM core.auth_profile($1, $2)",
            &[&claims.tid, &claims.sub],
        )
        .await?
        .ok_or_else(|| ApiError::NotFound("user not found".into()))?;
    Ok(Json(json!({
        "user_id": claims.sub, "tenant_id": claims.tid, "session_id": claims.sid,
        "email": row.get::<_, String>(0), "full_name": row.get::<_, String>(1), "totp_enabled": row.get::<_, bool>(2),
        "tenant": { "slug": row.get::<_, String>(3), "name": row.get::<_, String>(4), "locale": row.get::<_, String>(5) },
        "roles": claims.roles, "branches": claims.branches, "grants": claims.grants, "amr": claims.amr, "expires_at": claims.exp,
    }))
    .into_response())
}

// ---- re-authentication ------------------------------------------------------------------------

/// Checks the signed-in user's password again (for e-mail changes and TOTP enrollment),
/// throttled like sign-in (the session is the client).
async fn reauthenticate(state: &AppState, claims: &AccessClaims, password: Option<&str>) -> Result<(), ApiError> {
    let Some(password) = password.filter(|p| !p.is_empty() && p.len() <= 1024) else {
        return Err(ApiError::unauthorized("password_required", "confirm with your current password (password)"));
    };
    let mut db = state.db.get().await?;
    let profile = db.query_one("SELECT email, tenant_slug FROM core.auth_profile($1, $2)", &[&claims.tid, &claims.sub]).await?;
    drop(db);
    let (email, slug): (String, String) = (profile.get(0), profile.get(1));
    let (account, who) = (format!("{slug}/{}", email.to_lowercase()), format!("session:{}", claims.sid));
    state.throttle.attempt(&who, Some(&account)).map_err(throttled)?;
    if password_checked(state, &slug, &email, password).await?.is_none() {
        state.throttle.failed(&who, &account);
        return Err(ApiError::unauthorized("invalid_password", "the password is not correct"));
    }
    Ok(())
}

#[derive(Deserialize, utoipa::ToSchema)]
struct EmailReq {
    email: String,
    password: String,
}

/// Changes the caller's own e-mail (where password resets go): needs the password again.
#[utoipa::path(post, path = "/auth/email", tag = "auth", summary = "Change the caller's own e-mail (needs the password again)",
    request_body = EmailReq, security(("bearer" = [])),
    responses((status = 200, description = "changed"), (status = 400, description = "not an e-mail address", body = ErrorBody), (status = 401, description = "wrong password", body = ErrorBody), (status = 409, description = "the address is taken in the tenant", body = ErrorBody)))]
async fn change_email(
    State(state): State<AppState>,
    AuthUser(claims): AuthUser,
    JsonBody(req): JsonBody<EmailReq>,
) -> Result<Response, ApiError> {
    reauthenticate(&state, &claims, Some(&req.password)).await?;
    let mut db = state.db.get().await?;
    db.query_one("SELECT core.auth_change_email($1, $2, $3)", &[&claims.tid, &claims.sub, &req.email]).await?;
    Ok(Json(json!({ "email": req.email.trim() })).into_response())
}
