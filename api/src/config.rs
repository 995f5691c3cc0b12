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
        })
    }
}
