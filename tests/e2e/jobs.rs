//! Scheduled jobs on the real pg_cron: the academy's overdue job, scheduled every minute,
//! is observed running for the tenant over PostgREST; a run never overlaps another.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Result};
use cimiento_e2e::http::get;
use cimiento_e2e::{demo, Stack};
use serde_json::json;

const NIGHTLY: &str = "SELECT cimiento.schedule('academy_overdue', '15 3 * * *', 'academy.mark_overdue()', '{payments.read}')";

pub async fn scheduled_job_run_observed(stack: Arc<Stack>) -> Result<()> {
    let admin = demo::admin_token(&stack).await?;
    let rest = stack.postgrest_url();
    let tag = uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase();
    let id = demo::new_enrollment(&stack, &admin, "JOB", &tag, chrono::Utc::now().date_naive()).await?;

    // Its fee fell due three days ago and nothing was paid; the stored status still says so.
    let owner = stack.owner().await?;
    owner.execute("UPDATE academy.financial_status SET due_date = current_date - 3 WHERE enrollment_id = $1::text::uuid", &[&id]).await?;
    let before: String = owner.query_one("SELECT status FROM academy.financial_status WHERE enrollment_id = $1::text::uuid", &[&id]).await?.get(0);
    ensure!(before == "pending", "stored status before the job: {before}");

    // Every minute, for this test; back to nightly afterwards whatever happens.
    let since: String = owner.query_one("SELECT now()::text", &[]).await?.get(0);
    owner.execute("SELECT cimiento.schedule('academy_overdue', '* * * * *', 'academy.mark_overdue()', '{payments.read}')", &[]).await?;
    let observed = async {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let runs = get(&format!("{rest}/job_runs?job=eq.academy_overdue&via=eq.schedule&started_at=gte.{}&select=tenant_id,rows_touched,error",
                    urlencode(&since)), Some(&admin), &[]).await?.expect(200)?.json();
            if runs.as_array().is_some_and(|a| !a.is_empty()) {
                return Ok::<_, anyhow::Error>(runs);
            }
            if Instant::now() > deadline {
                let su = stack.superuser().await?;
                let details: Vec<String> = su.query("SELECT coalesce(status, '') || ' ' || coalesce(return_message, '') FROM cron.job_run_details ORDER BY runid DESC LIMIT 3", &[])
                    .await?.iter().map(|r| r.get(0)).collect();
                anyhow::bail!("no scheduled run within 90 s; pg_cron says: {details:?}");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    .await;
    owner.execute(NIGHTLY, &[]).await?;
    let runs = observed?;
    ensure!(runs.as_array().map(|a| a.iter().all(|r| r["tenant_id"] == demo::TENANT && r["error"].is_null())).unwrap_or(false)
            && runs[0]["rows_touched"].as_i64().unwrap_or(0) >= 1,
        "the tenant sees its own scheduled run, which marked at least this enrollment: {runs}");
    let after: String = owner.query_one("SELECT status FROM academy.financial_status WHERE enrollment_id = $1::text::uuid", &[&id]).await?.get(0);
    ensure!(after == "overdue", "the job stored the overdue status: {after}");
    let read = get(&format!("{rest}/financial_status?enrollment_id=eq.{id}&select=status"), Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(read == json!([{"status": "overdue"}]), "the read path is unchanged: {read}");
    Ok(())
}

pub async fn a_job_never_overlaps_itself(stack: Arc<Stack>) -> Result<()> {
    let first = stack.owner().await?;
    let second = stack.owner().await?;
    first.batch_execute("BEGIN").await?;
    let ran = first.query("SELECT * FROM cimiento.run_job('academy_overdue')", &[]).await?;
    ensure!(!ran.is_empty(), "the first run goes through every tenant");
    let skipped = second.query("SELECT * FROM cimiento.run_job('academy_overdue')", &[]).await?;
    ensure!(skipped.is_empty(), "a second run while the first is open runs for no tenant");
    let recorded: String = second
        .query_one("SELECT sqlstate || ' ' || error FROM cimiento.job_runs WHERE job = 'academy_overdue' AND tenant_id IS NULL ORDER BY id DESC LIMIT 1", &[])
        .await?.get(0);
    ensure!(recorded == "55P03 skipped: the previous run of this job is still running", "the skip is recorded: {recorded}");
    first.batch_execute("COMMIT").await?;
    let again = second.query("SELECT * FROM cimiento.run_job('academy_overdue')", &[]).await?;
    ensure!(!again.is_empty(), "once the first run ended, the next one runs");
    Ok(())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
