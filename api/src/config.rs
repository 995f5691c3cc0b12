//! Typed configuration, read once from the environment at start-up.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

/// Everything the service needs to know about its surroundings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on (`CIMIENTO_API_ADDR`, default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// Connection string for the `cimiento_api` login role (`CIMIENTO_API_DATABASE_URL`).
    pub database_url: String,
    /// Base URL of PostgREST, used by `/ready` (`POSTGREST_URL`).
    pub postgrest_url: String,
    /// Folder with the RSA signing keys (`CIMIENTO_KEYS_DIR`).
    pub keys_dir: PathBuf,
    /// Maximum connections in the database pool (`CIMIENTO_API_DB_POOL`, default 16).
    pub db_pool_size: usize,
    /// Time to wait for a pooled connection or a statement (`CIMIENTO_API_DB_TIMEOUT_MS`).
    pub db_timeout: Duration,
    /// Token settings.
    pub auth: AuthConfig,
    /// PDF settings.
    pub pdf: PdfConfig,
}

/// Document rendering settings.
#[derive(Clone, Debug)]
pub struct PdfConfig {
    /// Python with WeasyPrint (`CIMIENTO_PDF_PYTHON`, default Debian's `/usr/bin/python3`).
    pub python: String,
    /// Warm WeasyPrint workers, i.e. renders at once (`CIMIENTO_PDF_WORKERS`, default 2).
    pub workers: usize,
    /// Deadline of one render before its worker is replaced (`CIMIENTO_PDF_TIMEOUT_SECS`, default 20).
    pub timeout: Duration,
    /// Render right after an invoice is issued (`CIMIENTO_PDF_RENDER_ON_ISSUE`, default true);
    /// otherwise on first download.
    pub render_on_issue: bool,
}

/// Sign-in settings.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// `iss` of every token (`CIMIENTO_JWT_ISSUER`, default `cimiento`).
    pub issuer: String,
    /// `aud` of access tokens, checked by PostgREST too (`CIMIENTO_JWT_AUDIENCE`, default `cimiento`).
    pub audience: String,
    /// Access token lifetime (`CIMIENTO_ACCESS_TTL_SECS`, default 900).
    pub access_ttl: Duration,
    /// Session and refresh token lifetime (`CIMIENTO_SESSION_TTL_DAYS`, default 30).
    pub session_ttl: Duration,
    /// A rotated refresh token used again within this window is a race, not theft
    /// (`CIMIENTO_REFRESH_GRACE_SECS`, default 30).
    pub refresh_grace: Duration,
    /// Clock skew tolerated when checking `exp`/`nbf` (`CIMIENTO_JWT_LEEWAY_SECS`, default 30).
    pub leeway_secs: u64,
    /// Failed logins per account from one client before 429 (`CIMIENTO_LOGIN_MAX_FAILURES`,
    /// default 5) …
    pub account_max_failures: u32,
    /// … and from all clients together (`CIMIENTO_LOGIN_ACCOUNT_CEILING`, default 50) …
    pub account_ceiling: u32,
    /// … within this window (`CIMIENTO_LOGIN_WINDOW_SECS`, default 900).
    pub account_window: Duration,
    /// Login attempts per client IP per minute (`CIMIENTO_LOGIN_PER_IP_PER_MIN`, default 30).
    pub ip_per_minute: u32,
    /// Concurrent argon2 computations (`CIMIENTO_ARGON2_CONCURRENCY`, default 4).
    pub argon2_concurrency: usize,
    /// `Secure` on the refresh cookie (`CIMIENTO_COOKIE_SECURE`, default true).
    pub cookie_secure: bool,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn required(name: &str) -> Result<String> {
    var(name).with_context(|| format!("environment variable {name} is required"))
}

fn parsed<T: std::str::FromStr>(name: &str, default: T) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|e| anyhow::anyhow!("environment variable {name}={v:?} is invalid: {e}")),
    }
}

impl AuthConfig {
    pub fn from_env() -> Result<Self> {
        Ok(Self {
            issuer: var("CIMIENTO_JWT_ISSUER").unwrap_or_else(|| "cimiento".into()),
            audience: var("CIMIENTO_JWT_AUDIENCE").unwrap_or_else(|| "cimiento".into()),
            access_ttl: Duration::from_secs(parsed("CIMIENTO_ACCESS_TTL_SECS", 900u64)?),
            session_ttl: Duration::from_secs(parsed("CIMIENTO_SESSION_TTL_DAYS", 30u64)? * 86_400),
            refresh_grace: Duration::from_secs(parsed("CIMIENTO_REFRESH_GRACE_SECS", 30u64)?),
            leeway_secs: parsed("CIMIENTO_JWT_LEEWAY_SECS", 30u64)?,
            account_max_failures: parsed("CIMIENTO_LOGIN_MAX_FAILURES", 5u32)?,
            account_ceiling: parsed("CIMIENTO_LOGIN_ACCOUNT_CEILING", 50u32)?,
            account_window: Duration::from_secs(parsed("CIMIENTO_LOGIN_WINDOW_SECS", 900u64)?),
            ip_per_minute: parsed("CIMIENTO_LOGIN_PER_IP_PER_MIN", 30u32)?,
            argon2_concurrency: parsed("CIMIENTO_ARGON2_CONCURRENCY", 4usize)?.max(1),
            cookie_secure: parsed("CIMIENTO_COOKIE_SECURE", true)?,
        })
    }
}

impl Config {
    /// Reads the configuration, naming the variable that is missing or malformed.
    pub fn from_env() -> Result<Self> {
        Ok(Self {
            listen: parsed("CIMIENTO_API_ADDR", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            database_url: required("CIMIENTO_API_DATABASE_URL")?,
            postgrest_url: var("POSTGREST_URL")
                .unwrap_or_else(|| "http://127.0.0.1:3000".into())
                .trim_end_matches('/')
                .to_string(),
            keys_dir: PathBuf::from(required("CIMIENTO_KEYS_DIR")?),
            db_pool_size: parsed("CIMIENTO_API_DB_POOL", 16usize)?,
            db_timeout: Duration::from_millis(parsed("CIMIENTO_API_DB_TIMEOUT_MS", 5000u64)?),
            auth: AuthConfig::from_env()?,
            pdf: PdfConfig {
                python: var("CIMIENTO_PDF_PYTHON").unwrap_or_else(|| "/usr/bin/python3".into()),
                workers: parsed("CIMIENTO_PDF_WORKERS", 2usize)?.max(1),
                timeout: Duration::from_secs(parsed("CIMIENTO_PDF_TIMEOUT_SECS", 20u64)?),
                render_on_issue: parsed("CIMIENTO_PDF_RENDER_ON_ISSUE", true)?,
            },
        })
    }
}
