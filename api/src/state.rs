//! What every handler shares.
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, Result};
use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod, Runtime, Timeouts};
use secrecy::ExposeSecret;

use crate::auth::{Hasher, LoginThrottle};
use crate::config::Config;
use crate::keys::KeySet;
use crate::pdf::{Flights, Renderer};

/// Shared, cheaply clonable application state.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: crate::db::Pool,
    pub http: reqwest::Client,
    keys: Arc<RwLock<Arc<KeySet>>>,
    pub hasher: Hasher,
    /// Sign-in throttling (per client, per account and client, per account).
    pub throttle: Arc<LoginThrottle>,
    /// Warm WeasyPrint workers.
    pub renderer: Arc<Renderer>,
    /// Documents being rendered (one render per document at a time).
    pub flights: Arc<Flights>,
    /// Renders started by the listener, not by a download: at most all workers but one, so
    /// a backlog (or a stream of documents that time out) never takes every worker.
    pub background_renders: Arc<tokio::sync::Semaphore>,
    /// Wakes the open event streams of a tenant when its events commit.
    pub events: crate::events::EventHub,
    /// Wakes the import workers when a batch is uploaded here.
    pub imports: crate::imports::Wake,
}

impl AppState {
    /// Builds the pool (lazily connecting) and loads the signing keys.
    pub fn new(config: Config) -> Result<Self> {
        let mut pg: tokio_postgres::Config = config
            .database_url
            .expose_secret()
            .parse()
            .context("CIMIENTO_API_DATABASE_URL is not a valid connection string")?;
        pg.application_name("cimiento-api");
        pg.connect_timeout(config.db_timeout);
        let manager = Manager::from_config(pg, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let db = deadpool_postgres::Pool::builder(manager)
            .max_size(config.db_pool_size)
            .runtime(Runtime::Tokio1)
            .timeouts(Timeouts { wait: Some(config.db_timeout), create: Some(config.db_timeout), recycle: Some(config.db_timeout) })
            .build()
            .context("building the database pool")?;
        // Every statement is bounded (per transaction: a pooler shares the session), so a
        // stuck query can't hold a pooled connection forever.
        let db = crate::db::Pool::new(db, config.db_timeout);
        let http = reqwest::Client::builder().timeout(Duration::from_secs(3)).build().context("building the HTTP client")?;
        let keys = KeySet::load(&config.keys_dir)?;
        let hasher = Hasher::new(config.auth.argon2_concurrency)?;
        let throttle = Arc::new(LoginThrottle::new(&config.auth));
        let renderer = Renderer::new(config.pdf.python.clone(), config.pdf.workers, config.pdf.timeout);
        let background_renders = Arc::new(tokio::sync::Semaphore::new(config.pdf.workers.saturating_sub(1).max(1)));
        Ok(Self {
            config: Arc::new(config),
            db,
            http,
            keys: Arc::new(RwLock::new(Arc::new(keys))),
            hasher,
            throttle,
            background_renders,
            renderer,
            flights: Arc::default(),
            events: Default::default(),
            imports: Default::default(),
        })
    }

    /// The current signing and verification keys.
    pub fn keys(&self) -> Arc<KeySet> {
        self.keys.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Re-reads the keys folder (after a rotation); keeps the old set if the new one fails.
    pub fn reload_keys(&self) -> Result<()> {
        let fresh = KeySet::load(&self.config.keys_dir)?;
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        Ok(())
    }
}
