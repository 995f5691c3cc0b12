//! Bulk imports through the api and PostgREST: a 10 000-row students CSV from Excel in
//! Windows-1252 with 3 % bad rows, uploaded by the demo academy's registrar of Sede Norte;
//! exactly the bad rows reported under the right header; promotion killed half-way and
//! resumed by the restarted api without duplicates; another tenant kept out. And an XLSX
//! of products with opening stock in the demo shop.
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use cimiento_e2e::demo::{self, shop};
use cimiento_e2e::http::{get, post, upload};
use cimiento_e2e::Stack;
use serde_json::{json, Value};

const REGISTRAR_EMAIL: &str = "secretaria.norte@demo.cimiento.dev";

/// The batch as `GET /imports?id=eq.…` shows it.
async fn batch(stack: &Stack, token: &str, id: &str) -> Result<Value> {
    let rows = get(&format!("{}/imports?id=eq.{id}", stack.postgrest_url()), Some(token), &[]).await?.expect(200)?.json();
    Ok(rows.get(0).cloned().unwrap_or(Value::Null))
}

/// Polls the batch until `done(batch)` holds (or the deadline passes).
async fn wait_for(stack: &Stack, token: &str, id: &str, what: &str, secs: u64, done: impl Fn(&Value) -> bool) -> Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let b = batch(stack, token, id).await?;
        if done(&b) {
            return Ok(b);
        }
        if Instant::now() > deadline {
            bail!("batch {id} not {what} after {secs} s: {b}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Which header a bad row's error must be under, by the kind of fault planted.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    BadDocument,
    Repeated,
    UnknownBranch,
    OtherBranch,
}

impl Fault {
    fn header(self) -> &'static str {
        match self {
            Fault::BadDocument | Fault::Repeated => "DNI",
            Fault::UnknownBranch | Fault::OtherBranch => "Sede",
        }
    }
}

/// 10 000 students as Excel exports them in Spain: `;`, CRLF, Windows-1252. Every 400 rows,
/// 12 are bad (3 %), three of each fault. Returns the file, the planted faults by row number
/// (the header is row 1) and the document ids of the good rows.
fn students_csv(tag: &str) -> (Vec<u8>, BTreeMap<i64, Fault>, Vec<String>) {
    let first = ["José", "María", "Íñigo", "Begoña", "Ramón"];
    let last = ["Núñez", "Peña", "Ibáñez", "Muñoz", "Gómez"];
    let mut text = String::from("Sede;DNI;Nombre;Apellidos;Correo electrónico\r\n");
    let (mut faults, mut good) = (BTreeMap::new(), Vec::new());
    for i in 0..10_000usize {
        let row_no = i as i64 + 2;
        let doc = format!("{tag}{i:05}");
        let slots = [7, 23, 51, 107, 123, 151, 207, 223, 251, 307, 323, 351];
        let fault = slots.iter().position(|s| *s == i % 400).map(|p| [Fault::BadDocument, Fault::Repeated, Fault::UnknownBranch, Fault::OtherBranch][p % 4]);
        let (branch, doc) = match fault {
            Some(Fault::BadDocument) => ("NORTE", format!("{doc} ¿?")),
            Some(Fault::Repeated) => ("NORTE", format!("{tag}{:05}", i - 1)),
            Some(Fault::UnknownBranch) => ("MARTE", doc),
            Some(Fault::OtherBranch) => ("CENTRO", doc),
            None => ("NORTE", doc),
        };
        match fault {
            Some(f) => {
                faults.insert(row_no, f);
            }
            None => good.push(doc.clone()),
        }
        text.push_str(&format!("{branch};{doc};{};{};{}@example.es\r\n", first[i % 5], last[i % 5], doc.to_lowercase().replace([' ', '¿', '?'], "")));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable, "the test file is all Windows-1252");
    (bytes.into_owned(), faults, good)
}

pub async fn students_csv_in_windows_1252_validated_promoted_and_resumed(stack: Arc<Stack>) -> Result<()> {
    let token = demo::sign_in(&stack, REGISTRAR_EMAIL).await?;
    let tag = format!("E{}", &uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase());
    let (file, faults, good) = students_csv(&tag);
    ensure!(faults.len() == 300 && good.len() == 9_700, "3 % of the rows are bad");

    // Upload: detected encoding and delimiter, suggested mapping, validation under way.
    let created = upload(&format!("{}/imports", stack.api_url()), Some(&token), &[("target", "students")], "alumnos.csv", file)
        .await?
        .expect(201)?
        .json();
    let id = created["id"].as_str().context("batch id")?.to_string();
    ensure!(created["encoding"] == "windows-1252" && created["delimiter"] == ";", "encoding and delimiter detected: {created}");
    ensure!(created["rows_total"] == 10_000, "10 000 rows staged: {created}");
    ensure!(created["mapping"]["Correo electrónico"] == "email" && created["mapping"]["DNI"] == "document_id", "mapping suggested: {}", created["mapping"]);

    // Validation in the background, with progress; exactly the planted rows refused.
    let validated = wait_for(&stack, &token, &id, "validated", 180, |b| b["status"] == "validated").await?;
    ensure!(validated["rows_invalid"] == 300 && validated["rows_valid"] == 9_700, "300 invalid, 9 700 valid: {validated}");
    ensure!(validated["rows_per_second"].as_f64().unwrap_or(0.0) > 0.0, "a validation rate is reported: {validated}");
    let invalid = get(&format!("{}/import_rows?batch_id=eq.{id}&state=eq.invalid&select=row_no,errors&order=row_no", stack.postgrest_url()),
        Some(&token), &[]).await?.expect(200)?.json();
    let reported: BTreeMap<i64, Vec<String>> = invalid
        .as_array()
        .context("rows")?
        .iter()
        .map(|r| (r["row_no"].as_i64().unwrap_or(0), r["errors"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()))
        .collect();
    ensure!(reported.keys().eq(faults.keys()), "exactly the planted rows are reported");
    for (row, fault) in &faults {
        ensure!(reported[row] == vec![fault.header().to_string()], "row {row} ({fault:?}) is reported under {}: {:?}", fault.header(), reported[row]);
    }
    let sample = invalid[0]["errors"].to_string();
    ensure!(!sample.contains("0000-4000"), "no internal id is echoed: {sample}");

    // The errors as a CSV: the original row and its errors, accents intact.
    let res = get(&format!("{}/imports/{id}/errors.csv", stack.api_url()), Some(&token), &[]).await?.expect(200)?;
    let csv = res.text.clone();
    ensure!(csv.starts_with('\u{feff}') && csv.lines().count() == 301, "a header and 300 rows: {} lines", csv.lines().count());
    ensure!(csv.lines().nth(1).is_some_and(|l| l.contains("Begoña") || l.contains("Íñigo") || l.contains("Núñez") || l.contains("Peña")), "accents intact: {:?}", csv.lines().nth(1));
    ensure!(csv.contains("no existe esa sede («MARTE»)") && csv.contains("no puede registrar alumnos en esta sede («CENTRO»)"), "the reasons in Spanish");

    // Another tenant sees nothing of it.
    let other = demo::sign_in_to(&stack, shop::SLUG, shop::ADMIN_EMAIL).await?;
    ensure!(batch(&stack, &other, &id).await?.is_null(), "another tenant does not see the batch");
    get(&format!("{}/imports/{id}/errors.csv", stack.api_url()), Some(&other), &[]).await?.expect(404)?;

    // Promote; kill the api half-way; the restarted api resumes; nothing is duplicated.
    let rpc = format!("{}/rpc/promote_import", stack.postgrest_url());
    post(&rpc, Some(&token), &json!({"batch_id": id}), &[]).await?.expect(200)?;
    let started = wait_for(&stack, &token, &id, "promoting", 120, |b| b["rows_created"].as_i64().unwrap_or(0) > 0 || b["status"] == "done").await?;
    ensure!(started["status"] == "promoting", "promotion still under way when the api is killed: {started}");
    let pid = std::fs::read_to_string(stack.state_dir.join("run/api.pid"))?.trim().to_string();
    let killed = std::process::Command::new("kill").args(["-9", &pid]).status()?;
    ensure!(killed.success(), "the api is killed");
    let at_kill = batch(&stack, &token, &id).await?;
    let out = stack.script("up")?;
    ensure!(out.status.success(), "the api restarts: {}", String::from_utf8_lossy(&out.stderr));
    post(&rpc, Some(&token), &json!({"batch_id": id}), &[]).await?.expect(200)?; // promoting twice is promoting once
    let done = wait_for(&stack, &token, &id, "done", 180, |b| b["status"] == "done").await?;
    ensure!(done["rows_created"] == 9_700 && done["rows_failed"] == 0, "every valid row created once: {done} (at the kill: {at_kill})");

    let owner = stack.owner().await?;
    let counts = owner
        .query_one(
            "SELECT count(*), count(DISTINCT s.document_id), count(l.row_no),
                    count(*) FILTER (WHERE s.last_name IN ('Núñez', 'Peña', 'Ibáñez', 'Muñoz', 'Gómez') AND s.first_name IN ('José', 'María', 'Íñigo', 'Begoña', 'Ramón'))
               FROM academy.students s
               LEFT JOIN imports.lineage l ON l.tenant_id = s.tenant_id AND l.target_id = s.id AND l.batch_id = $2::text::uuid
              WHERE s.tenant_id = $1::text::uuid AND s.document_id LIKE $3",
            &[&demo::TENANT, &id, &format!("{tag}%")],
        )
        .await?;
    let (students, distinct, linked, accents): (i64, i64, i64, i64) = (counts.get(0), counts.get(1), counts.get(2), counts.get(3));
    ensure!(students == 9_700 && distinct == 9_700, "9 700 students, no duplicates: {students} ({distinct} distinct)");
    ensure!(linked == 9_700, "each linked to its row: {linked}");
    ensure!(accents == 9_700, "names with accents intact: {accents}");
    let created = get(&format!("{}/import_rows?batch_id=eq.{id}&action=eq.created&select=row_no,target_id&limit=1", stack.postgrest_url()),
        Some(&token), &[("prefer", "count=exact")]).await?.expect(206)?;
    ensure!(created.header("content-range").is_some_and(|r| r.ends_with("/9700")), "the batch lists what it created: {:?}", created.header("content-range"));
    Ok(())
}

pub async fn products_xlsx_with_opening_stock(stack: Arc<Stack>) -> Result<()> {
    let token = demo::sign_in_to(&stack, shop::SLUG, shop::ADMIN_EMAIL).await?;
    let tag = uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Catálogo")?;
    let header = ["Código", "Descripción", "PVP", "IVA", "Almacén", "Existencias", "Coste"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let rows: [(&str, &str, f64, f64, &str, f64, f64); 3] = [
        ("A", "Café molido 250 g", 3.95, 10.0, "CEN-ALMACEN", 40.0, 2.1),
        ("B", "Té verde ecológico", 2.5, 10.0, "CEN-TIENDA", 12.0, 1.2),
        ("C", "Azúcar moreno", 1.8, 10.0, "NO-EXISTE", 5.0, 0.9),
    ];
    for (r, (sku, name, price, vat, location, stock, cost)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, format!("XL-{tag}-{sku}"))?;
        sheet.write_string(r, 1, *name)?;
        sheet.write_number(r, 2, *price)?;
        sheet.write_number(r, 3, *vat)?;
        sheet.write_string(r, 4, *location)?;
        sheet.write_number(r, 5, *stock)?;
        sheet.write_number(r, 6, *cost)?;
    }
    let bytes = book.save_to_buffer()?;
    let created = upload(&format!("{}/imports", stack.api_url()), Some(&token), &[("target", "products"), ("sheet", "Catálogo")], "catalogo.xlsx", bytes)
        .await?
        .expect(201)?
        .json();
    let id = created["id"].as_str().context("batch id")?.to_string();
    ensure!(created["format"] == "xlsx" && created["sheet"] == "Catálogo", "an XLSX, its named sheet: {created}");
    ensure!(created["mapping"]["Existencias"] == "opening_stock" && created["mapping"]["Almacén"] == "location_id", "mapping: {}", created["mapping"]);
    let validated = wait_for(&stack, &token, &id, "validated", 60, |b| b["status"] == "validated").await?;
    ensure!(validated["rows_valid"] == 2 && validated["rows_invalid"] == 1, "the unknown store is refused: {validated}");
    let bad = get(&format!("{}/import_rows?batch_id=eq.{id}&state=eq.invalid", stack.postgrest_url()), Some(&token), &[]).await?.expect(200)?.json();
    ensure!(bad[0]["row_no"] == 4 && bad[0]["errors"]["Almacén"] == "no existe ese almacén («NO-EXISTE»)", "row 4, under Almacén: {bad}");
    ensure!(get(&format!("{}/products?sku=like.XL-{tag}-*", stack.postgrest_url()), Some(&token), &[]).await?.expect(200)?.json() == json!([]),
        "validation created no product");
    post(&format!("{}/rpc/promote_import", stack.postgrest_url()), Some(&token), &json!({"batch_id": id}), &[]).await?.expect(200)?;
    wait_for(&stack, &token, &id, "done", 60, |b| b["status"] == "done").await?;
    let stock = get(&format!("{}/stock_levels?sku=like.XL-{tag}-*&order=sku&select=sku,product_name,location_code,quantity", stack.postgrest_url()),
        Some(&token), &[]).await?.expect(200)?.json();
    ensure!(stock == json!([
        {"sku": format!("XL-{tag}-A"), "product_name": "Café molido 250 g", "location_code": "CEN-ALMACEN", "quantity": 40.0},
        {"sku": format!("XL-{tag}-B"), "product_name": "Té verde ecológico", "location_code": "CEN-TIENDA", "quantity": 12.0}
    ]), "products with their opening stock: {stock}");
    Ok(())
}

/// Begins a transaction as the demo admin, as PostgREST would (role and claims).
async fn begin_as_admin(db: &tokio_postgres::Client) -> Result<()> {
    let claims = json!({"role": cimiento_e2e::APP_USER, "tid": demo::TENANT, "roles": ["admin"], "branches": ["*"],
                        "grants": {"admin": ["*"]}, "sub": demo::ADMIN})
    .to_string();
    db.batch_execute(&format!("BEGIN; SET LOCAL ROLE {}", cimiento_e2e::APP_USER)).await?;
    db.execute("SELECT set_config('request.jwt.claims', $1, true)", &[&claims]).await?;
    Ok(())
}

/// Promotion chunks are written side by side, each reading the batch without locking it: a
/// chunk whose batch stops promoting while it is written (another chunk failed it) is undone
/// whole with 40001 — no student, no claim, no lineage — and the batch stays failed.
pub async fn promotion_chunk_undone_when_its_batch_fails_meanwhile(stack: Arc<Stack>) -> Result<()> {
    let url = stack.var("CIMIENTO_AUTHENTICATOR_URL").to_string();
    let (a, b) = (cimiento_e2e::connect(&url).await?, cimiento_e2e::connect(&url).await?);
    let tag = format!("UNDO{}", &uuid::Uuid::new_v4().simple().to_string()[..8]).to_uppercase();
    // Staged, validated and promoting in one transaction, the lease taken an hour ahead so
    // the api's worker leaves the batch to this test.
    begin_as_admin(&a).await?;
    let id: String = a
        .query_one("SELECT api.create_import('students', 'deshacer.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id'", &[])
        .await?
        .get(0);
    let rows = json!((0..20).map(|i| json!(["CENTRO", format!("{tag}{i:03}"), "Ana", "Peña"])).collect::<Vec<_>>());
    a.execute("SELECT api.stage_import_rows($1::text::uuid, 2, $2)", &[&id, &rows]).await?;
    a.execute("SELECT api.validate_import($1::text::uuid)", &[&id]).await?;
    a.execute("SELECT imports.validate_chunk($1::text::uuid, 100)", &[&id]).await?;
    a.execute("SELECT api.promote_import($1::text::uuid)", &[&id]).await?;
    a.execute("UPDATE imports.batches SET lease_until = now() + interval '1 hour' WHERE id = $1::text::uuid", &[&id]).await?;
    let chunks: i32 = a.query_one("SELECT imports.begin_promotion($1::text::uuid, 100)", &[&id]).await?.get(0);
    a.batch_execute("COMMIT").await?;
    ensure!(chunks == 1, "20 rows in one chunk of 100 row numbers: {chunks}");

    // The batch fails in one session while the other writes its chunk.
    begin_as_admin(&b).await?;
    b.execute("UPDATE imports.batches SET status = 'failed', error = 'e2e' WHERE id = $1::text::uuid", &[&id]).await?;
    begin_as_admin(&a).await?;
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&id];
    let (written, _) = tokio::join!(a.query_one("SELECT imports.promote_range($1::text::uuid, 0)", &params), async {
        tokio::time::sleep(Duration::from_millis(800)).await;
        b.batch_execute("COMMIT").await
    });
    let e = written.err().context("the chunk must not be written once its batch failed")?;
    ensure!(e.code() == Some(&tokio_postgres::error::SqlState::T_R_SERIALIZATION_FAILURE), "40001: {e:?}");
    a.batch_execute("ROLLBACK").await?;

    let owner = stack.owner().await?;
    let row = owner
        .query_one(
            "SELECT b.status, b.rows_created, b.chunks_promoted,
                    (SELECT count(*) FROM academy.students s WHERE s.tenant_id = b.tenant_id AND s.document_id LIKE $2 || '%'),
                    (SELECT count(*) FROM imports.promoted_chunks c WHERE c.tenant_id = b.tenant_id AND c.batch_id = b.id),
                    (SELECT count(*) FROM imports.lineage_chunks l WHERE l.tenant_id = b.tenant_id AND l.batch_id = b.id)
               FROM imports.batches b WHERE b.id = $1::text::uuid",
            &[&id, &tag],
        )
        .await?;
    let (status, created, counted): (String, i32, i32) = (row.get(0), row.get(1), row.get(2));
    let (students, claims, lineage): (i64, i64, i64) = (row.get(3), row.get(4), row.get(5));
    ensure!(status == "failed" && created == 0 && counted == 0, "the batch failed with nothing counted: {status} {created} {counted}");
    ensure!(students == 0 && claims == 0 && lineage == 0, "the chunk undone whole: {students} students, {claims} claims, {lineage} lineage rows");
    Ok(())
}

/// For DBAs: `cimiento-api import` from a terminal, as their own login (a member of app_user
/// mapped to a user in core.db_logins): validated and promoted with several connections,
/// the refused rows named, every valid row written once with its lineage.
pub async fn command_line_import_as_a_login(stack: Arc<Stack>) -> Result<()> {
    let suffix = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let (login, password, tag) = (format!("imports_{suffix}"), uuid::Uuid::new_v4().simple().to_string(), format!("CLI{suffix}").to_uppercase());
    let sup = stack.superuser().await?;
    sup.batch_execute(&format!(
        "CREATE ROLE {login} LOGIN PASSWORD '{password}' IN ROLE {}; GRANT CONNECT ON DATABASE cimiento TO {login};",
        cimiento_e2e::APP_USER
    ))
    .await?;
    sup.execute(
        "INSERT INTO core.db_logins (tenant_id, login_role, user_id, roles) VALUES ($1::text::uuid, $2, $3::text::uuid, '{admin}')",
        &[&demo::TENANT, &login, &demo::ADMIN],
    )
    .await?;
    // 50 rows; row 10 has an invalid document, row 20 an unknown branch.
    let mut csv = String::from("Sede;DNI;Nombre;Apellidos\n");
    for i in 0..50 {
        let (sede, dni) = match i {
            8 => ("CENTRO".to_string(), "no vale!".to_string()),
            18 => ("MARTE".to_string(), format!("{tag}{i:03}")),
            _ => ("CENTRO".to_string(), format!("{tag}{i:03}")),
        };
        csv.push_str(&format!("{sede};{dni};Begoña;Ibáñez\n"));
    }
    let file = std::env::temp_dir().join(format!("alumnos-{suffix}.csv"));
    std::fs::write(&file, csv)?;
    let url = format!("postgres://{login}:{password}@127.0.0.1:{}/cimiento", stack.var("CIMIENTO_PG_PORT"));
    let out = std::process::Command::new(cimiento_e2e::repo_root().join("target/release/cimiento-api"))
        .arg("import")
        .arg(&file)
        .args(["--target", "students", "--tenant", "demo", "--promote", "--promote-chunk-rows", "10", "--promote-connections", "3"])
        .args(["--database-url", &url])
        .output()?;
    let _ = std::fs::remove_file(&file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(out.status.success(), "the command succeeds: {stderr}");
    ensure!(stderr.contains("done — 50 rows, 48 valid, 2 invalid, 48 created, 0 updated"), "it says what it did: {stderr}");
    ensure!(stderr.contains("SELECT row_no, errors FROM api.import_rows"), "and where the refused rows are: {stderr}");

    let owner = stack.owner().await?;
    let row = owner
        .query_one(
            "SELECT count(*), count(DISTINCT s.document_id), count(l.row_no),
                    (SELECT b.promote_chunks FROM imports.batches b WHERE b.id = min(l.batch_id::text)::uuid)
               FROM academy.students s
               LEFT JOIN imports.lineage l ON l.tenant_id = s.tenant_id AND l.target_id = s.id
              WHERE s.tenant_id = $1::text::uuid AND s.document_id LIKE $2 || '%'",
            &[&demo::TENANT, &tag],
        )
        .await?;
    let (students, distinct, linked, chunks): (i64, i64, i64, Option<i32>) = (row.get(0), row.get(1), row.get(2), row.get(3));
    ensure!(students == 48 && distinct == 48 && linked == 48, "48 students once, each with its lineage: {students} {distinct} {linked}");
    ensure!(chunks == Some(6), "rows 2 to 51 in chunks of 10 row numbers: {chunks:?}");
    sup.batch_execute(&format!("DELETE FROM core.db_logins WHERE login_role = '{login}'; REVOKE CONNECT ON DATABASE cimiento FROM {login};")).await?;
    Ok(())
}
