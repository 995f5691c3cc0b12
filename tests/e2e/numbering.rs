//! Gapless numbering under concurrency, rollbacks and crashes; idempotent retries and
//! immutability through the real PostgREST and psql.
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::http::{get, post, request};
use cimiento_e2e::jwt::session_token;
use cimiento_e2e::load::{self, LoadConfig, Target};
use cimiento_e2e::Stack;
use serde_json::json;
use cimiento_e2e::demo::{TENANT as DEMO, ADMIN as DEMO_ADMIN};


/// Two tenants, each with an admin and two invoice series (S1, S2): four targets.
pub(crate) async fn targets(stack: &Stack, label: &str) -> Result<Vec<Target>> {
    let db = stack.owner().await?;
    let mut out = Vec::new();
    for t in 0..2 {
        let slug = format!("{label}-{t}-{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
        let row = db
            .query_one(
                "WITH t AS (INSERT INTO core.tenants (slug, name) VALUES ($1, $1) RETURNING id),
                      b AS (INSERT INTO core.branches (tenant_id, code, name) SELECT id, 'CENTRO', 'Centro' FROM t RETURNING tenant_id, id),
                      s AS (INSERT INTO billing.invoice_series (tenant_id, branch_id, code, fiscal_year)
                            SELECT tenant_id, id, c, extract(year FROM current_date)::int FROM b, unnest(ARRAY['S1','S2']) c),
                      u AS (INSERT INTO core.users (tenant_id, email, full_name) SELECT id, 'admin@x.test', 'Admin' FROM t RETURNING tenant_id, id)
                 SELECT tenant_id::text, id::text FROM u",
                &[&slug],
            )
            .await?;
        let (tenant, user): (String, String) = (row.get(0), row.get(1));
        for s in ["S1", "S2"] {
            out.push(Target { tenant: tenant.clone(), user: user.clone(), series: s.into() });
        }
    }
    Ok(out)
}

/// Every series is exactly 1..N with no gap or duplicate; returns N per series.
async fn assert_gapless(stack: &Stack, targets: &[Target]) -> Result<BTreeMap<String, i64>> {
    let db = stack.owner().await?;
    let mut counts = BTreeMap::new();
    for t in targets {
        let rows = db
            .query(
                "SELECT number FROM billing.invoices
                  WHERE tenant_id = $1::text::uuid AND series_code = $2 AND number IS NOT NULL ORDER BY number",
                &[&t.tenant, &t.series],
            )
            .await?;
        let numbers: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
        ensure!(numbers == expected, "series {} of {} is not 1..N: {:?}", t.series, t.tenant, numbers);
        let next: i64 = db
            .query_one(
                "SELECT next_number FROM billing.invoice_series WHERE tenant_id = $1::text::uuid AND code = $2
                  AND fiscal_year = extract(year FROM current_date)",
                &[&t.tenant, &t.series],
            )
            .await?
            .get(0);
        ensure!(next == numbers.len() as i64 + 1, "next_number {next} after {} invoices", numbers.len());
        counts.insert(format!("{}/{}", &t.tenant[..8], t.series), numbers.len() as i64);
    }
    Ok(counts)
}

async fn assert_acknowledged_present(stack: &Stack, outcome: &load::Outcome) -> Result<()> {
    let db = stack.owner().await?;
    let ids: Vec<String> = outcome.acknowledged.iter().map(|a| a.2.clone()).collect();
    let present: i64 = db
        .query_one("SELECT count(*) FROM billing.invoices WHERE id::text = ANY($1) AND number IS NOT NULL", &[&ids])
        .await?
        .get(0);
    ensure!(present == ids.len() as i64, "{} acknowledged invoices, {present} present", ids.len());
    let mut seen = HashSet::new();
    for (tenant, series, _, number) in &outcome.acknowledged {
        ensure!(seen.insert((tenant, series, number)), "number {number} acknowledged twice in {series}");
    }
    Ok(())
}

pub async fn concurrent_issuing_with_rollbacks_is_gapless(stack: Arc<Stack>) -> Result<()> {
    let targets = targets(&stack, "conc").await?;
    let cfg = LoadConfig {
        url: stack.var("CIMIENTO_AUTHENTICATOR_URL").to_string(),
        clients: 32,
        calls_per_client: Some(25),
        rollback_ratio: 0.10,
    };
    let outcome = load::run(cfg, targets.clone(), Arc::new(AtomicBool::new(false))).await;
    ensure!(outcome.in_doubt == 0, "no call may fail without a crash: {} failed", outcome.in_doubt);
    ensure!(outcome.rolled_back > 0, "some transactions were rolled back on purpose");
    let counts = assert_gapless(&stack, &targets).await?;
    let total: i64 = counts.values().sum();
    ensure!(total == outcome.acknowledged.len() as i64, "committed {total} = acknowledged {}", outcome.acknowledged.len());
    assert_acknowledged_present(&stack, &outcome).await?;
    eprintln!(
        "    {} committed, {} rolled back, per series {:?}",
        outcome.acknowledged.len(),
        outcome.rolled_back,
        counts
    );
    Ok(())
}

/// SIGKILLs the postmaster and then its children (a crash), as the machine's root.
fn crash_postgres(stack: &Stack) -> Result<()> {
    let pidfile = stack.state_dir.join("pgdata/postmaster.pid");
    let pm: i32 = std::fs::read_to_string(&pidfile)?.lines().next().context("empty pid file")?.trim().parse()?;
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let name = entry?.file_name();
        let Ok(pid) = name.to_string_lossy().parse::<i32>() else { continue };
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            let after = stat.rsplit(')').next().unwrap_or("");
            let ppid: i32 = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
            if ppid == pm {
                children.push(pid);
            }
        }
    }
    std::process::Command::new("kill").args(["-KILL", &pm.to_string()]).status()?;
    for c in children {
        let _ = std::process::Command::new("kill").args(["-KILL", &c.to_string()]).status();
    }
    Ok(())
}

pub async fn crash_during_load_loses_no_acknowledged_invoice(stack: Arc<Stack>) -> Result<()> {
    let targets = targets(&stack, "crash").await?;
    let cfg = LoadConfig {
        url: stack.var("CIMIENTO_AUTHENTICATOR_URL").to_string(),
        clients: 32,
        calls_per_client: None,
        rollback_ratio: 0.10,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn(load::run(cfg, targets.clone(), stop.clone()));
    for round in 1..=3 {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        crash_postgres(&stack)?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let st = stack.clone();
        let out = tokio::task::spawn_blocking(move || st.script("up")).await??;
        ensure!(out.status.success(), "restart {round} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let outcome = load.await?;
    ensure!(outcome.in_doubt > 0, "the crashes interrupted some transactions");
    ensure!(!outcome.acknowledged.is_empty(), "invoices were acknowledged between crashes");
    let counts = assert_gapless(&stack, &targets).await?;
    assert_acknowledged_present(&stack, &outcome).await?;
    eprintln!(
        "    3 crashes: {} acknowledged, {} rolled back, {} in doubt; per series {:?}",
        outcome.acknowledged.len(),
        outcome.rolled_back,
        outcome.in_doubt,
        counts
    );
    Ok(())
}

async fn demo_series(stack: &Stack, token: &str, code: &str) -> Result<()> {
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>()?;
    let res = post(
        &format!("{}/invoice_series", stack.postgrest_url()),
        Some(token),
        &json!({"branch_id": cimiento_e2e::demo::CENTRO, "code": code, "fiscal_year": year}),
        &[],
    )
    .await?;
    ensure!(res.status == 201 || res.status == 409, "creating series {code}: {} {}", res.status, res.text);
    Ok(())
}

pub async fn idempotent_retry_returns_the_first_invoice(stack: Arc<Stack>) -> Result<()> {
    let token = session_token(&stack, DEMO, DEMO_ADMIN, &["admin"], &["*"]).await?;
    demo_series(&stack, &token, "IDEM").await?;
    let url = format!("{}/rpc/issue_invoice", stack.postgrest_url());
    let body = json!({
        "series_code": "IDEM", "customer_name": "Marta Gómez", "idempotency_key": "pedido-2026-0001",
        "lines": [{"description": "Curso de verano", "quantity": 1, "unit_price": 120.0}]
    });
    let first = post(&url, Some(&token), &body, &[]).await?.expect(200)?.json();
    let again = post(&url, Some(&token), &body, &[]).await?.expect(200)?.json();
    ensure!(first["id"] == again["id"] && first["number"] == again["number"], "retry returns the first: {first} vs {again}");
    // Several retries in flight at once (a client that timed out and retried).
    let mut body2 = body.clone();
    body2["idempotency_key"] = json!("pedido-2026-0002");
    let calls = (0..6).map(|_| {
        let (url, token, body2) = (url.clone(), token.clone(), body2.clone());
        async move { post(&url, Some(&token), &body2, &[]).await }
    });
    let results = futures_join(calls).await;
    let ids: HashSet<String> = results
        .iter()
        .map(|r| r.as_ref().map(|r| r.json()["id"].as_str().unwrap_or("?").to_string()).unwrap_or_default())
        .collect();
    ensure!(ids.len() == 1, "parallel retries return one invoice: {ids:?}");
    let db = stack.owner().await?;
    let n: i64 = db
        .query_one("SELECT count(*) FROM billing.invoices WHERE idempotency_key IN ('pedido-2026-0001','pedido-2026-0002')", &[])
        .await?
        .get(0);
    ensure!(n == 2, "two keys, two invoices: {n}");
    let mut other = body.clone();
    other["lines"][0]["unit_price"] = json!(999);
    let conflict = post(&url, Some(&token), &other, &[]).await?;
    ensure!(conflict.status == 409, "a key reused for another request is 409: {} {}", conflict.status, conflict.text);
    Ok(())
}

async fn futures_join<F, T>(futs: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

pub async fn issued_invoice_is_immutable_from_rest_and_psql(stack: Arc<Stack>) -> Result<()> {
    let token = session_token(&stack, DEMO, DEMO_ADMIN, &["admin"], &["*"]).await?;
    demo_series(&stack, &token, "INMUT").await?;
    let doc = post(
        &format!("{}/rpc/issue_invoice", stack.postgrest_url()),
        Some(&token),
        &json!({"series_code": "INMUT", "customer_name": "Pablo", "lines": [{"description": "Clase", "quantity": 1, "unit_price": 30}]}),
        &[],
    )
    .await?
    .expect(200)?
    .json();
    let id = doc["id"].as_str().context("id")?.to_string();
    let url = format!("{}/invoices?id=eq.{id}", stack.postgrest_url());
    let patch = request("PATCH", &url, Some(&token), Some(&json!({"customer_name": "Otro"})), &[]).await?;
    ensure!(patch.status == 409, "PATCH of an issued invoice is 409: {} {}", patch.status, patch.text);
    ensure!(patch.json()["message"].as_str().unwrap_or("").contains("is issued and cannot be changed"), "clear message: {}", patch.text);
    ensure!(patch.json()["hint"].as_str().unwrap_or("").contains("credit note"), "hint names the way out: {}", patch.text);
    let delete = request("DELETE", &url, Some(&token), None, &[]).await?;
    ensure!(delete.status == 409, "DELETE of an issued invoice is 409: {} {}", delete.status, delete.text);
    let still = get(&url, Some(&token), &[]).await?.expect(200)?.json();
    ensure!(still[0]["customer_name"] == "Pablo", "unchanged: {still}");

    // A tenant's back-office login in psql hits the same rule.
    let owner = stack.owner().await?;
    let pw = uuid::Uuid::new_v4().simple().to_string();
    let sup = stack.superuser().await?;
    sup.batch_execute(&format!("DROP ROLE IF EXISTS demo_ops; CREATE ROLE demo_ops LOGIN PASSWORD '{pw}' IN ROLE app_user, analyst")).await?;
    owner
        .execute(
            "INSERT INTO core.db_logins (tenant_id, login_role, roles) VALUES ($1::text::uuid, 'demo_ops', '{admin}')
             ON CONFLICT DO NOTHING",
            &[&DEMO],
        )
        .await?;
    let url = format!("postgres://demo_ops:{pw}@127.0.0.1:{}/cimiento", stack.var("CIMIENTO_PG_PORT"));
    let out = std::process::Command::new("psql")
        .args([url.as_str(), "-v", "ON_ERROR_STOP=1", "-c", &format!("UPDATE billing.invoices SET customer_name = 'x' WHERE id = '{id}'")])
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(!out.status.success() && stderr.contains("is issued and cannot be changed"), "psql UPDATE refused: {stderr}");
    let out = std::process::Command::new("psql")
        .args([url.as_str(), "-v", "ON_ERROR_STOP=1", "-c", &format!("DELETE FROM billing.invoices WHERE id = '{id}'")])
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(!out.status.success() && stderr.contains("is issued and cannot be changed"), "psql DELETE refused: {stderr}");
    Ok(())
}

pub async fn issuing_errors_have_meaningful_statuses(stack: Arc<Stack>) -> Result<()> {
    let token = session_token(&stack, DEMO, DEMO_ADMIN, &["admin"], &["*"]).await?;
    let url = format!("{}/rpc/issue_invoice", stack.postgrest_url());
    let unknown = post(&url, Some(&token), &json!({"series_code": "NADA", "customer_name": "x",
        "lines": [{"description": "x", "quantity": 1, "unit_price": 1}]}), &[]).await?;
    ensure!(unknown.status == 404, "unknown series 404: {} {}", unknown.status, unknown.text);
    let bad = post(&url, Some(&token), &json!({"series_code": "IDEM", "customer_name": "x",
        "lines": [{"description": "x", "quantity": -1, "unit_price": 1}]}), &[]).await?;
    ensure!(bad.status == 400, "bad quantity 400: {} {}", bad.status, bad.text);
    ensure!(bad.json()["message"] == "lines[1].quantity must be a number greater than 0", "message: {}", bad.text);
    let teacher = session_token(&stack, DEMO, DEMO_ADMIN, &["teacher"], &["*"]).await?;
    let denied = post(&url, Some(&teacher), &json!({"series_code": "IDEM", "customer_name": "x",
        "lines": [{"description": "x", "quantity": 1, "unit_price": 1}]}), &[]).await?;
    ensure!(denied.status == 403, "teacher 403: {} {}", denied.status, denied.text);
    ensure!(denied.json()["message"] == "permission denied: invoices.issue is required", "message: {}", denied.text);

    // An unknown student: the invoice's keys are checked at commit (0080), after it was
    // numbered; the commit fails with 409 in PostgREST's error shape, nothing is written and
    // the number goes to the next invoice.
    demo_series(&stack, &token, "CLAVE").await?;
    let line = json!([{"description": "Clase", "quantity": 1, "unit_price": 10}]);
    let before = post(&url, Some(&token), &json!({"series_code": "CLAVE", "customer_name": "Ana", "lines": line}), &[])
        .await?
        .expect(200)?
        .json();
    let ghost = post(&url, Some(&token), &json!({"series_code": "CLAVE", "customer_name": "Fantasma", "lines": line,
        "student_id": uuid::Uuid::new_v4().to_string()}), &[]).await?;
    ensure!(ghost.status == 409, "unknown student 409 at commit: {} {}", ghost.status, ghost.text);
    let body = ghost.json();
    ensure!(body["code"] == "23503" && body["message"].as_str().unwrap_or("").contains("invoices_student_fkey"),
            "23503 naming the key: {}", ghost.text);
    ensure!(["details", "hint"].iter().all(|k| body.get(*k).is_some()), "PostgREST's error shape: {}", ghost.text);
    let after = post(&url, Some(&token), &json!({"series_code": "CLAVE", "customer_name": "Ana", "lines": line}), &[])
        .await?
        .expect(200)?
        .json();
    let first = before["number"].as_i64().context("the first invoice's number")?;
    ensure!(after["number"].as_i64() == Some(first + 1), "no number used: {before} then {after}");
    let db = stack.owner().await?;
    let ghosts: i64 = db
        .query_one("SELECT count(*) FROM billing.invoices WHERE customer_name = 'Fantasma'", &[])
        .await?
        .get(0);
    ensure!(ghosts == 0, "nothing written: {ghosts}");
    Ok(())
}

// A draft with one line in the target's series, inside the connection's open transaction.
async fn draft(db: &tokio_postgres::Client, t: &Target) -> Result<String> {
    let id: String = db
        .query_one(
            "INSERT INTO billing.invoices (tenant_id, branch_id, series_code, currency, customer_name)
             SELECT s.tenant_id, s.branch_id, s.code, 'EUR', 'Cliente' FROM billing.invoice_series s
              WHERE s.tenant_id = $1::text::uuid AND s.code = $2 LIMIT 1
             RETURNING id::text",
            &[&t.tenant, &t.series],
        )
        .await?
        .get(0);
    db.execute(
        "INSERT INTO billing.invoice_items (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
         SELECT tenant_id, id, 1, branch_id, 'Curso', 1, 10, 21 FROM billing.invoices WHERE id = $1::text::uuid",
        &[&id],
    )
    .await?;
    Ok(id)
}
async fn issue(db: &tokio_postgres::Client, id: &str) -> Result<Option<i64>> {
    Ok(db
        .query_one("UPDATE billing.invoices SET status = 'issued' WHERE id = $1::text::uuid RETURNING number", &[&id])
        .await?
        .get(0))
}
async fn number(db: &tokio_postgres::Client, id: &str) -> Result<Option<i64>> {
    Ok(db.query_one("SELECT number FROM billing.invoices WHERE id = $1::text::uuid", &[&id]).await?.get(0))
}

/// Commits `waiter`, whose commit numbers a row of a series `holder` keeps locked: the commit
/// is still waiting 300 ms later, and finishes once `holder` commits. Returns `waiter`.
async fn commit_behind(holder: &tokio_postgres::Client, waiter: tokio_postgres::Client) -> Result<tokio_postgres::Client> {
    let commit = tokio::spawn(async move {
        waiter.batch_execute("COMMIT").await?;
        anyhow::Ok(waiter)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    ensure!(!commit.is_finished(), "the commit that numbers waits for the series");
    holder.batch_execute("COMMIT").await?;
    commit.await?
}

/// Numbering when the series is free (0057): an issuing UPDATE numbers the invoice itself
/// while no other transaction holds its series; one that finds the series locked, or that
/// runs above READ COMMITTED, is numbered at commit, after the holder: consecutive numbers,
/// none lost, as psql sessions of the migration owner see them. A session that found the
/// series busy leaves its next 8 issues to the commit, then tries again.
pub async fn busy_series_is_numbered_at_commit(stack: Arc<Stack>) -> Result<()> {
    let targets = targets(&stack, "busy").await?;
    let t = targets[0].clone();
    let url = stack.database_url().to_string();
    let a = cimiento_e2e::connect(&url).await?;
    let b = cimiento_e2e::connect(&url).await?;
    a.batch_execute("BEGIN").await?;
    let id_a = draft(&a, &t).await?;
    let first = issue(&a, &id_a).await?.context("a free series numbers the issuing statement's row")?;
    b.batch_execute("BEGIN").await?;
    let id_b = draft(&b, &t).await?;
    ensure!(issue(&b, &id_b).await?.is_none(), "an issue whose series another transaction holds is left to the commit");
    // B's commit numbers it: it waits for A's series lock.
    let b = commit_behind(&a, b).await?;
    ensure!(number(&b, &id_b).await? == Some(first + 1), "numbered at commit, right after the holder's number {first}");

    // Above READ COMMITTED the statement never takes the series (it could not lock a row
    // changed since its snapshot): numbered at commit.
    b.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ").await?;
    let id_c = draft(&b, &t).await?;
    ensure!(issue(&b, &id_c).await?.is_none(), "REPEATABLE READ leaves the number to the commit");
    b.batch_execute("COMMIT").await?;
    ensure!(number(&a, &id_c).await? == Some(first + 2), "numbered at its commit");
    // And a free series again numbers the statement's row.
    a.batch_execute("BEGIN").await?;
    let id_d = draft(&a, &t).await?;
    ensure!(issue(&a, &id_d).await? == Some(first + 3), "a free series numbers the statement's row again");
    a.batch_execute("COMMIT").await?;

    // B found the series busy: its next 8 issues of invoices are left to the commit without
    // trying, though the series is free; the 9th tries again and numbers its own row.
    let mut expected = first + 4;
    for i in 1..=9 {
        b.batch_execute("BEGIN").await?;
        let id = draft(&b, &t).await?;
        let by_statement = issue(&b, &id).await?;
        b.batch_execute("COMMIT").await?;
        if i <= 8 {
            ensure!(by_statement.is_none(), "issue {i} after a busy series is left to the commit");
        } else {
            ensure!(by_statement == Some(expected), "the 9th issue tries again and numbers its row: {by_statement:?}");
        }
        ensure!(number(&a, &id).await? == Some(expected), "issue {i} numbered {expected}");
        expected += 1;
    }
    assert_gapless(&stack, &targets[..1]).await?;
    Ok(())
}

/// A second document table registered with `cimiento.enable_numbering` (tickets numbered per
/// branch, series opened on first use) under 16 concurrent writers, a tenth of them rolling
/// back after their number was taken: each branch's tickets are exactly 1..N.
pub async fn second_table_concurrent_is_gapless(stack: Arc<Stack>) -> Result<()> {
    let tickets = Tickets::create(&stack, false).await?;
    tickets.concurrently_gapless(&stack).await?;
    tickets.drop(&stack).await
}

/// Tickets numbered by their INSERT when the series is free (`cimiento.number_when_free` on a
/// table without a status column): the row is written once with its number; a busy series
/// leaves it to the commit; a savepoint rolled back gives the number back; an `INSERT … ON
/// CONFLICT` that discards its row after the number was taken refuses the commit instead of
/// leaving a hole; and 16 concurrent writers with rollbacks still make 1..N per branch.
pub async fn inserted_rows_are_numbered_by_their_statement(stack: Arc<Stack>) -> Result<()> {
    let tickets = Tickets::create(&stack, true).await?;
    let url = stack.database_url().to_string();
    let (a, b) = (cimiento_e2e::connect(&url).await?, cimiento_e2e::connect(&url).await?);
    let branch = tickets.branches[0].clone();
    async fn take(db: &tokio_postgres::Client, branch: &str) -> Result<(String, Option<i64>)> {
        let r = db
            .query_one("INSERT INTO e2e_tickets.tickets (tenant_id, branch_id) VALUES ($1::text::uuid, $2::text::uuid) RETURNING id::text, number",
                       &[&DEMO, &branch])
            .await?;
        Ok((r.get(0), r.get(1)))
    }

    // A free series: the INSERT writes the number itself, and nothing rewrites the row.
    a.batch_execute("BEGIN").await?;
    let (first_id, first) = take(&a, &branch).await?;
    ensure!(first == Some(1), "the first ticket is numbered by its INSERT: {first:?}");
    a.batch_execute("SET CONSTRAINTS ALL IMMEDIATE").await?;
    let updates: i64 = a
        .query_one("SELECT n_tup_upd FROM pg_catalog.pg_stat_xact_user_tables WHERE relid = 'e2e_tickets.tickets'::regclass", &[])
        .await?
        .get(0);
    ensure!(updates == 0, "one row version: the numbering at commit wrote {updates} more");
    a.batch_execute("COMMIT").await?;

    // An upsert that finds a conflict discards its row after the number was taken: refused.
    a.batch_execute("BEGIN").await?;
    let skipped = a
        .execute("INSERT INTO e2e_tickets.tickets (tenant_id, id, branch_id) VALUES ($1::text::uuid, $2::text::uuid, $3::text::uuid) ON CONFLICT DO NOTHING",
                 &[&DEMO, &first_id, &branch])
        .await?;
    ensure!(skipped == 0, "the conflicting row is not written");
    let refused = a.batch_execute("COMMIT").await.err().context("a commit that would leave a hole is refused")?;
    let db_error = refused.as_db_error().context("refused by the database")?;
    ensure!(db_error.code().code() == "55000" && db_error.message().contains("did not write"), "55000 saying why: {db_error:?}");
    ensure!(db_error.hint().is_some_and(|h| h.contains("defer_numbering")), "with a hint: {db_error:?}");

    // A savepoint rolled back takes its number back, and the commit is not refused for it.
    a.batch_execute("BEGIN; SAVEPOINT s").await?;
    let (_, inside) = take(&a, &branch).await?;
    ensure!(inside == Some(2), "number 2 taken in the savepoint (the refused upsert gave it back): {inside:?}");
    a.batch_execute("ROLLBACK TO SAVEPOINT s; COMMIT").await?;

    // A busy series: B's INSERT leaves its number to the commit, which waits for A's.
    a.batch_execute("BEGIN").await?;
    let (_, held) = take(&a, &branch).await?;
    ensure!(held == Some(2), "the savepoint gave 2 back: {held:?}");
    b.batch_execute("BEGIN").await?;
    let (id_b, left) = take(&b, &branch).await?;
    ensure!(left.is_none(), "an INSERT whose series another transaction holds is left to the commit");
    commit_behind(&a, b).await?;
    let numbered: Option<i64> = a.query_one("SELECT number FROM e2e_tickets.tickets WHERE id = $1::text::uuid", &[&id_b]).await?.get(0);
    ensure!(numbered == Some(3), "numbered 3 at its commit: {numbered:?}");
    eprintln!("    numbered by the INSERT (one row version); busy series left to the commit; upsert that would leave a hole refused (55000)");

    tickets.concurrently_gapless(&stack).await?;
    tickets.drop(&stack).await
}

/// The tickets table of the tests above: a second document table, numbered per branch.
struct Tickets {
    branches: Vec<String>,
}

impl Tickets {
    const DROP: &'static str = "DELETE FROM cimiento.numbered_tables WHERE table_oid::text = 'e2e_tickets.tickets';
                DELETE FROM cimiento.protected_triggers WHERE table_oid::text = 'e2e_tickets.tickets';
                DROP SCHEMA IF EXISTS e2e_tickets CASCADE;";

    /// Creates it afresh, numbered at commit or (`when_free`) by the INSERT when free.
    async fn create(stack: &Stack, when_free: bool) -> Result<Self> {
        let owner = stack.owner().await?;
        stack.superuser().await?.batch_execute(Self::DROP).await?;
        owner
            .batch_execute(
                "CREATE SCHEMA e2e_tickets;
                 CREATE TABLE e2e_tickets.ticket_series (
                   tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), branch_id uuid NOT NULL,
                   code text NOT NULL, format text NOT NULL, next_number bigint NOT NULL DEFAULT 1,
                   active boolean NOT NULL DEFAULT true, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, branch_id));
                 CREATE TABLE e2e_tickets.tickets (
                   tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), branch_id uuid NOT NULL,
                   series_id uuid, number bigint, number_display text,
                   PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, series_id, number));
                 SELECT cimiento.enable_numbering('e2e_tickets.tickets', 'e2e_tickets.ticket_series',
                   series_key => '{\"branch_id\": \"branch_id\"}', period => 'none',
                   default_series => '{\"code\": \"T\", \"format\": \"{code}-{number:06}\"}');",
            )
            .await?;
        if when_free {
            owner.batch_execute("SELECT cimiento.number_when_free('e2e_tickets.tickets')").await?;
        }
        let branches: Vec<String> = owner
            .query("SELECT id::text FROM core.branches WHERE tenant_id = $1::text::uuid ORDER BY code", &[&DEMO])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        ensure!(branches.len() >= 2, "the demo tenant has two branches");
        // Numbered by the INSERT, each branch's series is opened first: a row whose series is
        // not open yet is left to the numbering at commit, which opens the default one (the
        // table numbered at commit keeps that path).
        for branch in branches.iter().filter(|_| when_free) {
            owner
                .execute("INSERT INTO e2e_tickets.ticket_series (tenant_id, branch_id, code, format) VALUES ($1::text::uuid, $2::text::uuid, 'T', '{code}-{number:06}')",
                         &[&DEMO, branch])
                .await?;
        }
        Ok(Self { branches })
    }

    async fn drop(&self, stack: &Stack) -> Result<()> {
        stack.superuser().await?.batch_execute(Self::DROP).await?;
        Ok(())
    }

    /// 16 writers, 30 tickets each across the branches, a tenth rolled back after their
    /// number was taken: each branch's tickets are exactly 1..N, one per commit.
    async fn concurrently_gapless(&self, stack: &Stack) -> Result<()> {
        let owner = stack.owner().await?;
        let before: i64 = owner.query_one("SELECT count(*) FROM e2e_tickets.tickets", &[]).await?.get(0);
        let (committed, rolled_back) = (Arc::new(std::sync::atomic::AtomicI64::new(0)), Arc::new(std::sync::atomic::AtomicI64::new(0)));
        let mut tasks = Vec::new();
        for c in 0..16usize {
            let url = stack.database_url().to_string();
            let branches = self.branches.clone();
            let (committed, rolled_back) = (committed.clone(), rolled_back.clone());
            tasks.push(tokio::spawn(async move {
                let mut db = cimiento_e2e::connect(&url).await?;
                for i in 0..30usize {
                    let branch = &branches[(c + i) % 2];
                    let tx = db.transaction().await?;
                    tx.execute("INSERT INTO e2e_tickets.tickets (tenant_id, branch_id) VALUES ($1::text::uuid, $2::text::uuid)", &[&DEMO, branch])
                        .await?;
                    if (c * 30 + i) % 10 == 3 {
                        // Take the number, then give it back.
                        tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE").await?;
                        tx.rollback().await?;
                        rolled_back.fetch_add(1, Ordering::Relaxed);
                    } else {
                        tx.commit().await?;
                        committed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                anyhow::Ok(())
            }));
        }
        for t in tasks {
            t.await??;
        }
        let rows = owner
            .query(
                "SELECT branch_id::text, array_agg(number ORDER BY number), count(*) FROM e2e_tickets.tickets GROUP BY branch_id",
                &[],
            )
            .await?;
        let mut total = 0i64;
        for r in &rows {
            let numbers: Vec<i64> = r.get(1);
            let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
            ensure!(numbers == expected, "branch {} tickets are not 1..N: {:?}", r.get::<_, String>(0), numbers);
            total += r.get::<_, i64>(2);
        }
        let committed = committed.load(Ordering::Relaxed);
        ensure!(total == before + committed, "{total} tickets stored, {before} before and {committed} committed");
        ensure!(rolled_back.load(Ordering::Relaxed) > 0, "some tickets were rolled back after numbering");
        eprintln!("    {committed} tickets committed in {} branch series, {} rolled back", rows.len(), rolled_back.load(Ordering::Relaxed));
        Ok(())
    }
}

/// Early lock release (extension 0.8.0): a transaction that took a number lets its series
/// go once its commit record is written, without waiting for the flush, but its COMMIT
/// returns only when that record is on disk: right after each COMMIT the WAL is flushed past
/// the point where the transaction was before committing (without the flush, the commit
/// record would wait for the WAL writer, up to wal_writer_delay later).
pub async fn numbered_commit_returns_once_flushed(stack: Arc<Stack>) -> Result<()> {
    let targets = targets(&stack, "flush").await?;
    let t = targets[0].clone();
    let db = stack.superuser().await?;
    for round in 0..20 {
        db.batch_execute("BEGIN").await?;
        let id = draft(&db, &t).await?;
        ensure!(issue(&db, &id).await?.is_some(), "a free series numbers the issuing statement's row");
        let before: String = db.query_one("SELECT pg_current_wal_insert_lsn()::text", &[]).await?.get(0);
        db.batch_execute("COMMIT").await?;
        let flushed: bool = db
            .query_one("SELECT pg_current_wal_flush_lsn() > $1::text::pg_lsn", &[&before])
            .await?
            .get(0);
        ensure!(flushed, "round {round}: the COMMIT of a numbered invoice returned before its commit record (after {before}) was flushed");
    }
    assert_gapless(&stack, &targets[..1]).await?;
    Ok(())
}
