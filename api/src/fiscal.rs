//! The fiscal send queue's driver. The database keeps the queue (`fiscal.submissions`: a
//! VERI*FACTU registro or an SRI comprobante per row, pending → sent → accepted | rejected);
//! [`send_next`] claims the oldest batch of one issuer (`fiscal.claim_submissions`, never
//! claimed twice), hands it to a [`Sender`] and records the authority's answer
//! (`fiscal.answer_submissions`).
//!
//! The sender is pluggable: whatever talks to the AEAT's or the SRI's web services with the
//! issuer's certificate implements [`Sender`]. This repository ships no network sender (it
//! needs each issuer's certificate and the authorities' agreement): [`SpoolSender`] writes
//! each batch's XML to a directory for an external signer/uploader, and the batch stays
//! `sent` until its answer is recorded. Tests plug their own sender; no network call.
use std::future::Future;
use std::path::PathBuf;

use serde_json::json;
use uuid::Uuid;

use crate::db::Pool;

/// The authority a batch goes to (the `authority` of `fiscal.submissions`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authority {
    /// Spain's Agencia Tributaria: VERI*FACTU `RegFactuSistemaFacturacion`, up to 1000 records.
    Aeat,
    /// Ecuador's Servicio de Rentas Internas: one comprobante per batch.
    Sri,
}

impl Authority {
    pub fn code(self) -> &'static str {
        match self {
            Authority::Aeat => "AEAT",
            Authority::Sri => "SRI",
        }
    }
}

/// A claimed batch: the submissions it carries (in chain order) and its XML.
#[derive(Debug)]
pub struct Batch {
    pub id: Uuid,
    pub tenant: Uuid,
    pub issuer_tax_id: String,
    pub submissions: Vec<Uuid>,
    pub payload: String,
}

/// The authority's answer for one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused, with the authority's error code and message (kept for the tenant to see).
    Rejected { code: String, message: String },
}

/// What a sender could not do (the batch stays `sent`; `fiscal.requeue_submission` puts it
/// back after 15 minutes without answer).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Delivers a batch. `Ok(Some(verdicts))`: the authority answered, one verdict per
/// submission in order; `Ok(None)`: handed over, the answer comes later.
pub trait Sender {
    fn send(&self, batch: &Batch) -> impl Future<Output = Result<Option<Vec<Verdict>>, SendError>> + Send;
}

/// Writes `<dir>/<authority>-<issuer>-<batch>.xml` for an external signer/uploader.
pub struct SpoolSender {
    pub dir: PathBuf,
    pub authority: Authority,
}

impl Sender for SpoolSender {
    async fn send(&self, batch: &Batch) -> Result<Option<Vec<Verdict>>, SendError> {
        let file = self.dir.join(format!("{}-{}-{}.xml", self.authority.code(), batch.issuer_tax_id, batch.id));
        tokio::fs::write(&file, batch.payload.as_bytes())
            .await
            .map_err(|e| SendError(format!("cannot write {}: {e}", file.display())))?;
        Ok(None)
    }
}

/// What one round did.
#[derive(Debug)]
pub struct Round {
    pub batch: Uuid,
    pub submissions: usize,
    /// How many answers were recorded (0 when the sender answers later).
    pub answered: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("database: {0}")]
    Database(#[from] tokio_postgres::Error),
    #[error("pool: {0}")]
    Pool(String),
    #[error("sender: {0}")]
    Send(#[from] SendError),
    #[error("the sender answered {got} verdicts for {expected} submissions")]
    Answers { got: usize, expected: usize },
}

/// Claims the oldest batch for `authority` and sends it; `Ok(None)` when nothing is pending.
/// Runs as the api's own login (`cimiento_api`), the only role the queue functions allow.
pub async fn send_next<S: Sender>(pool: &Pool, authority: Authority, sender: &S, limit: i32) -> Result<Option<Round>, DriverError> {
    let mut conn = pool.get().await.map_err(|e| DriverError::Pool(e.to_string()))?;
    let Some(row) = conn
        .query_opt(
            "SELECT batch_id, tenant_id, issuer_tax_id, submissions, payload FROM fiscal.claim_submissions($1, $2)",
            &[&authority.code(), &limit],
        )
        .await?
    else {
        return Ok(None);
    };
    let batch = Batch { id: row.get(0), tenant: row.get(1), issuer_tax_id: row.get(2), submissions: row.get(3), payload: row.get(4) };
    tracing::info!(batch = %batch.id, tenant = %batch.tenant, authority = authority.code(), submissions = batch.submissions.len(), "fiscal batch claimed");
    let verdicts = sender.send(&batch).await?;
    let answered = match verdicts {
        None => 0,
        Some(v) if v.len() != batch.submissions.len() => {
            return Err(DriverError::Answers { got: v.len(), expected: batch.submissions.len() });
        }
        Some(v) => {
            let answers: Vec<_> = batch
                .submissions
                .iter()
                .zip(v)
                .map(|(id, verdict)| match verdict {
                    Verdict::Accepted => json!({"submission_id": id, "state": "accepted"}),
                    Verdict::Rejected { code, message } => json!({"submission_id": id, "state": "rejected", "code": code, "message": message}),
                })
                .collect();
            let row = conn.query_one("SELECT fiscal.answer_submissions($1, $2)", &[&batch.id, &serde_json::Value::from(answers)]).await?;
            row.get::<_, i32>(0) as u64
        }
    };
    Ok(Some(Round { batch: batch.id, submissions: batch.submissions.len(), answered }))
}

/// `cimiento-api fiscal-spool`: drains the queue into a directory (one XML per batch) for an
/// external signer/uploader, as the api's own login.
#[derive(clap::Args)]
pub struct SpoolArgs {
    /// aeat or sri.
    #[arg(long, value_parser = ["aeat", "sri"])]
    pub authority: String,
    /// Where each batch's XML is written (created if missing).
    #[arg(long)]
    pub dir: PathBuf,
    /// Records per AEAT batch (at most 1000).
    #[arg(long, default_value = "1000")]
    pub limit: i32,
    /// The api's connection string (its own login, cimiento_api).
    #[arg(long, env = "CIMIENTO_API_DATABASE_URL", hide_env_values = true)]
    pub database_url: secrecy::SecretString,
}

pub async fn spool(args: SpoolArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    use secrecy::ExposeSecret;
    let authority = if args.authority == "sri" { Authority::Sri } else { Authority::Aeat };
    std::fs::create_dir_all(&args.dir).with_context(|| format!("creating {}", args.dir.display()))?;
    let cfg: tokio_postgres::Config = args.database_url.expose_secret().parse().context("--database-url")?;
    let manager = deadpool_postgres::Manager::new(cfg, tokio_postgres::NoTls);
    let inner = deadpool_postgres::Pool::builder(manager).max_size(1).build().context("database pool")?;
    let pool = Pool::new(inner, std::time::Duration::from_secs(60));
    let sender = SpoolSender { dir: args.dir.clone(), authority };
    let (mut batches, mut submissions) = (0usize, 0usize);
    while let Some(round) = send_next(&pool, authority, &sender, args.limit).await? {
        batches += 1;
        submissions += round.submissions;
        eprintln!("fiscal-spool: batch {} ({} submissions) written to {}", round.batch, round.submissions, args.dir.display());
    }
    eprintln!("fiscal-spool: {batches} batches, {submissions} submissions sent; record the answers with fiscal.answer_submissions");
    Ok(())
}
