//! Process entry points: `serve` (the default), `import` (for DBAs) and the setup helpers the stack scripts call.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::state::AppState;
use crate::{keys, telemetry};

#[derive(Parser)]
#[command(name = "cimiento-api", version, about = "Cimiento's HTTP service")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve HTTP (the default). Every setting is a flag and an environment variable.
    Serve(Box<Config>),
    /// Manage the RSA signing keys.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Import a spreadsheet as your own SQL login (a DBA's path to the same imports).
    Import(Box<crate::imports::command::ImportArgs>),
    /// Hash a password read from standard input with argon2id (PHC string on stdout).
    HashPassword,
    /// Write the pending fiscal submissions (VERI*FACTU / SRI XML) to a directory, a batch per
    /// file, for an external signer/uploader; they stay `sent` until answered.
    FiscalSpool(Box<crate::fiscal::SpoolArgs>),
}

#[derive(clap::Args)]
struct KeysDir {
    /// Keys folder.
    #[arg(long, env = "CIMIENTO_KEYS_DIR")]
    dir: PathBuf,
}

/// The published JWKS a change of keys rewrites (what PostgREST verifies with).
#[derive(clap::Args)]
struct JwksFile {
    /// JWKS file to rewrite after the change.
    #[arg(long, env = "CIMIENTO_JWKS_FILE")]
    jwks: PathBuf,
}

#[derive(Subcommand)]
enum KeysAction {
    /// Create the first key if the folder has none (idempotent).
    Init(KeysDir),
    /// Create a new key and make it active; the old one keeps verifying. Rewrites the JWKS;
    /// then reload the api (SIGHUP) and PostgREST (SIGUSR2), as `stack.sh rotate-keys` does.
    Rotate {
        #[command(flatten)]
        keys: KeysDir,
        #[command(flatten)]
        out: JwksFile,
    },
    /// Remove a key that no longer signs (after its tokens have expired) and rewrite the
    /// JWKS without it; then reload the api (SIGHUP) and PostgREST (SIGUSR2), as
    /// `stack.sh retire-key <kid>` does, so its tokens stop verifying everywhere.
    Retire {
        /// The key's id (an RFC 7638 thumbprint in base64url: it may begin with '-').
        #[arg(allow_hyphen_values = true)]
        kid: String,
        #[command(flatten)]
        keys: KeysDir,
        #[command(flatten)]
        out: JwksFile,
    },
    /// Write the public JWKS document to a file.
    Jwks {
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        keys: KeysDir,
    },
}

pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    // No subcommand means `serve`, configured from the environment.
    let command = match cli.command {
        Some(c) => c,
        None => match Cli::try_parse_from(["cimiento-api", "serve"]) {
            Ok(Cli { command: Some(c) }) => c,
            Ok(_) => return ExitCode::FAILURE,
            Err(e) => e.exit(),
        },
    };
    let result = match command {
        Command::Serve(config) => serve(*config).await,
        Command::Keys { action } => keys_command(action),
        Command::Import(args) => crate::imports::command::run(*args).await,
        Command::HashPassword => hash_password(),
        Command::FiscalSpool(args) => crate::fiscal::spool(*args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cimiento-api: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn keys_command(action: KeysAction) -> Result<()> {
    match action {
        KeysAction::Init(KeysDir { dir }) => println!("{}", keys::init(&dir)?),
        KeysAction::Rotate { keys: KeysDir { dir }, out: JwksFile { jwks } } => {
            let kid = keys::generate(&dir, true)?;
            keys::write_jwks(&dir, &jwks)?;
            println!("{kid}");
        }
        KeysAction::Retire { kid, keys: KeysDir { dir }, out: JwksFile { jwks } } => {
            keys::retire(&dir, &kid)?;
            keys::write_jwks(&dir, &jwks)?;
        }
        KeysAction::Jwks { out, keys: KeysDir { dir } } => keys::write_jwks(&dir, &out)?,
    }
    Ok(())
}

fn hash_password() -> Result<()> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    anyhow::ensure!(!password.is_empty(), "empty password on standard input");
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    println!("{hash}");
    Ok(())
}

async fn serve(config: Config) -> Result<()> {
    telemetry::init(config.log_format);
    let listen = config.listen;
    let state = AppState::new(config)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    tracing::info!(addr = %listener.local_addr()?, "cimiento-api listening");
    reload_keys_on_sighup(state.clone());
    {
        let renderer = state.renderer.clone();
        tokio::spawn(async move {
            if let Err(e) = renderer.warm_up().await {
                tracing::error!(error = %e, "PDF renderer could not start; documents will fail until it can");
            }
        });
    }
    if state.config.pdf.render_on_issue {
        crate::pdf::spawn_listener(state.clone());
    }
    crate::events::spawn(state.clone());
    crate::imports::spawn(state.clone());
    let app = crate::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("cimiento-api stopped");
    Ok(())
}

/// `kill -HUP` re-reads the keys folder (after `cimiento-api keys rotate`).
fn reload_keys_on_sighup(state: AppState) {
    use tokio::signal::unix::{signal, SignalKind};
    tokio::spawn(async move {
        let Ok(mut hup) = signal(SignalKind::hangup()) else { return };
        while hup.recv().await.is_some() {
            match state.reload_keys() {
                Ok(()) => tracing::info!(active = %state.keys().active, "signing keys reloaded"),
                Err(e) => tracing::error!(error = %format!("{e:#}"), "reloading the signing keys failed; keeping the old ones"),
            }
        }
    });
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term.recv() => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kid_beginning_with_a_hyphen_is_a_kid_not_a_flag() {
        let cli = Cli::try_parse_from(["cimiento-api", "keys", "retire", "--dir", "k", "--jwks", "j.json", "-Yq3x_Ab"])
            .unwrap_or_else(|e| panic!("{e}"));
        match cli.command {
            Some(Command::Keys { action: KeysAction::Retire { kid, .. } }) => assert_eq!(kid, "-Yq3x_Ab"),
            _ => panic!("parsed as something else"),
        }
    }

    #[test]
    fn import_chunk_sizes_are_bounded_as_the_service_s() {
        let parse = |flag: &str, v: &str| Cli::try_parse_from(["cimiento-api", "import", "a.csv", "--database-url", "postgres://x@h/d", flag, v]);
        for flag in ["--chunk-rows", "--promote-chunk-rows"] {
            assert!(parse(flag, "0").is_err_and(|e| e.to_string().contains("between 1 and 10000")), "{flag} 0 is refused");
            assert!(parse(flag, "1000").is_ok(), "{flag} 1000 is accepted");
        }
    }
}
