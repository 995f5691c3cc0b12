//! Invoice PDFs end to end: rendered once after issuing, stored, served byte for byte with
//! an ETag; checked with pdftotext and qpdf; access decided by RLS; a renderer worker killed
//! mid-render is replaced.
use std::sync::Arc;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::http::{get, post, Resp};
use cimiento_e2e::Stack;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use cimiento_e2e::demo::{self, CENTRO};



async fn series(stack: &Stack, token: &str, code: &str, kind: &str) -> Result<()> {
    let year: i32 = chrono::Utc::now().format("%Y").to_string().parse()?;
    post(&format!("{}/invoice_series", stack.postgrest_url()), Some(token),
        &json!({"branch_id": CENTRO, "code": code, "kind": kind, "fiscal_year": year}), &[]).await?.expect(201)?;
    Ok(())
}

async fn issue(stack: &Stack, token: &str, body: Value) -> Result<Value> {
    Ok(post(&format!("{}/rpc/issue_invoice", stack.postgrest_url()), Some(token), &body, &[]).await?.expect(200)?.json())
}

pub(crate) async fn download(stack: &Stack, token: Option<&str>, id: &str, headers: &[(&str, &str)]) -> Result<(Resp, Vec<u8>)> {
    let mut req = cimiento_e2e::http::client().get(format!("{}/invoices/{id}/pdf", stack.api_url()));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await?;
    let status = res.status().as_u16();
    let hdrs = res.headers().clone();
    let bytes = res.bytes().await?.to_vec();
    let text = if hdrs.get("content-type").map(|v| v == "application/pdf").unwrap_or(false) { String::new() } else { String::from_utf8_lossy(&bytes).into_owned() };
    Ok((Resp { status, headers: hdrs, text }, bytes))
}

fn pdftotext(pdf: &[u8]) -> Result<String> {
    let path = std::env::temp_dir().join(format!("cimiento-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf)?;
    let out = std::process::Command::new("pdftotext").args(["-layout", path.to_str().unwrap(), "-"]).output()?;
    let qpdf = std::process::Command::new("qpdf").args(["--check", path.to_str().unwrap()]).output()?;
    std::fs::remove_file(&path)?;
    ensure!(qpdf.status.success(), "qpdf --check failed: {}", String::from_utf8_lossy(&qpdf.stdout));
    Ok(String::from_utf8(out.stdout)?)
}

/// Waits until the document rendered after commit is stored.
async fn wait_stored(stack: &Stack, id: &str, limit: Duration) -> Result<()> {
    let db = stack.owner().await?;
    let started = std::time::Instant::now();
    loop {
        let n: i64 = db.query_one("SELECT count(*) FROM billing.invoice_documents WHERE invoice_id = $1::text::uuid", &[&id]).await?.get(0);
        if n == 1 {
            return Ok(());
        }
        ensure!(started.elapsed() < limit, "the PDF of {id} was not rendered within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn invoice_pdf_is_rendered_once_and_served_byte_for_byte(stack: Arc<Stack>) -> Result<()> {
    let token = demo::admin_token(&stack).await?;
    let code = format!("P{}", &uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase());
    series(&stack, &token, &code, "invoice").await?;
    let lines: Vec<Value> = (1..=20).map(|i| json!({"description": format!("Clase de guitarra nº {i}"), "quantity": 1, "unit_price": 50.0, "tax_rate": 21})).collect();
    let doc = issue(&stack, &token, json!({"series_code": code, "customer_name": "Marta <script>alert(1)</script> Núñez",
        "customer_tax_id": "12345678Z", "customer_address": "Calle Luna 3, Madrid", "lines": lines})).await?;
    let id = doc["id"].as_str().context("id")?.to_string();
    let number = doc["number_display"].as_str().context("number")?.to_string();
    wait_stored(&stack, &id, Duration::from_secs(20)).await?;

    let (res, pdf) = download(&stack, Some(&token), &id, &[]).await?;
    ensure!(res.status == 200 && res.header("content-type") == Some("application/pdf"), "PDF served: {} {}", res.status, res.text);
    ensure!(pdf.starts_with(b"%PDF-"), "a PDF");
    let sha = hex::encode(Sha256::digest(&pdf));
    ensure!(res.header("etag") == Some(format!("\"{sha}\"").as_str()), "ETag is the sha256: {:?}", res.header("etag"));
    ensure!(res.header("content-disposition").unwrap_or("").contains(&format!("{number}.pdf")), "filename names the number");
    let text = pdftotext(&pdf)?;
    for needle in [number.as_str(), "Marta <script>alert(1)</script> Núñez", "1.210,00 €", "FACTURA", "Academia Demo S.L.", "B12345674", "Sede Centro"] {
        ensure!(text.contains(needle), "the PDF shows {needle:?}:\n{text}");
    }
    let (again, pdf2) = download(&stack, Some(&token), &id, &[]).await?;
    ensure!(again.status == 200 && pdf2 == pdf, "two downloads are byte-identical");
    let (cached, body) = download(&stack, Some(&token), &id, &[("If-None-Match", &format!("\"{sha}\""))]).await?;
    ensure!(cached.status == 304 && body.is_empty(), "If-None-Match answers 304: {}", cached.status);
    let stored: String = stack.owner().await?
        .query_one("SELECT sha256 FROM billing.invoice_documents WHERE invoice_id = $1::text::uuid", &[&id]).await?.get(0);
    ensure!(stored == sha, "stored once, with its sha256");
    let audit: Value = stack.superuser().await?
        .query_one("SELECT new_row FROM audit.log WHERE table_name = 'billing.invoice_documents' AND row_pk ->> 'invoice_id' = $1", &[&id]).await?.get(0);
    ensure!(audit["sha256"] == sha.as_str() && audit.get("content").is_none(), "audited with its sha256, without the bytes: {audit}");
    let html = get(&format!("{}/invoices/{id}/html", stack.api_url()), Some(&token), &[]).await?.expect(200)?;
    ensure!(html.text.contains("&lt;script&gt;"), "the preview escapes too");

    // A credit note shows the invoice it corrects.
    let r = format!("R{}", &code[1..]);
    series(&stack, &token, &r, "credit_note").await?;
    let cn = post(&format!("{}/rpc/issue_credit_note", stack.postgrest_url()), Some(&token),
        &json!({"invoice_id": id, "reason": "Clases no impartidas", "series_code": r, "lines": [{"line_no": 1, "quantity": 1}]}), &[])
        .await?.expect(200)?.json();
    let cn_id = cn["id"].as_str().context("credit note id")?.to_string();
    wait_stored(&stack, &cn_id, Duration::from_secs(20)).await?;
    let (_, cn_pdf) = download(&stack, Some(&token), &cn_id, &[]).await?;
    let text = pdftotext(&cn_pdf)?;
    for needle in ["FACTURA RECTIFICATIVA", number.as_str(), "Clases no impartidas", "60,50 €"] {
        ensure!(text.contains(needle), "the credit note shows {needle:?}:\n{text}");
    }
    Ok(())
}

pub async fn pdf_access_is_decided_by_rls(stack: Arc<Stack>) -> Result<()> {
    let token = demo::admin_token(&stack).await?;
    let any: String = stack.owner().await?
        .query_one("SELECT id::text FROM billing.invoices WHERE number IS NOT NULL AND tenant_id = $1::text::uuid LIMIT 1", &[&demo::TENANT])
        .await?.get(0);
    let (unauth, _) = download(&stack, None, &any, &[]).await?;
    ensure!(unauth.status == 401, "unauthenticated 401: {}", unauth.status);
    let org = post(&format!("{}/auth/register", stack.api_url()), None,
        &json!({"organization": format!("Ajena {}", &uuid::Uuid::new_v4().simple().to_string()[..6]), "email": "a@ajena.test",
                "password": "violeta-tranvía-cuaderno-47", "full_name": "A"}), &[]).await?.expect(201)?.json();
    let (other, _) = download(&stack, org["access_token"].as_str(), &any, &[]).await?;
    ensure!(other.status == 404, "another tenant's invoice is 404: {} {}", other.status, other.text);
    ensure!(other.json()["code"] == "not_found", "error shape: {}", other.text);
    let teacher = cimiento_e2e::jwt::session_token(&stack, demo::TENANT, demo::ADMIN, &["teacher"], &["*"]).await?;
    let (denied, _) = download(&stack, Some(&teacher), &any, &[]).await?;
    ensure!(denied.status == 404, "a role without invoices.read does not see it: {}", denied.status);
    let (ok, _) = download(&stack, Some(&token), &any, &[]).await?;
    ensure!(ok.status == 200, "the admin does");
    let (bad, _) = download(&stack, Some(&token), "not-a-uuid", &[]).await?;
    ensure!(bad.status == 400, "a malformed id is 400");
    Ok(())
}

fn renderer_pids(stack: &Stack) -> Result<Vec<i32>> {
    let api: i32 = std::fs::read_to_string(stack.state_dir.join("run/api.pid"))?.trim().parse()?;
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<i32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let ppid: i32 = stat.rsplit(')').next().unwrap_or("").split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
        let state = stat.rsplit(')').next().unwrap_or("").split_whitespace().next().unwrap_or("");
        if ppid == api && state != "Z" {
            pids.push(pid);
        }
    }
    Ok(pids)
}

pub async fn killed_renderer_worker_is_replaced(stack: Arc<Stack>) -> Result<()> {
    let token = demo::admin_token(&stack).await?;
    let code = format!("K{}", &uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase());
    series(&stack, &token, &code, "invoice").await?;
    let before = renderer_pids(&stack)?;
    ensure!(!before.is_empty(), "the api keeps warm renderer workers");
    // A long document, so the render is still running when its worker is killed.
    let lines: Vec<Value> = (1..=1000).map(|i| json!({"description": format!("Material didáctico, lote {i}"), "quantity": 1, "unit_price": 1.5})).collect();
    let doc = issue(&stack, &token, json!({"series_code": code, "customer_name": "Cliente Grande", "lines": lines})).await?;
    let id = doc["id"].as_str().context("id")?.to_string();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for pid in &before {
        let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    }
    // The request is answered (the render retried on a fresh worker) or fails cleanly.
    let (res, pdf) = download(&stack, Some(&token), &id, &[]).await?;
    ensure!(res.status == 200 || res.status == 503, "answered or failed cleanly: {} {}", res.status, res.text);
    if res.status == 503 {
        ensure!(res.json()["code"] == "unavailable", "clean error shape: {}", res.text);
    }
    let (res, pdf2) = download(&stack, Some(&token), &id, &[]).await?;
    ensure!(res.status == 200 && pdf2.starts_with(b"%PDF-"), "the next request is served: {}", res.status);
    if !pdf.is_empty() {
        ensure!(pdf == pdf2, "still one stored document");
    }
    let after = renderer_pids(&stack)?;
    ensure!(!after.is_empty() && after.iter().all(|p| !before.contains(p)), "the killed workers were replaced: {before:?} -> {after:?}");
    get(&format!("{}/health", stack.api_url()), None, &[]).await?.expect(200)?;
    Ok(())
}

/// Issue #11 item 8: a document that cannot be rendered (here: the largest one accepted,
/// 1000 lines of 500 CJK characters, against a 3 s render deadline) is recorded with its
/// reason and retried with backoff a bounded number of times; while it exists and its issuer
/// hammers its download, other invoices' PDFs are served before that deadline: a download
/// queued behind the poisoned render would wait for the deadline at least, so the bound
/// tells a stall from a slow machine without being a timing goal. Runs on its own stack
/// (short deadline). The poison takes ~18 s to render on the 2-core machine this was written
/// on (1000 lines of Latin text ~8.5 s: only 2x the deadline that once was 4 s, and a faster
/// CI machine rendered the retry in time), so it overruns the deadline on a machine 6x faster.
pub async fn poisoned_document_does_not_stall_the_others(_shared: Arc<Stack>) -> Result<()> {
    let deadline = POISON_DEADLINE.as_secs().to_string();
    let stack = Stack::start("pdf-poison", false, &[("CIMIENTO_PDF_TIMEOUT_SECS", deadline.as_str()), ("CIMIENTO_PDF_WORKERS", "2")])?;
    let outcome = poisoned_document_scenario(&stack).await;
    stack.stop();
    outcome
}

/// The render deadline of the poisoned-document stack.
const POISON_DEADLINE: Duration = Duration::from_secs(3);

async fn poisoned_document_scenario(stack: &Stack) -> Result<()> {
    let token = demo::admin_token(stack).await?;
    let code = format!("P{}", &uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase());
    series(stack, &token, &code, "invoice").await?;
    // CJK text shaped with font fallback: the slowest text to lay out of the kinds tried
    // (Latin words, one long word, Arabic, emoji, mixed scripts).
    let long = "漢字かなカナ한국어".repeat(60);
    let lines: Vec<Value> =
        (1..=1000).map(|i| json!({"description": format!("{i} {long}").chars().take(500).collect::<String>(), "quantity": 1, "unit_price": 1})).collect();
    let poison = issue(stack, &token, json!({"series_code": code, "customer_name": "Cliente Venenoso", "lines": lines})).await?;
    let poison_id = poison["id"].as_str().context("id")?.to_string();

    // The issuer hammers the poisoned download meanwhile.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut hammers = Vec::new();
    for _ in 0..4 {
        let (api, token, id, stop) = (stack.api_url().to_string(), token.clone(), poison_id.clone(), stop.clone());
        hammers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let res = get(&format!("{api}/invoices/{id}/pdf"), Some(&token), &[]).await?;
                statuses.push((res.status, res.headers.get("retry-after").is_some(), res.text));
            }
            anyhow::Ok(statuses)
        }));
    }
    // Other invoices are issued and downloaded, each before the poisoned render's deadline.
    let mut slowest = Duration::ZERO;
    for n in 0..6 {
        let doc = issue(stack, &token, json!({"series_code": code, "customer_name": format!("Cliente {n}"),
            "lines": [{"description": "Matrícula", "quantity": 1, "unit_price": 50}]})).await?;
        let started = std::time::Instant::now();
        let id = doc["id"].as_str().context("id")?;
        let (res, pdf) = download(stack, Some(&token), id, &[]).await?;
        let took = started.elapsed();
        ensure!(res.status == 200 && pdf.starts_with(b"%PDF-"), "invoice {n} is served: {} {}", res.status, res.text);
        ensure!(took < POISON_DEADLINE, "invoice {n} served in {took:?} while a poisoned document exists: it waited for the poisoned render");
        slowest = slowest.max(took);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut refused = 0;
    for h in hammers {
        for (status, retry_after, text) in h.await?? {
            ensure!(status == 409, "the poisoned download is refused cleanly, not re-rendered: {status} {text}");
            ensure!(retry_after, "with Retry-After while a retry is scheduled");
            ensure!(!text.contains("did not finish") && text.contains("document_not_rendered"), "no internals: {text}");
            refused += 1;
        }
    }
    eprintln!("    6 invoices served in at most {slowest:?}; {refused} downloads of the poisoned one refused with 409");

    // Rendered once (the listener or the first download), recorded with its reason.
    let sup = stack.superuser().await?;
    let row = sup
        .query_one("SELECT attempts, last_error, next_attempt_at > now() FROM billing.document_render_failures WHERE invoice_id = $1::text::uuid", &[&poison_id])
        .await
        .context("the failure is recorded")?;
    let (attempts, reason, scheduled): (i32, String, bool) = (row.get(0), row.get(1), row.get(2));
    ensure!(attempts == 1 && scheduled, "one attempt, the next one scheduled: {attempts} {scheduled}");
    ensure!(reason.contains("did not finish within"), "the reason is kept for operators: {reason}");
    eprintln!("    recorded: {attempts} attempt, the next one scheduled; reason kept");

    // The retries are bounded: the last one gives up and nothing is scheduled any more.
    sup.execute("UPDATE billing.document_render_failures SET attempts = billing.render_max_attempts() - 1, next_attempt_at = now() - interval '1 second'
                  WHERE invoice_id = $1::text::uuid", &[&poison_id]).await?;
    let (res, _) = download(stack, Some(&token), &poison_id, &[]).await?;
    ensure!(res.status == 409 && res.headers.get("retry-after").is_none(), "gave up: {} {}", res.status, res.text);
    eprintln!("    the last attempt overran the deadline too: 409 without Retry-After");
    let (attempts, next): (i32, Option<bool>) = {
        let r = sup.query_one("SELECT attempts, next_attempt_at IS NOT NULL FROM billing.document_render_failures WHERE invoice_id = $1::text::uuid", &[&poison_id]).await?;
        (r.get(0), r.get(1))
    };
    ensure!(attempts == 5 && next == Some(false), "five attempts, then none scheduled: {attempts} {next:?}");
    // The catch-up does not pick it up again either.
    let due: i64 = sup.query_one("SELECT count(*) FROM billing.documents_to_render(1000) WHERE invoice_id = $1::text::uuid", &[&poison_id]).await?.get(0);
    ensure!(due == 0, "not due any more");
    // An operator can ask for another attempt.
    let retried: bool = stack.owner().await?.query_one("SELECT billing.retry_document_render($1::text::uuid, $2::text::uuid)",
        &[&demo::TENANT, &poison_id]).await?.get(0);
    ensure!(retried, "the operator's retry clears the failures");

    // A malformed notification is ignored; the api keeps serving.
    sup.batch_execute(&format!("NOTIFY cimiento_documents, 'x:y'; NOTIFY cimiento_documents, '{}:not-a-uuid'", demo::TENANT)).await?;
    get(&format!("{}/health", stack.api_url()), None, &[]).await?.expect(200)?;
    Ok(())
}
