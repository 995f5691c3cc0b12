//! The steps of an import against the database, shared by `POST /imports`, the background
//! worker and `cimiento-api import`: stage a file into a new batch, then validate or promote
//! it a chunk per transaction. Every step runs as an [`Actor`] — a signed-in user's verified
//! claims (the api) or a direct SQL login's own identity (the command line) — so the rules,
//! RLS and grants of the target decide, never this code.
use std::path::Path;

use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio_postgres::Client;
use uuid::Uuid;

use super::reader::{self, Layout, ReadError, Row};

/// Rows sent to the database per call while staging.
pub const STAGE_ROWS: usize = 1000;

/// Who a step runs as.
#[derive(Clone, Debug)]
pub enum Actor {
    /// A signed-in user: their verified claims (JSON), set as PostgREST does.
    Claims(String),
    /// The session's own login, mapped to a user by `core.db_logins`.
    Login,
}

/// Why an import step failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Database(#[from] tokio_postgres::Error),
    #[error("the file has more than {0} bytes")]
    TooLarge(u64),
    #[error("{0}")]
    Internal(String),
}

/// What the caller chose for the upload.
#[derive(Clone, Debug, Default)]
pub struct Upload {
    pub target: String,
    pub file_name: String,
    pub mode: Option<String>,
    pub mapping: Option<Value>,
    pub sheet: Option<String>,
}

/// Begins a transaction as the actor.
pub async fn begin<'a>(client: &'a mut Client, actor: &Actor) -> Result<tokio_postgres::Transaction<'a>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    if let Actor::Claims(claims) = actor {
        crate::db::act_as(&tx, claims, None).await?;
    }
    Ok(tx)
}

/// Runs one statement returning jsonb as the actor, in its own transaction.
async fn call(client: &mut Client, actor: &Actor, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> Result<Value, tokio_postgres::Error> {
    let tx = begin(client, actor).await?;
    let value: Value = tx.query_one(sql, params).await?.get(0);
    tx.commit().await?;
    Ok(value)
}

enum Staged {
    Layout(Layout),
    Rows(Vec<Row>),
}

/// Reads the file at `path` and stages it into a new batch of `upload.target`, then starts
/// its validation. `progress` hears the rows staged so far. On any failure a batch already
/// created is cancelled, so nothing half-staged is ever validated.
pub async fn stage_file(
    client: &mut Client,
    actor: &Actor,
    path: &Path,
    upload: &Upload,
    mut progress: impl FnMut(u64),
) -> Result<Value, ImportError> {
    let (tx, mut rx) = mpsc::channel::<Staged>(4);
    let (path, name, sheet) = (path.to_path_buf(), upload.file_name.clone(), upload.sheet.clone());
    let reading = tokio::task::spawn_blocking(move || {
        let mut chunk = Vec::with_capacity(STAGE_ROWS);
        let rows_tx = tx.clone();
        let result = reader::read(
            &path,
            &name,
            sheet.as_deref(),
            |layout| tx.blocking_send(Staged::Layout(layout.clone())).is_ok(),
            |row| {
                chunk.push(row);
                if chunk.len() < STAGE_ROWS {
                    return true;
                }
                rows_tx.blocking_send(Staged::Rows(std::mem::take(&mut chunk))).is_ok()
            },
        );
        if result.is_ok() && !chunk.is_empty() {
            let _ = rows_tx.blocking_send(Staged::Rows(chunk));
        }
        result
    });
    let mut batch: Option<Uuid> = None;
    let staged = async {
        let mut created = Value::Null;
        let mut count = 0u64;
        while let Some(message) = rx.recv().await {
            match message {
                Staged::Layout(layout) => {
                    created = create_batch(client, actor, upload, &layout).await?;
                    batch = created["id"].as_str().and_then(|s| s.parse().ok());
                }
                Staged::Rows(rows) => {
                    let Some(id) = batch else { continue };
                    let first = rows.first().map(|(n, _)| *n).unwrap_or(1);
                    // Row numbers are the spreadsheet's: staged one call per run of consecutive rows.
                    for run in runs(rows) {
                        let start = run.first().map(|(n, _)| *n).unwrap_or(first);
                        let values: Vec<Vec<String>> = run.into_iter().map(|(_, v)| v).collect();
                        let n = values.len() as u64;
                        call(client, actor, "SELECT to_jsonb(api.stage_import_rows($1, $2, $3))", &[&id, &start, &json!(values)]).await?;
                        count += n;
                    }
                    progress(count);
                }
            }
        }
        Ok::<Value, ImportError>(created)
    }
    .await;
    let read = reading.await.map_err(|e| ImportError::Internal(e.to_string()))?;
    let outcome = match (read, staged) {
        (Ok(_), Ok(_)) => match batch {
            Some(id) => Ok(call(client, actor, "SELECT api.validate_import($1)", &[&id]).await?),
            None => Err(ImportError::Read(ReadError::NoHeader)),
        },
        (_, Err(e)) => Err(e),
        (Err(e), _) => Err(e.into()),
    };
    if outcome.is_err() {
        if let Some(id) = batch {
            let _ = call(client, actor, "SELECT api.cancel_import($1)", &[&id]).await;
        }
    }
    outcome
}

/// Splits rows into runs of consecutive numbers (an empty spreadsheet row leaves a gap).
fn runs(rows: Vec<Row>) -> Vec<Vec<Row>> {
    let mut out: Vec<Vec<Row>> = Vec::new();
    for row in rows {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|(n, _)| *n + 1 == row.0) => run.push(row),
            _ => out.push(vec![row]),
        }
    }
    out
}

async fn create_batch(client: &mut Client, actor: &Actor, upload: &Upload, layout: &Layout) -> Result<Value, tokio_postgres::Error> {
    let mode = upload.mode.clone().unwrap_or_else(|| "insert".into());
    let delimiter = layout.delimiter.map(|d| d.to_string());
    call(
        client,
        actor,
        "SELECT api.create_import($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[&upload.target, &upload.file_name, &layout.headers, &upload.mapping, &mode, &layout.format, &layout.encoding, &delimiter, &layout.sheet],
    )
    .await
}

/// Whether a SQLSTATE is worth retrying: serialization failures and deadlocks (40),
/// cancellations and timeouts (57), connections (08), resources (53).
fn is_transient(code: &str) -> bool {
    ["40", "57", "08", "53"].iter().any(|class| code.starts_with(class))
}

/// What a chunk does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Validate,
    Promote,
}

impl Phase {
    pub fn of_status(status: &str) -> Option<Phase> {
        match status {
            "validating" => Some(Phase::Validate),
            "promoting" => Some(Phase::Promote),
            _ => None,
        }
    }
}

/// Rows per transaction in each phase (see [`NextChunk`]). Validation starts small: one
/// refused row sends its whole chunk row by row (each in a savepoint) to say which and why.
/// Promotion writes rows validation passed, so a chunk rarely falls back, and larger chunks
/// pay less per-chunk work (statement set-up, commit, progress, the batch's audited update);
/// its size is in row numbers of the sheet, fixed for the batch when promotion starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkRows {
    pub validate: i32,
    pub promote: i32,
}

/// The size of the next chunk. Promotion keeps its own. Validation starts at its own and
/// doubles it after each chunk that found no invalid row, up to promotion's (a clean file
/// costs less per row), and starts again from its own after one that did (only a chunk
/// with a refused row goes row by row).
#[derive(Debug)]
pub struct NextChunk {
    sizes: ChunkRows,
    validate: i32,
    invalid: Option<i64>,
}

impl NextChunk {
    pub fn new(sizes: ChunkRows) -> Self {
        NextChunk { sizes, validate: sizes.validate, invalid: None }
    }

    /// Rows for the next chunk of `phase`, given the batch's invalid rows so far.
    pub fn rows(&mut self, phase: Phase, invalid: i64) -> i32 {
        if phase == Phase::Promote {
            return self.sizes.promote;
        }
        if let Some(before) = self.invalid {
            let cap = self.sizes.validate.max(self.sizes.promote);
            self.validate = if invalid == before { self.validate.saturating_mul(2).min(cap) } else { self.sizes.validate };
        }
        self.invalid = Some(invalid);
        self.validate
    }
}

/// Runs one chunk of the batch's phase as the actor, renewing the worker's lease in the same
/// transaction: `arg` is the chunk's rows in validation, the chunk's number in promotion
/// (`imports.begin_promotion` cut the batch). Returns the rows it handled (0: nothing to do,
/// the phase is over or the batch moved on).
pub async fn run_chunk(client: &mut Client, actor: &Actor, batch: Uuid, phase: Phase, arg: i32, lease_secs: f64) -> Result<i32, tokio_postgres::Error> {
    let sql = match phase {
        Phase::Validate => "SELECT imports.validate_chunk($1, $2)",
        Phase::Promote => "SELECT imports.promote_range($1, $2)",
    };
    let tx = begin(client, actor).await?;
    let done: i32 = tx.query_one(sql, &[&batch, &arg]).await?.get(0);
    if done > 0 {
        tx.execute(
            "UPDATE imports.batches SET lease_until = now() + make_interval(secs => $2)
              WHERE id = $1 AND status IN ('validating', 'promoting')",
            &[&batch, &lease_secs],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Runs one chunk; an error no row explains and a retry would not mend (the target vanished,
/// a permission was lost) fails the batch, a transient one is returned (retried after the lease).
async fn run_or_fail(client: &mut Client, actor: &Actor, batch: Uuid, phase: Phase, arg: i32, lease_secs: f64) -> Result<(), tokio_postgres::Error> {
    match run_chunk(client, actor, batch, phase, arg, lease_secs).await {
        Ok(_) => Ok(()),
        Err(e) if e.as_db_error().is_some_and(|d| !is_transient(d.code().code())) => {
            let message = e.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
            fail(client, actor, batch, &message).await
        }
        Err(e) => Err(e),
    }
}

/// Promotes the batch: cuts it into chunks once (`imports.begin_promotion`), then `client`
/// and every connection of `helpers` write the chunks side by side, each taking the next
/// chunk nobody took (a chunk written already is left by the database). `progress` hears the
/// batch after each chunk `client` writes.
async fn promote(
    client: &mut Client,
    helpers: &mut [&mut Client],
    actor: &Actor,
    batch: Uuid,
    rows: i32,
    lease_secs: f64,
    progress: &mut impl FnMut(&Value),
) -> Result<(), tokio_postgres::Error> {
    let tx = begin(client, actor).await?;
    let chunks: i32 = tx.query_one("SELECT imports.begin_promotion($1, $2)", &[&batch, &rows]).await?.get(0);
    tx.commit().await?;
    let next = std::sync::atomic::AtomicI32::new(0);
    let take = || Some(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)).filter(|k| *k < chunks);
    let first = async {
        while let Some(k) = take() {
            run_or_fail(client, actor, batch, Phase::Promote, k, lease_secs).await?;
            if let Some(current) = status(client, actor, batch).await? {
                progress(&current);
            }
        }
        Ok::<(), tokio_postgres::Error>(())
    };
    let others = futures_util::future::try_join_all(helpers.iter_mut().map(|helper| async {
        while let Some(k) = take() {
            run_or_fail(helper, actor, batch, Phase::Promote, k, lease_secs).await?;
        }
        Ok::<(), tokio_postgres::Error>(())
    }));
    let (first, others) = tokio::join!(first, others);
    first.and(others.map(|_| ()))
}

/// Marks the batch failed (an error no row explains: the target vanished, a permission was lost).
pub async fn fail(client: &mut Client, actor: &Actor, batch: Uuid, message: &str) -> Result<(), tokio_postgres::Error> {
    let tx = begin(client, actor).await?;
    tx.execute("SELECT imports.fail($1, $2)", &[&batch, &message]).await?;
    tx.commit().await
}

/// The batch as `api.imports` shows it (progress included), read as the actor.
pub async fn status(client: &mut Client, actor: &Actor, batch: Uuid) -> Result<Option<Value>, tokio_postgres::Error> {
    let tx = begin(client, actor).await?;
    let row = tx.query_opt("SELECT to_jsonb(i) FROM api.imports i WHERE i.id = $1", &[&batch]).await?;
    tx.commit().await?;
    Ok(row.map(|r| r.get(0)))
}

/// Works the batch's current phase to its end, chunk after chunk; `progress` hears the
/// batch after each chunk. Promotion's chunks are written by `client` and `helpers` side by
/// side (none: one at a time). Returns the batch as it ends.
pub async fn work(
    client: &mut Client,
    helpers: &mut [&mut Client],
    actor: &Actor,
    batch: Uuid,
    rows: ChunkRows,
    lease_secs: f64,
    mut progress: impl FnMut(&Value),
) -> Result<Value, tokio_postgres::Error> {
    let mut next = NextChunk::new(rows);
    loop {
        let Some(current) = status(client, actor, batch).await? else { return Ok(Value::Null) };
        let Some(phase) = Phase::of_status(current["status"].as_str().unwrap_or("")) else { return Ok(current) };
        progress(&current);
        match phase {
            Phase::Validate => {
                let size = next.rows(phase, current["rows_invalid"].as_i64().unwrap_or(0));
                run_or_fail(client, actor, batch, phase, size, lease_secs).await?;
            }
            Phase::Promote => match promote(client, helpers, actor, batch, rows.promote, lease_secs, &mut progress).await {
                Ok(()) => {}
                // A chunk undone because its batch stopped promoting meanwhile (another chunk
                // failed it), or any serialization failure: the loop reads the batch again and
                // ends with its status, or promotes the chunks left.
                Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::T_R_SERIALIZATION_FAILURE) => {}
                Err(e) => return Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_and_deadlocks_are_retried_other_errors_fail_the_batch() {
        assert!(is_transient("57014") && is_transient("40P01") && is_transient("08006"));
        assert!(!is_transient("42501") && !is_transient("42883") && !is_transient("23505"));
    }

    #[test]
    fn validation_chunks_grow_while_clean_and_shrink_after_an_invalid_row() {
        let mut next = NextChunk::new(ChunkRows { validate: 500, promote: 2000 });
        let sizes: Vec<i32> = [0, 0, 0, 0, 3, 3, 3].iter().map(|&invalid| next.rows(Phase::Validate, invalid)).collect();
        assert_eq!(sizes, vec![500, 1000, 2000, 2000, 500, 1000, 2000]);
        assert_eq!(next.rows(Phase::Promote, 3), 2000);
        let mut small = NextChunk::new(ChunkRows { validate: 500, promote: 100 });
        assert_eq!((small.rows(Phase::Validate, 0), small.rows(Phase::Validate, 0), small.rows(Phase::Promote, 0)), (500, 500, 100));
    }

    #[test]
    fn rows_split_where_the_sheet_has_an_empty_row() {
        let rows = vec![(2, vec![]), (3, vec![]), (5, vec![])];
        assert_eq!(runs(rows).iter().map(|r| r.iter().map(|(n, _)| *n).collect::<Vec<_>>()).collect::<Vec<_>>(), vec![vec![2, 3], vec![5]]);
    }
}
