//! Operations (#18): PgBouncer in transaction mode under the services, the read replica,
//! and the database's health as the api reports it.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use cimiento_e2e::demo::{self, shop};
use cimiento_e2e::pooled::{self, Caller};
use cimiento_e2e::{connect, Stack};

/// 200 concurrent clients of two tenants through PostgREST over PgBouncer: no error, no row
/// of another tenant; afterwards every server connection of both service logins is as a new
/// session would find it — no role, no claims, no setting, no prepared statement left
/// (but the one this check prepares itself).
pub async fn pooled_requests_leave_no_session_state(stack: Arc<Stack>) -> Result<()> {
    ensure!(stack.var("CIMIENTO_POOLER") == "1", "the stack runs with PgBouncer by default");
    let conf = std::fs::read_to_string(stack.state_dir.join("postgrest.conf"))?;
    let pooler_port = stack.var("CIMIENTO_SERVICES_DB_PORT");
    ensure!(pooler_port != stack.var("CIMIENTO_PG_PORT"), "services connect to the pooler, not PostgreSQL");
    ensure!(conf.contains(&format!(":{pooler_port}/")) && conf.contains("db-prepared-statements = false"), "PostgREST goes through the pooler without prepared statements");

    let callers = vec![
        Caller { tenant: demo::TENANT.into(), token: demo::admin_token(&stack).await? },
        Caller { tenant: shop::TENANT.into(), token: demo::sign_in_to(&stack, shop::SLUG, shop::ADMIN_EMAIL).await? },
    ];
    let url = format!("{}/branches?select=tenant_id,id,code", stack.postgrest_url());
    let out = pooled::run(&url, &callers, 200, Duration::from_secs(5)).await?;
    eprintln!("    200 clients, 5 s through PgBouncer: {} requests ({:.0}/s), {} rows checked, {} errors, {} foreign rows",
        out.requests, out.per_second(), out.rows, out.errors, out.foreign_rows);
    ensure!(out.errors == 0, "no request failed: {:?}", out.samples);
    ensure!(out.foreign_rows == 0 && out.rows > 0, "no row of another tenant ({} of {})", out.foreign_rows, out.rows);
    // The api's pool through the pooler too (its statements run in transactions).
    for caller in &callers {
        let me = cimiento_e2e::http::get(&format!("{}/auth/me", stack.api_url()), Some(&caller.token), &[]).await?.expect(200)?.json();
        ensure!(me["tenant_id"] == caller.tenant.as_str() || me.to_string().contains(&caller.tenant), "the api answers for the caller: {me}");
    }

    // Hold 25 transactions at once per login (the pool's 20 server connections and its
    // reserve): every server connection the load used is among them.
    for (login, url) in [("authenticator", stack.var("CIMIENTO_POOLED_AUTHENTICATOR_URL")), ("cimiento_api", stack.var("CIMIENTO_POOLED_API_URL"))] {
        let barrier = Arc::new(tokio::sync::Barrier::new(25));
        let mut tasks = Vec::new();
        for _ in 0..25 {
            let (url, barrier) = (url.to_string(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                let mut db = connect(&url).await?;
                let tx = db.transaction().await?;
                let row = tx
                    .query_one(
                        "SELECT current_user::text, current_setting('role'), coalesce(current_setting('request.jwt.claims', true), ''),
                                current_setting('statement_timeout'), current_setting('search_path'),
                                (SELECT count(*) FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%'), pg_backend_pid(),
                                (SELECT coalesce(string_agg(name || ': ' || statement, ' | '), '') FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%')",
                        &[],
                    )
                    .await?;
                barrier.wait().await;
                tx.commit().await?;
                anyhow::Ok((row.get::<_, String>(0), row.get::<_, String>(1), row.get::<_, String>(2), row.get::<_, String>(3),
                            row.get::<_, String>(4), row.get::<_, i64>(5), row.get::<_, i32>(6), row.get::<_, String>(7)))
            }));
        }
        let mut pids = std::collections::BTreeSet::new();
        for t in tasks {
            let (user, role, claims, timeout, path, prepared, pid, statements) = t.await??;
            pids.insert(pid);
            ensure!(user == login && role == "none", "{login}: a server connection kept a role: {user}/{role}");
            ensure!(claims.is_empty(), "{login}: a server connection kept claims: {claims}");
            ensure!(timeout == "15s", "{login}: a server connection kept a statement timeout: {timeout}");
            ensure!(path == "\"$user\", public", "{login}: a server connection kept a search_path: {path}");
            ensure!(prepared == 0, "{login}: {prepared} prepared statements left on a shared connection: {statements}");
        }
        ensure!(pids.len() == 25, "{login}: 25 transactions at once held 25 server connections ({})", pids.len());
    }
    Ok(())
}

/// The read replica: an analyst's login there sees only their tenant, cannot write, and
/// sees what the primary commits within a second.
pub async fn replica_serves_analysts_read_only_and_current(stack: Arc<Stack>) -> Result<()> {
    ensure!(stack.var("CIMIENTO_REPLICA") == "1", "the e2e stack runs with the replica");
    let pw = uuid::Uuid::new_v4().simple().to_string();
    let sup = stack.superuser().await?;
    sup.batch_execute(&format!("DROP ROLE IF EXISTS ops_analyst; CREATE ROLE ops_analyst LOGIN PASSWORD '{pw}' IN ROLE analyst")).await?;
    let owner = stack.owner().await?;
    owner
        .execute("INSERT INTO core.db_logins (tenant_id, login_role, roles) VALUES ($1::text::uuid, 'ops_analyst', '{analyst}') ON CONFLICT DO NOTHING",
                 &[&demo::TENANT])
        .await?;
    let tenants_on_primary: i64 = owner.query_one("SELECT count(DISTINCT tenant_id) FROM core.branches", &[]).await?.get(0);
    ensure!(tenants_on_primary >= 2, "the primary has several tenants' branches");

    let url = format!("postgres://ops_analyst:{pw}@127.0.0.1:{}/cimiento", stack.var("CIMIENTO_REPLICA_PORT"));
    // The role and its login row reach the replica by replication.
    let started = Instant::now();
    let replica = loop {
        match connect(&url).await {
            Ok(c) => match c.query_one("SELECT count(*) FROM core.branches", &[]).await {
                Ok(r) if r.get::<_, i64>(0) > 0 => break c,
                _ => {}
            },
            Err(e) if started.elapsed() > Duration::from_secs(5) => return Err(e).context("the analyst's login on the replica"),
            Err(_) => {}
        }
        ensure!(started.elapsed() < Duration::from_secs(5), "the analyst's login did not reach the replica");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    ensure!(replica.query_one("SELECT pg_is_in_recovery()", &[]).await?.get::<_, bool>(0), "connected to the standby");
    let tenants: Vec<String> = replica
        .query("SELECT DISTINCT tenant_id::text FROM core.branches", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    ensure!(tenants == [demo::TENANT], "the analyst sees only their tenant on the replica: {tenants:?}");
    let write = replica.batch_execute("CREATE TEMP TABLE x (a int)").await.expect_err("no write on a standby");
    ensure!(write.code() == Some(&tokio_postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION), "read-only (25006): {write:?}");
    let write = replica
        .execute("UPDATE core.branches SET name = name WHERE tenant_id = $1::text::uuid", &[&demo::TENANT])
        .await
        .expect_err("no write on a standby");
    ensure!(write.code() == Some(&tokio_postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION), "read-only (25006): {write:?}");

    // A change committed on the primary, seen by the analyst on the replica.
    let marker = format!("Sede réplica {}", &pw[..6]);
    let old: String = owner
        .query_one("SELECT name FROM core.branches WHERE tenant_id = $1::text::uuid AND id = $2::text::uuid", &[&demo::TENANT, &demo::CENTRO])
        .await?
        .get(0);
    owner
        .execute("UPDATE core.branches SET name = $3 WHERE tenant_id = $1::text::uuid AND id = $2::text::uuid", &[&demo::TENANT, &demo::CENTRO, &marker])
        .await?;
    let committed = Instant::now();
    let seen = loop {
        let n: i64 = replica.query_one("SELECT count(*) FROM core.branches WHERE name = $1", &[&marker]).await?.get(0);
        if n == 1 {
            break committed.elapsed();
        }
        ensure!(committed.elapsed() < Duration::from_secs(5), "the change never reached the replica");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    owner
        .execute("UPDATE core.branches SET name = $3 WHERE tenant_id = $1::text::uuid AND id = $2::text::uuid", &[&demo::TENANT, &demo::CENTRO, &old])
        .await?;
    let lag: Option<f64> = owner.query_one("SELECT value FROM cimiento.health() WHERE check_name = 'replica_lag'", &[]).await?.get(0);
    eprintln!("    a commit on the primary seen on the replica after {seen:?}; the primary reports a replay lag of {lag:?} s");
    ensure!(seen < Duration::from_secs(1), "seen within 1 s: {seen:?}");
    ensure!(lag.is_some(), "the primary sees its standby in cimiento.health()");
    sup.batch_execute("DELETE FROM core.db_logins WHERE login_role = 'ops_analyst'").await.ok();
    Ok(())
}

/// The restore drill, on a stack of its own (a restore rewinds the whole cluster): a full
/// backup; invoices and a branch written (A); the time noted; more written (B); restored
/// to that time with `stack.sh restore` → A present, B absent, every audit chain and
/// numbering series verifies; then `stack.sh drill` restores into a scratch cluster and
/// verifies it, reporting the loss window archiving allows.
pub async fn restore_to_a_moment_keeps_what_came_before(_shared: Arc<Stack>) -> Result<()> {
    use cimiento_e2e::load::{self, LoadConfig};
    let stack = tokio::task::spawn_blocking(|| Stack::start("restore", true, &[("CIMIENTO_SEED_AGENCY", "0")])).await??;
    let run = |args: Vec<&'static str>| {
        let out = stack.script_with(&args);
        async move {
            let out = out?;
            let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            ensure!(out.status.success(), "stack.sh {args:?} failed:\n{text}");
            anyhow::Ok(text)
        }
    };
    run(vec!["backup", "full"]).await?;
    // pgBackRest keeps a backup's stop time in whole seconds and restores to a moment only
    // from a backup that stopped in an earlier second.
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let targets = crate::numbering::targets(&stack, "pitr").await?;
    let issue = |label: &'static str| {
        let cfg = LoadConfig { url: stack.var("CIMIENTO_AUTHENTICATOR_URL").to_string(), clients: 4, calls_per_client: Some(3), rollback_ratio: 0.0 };
        let targets = targets.clone();
        async move {
            let out = load::run(cfg, targets, Arc::new(std::sync::atomic::AtomicBool::new(false))).await;
            ensure!(out.in_doubt == 0 && out.acknowledged.len() == 12, "{label}: 12 invoices issued ({:?})", out);
            anyhow::Ok(out.acknowledged)
        }
    };
    let tenant = targets[0].tenant.clone();
    let owner = stack.owner().await?;
    let a = issue("A").await?;
    owner.execute("INSERT INTO core.branches (tenant_id, code, name) VALUES ($1::text::uuid, 'DRILLA', 'Antes')", &[&tenant]).await?;
    let moment: String = owner
        .query_one("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'", &[])
        .await?
        .get(0);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let b = issue("B").await?;
    owner.execute("INSERT INTO core.branches (tenant_id, code, name) VALUES ($1::text::uuid, 'DRILLB', 'Después')", &[&tenant]).await?;
    drop(owner);

    let started = Instant::now();
    let report = {
        let out = stack.script_with(&["restore", moment.as_str()])?;
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        ensure!(out.status.success(), "stack.sh restore failed:\n{text}");
        text
    };
    eprintln!("    restored to {moment} in {:.1} s", started.elapsed().as_secs_f64());
    ensure!(report.contains("numbering ok") && !report.contains("BROKEN"), "the restore verified audit and numbering:\n{report}");
    let loss = report.lines().find(|l| l.contains("loses at most")).context("the drill reports the loss window")?;
    eprintln!("   {}", loss.trim());

    let owner = stack.owner().await?;
    let branches: Vec<String> = owner
        .query("SELECT code FROM core.branches WHERE tenant_id = $1::text::uuid AND code LIKE 'DRILL%' ORDER BY code", &[&tenant])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    ensure!(branches == ["DRILLA"], "A present, B absent: {branches:?}");
    let ids = |set: &[(String, String, String, i64)]| set.iter().map(|(_, _, id, _)| id.clone()).collect::<Vec<_>>();
    let present = |ids: Vec<String>| {
        let owner = &owner;
        async move {
            let n: i64 = owner.query_one("SELECT count(*) FROM billing.invoices WHERE id::text = ANY ($1)", &[&ids]).await?.get(0);
            anyhow::Ok(n)
        }
    };
    ensure!(present(ids(&a)).await? == 12, "the 12 invoices issued before the moment are there");
    ensure!(present(ids(&b)).await? == 0, "none of the 12 issued after it");
    let broken: i64 = owner.query_one("SELECT count(*) FROM cimiento.verify_numbering() WHERE NOT ok", &[]).await?.get(0);
    ensure!(broken == 0, "every numbering series is gapless after the restore");
    for t in targets.iter().map(|t| t.tenant.clone()).collect::<std::collections::BTreeSet<_>>() {
        let ok: bool = owner.query_one("SELECT ok FROM cimiento.verify_audit($1::text::uuid, NULL)", &[&t]).await?.get(0);
        ensure!(ok, "tenant {t}'s audit chain verifies after the restore");
    }
    // The next invoice continues the restored series without a hole.
    issue("after").await?;
    let broken: i64 = owner.query_one("SELECT count(*) FROM cimiento.verify_numbering() WHERE NOT ok", &[]).await?.get(0);
    ensure!(broken == 0, "numbering continues gapless after the restore");

    // The drill: the backups restored into a scratch cluster, verified, deleted.
    run(vec!["backup", "diff"]).await?;
    let drill = run(vec!["drill"]).await?;
    ensure!(drill.contains("drill: passed") && drill.contains("numbering ok"), "the drill verified its copy:\n{drill}");
    Ok(())
}

/// The images: every Dockerfile stage installs and starts through the README's scripts
/// (scripts/install.sh, make build, scripts/stack.sh service <name> for a service stack.sh
/// knows), no secret is baked in, every compose service builds a Dockerfile stage, and
/// compose.yaml validates with the Compose client (Debian's docker-compose).
pub async fn images_are_built_from_the_readme_scripts(_stack: Arc<Stack>) -> Result<()> {
    let root = cimiento_e2e::repo_root();
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile"))?;
    let stack_sh = std::fs::read_to_string(root.join("scripts/stack.sh"))?;
    ensure!(dockerfile.contains("RUN bash scripts/install.sh && make build"), "the build stage runs the README's install and build");
    ensure!(dockerfile.contains("CIMIENTO_INSTALL_PROFILE=runtime bash scripts/install.sh"), "runtime stages install with scripts/install.sh");
    ensure!(dockerfile.contains(r#"ENTRYPOINT ["bash", "scripts/stack.sh", "service"]"#), "services start through scripts/stack.sh");
    let stages: Vec<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("FROM ").and_then(|l| l.split(" AS ").nth(1)))
        .map(str::trim)
        .collect();
    for service in ["db", "pooler", "postgrest", "api"] {
        ensure!(stages.contains(&service), "a Dockerfile stage per service: {service} missing from {stages:?}");
        ensure!(dockerfile.contains(&format!(r#"CMD ["{service}"]"#)), "stage {service} runs stack.sh service {service}");
        ensure!(stack_sh.contains(&format!("    {service})")), "stack.sh service knows {service}");
    }
    for line in dockerfile.lines().filter(|l| l.starts_with("ENV") || l.starts_with("ARG") || l.trim_start().starts_with("CIMIENTO_")) {
        ensure!(!line.to_ascii_uppercase().contains("PASSWORD") && !line.to_ascii_uppercase().contains("SECRET"), "no secret baked in: {line}");
    }
    ensure!(!root.join("secrets").exists() || std::fs::read_to_string(root.join(".gitignore"))?.contains("/secrets/"), "compose secrets are git-ignored");

    let compose = std::fs::read_to_string(root.join("compose.yaml"))?;
    for service in ["db", "pooler", "postgrest", "api"] {
        ensure!(compose.contains(&format!("target: {service} }}")), "compose builds {service} from its stage");
    }
    // Validate with a Compose client: the plugin if there is one, else Debian's docker-compose.
    let mut validated = false;
    for cmd in [vec!["docker", "compose"], vec!["docker-compose"]] {
        // A client that answers `version` (the docker CLI without its compose plugin does not).
        let present = std::process::Command::new(cmd[0]).args(&cmd[1..]).arg("version").output().is_ok_and(|o| o.status.success());
        if !present {
            continue;
        }
        let out = std::process::Command::new(cmd[0]).args(&cmd[1..]).args(["-f", "compose.yaml", "config", "-q"]).current_dir(&root).output()?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        ensure!(out.status.success(), "{} config: {stderr}", cmd.join(" "));
        eprintln!("    compose.yaml validated by `{} config`", cmd.join(" "));
        validated = true;
        break;
    }
    ensure!(validated, "a Compose client validates compose.yaml (scripts/install.sh installs docker-compose)");
    Ok(())
}
