//! The academy flow end to end through the real PostgREST with tokens from the real api:
//! course → student → enrollment → financial status → payments → invoice → attendance →
//! reports, and the denials (other branch, other tenant, overpayment, duplicate).
use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::http::{get, post, Resp};
use cimiento_e2e::Stack;
use serde_json::{json, Value};
use cimiento_e2e::demo::{self, CENTRO};



async fn rpc(stack: &Stack, token: &str, name: &str, body: Value) -> Result<Resp> {
    post(&format!("{}/rpc/{name}", stack.postgrest_url()), Some(token), &body, &[("x-request-id", &format!("e2e-academy-{name}"))]).await
}

pub async fn academy_flow_through_postgrest(stack: Arc<Stack>) -> Result<()> {
    let admin = demo::sign_in(&stack, stack.var("DEMO_ADMIN_EMAIL")).await?;
    let tag = uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase();
    let code = format!("E2E-{tag}");
    let year = chrono::Utc::now().format("%Y").to_string();
    let next_year: i32 = year.parse::<i32>()? + 1;

    let course = rpc(&stack, &admin, "create_course", json!({"branch_id": CENTRO, "code": code, "name": "Curso e2e",
        "fee": 300, "capacity": 2, "starts_on": format!("{next_year}-01-15"), "ends_on": format!("{next_year}-06-15")})).await?.expect(200)?.json();
    let student = rpc(&stack, &admin, "register_student", json!({"branch_id": CENTRO, "document_id": format!("E2E{tag}"),
        "first_name": "Irene", "last_name": "Castro", "email": "irene@e2e.test"})).await?.expect(200)?.json();
    let enrollment = rpc(&stack, &admin, "enroll_student", json!({"student_id": student["id"], "course_id": course["id"]})).await?.expect(200)?.json();
    ensure!(enrollment["financial_status"]["status"] == "pending" && enrollment["financial_status"]["balance"] == json!(300.00),
        "the financial status appears with the enrollment: {enrollment}");
    let eid = enrollment["id"].as_str().context("enrollment id")?.to_string();
    let embedded = get(&format!("{}/enrollments?id=eq.{eid}&select=id,status,students(first_name,last_name),courses(code),financial_status(status,balance)",
        stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(embedded[0]["students"]["first_name"] == "Irene" && embedded[0]["courses"]["code"] == code.as_str(),
        "PostgREST embeds through the views: {embedded}");
    let dup = rpc(&stack, &admin, "enroll_student", json!({"student_id": student["id"], "course_id": course["id"]})).await?;
    ensure!(dup.status == 409, "duplicate enrollment 409: {} {}", dup.status, dup.text);

    let p1 = rpc(&stack, &admin, "register_payment", json!({"enrollment_id": eid, "amount": 100, "method": "cash"})).await?.expect(200)?.json();
    ensure!(p1["financial_status"]["status"] == "partial", "partial after the first payment: {p1}");
    let over = rpc(&stack, &admin, "register_payment", json!({"enrollment_id": eid, "amount": 250, "method": "card"})).await?;
    ensure!(over.status == 409 && over.json()["message"] == "a payment of 250.00 exceeds the balance of 200.00", "overpayment rejected: {}", over.text);
    let p2 = rpc(&stack, &admin, "register_payment", json!({"enrollment_id": eid, "amount": 200, "method": "card", "reference": "TPV-9"})).await?.expect(200)?.json();
    ensure!(p2["financial_status"]["status"] == "paid" && p2["financial_status"]["balance"] == json!(0.00), "paid: {p2}");

    let series = format!("E{tag}");
    post(&format!("{}/invoice_series", stack.postgrest_url()), Some(&admin),
        &json!({"branch_id": CENTRO, "code": series, "fiscal_year": year.parse::<i32>()?}), &[]).await?.expect(201)?;
    let invoice = rpc(&stack, &admin, "issue_enrollment_invoice", json!({"enrollment_id": eid, "series_code": series})).await?.expect(200)?.json();
    ensure!(invoice["number"] == 1 && invoice["number_display"] == format!("{series}-{year}-000001").as_str(), "invoice number 1: {invoice}");
    ensure!(invoice["total"] == json!(300.00) && invoice["customer"]["name"] == "Irene Castro", "billed to the student: {invoice}");

    let att = rpc(&stack, &admin, "record_attendance", json!({"course_id": course["id"], "date": format!("{year}-11-01"),
        "records": [{"student_id": student["id"], "status": "present"}]})).await?.expect(200)?.json();
    ensure!(att["recorded"] == 1, "attendance recorded: {att}");

    let fill = get(&format!("{}/report_enrollments_per_course?course_code=eq.{code}", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(fill[0]["active"] == 1 && fill[0]["fill_rate_pct"] == json!(50.0), "fill rate: {fill}");
    let rate = get(&format!("{}/report_attendance_rate?course_code=eq.{code}", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(rate[0]["rate_pct"] == json!(100.0), "attendance rate: {rate}");
    let owed = get(&format!("{}/report_outstanding_balances?course_code=eq.{code}", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(owed == json!([]), "nothing owed once paid: {owed}");
    let revenue = get(&format!("{}/report_revenue_by_branch_month?branch_id=eq.{CENTRO}", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    let collected: f64 = revenue.as_array().unwrap().iter().map(|r| r["collected"].as_f64().unwrap_or(0.0)).sum();
    ensure!(collected >= 300.0, "revenue includes the 300 collected: {revenue}");

    // Denials: another branch, another tenant.
    let norte = demo::sign_in(&stack, "secretaria.norte@demo.cimiento.dev").await?;
    let other_branch = rpc(&stack, &norte, "create_course", json!({"branch_id": CENTRO, "code": format!("X-{tag}"), "name": "x",
        "fee": 1, "capacity": 1, "starts_on": "2027-01-01", "ends_on": "2027-02-01"})).await?;
    ensure!(other_branch.status == 403, "other branch 403: {} {}", other_branch.status, other_branch.text);
    let other_branch = rpc(&stack, &norte, "enroll_student", json!({"student_id": student["id"], "course_id": course["id"]})).await?;
    ensure!(other_branch.status == 403, "enrolling in another branch's course 403: {} {}", other_branch.status, other_branch.text);
    let hidden = get(&format!("{}/courses?code=eq.{code}", stack.postgrest_url()), Some(&norte), &[]).await?.expect(200)?.json();
    ensure!(hidden == json!([]), "a branch-limited user does not see the other branch's course: {hidden}");
    let org = post(&format!("{}/auth/register", stack.api_url()), None,
        &json!({"organization": format!("Otra {tag}"), "email": "x@otra.test", "password": "violeta-tranvía-cuaderno-47", "full_name": "X"}), &[])
        .await?.expect(201)?.json();
    let stranger = org["access_token"].as_str().context("token")?.to_string();
    let invisible = get(&format!("{}/courses?id=eq.{}", stack.postgrest_url(), course["id"].as_str().unwrap()), Some(&stranger), &[]).await?.expect(200)?.json();
    ensure!(invisible == json!([]), "other tenant sees nothing: {invisible}");
    let not_found = rpc(&stack, &stranger, "register_payment", json!({"enrollment_id": eid, "amount": 1, "method": "cash"})).await?;
    ensure!(not_found.status == 404, "another tenant's enrollment is 404: {} {}", not_found.status, not_found.text);

    // Every operation left audit rows, with the request id of the call (the raw trail is
    // readable only by audit_owner and the cluster superuser).
    let db = stack.superuser().await?;
    let audited: Vec<String> = db
        .query("SELECT DISTINCT table_name FROM audit.log WHERE request_id LIKE 'e2e-academy-%' AND created_at > now() - interval '5 minutes'", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for t in ["academy.courses", "academy.students", "academy.enrollments", "academy.financial_status", "academy.payments",
              "academy.attendance", "billing.invoices", "billing.invoice_items", "academy.enrollment_invoices"] {
        ensure!(audited.iter().any(|a| a == t), "{t} has audit rows: {audited:?}");
    }
    Ok(())
}
