//! `cimiento-api import FILE --target students`: the same import for DBAs, from a terminal,
//! connected with their own SQL login (mapped to a tenant and a user by `core.db_logins`), so
//! the same rules, RLS and grants decide; a progress bar per phase.
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use uuid::Uuid;

use super::pipeline::{self, Actor, Upload};

/// Import a spreadsheet as your own SQL login (stages, validates, and with --promote writes).
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The CSV or XLSX file (omit with --resume).
    pub file: Option<PathBuf>,
    /// The import target (students, products, clients…).
    #[arg(long)]
    pub target: Option<String>,
    /// The tenant (slug) you expect your login to belong to; refused if it does not.
    #[arg(long)]
    pub tenant: Option<String>,
    /// insert (default) or upsert (update by natural key).
    #[arg(long)]
    pub mode: Option<String>,
    /// JSON {"header": "column"}; suggested from the headers when omitted.
    #[arg(long)]
    pub mapping: Option<String>,
    /// The XLSX sheet (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Promote the valid rows once validation ends.
    #[arg(long)]
    pub promote: bool,
    /// Go on with a batch of yours (after an interrupted run).
    #[arg(long)]
    pub resume: Option<Uuid>,
    /// Rows of validation's first chunk (doubled while chunks are clean, up to promotion's).
    #[arg(long, default_value = "500", value_parser = crate::config::chunk_rows)]
    pub chunk_rows: i32,
    /// Rows per transaction of promotion.
    #[arg(long, default_value = "2000", value_parser = crate::config::chunk_rows)]
    pub promote_chunk_rows: i32,
    /// Connections that write promotion's chunks side by side.
    #[arg(long, default_value = "3", value_parser = crate::config::at_least_one)]
    pub promote_connections: usize,
    /// Your own connection string (a login in core.db_logins with a user).
    #[arg(long, env = "CIMIENTO_IMPORT_DATABASE_URL", hide_env_values = true)]
    pub database_url: SecretString,
}

fn bar(len: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:40}] {pos}/{len} rows  {per_sec}  eta {eta}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn number(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or(0)
}

/// A connection with `--database-url`.
async fn connect(args: &ImportArgs) -> Result<tokio_postgres::Client> {
    let (client, connection) = tokio_postgres::connect(args.database_url.expose_secret(), tokio_postgres::NoTls)
        .await
        .context("connecting with --database-url")?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

pub async fn run(args: ImportArgs) -> Result<()> {
    // A file that cannot be opened is said before anything else, by its path.
    if let Some(file) = &args.file {
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    let mut client = connect(&args).await?;
    let who = client
        .query_one(
            "SELECT t.slug, cimiento.current_user_id() FROM core.tenants t WHERE t.id = cimiento.current_tenant()",
            &[],
        )
        .await
        .context("this login is not mapped to a tenant (core.db_logins)")?;
    let (slug, user): (String, Option<Uuid>) = (who.get(0), who.get(1));
    if let Some(expected) = &args.tenant {
        if expected != &slug {
            bail!("this login belongs to tenant {slug:?}, not {expected:?}");
        }
    }
    if user.is_none() {
        bail!("this login is not mapped to a user (core.db_logins.user_id): imports are made by a user");
    }
    let actor = Actor::Login;
    let batch: Uuid = match (args.resume, &args.file) {
        (Some(id), _) => id,
        (None, Some(file)) => {
            let target = args.target.clone().context("--target is required with a file")?;
            let mapping = match &args.mapping {
                Some(m) => Some(serde_json::from_str::<Value>(m).context("--mapping is not JSON")?),
                None => None,
            };
            let upload = Upload {
                target,
                file_name: file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "import.csv".into()),
                mode: args.mode.clone(),
                mapping,
                sheet: args.sheet.clone(),
            };
            let staging = ProgressBar::new_spinner();
            staging.set_prefix("staging");
            staging.enable_steady_tick(Duration::from_millis(250));
            let staged = pipeline::stage_file(&mut client, &actor, file, &upload, |n| staging.set_message(format!("{n} rows staged")))
                .await
                .map_err(|e| match e {
                    pipeline::ImportError::Database(db) => anyhow::anyhow!(crate::error::db_error_text(&db)),
                    other => anyhow::anyhow!(other),
                })?;
            staging.finish_with_message(format!("{} rows staged", number(&staged, "rows_total")));
            eprintln!("batch {} ({} rows, mapping {})", staged["id"].as_str().unwrap_or("?"), number(&staged, "rows_total"), staged["mapping"]);
            staged["id"].as_str().and_then(|s| s.parse().ok()).context("the database returned no batch id")?
        }
        (None, None) => bail!("give a FILE to import or --resume BATCH"),
    };
    loop {
        let current = pipeline::status(&mut client, &actor, batch).await?.context("no such batch of yours")?;
        let status = current["status"].as_str().unwrap_or("").to_string();
        match status.as_str() {
            "validating" | "promoting" => {
                let validating = status == "validating";
                let total = if validating { number(&current, "rows_total") } else { number(&current, "rows_valid") };
                let progress = bar(total, if validating { "validating" } else { "promoting" });
                let rows = pipeline::ChunkRows { validate: args.chunk_rows, promote: args.promote_chunk_rows };
                let mut extra = Vec::new();
                if !validating {
                    for _ in 1..args.promote_connections {
                        extra.push(connect(&args).await?);
                    }
                }
                let mut helpers: Vec<&mut tokio_postgres::Client> = extra.iter_mut().collect();
                let ended = pipeline::work(&mut client, &mut helpers, &actor, batch, rows, 60.0, |b| {
                    progress.set_position(number(b, "rows_done"));
                    progress.set_message(format!("{} invalid", number(b, "rows_invalid")));
                })
                .await
                .map_err(|e| anyhow::anyhow!(crate::error::db_error_text(&e)))?;
                progress.set_position(number(&ended, "rows_done"));
                progress.finish_with_message(format!("{} invalid", number(&ended, "rows_invalid")));
            }
            "validated" if args.promote => {
                let tx = pipeline::begin(&mut client, &actor).await?;
                tx.query_one("SELECT api.promote_import($1)", &[&batch]).await.map_err(|e| anyhow::anyhow!(crate::error::db_error_text(&e)))?;
                tx.commit().await?;
            }
            _ => {
                eprintln!(
                    "batch {batch}: {status} — {} rows, {} valid, {} invalid, {} created, {} updated{}",
                    number(&current, "rows_total"),
                    number(&current, "rows_valid"),
                    number(&current, "rows_invalid"),
                    number(&current, "rows_created"),
                    number(&current, "rows_updated"),
                    if status == "validated" { " (promote with --resume <batch> --promote)" } else { "" }
                );
                if number(&current, "rows_invalid") > 0 {
                    eprintln!("the refused rows and why: SELECT row_no, errors FROM api.import_rows WHERE batch_id = '{batch}' AND state = 'invalid'");
                }
                return if status == "failed" { bail!("{}", current["error"].as_str().unwrap_or("the batch failed")) } else { Ok(()) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_that_cannot_be_read_is_named_before_connecting() {
        let args = ImportArgs {
            file: Some(PathBuf::from("/nonexistent/alumnos.csv")),
            target: Some("students".into()),
            tenant: None,
            mode: None,
            mapping: None,
            sheet: None,
            promote: false,
            resume: None,
            chunk_rows: 500,
            promote_chunk_rows: 2000,
            promote_connections: 3,
            // Nothing listens there: a connection attempt would fail with another message.
            database_url: SecretString::from("postgres://nobody@127.0.0.1:1/cimiento"),
        };
        let e = run(args).await.expect_err("no such file");
        assert_eq!(format!("{e:#}"), "cannot read /nonexistent/alumnos.csv: No such file or directory (os error 2)");
    }
}
