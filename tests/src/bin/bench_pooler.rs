//! Pooled load benchmark against a running stack (its env file first): 200 concurrent
//! clients of the `pool-*` tenants and the demo tenant reading a page of students through
//! PostgREST over PgBouncer (a), and through a second PostgREST, configured the same but
//! connected to PostgreSQL directly (b); every response checked. Prints requests/s of each
//! and a/b, and records them in `BENCH_SUMMARY`.
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::pooled::{self, Caller};

fn env_file(path: &str) -> Result<std::collections::HashMap<String, String>> {
    Ok(std::fs::read_to_string(path)
        .with_context(|| format!("reading {path}"))?
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    ensure!(args.len() == 3, "usage: bench_pooler <stack env file> <direct PostgREST url>");
    let env = env_file(&args[1])?;
    let var = |k: &str| env.get(k).cloned().with_context(|| format!("{k} missing from the env file"));
    let clients: usize = std::env::var("BENCH_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let secs: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1);

    let owner = cimiento_e2e::connect(&var("DATABASE_URL")?).await?;
    let rows = owner
        .query(
            "SELECT t.id::text, u.id::text FROM core.tenants t
               JOIN LATERAL (SELECT u.id FROM core.users u WHERE u.tenant_id = t.id ORDER BY u.email LIMIT 1) u ON true
              WHERE t.slug LIKE 'pool-%' OR t.slug = 'demo' ORDER BY t.slug",
            &[],
        )
        .await?;
    let keys = PathBuf::from(var("CIMIENTO_KEYS_DIR")?);
    let audience = var("CIMIENTO_JWT_AUDIENCE")?;
    let mut callers = Vec::new();
    for r in &rows {
        let (tenant, user): (String, String) = (r.get(0), r.get(1));
        let token = cimiento_e2e::jwt::session_token_with(&owner, &keys, &audience, &tenant, &user, &["admin"], &["*"]).await?;
        callers.push(Caller { tenant, token });
    }
    let path = "/students?select=tenant_id,id,first_name,last_name&order=last_name&limit=20";
    let pooled_url = format!("{}{path}", var("POSTGREST_URL")?);
    let direct_url = format!("{}{path}", args[2]);
    println!("pooler: {clients} clients of {} tenants, {rounds} round(s) of {secs} s each way, every response checked", callers.len());

    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        for (label, url, into) in [("(a) PgBouncer", &pooled_url, &mut a), ("(b) direct  ", &direct_url, &mut b)] {
            let out = pooled::run(url, &callers, clients, Duration::from_secs(secs)).await?;
            println!("  {label}  {:8.1} requests/s  {:7} requests  {:8} rows checked  {} errors  {} rows of another tenant",
                out.per_second(), out.requests, out.rows, out.errors, out.foreign_rows);
            ensure!(out.errors == 0, "{label}: {} errors, e.g. {:?}", out.errors, out.samples);
            ensure!(out.foreign_rows == 0, "{label}: {} rows of another tenant", out.foreign_rows);
            into.push(out.per_second());
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|x, y| x.total_cmp(y));
        v[v.len() / 2]
    };
    let (ma, mb) = (median(&mut a), median(&mut b));
    println!("  a/b = {:.3} (requests/s through the pooler ÷ directly; 0 errors, 0 foreign rows in both)", ma / mb);
    if let Ok(summary) = std::env::var("BENCH_SUMMARY") {
        let mut f = std::fs::OpenOptions::new().append(true).open(summary)?;
        writeln!(f, "pooled PostgREST, {clients} clients / {} tenants (requests/s)\t{ma:.1}\t\t\t", callers.len())?;
        writeln!(f, "direct PostgREST, same load (requests/s)\t{mb:.1}\t\t\t")?;
        writeln!(f, "pooled ÷ direct requests/s (0 errors, 0 foreign rows)\t{:.3}\t\t\t", ma / mb)?;
    }
    Ok(())
}
