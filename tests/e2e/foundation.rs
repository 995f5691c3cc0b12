//! The foundation: health, readiness, request ids, PostgREST, the extension, migrations.
use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::http::get;
use cimiento_e2e::{repo_root, Stack};

pub async fn api_health_and_ready(stack: Arc<Stack>) -> Result<()> {
    let health = get(&format!("{}/health", stack.api_url()), None, &[]).await?.expect(200)?;
    ensure!(health.json()["status"] == "ok", "health body: {}", health.text);
    let ready = get(&format!("{}/ready", stack.api_url()), None, &[]).await?.expect(200)?;
    let body = ready.json();
    ensure!(body["database"] == "ok" && body["postgrest"] == "ok", "ready body: {}", ready.text);
    ensure!(body["extension_version"] == env!("CARGO_PKG_VERSION"), "extension version: {}", ready.text);
    Ok(())
}

pub async fn request_id_is_honoured_or_generated(stack: Arc<Stack>) -> Result<()> {
    let url = format!("{}/health", stack.api_url());
    let given = get(&url, None, &[("x-request-id", "e2e-req-42")]).await?;
    ensure!(given.header("x-request-id") == Some("e2e-req-42"), "request id not echoed: {:?}", given.headers);
    let generated = get(&url, None, &[]).await?;
    let id = generated.header("x-request-id").context("no generated request id")?;
    ensure!(uuid::Uuid::parse_str(id).is_ok(), "generated id is not a uuid: {id}");
    // …and it is on the request's log line.
    let log = std::fs::read_to_string(stack.state_dir.join("log/api.log"))?;
    ensure!(log.contains("request_id=e2e-req-42"), "request id missing from the api log");
    Ok(())
}

pub async fn postgrest_serves_openapi(stack: Arc<Stack>) -> Result<()> {
    let res = get(&format!("{}/", stack.postgrest_url()), None, &[]).await?.expect(200)?;
    let doc = res.json();
    ensure!(doc["swagger"] == "2.0", "not an OpenAPI document: {}", &res.text[..res.text.len().min(200)]);
    ensure!(
        doc["info"]["title"].as_str().unwrap_or("").contains("Cimiento"),
        "the api schema comment is the title: {}",
        doc["info"]
    );
    Ok(())
}

pub async fn extension_answers_its_version(stack: Arc<Stack>) -> Result<()> {
    let db = stack.owner().await?;
    let v: String = db.query_one("select cimiento.version()", &[]).await?.get(0);
    ensure!(v == env!("CARGO_PKG_VERSION"), "cimiento.version() = {v}");
    let out = std::process::Command::new("psql")
        .args([stack.database_url(), "-tAc", "select cimiento.version()"])
        .output()?;
    ensure!(String::from_utf8_lossy(&out.stdout).trim() == v, "psql $DATABASE_URL answers the version");
    Ok(())
}

pub async fn ready_is_503_with_reason_when_postgrest_is_down(stack: Arc<Stack>) -> Result<()> {
    let pid = std::fs::read_to_string(stack.state_dir.join("run/postgrest.pid"))?;
    let killed = std::process::Command::new("kill").arg(pid.trim()).status()?;
    ensure!(killed.success(), "could not stop postgrest");
    let url = format!("{}/ready", stack.api_url());
    let mut down = None;
    for _ in 0..50 {
        let r = get(&url, None, &[]).await?;
        if r.status == 503 {
            down = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let down = down.context("/ready never reported the missing PostgREST")?;
    let body = down.json();
    ensure!(body["code"] == "unavailable", "error shape: {}", down.text);
    ensure!(body["message"].as_str().unwrap_or("").contains("postgrest"), "reason names postgrest: {}", down.text);
    ensure!(body.get("hint").is_some() && body.get("details").is_some(), "PostgREST error shape: {}", down.text);
    // `up` again restarts only what is missing and is otherwise harmless.
    let out = stack.script("up")?;
    ensure!(out.status.success(), "second up failed: {}", String::from_utf8_lossy(&out.stderr));
    get(&url, None, &[]).await?.expect(200)?;
    Ok(())
}

/// Migrations: applied in order, each atomically with its ledger row; a broken one fails
/// loudly naming the file and the SQL error and leaves the database as it was; an edited
/// applied file is refused.
pub async fn migrations_are_checked_and_atomic(_stack: Arc<Stack>) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("cimiento-migrations-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    for entry in std::fs::read_dir(repo_root().join("sql/migrations"))? {
        let path = entry?.path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap()))?;
    }
    let dir_s = dir.display().to_string();
    let extra = [("CIMIENTO_MIGRATIONS_DIR", dir_s.as_str()), ("CIMIENTO_SEED_FILE", "/nonexistent")];
    let db_stack = Stack::start("migrations", true, &extra)?;
    let applied_before: i64 = db_stack.owner().await?.query_one("select count(*) from meta.migrations", &[]).await?.get(0);
    db_stack.stop();

    std::fs::write(
        dir.join("9990_broken.sql"),
        "create table core.broken_probe (id int);\nselect 1/0;\n",
    )?;
    let out = db_stack.script("up")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(!out.status.success(), "up must fail on a broken migration");
    ensure!(stderr.contains("9990_broken.sql"), "error names the file: {stderr}");
    ensure!(stderr.contains("division by zero"), "error shows the SQL error: {stderr}");

    std::fs::remove_file(dir.join("9990_broken.sql"))?;
    let out = db_stack.script("up")?;
    ensure!(out.status.success(), "up after removing the broken file: {}", String::from_utf8_lossy(&out.stderr));
    let db = db_stack.owner().await?;
    let probe: Option<String> = db.query_one("select to_regclass('core.broken_probe')::text", &[]).await?.get(0);
    ensure!(probe.is_none(), "the broken migration's table must not exist");
    let applied_after: i64 = db.query_one("select count(*) from meta.migrations", &[]).await?.get(0);
    ensure!(applied_after == applied_before, "ledger unchanged by the failed migration");
    drop(db);
    db_stack.stop();

    let first = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()).map(|e| e.path()).min().unwrap();
    let mut text = std::fs::read_to_string(&first)?;
    text.push_str("\n-- edited after it was applied\n");
    std::fs::write(&first, text)?;
    let out = db_stack.script("up")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(!out.status.success(), "up must refuse an edited migration");
    ensure!(stderr.contains("was edited after it was applied"), "clear message: {stderr}");
    drop(db_stack);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// Issue #11 item 12: the api, its PDF workers and PostgREST never run as root; started by
/// root, each runs as its own system user and only the api's user can read the signing keys.
pub async fn services_do_not_run_as_root(stack: Arc<Stack>) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let uid_of = |pid: i32| -> Result<u32> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let line = status.lines().find(|l| l.starts_with("Uid:")).context("Uid line")?;
        Ok(line.split_whitespace().nth(2).context("effective uid")?.parse()?)
    };
    let pid_of = |name: &str| -> Result<i32> { Ok(std::fs::read_to_string(stack.state_dir.join(format!("run/{name}.pid")))?.trim().parse()?) };
    let (api, rest) = (pid_of("api")?, pid_of("postgrest")?);
    let (api_uid, rest_uid) = (uid_of(api)?, uid_of(rest)?);
    ensure!(api_uid != 0 && rest_uid != 0, "api uid {api_uid}, PostgREST uid {rest_uid}: neither is root");
    let mut workers = 0;
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<i32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let ppid: i32 = stat.rsplit(')').next().unwrap_or("").split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
        if ppid == api {
            ensure!(uid_of(pid)? == api_uid, "the PDF worker {pid} runs as the api's user");
            workers += 1;
        }
    }
    ensure!(workers > 0, "the api has its PDF workers");
    let me = std::fs::metadata("/proc/self")?.uid();
    if me == 0 {
        ensure!(api_uid != rest_uid, "started by root, the api and PostgREST have their own users");
        let keys = std::fs::metadata(stack.var("CIMIENTO_KEYS_DIR"))?;
        ensure!(keys.uid() == api_uid && keys.mode() & 0o077 == 0, "the keys are the api user's alone (uid {}, mode {:o})", keys.uid(), keys.mode());
    }
    eprintln!("    api uid {api_uid} ({workers} PDF workers), PostgREST uid {rest_uid}, started by uid {me}");
    Ok(())
}
