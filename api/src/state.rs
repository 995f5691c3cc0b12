//! What every handler shares.
use std::sync::Arc;

use anyhow::{Context, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Timeouts};

use crate::config::Config;
use crate::keys::KeySet;

/// Shared, cheaply clonable application state.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Pool,
    pub http: reqwest::Client,
    pub keys: Arc<KeySet>,
}

impl AppState {
    /// Builds the pool (lazily connecting) and loads the signing keys.
    pub fn new(config: Config) -> Result<Self> {
        let pg: tokio_postgres::Config = config
            .database_url
            .parse()
            .context("CIMIENTO_API_DATABASE_URL is not a valid connection string")?;
        let mut pg = pg;
        pg.application_name("cimiento-api");
        pg.connect_timeout(config.db_timeout);
        // Every statement is bounded; a stuck query can't hold a pooled connection forever.
        pg.options(&format!("-c statement_timeout={}", config.db_timeout.as_millis()));
        let manager = Manager::from_config(
            pg,
            tokio_postgres::NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let db = Pool::builder(manager)
            .max_size(config.db_pool_size)
            .runtime(Runtime::Tokio1)
            .timeouts(Timeouts {
                wait: Some(config.db_timeout),
                create: Some(config.db_timeout),
                recycle: Some(config.db_timeout),
            })
            .build()
            .context("building the database pool")?;
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(3))
            .build()
            .context("building the HTTP client")?;
        let keys = KeySet::load(&config.keys_dir)?;
        Ok(Self { config: Arc::new(config), db, http, keys: Arc::new(keys) })
    }
}
