//! Every setting of `cimiento-api serve`, declared once: a command-line flag and an
//! environment variable each, with its default, so `cimiento-api serve --help` documents
//! them all. Secrets (the database connection string) are `SecretString`s: they never
//! appear in `Debug` output, logs or `--help`.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

/// Everything the service needs to know about its surroundings.
#[derive(clap::Args, Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    #[arg(long = "addr", env = "CIMIENTO_API_ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Connection string of the `cimiento_api` login role (a secret: never printed).
    #[arg(long, env = "CIMIENTO_API_DATABASE_URL", hide_env_values = true)]
    pub database_url: SecretString,
    /// Connection string for LISTEN (the PDF queue and event streams), when the pool's goes
    /// through a transaction-mode pooler, which cannot carry notifications; defaults to
    /// `--database-url` (a secret: never printed).
    #[arg(long, env = "CIMIENTO_API_LISTEN_DATABASE_URL", hide_env_values = true)]
    pub listen_database_url: Option<SecretString>,
    /// Base URL of PostgREST, checked by `/ready`.
    #[arg(long, env = "POSTGREST_URL", default_value = "http://127.0.0.1:3000", value_parser = base_url)]
    pub postgrest_url: String,
    /// Folder with the RSA signing keys.
    #[arg(long, env = "CIMIENTO_KEYS_DIR")]
    pub keys_dir: PathBuf,
    /// Maximum connections in the database pool.
    #[arg(long = "db-pool", env = "CIMIENTO_API_DB_POOL", default_value = "16", value_parser = at_least_one)]
    pub db_pool_size: usize,
    /// Time to wait for a pooled connection or a statement, in milliseconds.
    #[arg(long = "db-timeout-ms", env = "CIMIENTO_API_DB_TIMEOUT_MS", default_value = "5000", value_parser = millis)]
    pub db_timeout: Duration,
    /// How log lines are written; the filter is `RUST_LOG`.
    #[arg(long, env = "CIMIENTO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(flatten)]
    pub auth: AuthConfig,
    #[command(flatten)]
    pub pdf: PdfConfig,
    #[command(flatten)]
    pub imports: ImportConfig,
}

impl Config {
    /// The connection string LISTEN connections use (see `listen_database_url`).
    pub fn listen_url(&self) -> &SecretString {
        self.listen_database_url.as_ref().unwrap_or(&self.database_url)
    }
}

/// Bulk import settings.
#[derive(clap::Args, Clone, Debug)]
pub struct ImportConfig {
    /// Largest upload accepted by `POST /imports`, in bytes (413 beyond).
    #[arg(id = "import_max_bytes", long = "import-max-bytes", env = "CIMIENTO_IMPORT_MAX_BYTES", default_value = "200000000", value_parser = number)]
    pub max_bytes: u64,
    /// Folder uploads are spooled to while they are read (deleted after staging).
    #[arg(id = "import_spool_dir", long = "import-spool-dir", env = "CIMIENTO_IMPORT_SPOOL_DIR", default_value_os_t = std::env::temp_dir())]
    pub spool_dir: PathBuf,
    /// Background workers validating and promoting batches.
    #[arg(id = "import_workers", long = "import-workers", env = "CIMIENTO_IMPORT_WORKERS", default_value = "1", value_parser = at_least_one)]
    pub workers: usize,
    /// Rows of validation's first chunk (a refused row sends its chunk row by row); doubled
    /// after each chunk without an invalid row, up to the promotion's.
    #[arg(id = "import_chunk_rows", long = "import-chunk-rows", env = "CIMIENTO_IMPORT_CHUNK_ROWS", default_value = "500", value_parser = chunk_rows)]
    pub chunk_rows: i32,
    /// Rows per transaction of promotion (rows validation passed: larger chunks cost less).
    #[arg(id = "import_promote_chunk_rows", long = "import-promote-chunk-rows", env = "CIMIENTO_IMPORT_PROMOTE_CHUNK_ROWS", default_value = "2000", value_parser = chunk_rows)]
    pub promote_chunk_rows: i32,
    /// Connections a worker writes one batch's promotion chunks with, side by side.
    #[arg(id = "import_promote_connections", long = "import-promote-connections", env = "CIMIENTO_IMPORT_PROMOTE_CONNECTIONS", default_value = "3", value_parser = at_least_one)]
    pub promote_connections: usize,
    /// How long a worker holds a batch between chunks before another may resume it, in seconds.
    #[arg(id = "import_lease", long = "import-lease-secs", env = "CIMIENTO_IMPORT_LEASE_SECS", default_value = "10", value_parser = secs)]
    pub lease: Duration,
}

/// How the service writes its log lines.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (for log collectors).
    Json,
}

/// Document rendering settings.
#[derive(clap::Args, Clone, Debug)]
pub struct PdfConfig {
    /// Python with WeasyPrint (Debian's python3-weasyprint by default).
    #[arg(long = "pdf-python", env = "CIMIENTO_PDF_PYTHON", default_value = "/usr/bin/python3")]
    pub python: String,
    /// Warm WeasyPrint workers, i.e. renders at once.
    #[arg(long = "pdf-workers", env = "CIMIENTO_PDF_WORKERS", default_value = "2", value_parser = at_least_one)]
    pub workers: usize,
    /// Deadline of one render before its worker is replaced, in seconds. The largest document
    /// accepted (1000 lines of 500 characters) renders in ~9 s in Latin text and ~18 s in CJK
    /// on one of 2 cores, uncontended: the default leaves room for both workers busy at once.
    #[arg(long = "pdf-timeout-secs", env = "CIMIENTO_PDF_TIMEOUT_SECS", default_value = "60", value_parser = secs)]
    pub timeout: Duration,
    /// Render right after an invoice is issued (otherwise on first download).
    #[arg(long = "pdf-render-on-issue", env = "CIMIENTO_PDF_RENDER_ON_ISSUE", default_value = "true", action = clap::ArgAction::Set)]
    pub render_on_issue: bool,
}

/// Sign-in settings.
#[derive(clap::Args, Clone, Debug)]
pub struct AuthConfig {
    /// `iss` of every token.
    #[arg(long = "jwt-issuer", env = "CIMIENTO_JWT_ISSUER", default_value = "cimiento")]
    pub issuer: String,
    /// `aud` of access tokens (PostgREST checks it too).
    #[arg(long = "jwt-audience", env = "CIMIENTO_JWT_AUDIENCE", default_value = "cimiento")]
    pub audience: String,
    /// Access token lifetime, in seconds.
    #[arg(long = "access-ttl-secs", env = "CIMIENTO_ACCESS_TTL_SECS", default_value = "900", value_parser = secs)]
    pub access_ttl: Duration,
    /// Session and refresh token lifetime, in days.
    #[arg(long = "session-ttl-days", env = "CIMIENTO_SESSION_TTL_DAYS", default_value = "30", value_parser = days)]
    pub session_ttl: Duration,
    /// A rotated refresh token used again within this many seconds is a race, not theft.
    #[arg(long = "refresh-grace-secs", env = "CIMIENTO_REFRESH_GRACE_SECS", default_value = "30", value_parser = secs)]
    pub refresh_grace: Duration,
    /// Clock skew tolerated when checking `exp`/`nbf`, in seconds.
    #[arg(long = "jwt-leeway-secs", env = "CIMIENTO_JWT_LEEWAY_SECS", default_value_t = 30)]
    pub leeway_secs: u64,
    /// Failed logins per account from one client before 429 …
    #[arg(long = "login-max-failures", env = "CIMIENTO_LOGIN_MAX_FAILURES", default_value_t = 5)]
    pub account_max_failures: u32,
    /// … and from all clients together …
    #[arg(long = "login-account-ceiling", env = "CIMIENTO_LOGIN_ACCOUNT_CEILING", default_value_t = 50)]
    pub account_ceiling: u32,
    /// … within this window, in seconds.
    #[arg(long = "login-window-secs", env = "CIMIENTO_LOGIN_WINDOW_SECS", default_value = "900", value_parser = secs)]
    pub account_window: Duration,
    /// Login attempts per client IP per minute.
    #[arg(long = "login-per-ip-per-min", env = "CIMIENTO_LOGIN_PER_IP_PER_MIN", default_value_t = 30)]
    pub ip_per_minute: u32,
    /// Concurrent argon2 computations.
    #[arg(long = "argon2-concurrency", env = "CIMIENTO_ARGON2_CONCURRENCY", default_value = "4", value_parser = at_least_one)]
    pub argon2_concurrency: usize,
    /// `Secure` on the refresh cookie (false only for plain-HTTP development).
    #[arg(long = "cookie-secure", env = "CIMIENTO_COOKIE_SECURE", default_value = "true", action = clap::ArgAction::Set)]
    pub cookie_secure: bool,
    /// Take the client's address from the last X-Forwarded-For entry (only behind a proxy
    /// that sets it); otherwise the connection's peer address. Allowed networks use it.
    #[arg(long = "trust-forwarded-for", env = "CIMIENTO_TRUST_FORWARDED_FOR", default_value = "false", action = clap::ArgAction::Set)]
    pub trust_forwarded_for: bool,
}

fn number(s: &str) -> Result<u64, String> {
    s.trim().parse::<u64>().map_err(|_| format!("{s:?} is not a whole number"))
}

fn secs(s: &str) -> Result<Duration, String> {
    number(s).map(Duration::from_secs)
}

fn millis(s: &str) -> Result<Duration, String> {
    number(s).map(Duration::from_millis)
}

fn days(s: &str) -> Result<Duration, String> {
    number(s)?.checked_mul(86_400).map(Duration::from_secs).ok_or_else(|| format!("{s} days is too long"))
}

pub(crate) fn at_least_one(s: &str) -> Result<usize, String> {
    match number(s)? {
        0 => Err("must be at least 1".into()),
        n => usize::try_from(n).map_err(|_| format!("{s} is too large")),
    }
}

pub(crate) fn chunk_rows(s: &str) -> Result<i32, String> {
    match number(s)? {
        n @ 1..=10_000 => Ok(n as i32),
        _ => Err("must be between 1 and 10000".into()),
    }
}

fn base_url(s: &str) -> Result<String, String> {
    let url = s.trim().trim_end_matches('/');
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_string())
    } else {
        Err(format!("{s:?} is not an http(s) URL"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        config: Config,
    }

    const REQUIRED: [&str; 5] = ["serve", "--database-url", "postgres://cimiento_api:s3cr3t@db/cimiento", "--keys-dir", "/k"];

    #[test]
    fn defaults_apply_and_the_database_url_never_prints() {
        let c = Serve::try_parse_from(REQUIRED).unwrap_or_else(|e| panic!("{e}")).config;
        assert_eq!(c.listen, SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(c.auth.session_ttl, Duration::from_secs(30 * 86_400));
        assert_eq!(c.pdf.workers, 2);
        assert_eq!((c.imports.workers, c.imports.chunk_rows, c.imports.promote_chunk_rows, c.imports.max_bytes), (1, 500, 2000, 200_000_000));
        assert_eq!(c.imports.promote_connections, 3);
        assert!(c.pdf.render_on_issue && c.auth.cookie_secure);
        assert!(!format!("{c:?}").contains("s3cr3t"), "Debug of the config hides the connection string");
    }

    #[test]
    fn bad_values_are_refused_naming_the_setting() {
        for (flag, value) in [("--db-pool", "0"), ("--access-ttl-secs", "soon"), ("--postgrest-url", "localhost:3000"), ("--log-format", "xml")] {
            let mut args = REQUIRED.to_vec();
            args.extend([flag, value]);
            let err = Serve::try_parse_from(args).err().unwrap_or_else(|| panic!("{flag} {value} accepted")).to_string();
            assert!(err.contains(flag), "{flag}: {err}");
        }
        let c = Serve::try_parse_from([&REQUIRED[..], &["--cookie-secure", "false", "--postgrest-url", "http://rest:3000/"]].concat())
            .unwrap_or_else(|e| panic!("{e}"))
            .config;
        assert!(!c.auth.cookie_secure);
        assert_eq!(c.postgrest_url, "http://rest:3000");
    }
}
