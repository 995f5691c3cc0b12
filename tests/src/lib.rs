//! The end-to-end harness: starts an isolated Cimiento stack (own state folder in a temp
//! directory, free ports) with the project's own `scripts/stack.sh`, runs tests against it
//! over real HTTP and SQL, and tears it down even when a test fails or panics.
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};

pub mod boundaries;
pub mod demo;
pub mod extension_script;
pub mod http;
pub mod jwt;
pub mod load;
pub mod mfa;
pub mod pooled;

/// The database role a signed-in request acts as (the tokens' `role` claim; sql/roles.sql).
pub const APP_USER: &str = "app_user";

/// The repository root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// A free TCP port on 127.0.0.1 from `scripts/stack.sh free-port` (the one definition the
/// scripts, benches and this harness share; released before use, the stack binds it right after).
pub fn free_port() -> Result<u16> {
    let out = Command::new("bash").arg(repo_root().join("scripts/stack.sh")).arg("free-port").output()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().context("scripts/stack.sh free-port printed no port")
}

/// A running stack started by the harness.
pub struct Stack {
    pub state_dir: PathBuf,
    pub env: HashMap<String, String>,
    vars: Vec<(String, String)>,
}

impl Stack {
    /// Starts PostgreSQL, PostgREST and the api in a fresh temp state folder.
    /// `only_db` starts just the migrated database.
    pub fn start(label: &str, only_db: bool, extra: &[(&str, &str)]) -> Result<Stack> {
        let state_dir = std::env::temp_dir().join(format!("cimiento-{label}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&state_dir)?;
        let mut vars = vec![
            ("CIMIENTO_STATE_DIR".to_string(), state_dir.display().to_string()),
            ("CIMIENTO_PG_PORT".to_string(), free_port()?.to_string()),
            ("CIMIENTO_POSTGREST_PORT".to_string(), free_port()?.to_string()),
            ("CIMIENTO_API_PORT".to_string(), free_port()?.to_string()),
            ("CIMIENTO_SKIP_BUILD".to_string(), std::env::var("CIMIENTO_SKIP_BUILD").unwrap_or_else(|_| "1".into())),
        ];
        if only_db {
            vars.push(("CIMIENTO_ONLY_DB".into(), "1".into()));
        }
        for (k, v) in extra {
            vars.push((k.to_string(), v.to_string()));
        }
        let mut stack = Stack { state_dir, env: HashMap::new(), vars };
        let started = Instant::now();
        let out = stack.script("up")?;
        if !out.status.success() {
            let msg = format!(
                "stack.sh up failed:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            drop(stack);
            bail!(msg);
        }
        stack.env = read_env(&stack.state_dir.join("env"))?;
        eprintln!("[harness] stack up in {:.1}s at {}", started.elapsed().as_secs_f64(), stack.state_dir.display());
        Ok(stack)
    }

    /// Runs `scripts/stack.sh <cmd>` with this stack's settings.
    pub fn script(&self, cmd: &str) -> Result<Output> {
        self.script_with(&[cmd])
    }

    /// Runs `scripts/stack.sh <args…>` with this stack's settings.
    pub fn script_with(&self, args: &[&str]) -> Result<Output> {
        Command::new("bash")
            .arg(repo_root().join("scripts/stack.sh"))
            .args(args)
            .envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .context("running scripts/stack.sh")
    }

    pub fn var(&self, name: &str) -> &str {
        self.env.get(name).map(String::as_str).unwrap_or_else(|| panic!("{name} missing from the stack's env file"))
    }
    pub fn api_url(&self) -> &str {
        self.var("API_URL")
    }
    pub fn postgrest_url(&self) -> &str {
        self.var("POSTGREST_URL")
    }
    /// Connection string of the migration owner.
    pub fn database_url(&self) -> &str {
        self.var("DATABASE_URL")
    }

    /// A connection as the migration owner (BYPASSRLS: set-up and checks only).
    pub async fn owner(&self) -> Result<tokio_postgres::Client> {
        connect(self.database_url()).await
    }

    /// A connection as the bootstrap superuser over the private socket.
    pub async fn superuser(&self) -> Result<tokio_postgres::Client> {
        let url = format!(
            "host={} port={} user=postgres dbname=cimiento",
            self.var("CIMIENTO_PG_SOCKET"),
            self.var("CIMIENTO_PG_PORT")
        );
        connect(&url).await
    }

    /// Stops everything (idempotent).
    pub fn stop(&self) {
        if let Ok(out) = self.script("down") {
            if !out.status.success() {
                eprintln!("[harness] stack.sh down: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.stop();
        if std::env::var("CIMIENTO_KEEP_STATE").is_err() {
            let _ = std::fs::remove_dir_all(&self.state_dir);
        }
    }
}

fn read_env(path: &Path) -> Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

/// Connects with tokio-postgres and drives the connection in the background.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

pub type TestFuture = Pin<Box<dyn Future<Output = Result<()>> + Send>>;
pub type TestFn = fn(Arc<Stack>) -> TestFuture;

/// Lists async test functions `async fn name(stack: Arc<Stack>) -> anyhow::Result<()>`.
#[macro_export]
macro_rules! e2e_tests {
    ($($path:path),* $(,)?) => {
        vec![$( (stringify!($path), (|s| Box::pin($path(s))) as $crate::TestFn) ),*]
    };
}

/// Runs the tests on libtest-mimic (the arguments of `cargo test`: a filter, `--exact`,
/// `--list`, `--ignored`, `--skip`…) against one shared stack, started when the first
/// selected test runs (so `--list` starts nothing) and stopped after the last. Tests run one
/// at a time unless `--test-threads` says otherwise: some stop and restart services.
pub fn run_tests(tests: Vec<(&'static str, TestFn)>) -> ! {
    let mut args = libtest_mimic::Arguments::from_args();
    args.test_threads.get_or_insert(1);
    let rt = Arc::new(tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime"));
    let stack: Arc<std::sync::OnceLock<Result<Arc<Stack>, String>>> = Arc::new(std::sync::OnceLock::new());
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let (rt, stack) = (rt.clone(), stack.clone());
            libtest_mimic::Trial::test(name, move || {
                let stack = stack.get_or_init(start_shared_stack).clone()?;
                match rt.block_on(async { tokio::spawn(test(stack)).await }) {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(format!("{e:#}").into()),
                    Err(join) => Err(format!("panicked: {join}").into()),
                }
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    drop(rt);
    if let Some(Ok(stack)) = Arc::try_unwrap(stack).ok().and_then(|cell| cell.into_inner()) {
        match Arc::try_unwrap(stack) {
            Ok(stack) => drop(stack),
            Err(stack) => stack.stop(),
        }
    }
    conclusion.exit()
}

/// The stack every end-to-end test shares: a short refresh grace window so reuse-after-grace
/// is testable, and a high per-IP login limit because every test signs in from 127.0.0.1
/// (the per-account limit stays default).
fn start_shared_stack() -> Result<Arc<Stack>, String> {
    // With the read replica (the operations tests use it); PgBouncer is on by default.
    let env = [("CIMIENTO_REFRESH_GRACE_SECS", "2"), ("CIMIENTO_LOGIN_PER_IP_PER_MIN", "100000"), ("CIMIENTO_REPLICA", "1")];
    Stack::start("e2e", false, &env).map(Arc::new).map_err(|e| format!("could not start the stack: {e:#}"))
}
