//! PDF benchmark against a running stack (env file as first argument) started with
//! CIMIENTO_PDF_RENDER_ON_ISSUE=false, for 20-line invoices:
//!   (a) the api endpoint rendering on first download   (b) bare warm WeasyPrint
//!   (c) the weasyprint CLI spawned per document         (d) re-download of a stored PDF
//! p50/p95 at concurrency 1 and 2. Each round measures the four one after another at both
//! concurrencies (20 documents each, the api on invoices it has not rendered yet); each figure
//! is the median of the rounds' (BENCH_ROUNDS, from bench/pdf.sh), so that a slow minute of the machine
//! moves one round, not the result.
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (pct(&v, 0.5), pct(&v, 0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn get_all(client: &reqwest::Client, urls: Vec<String>, token: &str, concurrency: usize) -> Result<Vec<Duration>> {
    let chunks: Vec<Vec<String>> = (0..concurrency).map(|k| urls.iter().skip(k).step_by(concurrency).cloned().collect()).collect();
    let mut tasks = Vec::new();
    for chunk in chunks {
        let (client, token) = (client.clone(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for url in chunk {
                let t = Instant::now();
                let res = client.get(&url).bearer_auth(&token).send().await?;
                anyhow::ensure!(res.status().is_success(), "GET {url}: {}", res.status());
                let body = res.bytes().await?;
                anyhow::ensure!(body.starts_with(b"%PDF-"), "not a PDF");
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

async fn warm_weasyprint(script: &str, html: &str, n: usize, concurrency: usize) -> Result<Vec<Duration>> {
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (script, html, per) = (script.to_string(), html.to_string(), n / concurrency);
        tasks.push(tokio::spawn(async move {
            let out = tokio::process::Command::new("/usr/bin/python3").args([&script, &html, &per.to_string()]).output().await?;
            anyhow::ensure!(out.status.success(), "warm.py: {}", String::from_utf8_lossy(&out.stderr));
            Ok::<Vec<Duration>, anyhow::Error>(
                String::from_utf8(out.stdout)?.lines().filter_map(|l| l.parse::<f64>().ok()).map(|m| Duration::from_secs_f64(m / 1000.0)).collect(),
            )
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

async fn cli_per_document(html: &str, n: usize, concurrency: usize) -> Result<Vec<Duration>> {
    let mut tasks = Vec::new();
    for k in 0..concurrency {
        let (html, per) = (html.to_string(), n / concurrency);
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for i in 0..per {
                let out = std::env::temp_dir().join(format!("cimiento-bench-{k}-{i}.pdf"));
                let t = Instant::now();
                let status = tokio::process::Command::new("weasyprint").args([&html, out.to_str().unwrap()]).status().await?;
                times.push(t.elapsed());
                anyhow::ensure!(status.success(), "weasyprint CLI failed");
                let _ = std::fs::remove_file(out);
            }
            anyhow::Ok(times)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let env_file = args.next().context("usage: bench_pdf <stack env> <warm.py> <invoice ids file>")?;
    let warm_py = args.next().context("warm.py path")?;
    let ids_file = args.next().context("invoice ids file")?;
    let env: std::collections::HashMap<String, String> =
        std::fs::read_to_string(&env_file)?.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect();
    let api = env["API_URL"].clone();
    let ids: Vec<String> = std::fs::read_to_string(&ids_file)?.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    let client = reqwest::Client::new();
    let login: serde_json::Value = client.post(format!("{api}/auth/login"))
        .json(&json!({"tenant": env["DEMO_TENANT"], "email": env["DEMO_ADMIN_EMAIL"], "password": env["DEMO_ADMIN_PASSWORD"]}))
        .send().await?.json().await?;
    let token = login["access_token"].as_str().context("token")?.to_string();
    let html = client.get(format!("{api}/invoices/{}/html", ids[0])).bearer_auth(&token).send().await?.text().await?;
    let html_file = std::env::temp_dir().join("cimiento-bench-invoice.html");
    std::fs::write(&html_file, &html)?;
    let html_path = html_file.to_str().unwrap().to_string();

    let n = 20usize;
    // bench/pdf.sh sets it (its default, checked) and prepared the invoices for that many.
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).filter(|&r| r >= 1)
        .context("BENCH_ROUNDS: a positive whole number, set by bench/pdf.sh")?;
    let mut next = ids.iter().skip(1).cloned();
    println!("pdf: 20-line invoice; {n} documents per measurement, {rounds} round(s); p50 / p95 in ms (median of the rounds)");
    // per concurrency: for (a), (b), (c), (d), each round's (p50, p95)
    let mut runs: Vec<(usize, [Vec<(Duration, Duration)>; 4])> = [1usize, 2].iter().map(|&c| (c, Default::default())).collect();
    for round in 1..=rounds {
        for (c, seen) in runs.iter_mut() {
            let c = *c;
            let fresh: Vec<String> = next.by_ref().take(n).map(|id| format!("{api}/invoices/{id}/pdf")).collect();
            anyhow::ensure!(fresh.len() == n, "not enough invoices prepared for {rounds} rounds");
            seen[0].push(stats(get_all(&client, fresh.clone(), &token, c).await?));
            seen[1].push(stats(warm_weasyprint(&warm_py, &html_path, n, c).await?));
            seen[2].push(stats(cli_per_document(&html_path, n, c).await?));
            let stored: Vec<String> = fresh.iter().cycle().take(10 * n).cloned().collect();
            seen[3].push(stats(get_all(&client, stored, &token, c).await?));
            let p50 = |k: usize| ms(seen[k][round - 1].0);
            println!("    round {round} of {rounds}, concurrency {c} (p50 ms): a {:.1}  b {:.1}  c {:.1}  d {:.2}", p50(0), p50(1), p50(2), p50(3));
        }
    }
    let _ = std::fs::remove_file(&html_file);
    let mut rows = Vec::new();
    for (c, seen) in &runs {
        // The median of the rounds' p50s and of their p95s (stats' p50 of each list).
        let [a, b, cc, d] = [0, 1, 2, 3].map(|k| (stats(seen[k].iter().map(|s| s.0).collect()).0, stats(seen[k].iter().map(|s| s.1).collect()).0));
        println!("  concurrency {c}:");
        println!("    (a) api endpoint, rendering   p50 {:8.1}  p95 {:8.1}", ms(a.0), ms(a.1));
        println!("    (b) bare warm WeasyPrint      p50 {:8.1}  p95 {:8.1}", ms(b.0), ms(b.1));
        println!("    (c) weasyprint CLI per doc    p50 {:8.1}  p95 {:8.1}", ms(cc.0), ms(cc.1));
        println!("    (d) re-download, stored PDF   p50 {:8.2}  p95 {:8.2}", ms(d.0), ms(d.1));
        rows.push((*c, a, b, cc, d));
    }
    for (c, a, b, cc, d) in rows {
        println!(
            "  concurrency {c}: a/b p50 = {:.3} (goal <= 1.15)   c/a p50 = {:.2}x faster (goal >= 3)   d p50 = {:.2} ms (goal <= 5)",
            ms(a.0) / ms(b.0),
            ms(cc.0) / ms(a.0),
            ms(d.0)
        );
        cimiento_e2e::load::bench_goal(&format!("weasyprint CLI ÷ api rendering, per document (p50, concurrency {c})"), &format!("{:.2}", ms(cc.0) / ms(a.0)), ">=", "3", "x")?;
        cimiento_e2e::load::bench_goal(&format!("api rendering ÷ bare warm WeasyPrint (p50, concurrency {c})"), &format!("{:.3}", ms(a.0) / ms(b.0)), "<=", "1.15", "")?;
        cimiento_e2e::load::bench_goal(&format!("re-download of a stored PDF (p50, concurrency {c})"), &format!("{:.2}", ms(d.0)), "<=", "5", " ms")?;
    }
    Ok(())
}
