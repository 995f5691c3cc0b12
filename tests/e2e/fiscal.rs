//! Fiscal records end to end (#17): VERI*FACTU through PostgREST — the XML validates against
//! the AEAT's schema with xmllint, the QR on the PDF decodes (zbarimg) to the cotejo URL,
//! cancelling is refused when it must be — and 32 concurrent issuers make one unbroken chain.
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::demo::{self, CENTRO};
use cimiento_e2e::http::{get, post};
use cimiento_api::fiscal::{send_next, Authority, Batch, SendError, Sender, Verdict};
use cimiento_e2e::Stack;
use serde_json::{json, Value};

/// Validates an XML document against the AEAT's SuministroLR.xsd (offline); Ok(None) when it
/// validates, Ok(Some(xmllint's complaint)) when it does not.
fn aeat_schema_errors(xml: &str) -> Result<Option<String>> {
    let file = tempfile::Builder::new().suffix(".xml").tempfile()?;
    std::fs::write(file.path(), xml)?;
    let schema = cimiento_e2e::repo_root().join("tests/fiscal/aeat/SuministroLR.xsd");
    let out = Command::new("xmllint")
        .args(["--nonet", "--noout", "--schema"])
        .arg(&schema)
        .arg(file.path())
        .output()
        .context("xmllint (Debian libxml2-utils) runs")?;
    Ok((!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned()))
}

/// The text of the QR codes on the first page of a PDF (pdftoppm, then zbarimg).
fn qr_codes(pdf: &[u8]) -> Result<Vec<String>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf)?;
    let page = dir.path().join("page");
    let raster = Command::new("pdftoppm").args(["-r", "150", "-png", "-f", "1", "-l", "1"]).arg(&file).arg(&page).output()?;
    ensure!(raster.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&raster.stderr));
    let png = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .context("a rasterized page")?;
    let out = Command::new("zbarimg").args(["-q", "--raw"]).arg(&png).output().context("zbarimg (Debian zbar-tools) runs")?;
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).filter(|l| !l.is_empty()).collect())
}

async fn rpc(stack: &Stack, token: &str, name: &str, body: Value) -> Result<cimiento_e2e::http::Resp> {
    post(&format!("{}/rpc/{name}", stack.postgrest_url()), Some(token), &body, &[]).await
}

async fn fiscal_xml(stack: &Stack, token: &str, invoice: &str) -> Result<String> {
    let res = get(&format!("{}/rpc/fiscal_xml?invoice_id={invoice}", stack.postgrest_url()), Some(token), &[("Accept", "text/xml")]).await?;
    ensure!(res.status == 200, "the XML of {invoice} is served: {} {}", res.status, res.text);
    ensure!(res.headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/xml")), "as text/xml");
    Ok(res.text)
}

/// The demo tenant issues under its Spanish profile through PostgREST: two invoices, a credit
/// note of the second, the first cancelled. Every document's XML validates against the AEAT
/// schema (and a corrupted one does not), the chain verifies, the QR on the invoice's PDF
/// decodes to the AEAT cotejo URL of that invoice.
pub async fn verifactu_through_postgrest_validates_and_its_qr_decodes(stack: Arc<Stack>) -> Result<()> {
    let token = demo::admin_token(&stack).await?;
    let year: i32 = chrono::Utc::now().format("%Y").to_string().parse()?;
    let tag = uuid::Uuid::new_v4().simple().to_string()[..5].to_uppercase();
    let (inv, cn) = (format!("V{tag}"), format!("W{tag}"));
    for (code, kind) in [(&inv, "invoice"), (&cn, "credit_note")] {
        post(&format!("{}/invoice_series", stack.postgrest_url()), Some(&token),
             &json!({"branch_id": CENTRO, "code": code, "kind": kind, "fiscal_year": year}), &[]).await?.expect(201)?;
    }
    let issue = |customer: &'static str, tax_id: Option<&'static str>| {
        let (stack, token, inv) = (stack.clone(), token.clone(), inv.clone());
        async move {
            let res = rpc(&stack, &token, "issue_invoice", json!({"series_code": inv, "customer_name": customer, "customer_tax_id": tax_id,
                "lines": [{"description": "Curso de alemán", "quantity": 1, "unit_price": 100, "tax_rate": 21},
                          {"description": "Libro", "quantity": 2, "unit_price": 10, "tax_rate": 4}]})).await?;
            anyhow::Ok(res.expect(200)?.json())
        }
    };
    let first = issue("Marta Núñez & Cía", Some("12345678Z")).await?;
    let second = issue("Luis Gómez", None).await?;
    let (first_id, second_id) = (first["id"].as_str().context("id")?.to_string(), second["id"].as_str().context("id")?.to_string());
    let credit = rpc(&stack, &token, "issue_credit_note", json!({"invoice_id": second_id, "reason": "Devolución de un libro",
        "lines": [{"line_no": 2, "quantity": 1}], "series_code": cn})).await?.expect(200)?.json();
    let credit_id = credit["id"].as_str().context("id")?.to_string();

    // Cancelling: a reason is required, it happens once, never after a credit note.
    let res = rpc(&stack, &token, "annul_invoice", json!({"invoice_id": first_id, "reason": ""})).await?;
    ensure!(res.status == 400 && res.json()["code"] == "22023", "no reason is 400: {} {}", res.status, res.text);
    let annulled = rpc(&stack, &token, "annul_invoice", json!({"invoice_id": first_id, "reason": "Emitida por error"})).await?.expect(200)?.json();
    ensure!(annulled[0]["kind"] == "anulacion", "a registro de anulación: {annulled}");
    let res = rpc(&stack, &token, "annul_invoice", json!({"invoice_id": first_id, "reason": "otra vez"})).await?;
    ensure!(res.status == 409 && res.json()["code"] == "PT409", "cancelled once: {} {}", res.status, res.text);
    let res = rpc(&stack, &token, "annul_invoice", json!({"invoice_id": second_id, "reason": "error"})).await?;
    ensure!(res.status == 409, "an invoice with a credit note is not cancelled: {} {}", res.status, res.text);
    let res = rpc(&stack, &token, "annul_invoice", json!({"invoice_id": uuid::Uuid::new_v4(), "reason": "error"})).await?;
    ensure!(res.status == 404 && !res.text.contains("B12345674"), "an unknown invoice is 404 without internals: {} {}", res.status, res.text);

    // Each document's records as the AEAT's XML, validated offline with the official schema.
    for (label, id, kinds) in [("invoice + anulación", &first_id, 2), ("invoice", &second_id, 1), ("rectificativa", &credit_id, 1)] {
        let xml = fiscal_xml(&stack, &token, id).await?;
        ensure!(xml.matches("<sum:RegistroFactura>").count() == kinds, "{label}: {kinds} registros in {xml}");
        if let Some(errors) = aeat_schema_errors(&xml)? {
            anyhow::bail!("{label}: the XML does not validate against SuministroLR.xsd:\n{errors}\n{xml}");
        }
        if label == "rectificativa" {
            ensure!(xml.contains("<sum1:TipoFactura>R1</sum1:TipoFactura>") && xml.contains("<sum1:ImporteTotal>-10.40</sum1:ImporteTotal>"),
                    "a credit note is an R1 with negative amounts: {xml}");
        }
    }
    // The validation is meaningful: a record with an invoice type the schema does not know fails.
    let xml = fiscal_xml(&stack, &token, &second_id).await?.replace("<sum1:TipoFactura>F1<", "<sum1:TipoFactura>F9<");
    ensure!(aeat_schema_errors(&xml)?.is_some(), "a corrupted document does not validate");

    let chains = get(&format!("{}/rpc/verify_fiscal_chain", stack.postgrest_url()), Some(&token), &[]).await?.expect(200)?.json();
    ensure!(chains.as_array().is_some_and(|c| !c.is_empty() && c.iter().all(|c| c["ok"] == true)), "the tenant's chain verifies: {chains}");

    // The QR of the second invoice's PDF: the cotejo URL with its NIF, number, date, total.
    let (res, pdf) = crate::pdf::download(&stack, Some(&token), &second_id, &[]).await?;
    ensure!(res.status == 200, "the PDF is served: {} {}", res.status, res.text);
    let date = second["issue_date"].as_str().context("issue_date")?;
    let expected = format!(
        "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie={}&fecha={}-{}-{}&importe={:.2}",
        second["number_display"].as_str().context("number")?,
        &date[8..10], &date[5..7], &date[0..4],
        second["total"].as_f64().context("total")?
    );
    let codes = qr_codes(&pdf)?;
    ensure!(codes == [expected.clone()], "the QR decodes to {expected}: {codes:?}");
    eprintln!("    3 documents' XML valid against SuministroLR.xsd; the QR reads {expected}");

    // The send queue with a plugged-in sender (no network): it accepts every record but the
    // first of each batch, which the "AEAT" rejects with its code.
    struct Answering;
    impl Sender for Answering {
        async fn send(&self, batch: &Batch) -> Result<Option<Vec<Verdict>>, SendError> {
            if !batch.payload.contains("<sum:RegFactuSistemaFacturacion") {
                return Err(SendError(format!("not a VERI*FACTU batch: {}", &batch.payload[..batch.payload.len().min(80)])));
            }
            Ok(Some((0..batch.submissions.len())
                .map(|i| if i == 0 { Verdict::Rejected { code: "4102".into(), message: "El NIF no está identificado".into() } } else { Verdict::Accepted })
                .collect()))
        }
    }
    let pool = api_pool(&stack)?;
    let mut rounds = 0;
    while let Some(round) = send_next(&pool, Authority::Aeat, &Answering, 1000).await? {
        ensure!(round.answered as usize == round.submissions, "every submission of batch {} answered", round.batch);
        rounds += 1;
        ensure!(rounds < 100, "the queue drains");
    }
    let records = get(&format!("{}/fiscal_records?invoice_id=in.({first_id},{second_id},{credit_id})&select=kind,submission_state,submission_error_code",
                                stack.postgrest_url()), Some(&token), &[]).await?.expect(200)?.json();
    let states: Vec<&str> = records.as_array().context("records")?.iter().filter_map(|r| r["submission_state"].as_str()).collect();
    ensure!(states.len() == 4 && states.iter().all(|s| *s == "accepted" || *s == "rejected"), "every record was answered: {records}");
    let owner = stack.owner().await?;
    let rejected: i64 = owner.query_one("SELECT count(*) FROM fiscal.submissions WHERE state = 'rejected' AND error_code = '4102' AND error_message LIKE 'El NIF%'", &[]).await?.get(0);
    ensure!(rejected >= 1, "a rejection keeps the authority's code and message");
    eprintln!("    send queue: {rounds} batches answered by the plugged-in sender");
    Ok(())
}

/// A pool of the api's own login (`cimiento_api`), the role the queue functions allow.
fn api_pool(stack: &Stack) -> Result<cimiento_api::db::Pool> {
    let cfg: tokio_postgres::Config = stack.var("CIMIENTO_API_DATABASE_URL").parse()?;
    let manager = deadpool_postgres::Manager::new(cfg, tokio_postgres::NoTls);
    let inner = deadpool_postgres::Pool::builder(manager).max_size(2).build()?;
    Ok(cimiento_api::db::Pool::new(inner, std::time::Duration::from_secs(30)))
}

/// 32 clients issue concurrently in two series of one issuer (a fifth of them roll back):
/// one chain, positions 1..n without a hole or a fork, one record per committed invoice.
pub async fn thirty_two_issuers_make_one_unbroken_chain(stack: Arc<Stack>) -> Result<()> {
    use cimiento_e2e::load::{self, LoadConfig};
    let targets: Vec<_> = crate::numbering::targets(&stack, "fiscal").await?.into_iter().take(2).collect();
    let tenant = targets[0].tenant.clone();
    let owner = stack.owner().await?;
    owner
        .execute("INSERT INTO fiscal.profiles (tenant_id, country, tax_id, legal_name, address)
                  VALUES ($1::text::uuid, 'ES', 'B87654323', 'Concurrencia S.L.', 'Calle 1, Madrid')", &[&tenant])
        .await?;
    let started = Instant::now();
    let cfg = LoadConfig { url: stack.var("CIMIENTO_AUTHENTICATOR_URL").to_string(), clients: 32, calls_per_client: Some(8), rollback_ratio: 0.2 };
    let out = load::run(cfg, targets, Arc::new(std::sync::atomic::AtomicBool::new(false))).await;
    ensure!(out.in_doubt == 0, "no transaction in doubt: {out:?}");
    let committed = out.acknowledged.len() as i64;
    ensure!(committed > 100, "most of the 256 calls committed: {committed}");
    let row = owner.query_one("SELECT ok, records, coalesce(field, '') FROM fiscal.verify_chain($1::text::uuid)", &[&tenant]).await?;
    let (ok, records, field): (bool, i64, String) = (row.get(0), row.get(1), row.get(2));
    ensure!(ok, "the chain verifies (first break: {field})");
    ensure!(records == committed, "one record per committed invoice: {records} records, {committed} invoices");
    let row = owner
        .query_one("SELECT count(DISTINCT position), min(position), max(position), count(DISTINCT previous_huella), count(*) FILTER (WHERE previous_huella IS NULL)
                      FROM fiscal.records WHERE tenant_id = $1::text::uuid", &[&tenant])
        .await?;
    let (distinct, min, max, links, firsts): (i64, i64, i64, i64, i64) = (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
    ensure!(distinct == committed && min == 1 && max == committed, "positions are 1..{committed}: {distinct} distinct, {min}..{max}");
    ensure!(links == committed - 1 && firsts == 1, "no fork: every record but the first names a different predecessor ({links} links, {firsts} first)");
    let ids: Vec<String> = out.acknowledged.iter().map(|(_, _, id, _)| id.clone()).collect();
    let recorded: i64 = owner
        .query_one("SELECT count(DISTINCT invoice_id) FROM fiscal.records WHERE tenant_id = $1::text::uuid AND kind = 'alta' AND invoice_id::text = ANY ($2)", &[&tenant, &ids])
        .await?
        .get(0);
    ensure!(recorded == committed, "every acknowledged invoice has its registro: {recorded}/{committed}");
    eprintln!("    32 clients: {committed} invoices committed ({} rolled back) in {:.1} s, one chain of {records} records verifies",
              out.rolled_back, started.elapsed().as_secs_f64());
    Ok(())
}
