//! Workflows over PostgREST: what a user may do with an enrollment (to draw buttons), doing
//! it, the refusals with their statuses and hints, and the history with the request id.
use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::http::{get, post};
use chrono::Datelike;
use cimiento_e2e::{demo, Stack};
use serde_json::json;


pub async fn enrollment_transitions_through_postgrest(stack: Arc<Stack>) -> Result<()> {
    let admin = demo::admin_token(&stack).await?;
    let rest = stack.postgrest_url();
    let rpc = |name: &str| format!("{rest}/rpc/{name}");
    let tag = uuid::Uuid::new_v4().simple().to_string()[..6].to_uppercase();
    let next_year = chrono::Utc::now().date_naive().year() + 1;
    let starts = chrono::NaiveDate::from_ymd_opt(next_year, 1, 15).context("a date")?;
    let id = demo::new_enrollment(&stack, &admin, "WF", &tag, starts).await?;

    // The buttons: GET (a STABLE function) with the entity and id.
    let allowed = get(&format!("{rest}/rpc/allowed_transitions?entity=enrollments&id={id}&order=transition"), Some(&admin), &[])
        .await?.expect(200)?.json();
    ensure!(allowed == json!([{"transition": "complete", "from_state": "active", "to_state": "completed", "reason_required": false},
                             {"transition": "withdraw", "from_state": "active", "to_state": "withdrawn", "reason_required": false}]),
        "allowed transitions of an active enrollment: {allowed}");

    // Pressing one.
    let moved = post(&rpc("transition"), Some(&admin), &json!({"entity": "enrollments", "id": id, "to_state": "withdrawn", "reason": "Cambio de horario"}),
        &[("x-request-id", &format!("e2e-wf-{tag}"))]).await?.expect(200)?.json();
    ensure!(moved["status"] == "withdrawn", "the enrollment is withdrawn: {moved}");

    // Refusals keep PostgREST's shape and a meaningful status.
    let refused = post(&rpc("transition"), Some(&admin), &json!({"entity": "enrollments", "id": id, "to_state": "completed"}), &[]).await?;
    ensure!(refused.status == 409, "not a transition: 409, got {} {}", refused.status, refused.text);
    ensure!(refused.json()["hint"] == "allowed from withdrawn: reinstate → active", "the hint says what is allowed: {}", refused.text);
    let teacher = cimiento_e2e::jwt::session_token(&stack, demo::TENANT, demo::ADMIN, &["teacher"], &["*"]).await?;
    let hidden = post(&rpc("transition"), Some(&teacher), &json!({"entity": "enrollments", "id": id, "to_state": "active"}), &[]).await?;
    ensure!(hidden.status == 404, "a teacher cannot change enrollments (not updatable for them): {} {}", hidden.status, hidden.text);
    let unknown = post(&rpc("transition"), Some(&admin), &json!({"entity": "nope", "id": id, "to_state": "x"}), &[]).await?;
    ensure!(unknown.status == 404 && unknown.json()["code"] == "PT404", "unknown entity: {} {}", unknown.status, unknown.text);
    let malformed = post(&rpc("transition"), Some(&admin), &json!({"entity": "enrollments", "id": "not-a-uuid", "to_state": "active"}), &[]).await?;
    ensure!(malformed.status == 400, "a malformed id is 400: {} {}", malformed.status, malformed.text);

    // The history, over REST, with the request id of the call.
    let history = get(&format!("{rest}/workflow_history?entity=eq.enrollments&row_id=eq.{id}&select=transition,from_state,to_state,reason,request_id"),
        Some(&admin), &[]).await?.expect(200)?.json();
    ensure!(history == json!([{"transition": "withdraw", "from_state": "active", "to_state": "withdrawn", "reason": "Cambio de horario",
                               "request_id": format!("e2e-wf-{tag}")}]), "history: {history}");
    Ok(())
}
