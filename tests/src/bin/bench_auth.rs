//! Sign-in benchmark against a running stack (its env file as the first argument):
//! login latency p50/p95 at concurrency 1 and 2, the cost of verifying an RS256 access
//! token in process, and what a protected request adds over an unprotected one.
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn timed_logins(api: &str, body: &serde_json::Value, n: usize, concurrency: usize) -> Result<Vec<Duration>> {
    let client = reqwest::Client::new();
    let mut all = Vec::with_capacity(n);
    let per = n / concurrency;
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, body) = (client.clone(), format!("{api}/auth/login"), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per);
            for _ in 0..per {
                let t = Instant::now();
                let res = client.post(&url).json(&body).send().await?;
                anyhow::ensure!(res.status().is_success(), "login failed: {}", res.status());
                res.bytes().await?;
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    for t in tasks {
        all.extend(t.await??);
    }
    all.sort();
    Ok(all)
}

async fn timed_gets(url: &str, token: Option<&str>, n: usize) -> Result<Vec<Duration>> {
    let client = reqwest::Client::new();
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let mut req = client.get(url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let t = Instant::now();
        let res = req.send().await?;
        anyhow::ensure!(res.status().is_success(), "GET {url}: {}", res.status());
        res.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times)
}

#[tokio::main]
async fn main() -> Result<()> {
    let env_file = std::env::args().nth(1).context("usage: bench_auth <stack env file>")?;
    let env: std::collections::HashMap<String, String> = std::fs::read_to_string(&env_file)?
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let api = env["API_URL"].clone();
    let body = json!({"tenant": env["DEMO_TENANT"], "email": env["DEMO_ADMIN_EMAIL"], "password": env["DEMO_ADMIN_PASSWORD"], "device_name": "bench"});
    timed_logins(&api, &body, 10, 1).await?; // warm-up
    for c in [1usize, 2] {
        let t = timed_logins(&api, &body, 100, c).await?;
        println!("  login (argon2id m=19 MiB t=2 p=1), concurrency {c}: p50 {}  p95 {}", ms(percentile(&t, 0.5)), ms(percentile(&t, 0.95)));
    }

    // In-process RS256 verification with the stack's public key.
    let tokens: serde_json::Value = reqwest::Client::new().post(format!("{api}/auth/login")).json(&body).send().await?.json().await?;
    let access = tokens["access_token"].as_str().context("access_token")?.to_string();
    let jwks: serde_json::Value = reqwest::get(format!("{api}/.well-known/jwks.json")).await?.json().await?;
    let k = &jwks["keys"][0];
    let key = jsonwebtoken::DecodingKey::from_rsa_components(k["n"].as_str().unwrap(), k["e"].as_str().unwrap())?;
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.set_audience(&[env["CIMIENTO_JWT_AUDIENCE"].as_str()]);
    let n = 20_000;
    let t = Instant::now();
    for _ in 0..n {
        jsonwebtoken::decode::<serde_json::Value>(&access, &key, &v)?;
    }
    let per = t.elapsed() / n;
    println!("  RS256 access-token verification in process: {:.1} µs per token ({n} tokens)", per.as_secs_f64() * 1e6);

    // What a protected request adds end to end (verification + the session lookup).
    let health = timed_gets(&format!("{api}/health"), None, 300).await?;
    let me = timed_gets(&format!("{api}/auth/me"), Some(&access), 300).await?;
    let rest = env["POSTGREST_URL"].clone();
    let anon = timed_gets(&format!("{rest}/"), None, 300).await?;
    let signed = timed_gets(&format!("{rest}/tenant"), Some(&access), 300).await?;
    println!(
        "  api GET /health p50 {}  vs  GET /auth/me (token + session check + profile) p50 {}",
        ms(percentile(&health, 0.5)),
        ms(percentile(&me, 0.5))
    );
    println!(
        "  PostgREST GET / (anonymous OpenAPI) p50 {}  vs  GET /tenant (JWT + pre-request session check + RLS) p50 {}",
        ms(percentile(&anon, 0.5)),
        ms(percentile(&signed, 0.5))
    );
    Ok(())
}
