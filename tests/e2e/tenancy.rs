//! Tenant isolation through the real PostgREST, with RS256 tokens signed by the stack's key.
use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::http::{get, post, request};
use cimiento_e2e::jwt::{session_token, sign, user_claims};
use cimiento_e2e::Stack;
use serde_json::json;
use cimiento_e2e::demo::{TENANT as DEMO, ADMIN as DEMO_ADMIN};


/// A second tenant with a teacher, created by the owner (as a DBA would).
async fn other_tenant(stack: &Stack) -> Result<(String, String)> {
    let db = stack.owner().await?;
    let slug = format!("otra-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let row = db
        .query_one(
            "WITH t AS (INSERT INTO core.tenants (slug, name) VALUES ($1, 'Otra Academia') RETURNING id),
                  b AS (INSERT INTO core.branches (tenant_id, code, name) SELECT id, 'CENTRO', 'Centro' FROM t),
                  u AS (INSERT INTO core.users (tenant_id, email, full_name) SELECT id, 'profe@otra.test', 'Profe' FROM t RETURNING tenant_id, id)
             SELECT tenant_id::text, id::text FROM u",
            &[&slug],
        )
        .await?;
    Ok((row.get(0), row.get(1)))
}

pub async fn rest_shows_only_the_callers_tenant(stack: Arc<Stack>) -> Result<()> {
    let (other, other_user) = other_tenant(&stack).await?;
    let url = format!("{}/branches?select=tenant_id,code", stack.postgrest_url());
    let admin = session_token(&stack, DEMO, DEMO_ADMIN, &["admin"], &["*"]).await?;
    let rows = get(&url, Some(&admin), &[]).await?.expect(200)?.json();
    let rows = rows.as_array().cloned().unwrap_or_default();
    ensure!(rows.len() == 2, "the demo admin sees its two branches: {rows:?}");
    ensure!(rows.iter().all(|r| r["tenant_id"] == DEMO), "only its own tenant's rows: {rows:?}");

    let teacher = session_token(&stack, &other, &other_user, &["teacher"], &["*"]).await?;
    let rows = get(&url, Some(&teacher), &[]).await?.expect(200)?.json();
    let rows = rows.as_array().cloned().unwrap_or_default();
    ensure!(rows.len() == 1 && rows[0]["tenant_id"] == other.as_str(), "the other tenant sees only its branch: {rows:?}");
    let filtered = get(&format!("{url}&tenant_id=eq.{DEMO}"), Some(&teacher), &[]).await?.expect(200)?.json();
    ensure!(filtered == json!([]), "filtering by another tenant's id returns nothing: {filtered}");
    Ok(())
}

pub async fn rest_refuses_anon_and_unpermitted_writes(stack: Arc<Stack>) -> Result<()> {
    let url = format!("{}/branches", stack.postgrest_url());
    let anon = get(&url, None, &[]).await?;
    ensure!(anon.status == 401, "anon is refused: {} {}", anon.status, anon.text);
    let body = anon.json();
    ensure!(body.get("code").is_some() && body.get("message").is_some(), "PostgREST error shape: {}", anon.text);

    let (other, other_user) = other_tenant(&stack).await?;
    let teacher = session_token(&stack, &other, &other_user, &["teacher"], &["*"]).await?;
    let res = post(&url, Some(&teacher), &json!({"code": "SUR", "name": "Sur"}), &[]).await?;
    ensure!(res.status == 403, "a teacher cannot create branches: {} {}", res.status, res.text);
    ensure!(res.json()["code"] == "42501", "SQLSTATE 42501: {}", res.text);

    let admin = session_token(&stack, DEMO, DEMO_ADMIN, &["admin"], &["*"]).await?;
    let res = post(&url, Some(&admin), &json!({"tenant_id": other, "code": "INTRUSO", "name": "x"}), &[]).await?;
    ensure!(res.status == 403 && res.json()["code"] == "42501", "tenant_id of another tenant refused: {} {}", res.status, res.text);
    let res = post(&url, Some(&admin), &json!({"code": "SUR", "name": "Sede Sur"}), &[("Prefer", "return=representation")]).await?;
    ensure!(res.status == 201, "the admin creates a branch: {} {}", res.status, res.text);
    ensure!(res.json()[0]["tenant_id"] == DEMO, "in its own tenant: {}", res.text);
    Ok(())
}

/// Every read-only resource (reports, the audit log, fiscal records, imports, stock
/// levels…) refuses POST, PATCH and DELETE as a client error in PostgREST's shape: before
/// 0065 PostgreSQL refused them with 55000, which PostgREST answers with a 500.
pub async fn rest_writes_to_read_only_resources_are_client_errors(stack: Arc<Stack>) -> Result<()> {
    let db = stack.owner().await?;
    // Each read-only view with its first column (a PATCH needs one to set).
    let views: Vec<(String, String)> = db
        .query(
            "SELECT c.relname::text, a.attname::text FROM pg_catalog.pg_trigger t
               JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1
              WHERE n.nspname = 'api' AND t.tgname = 'read_only' ORDER BY 1",
            &[],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    ensure!(views.len() >= 20, "the read-only views of the API: {views:?}");
    let admin = session_token(&stack, DEMO, DEMO_ADMIN, &["admin"], &["*"]).await?;
    for (view, column) in &views {
        let url = format!("{}/{view}", stack.postgrest_url());
        for (method, body) in [("POST", json!({})), ("PATCH", json!({ column.as_str(): null })), ("DELETE", json!({}))] {
            let res = request(method, &url, Some(&admin), Some(&body), &[]).await?;
            ensure!(res.status == 403 || res.status == 405, "{method} /{view}: {} {}", res.status, res.text);
            let body = res.json();
            ensure!(body.get("code").is_some() && body.get("message").is_some(), "{method} /{view}: PostgREST error shape: {}", res.text);
        }
    }
    Ok(())
}

pub async fn rest_refuses_tokens_for_another_audience(stack: Arc<Stack>) -> Result<()> {
    let mut claims = user_claims(&stack, DEMO, DEMO_ADMIN, &["admin"], &["*"]);
    claims["aud"] = json!("someone-else");
    let token = sign(&stack, &claims)?;
    let res = get(&format!("{}/branches", stack.postgrest_url()), Some(&token), &[]).await?;
    ensure!(res.status == 401, "wrong audience refused: {} {}", res.status, res.text);
    // A token without any audience (PostgREST lets it through; the pre-request hook does not).
    claims.as_object_mut().context("claims")?.remove("aud");
    let token = sign(&stack, &claims)?;
    let res = get(&format!("{}/branches", stack.postgrest_url()), Some(&token), &[]).await?;
    ensure!(res.status == 401, "a token without aud refused: {} {}", res.status, res.text);
    Ok(())
}

pub async fn shipped_schema_has_no_isolation_findings(stack: Arc<Stack>) -> Result<()> {
    let db = stack.owner().await?;
    let rows = db.query("SELECT object, rule FROM cimiento.isolation_report()", &[]).await?;
    let findings: Vec<String> = rows.iter().map(|r| format!("{}: {}", r.get::<_, String>(0), r.get::<_, String>(1))).collect();
    ensure!(findings.is_empty(), "isolation findings: {findings:?}");
    Ok(())
}

/// Permissions are cached by each database backend across requests; revoking one must take
/// effect at once on every pooled PostgREST connection (the role tables' protected triggers
/// move the permissions epoch).
pub async fn revoked_permission_takes_effect_at_once(stack: Arc<Stack>) -> Result<()> {
    let owner = stack.owner().await?;
    let role = format!("e2e_reader_{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    owner.execute("INSERT INTO core.roles (tenant_id, name, description) VALUES ($1::text::uuid, $2, 'e2e')", &[&DEMO, &role]).await?;
    owner.execute("INSERT INTO core.role_permissions (tenant_id, role_id, permission)
                   SELECT tenant_id, id, 'courses.read' FROM core.roles WHERE tenant_id = $1::text::uuid AND name = $2", &[&DEMO, &role]).await?;
    let token = session_token(&stack, DEMO, DEMO_ADMIN, &[role.as_str()], &["*"]).await?;
    let url = format!("{}/courses?select=id", stack.postgrest_url());
    // Warm many pooled connections.
    let mut seen = Vec::new();
    for _ in 0..30 {
        seen.push(tokio::spawn({
            let (url, token) = (url.clone(), token.clone());
            async move { anyhow::Ok(get(&url, Some(&token), &[]).await?.expect(200)?.json().as_array().map(Vec::len).unwrap_or(0)) }
        }));
    }
    for s in seen {
        ensure!(s.await?? > 0, "with courses.read the role sees the courses");
    }
    owner.execute("DELETE FROM core.role_permissions WHERE tenant_id = $1::text::uuid AND role_id =
                     (SELECT id FROM core.roles WHERE tenant_id = $1::text::uuid AND name = $2)", &[&DEMO, &role]).await?;
    let mut after = Vec::new();
    for _ in 0..30 {
        after.push(tokio::spawn({
            let (url, token) = (url.clone(), token.clone());
            async move { anyhow::Ok(get(&url, Some(&token), &[]).await?.expect(200)?.json().as_array().map(Vec::len).unwrap_or(0)) }
        }));
    }
    for a in after {
        ensure!(a.await?? == 0, "the revoked permission no longer lets any connection read");
    }
    Ok(())
}
