//! The insurance agency over PostgREST and the api, in the seed's agency (tenant `agencia`):
//! a seller registers a client and a monthly_7 policy, a collector files a collection, the
//! manager (signed in with TOTP) approves it, payment and receipt follow, the manager's
//! event stream saw it and another collector's did not, a reversal, two approvals of one
//! collection at once make one payment, the nightly job marks an overdue policy. Refusals: another collector's proposals, a collector approving, a
//! transition outside the workflow, a manager without a second factor, sign-in and requests
//! from outside the tenant's allowed networks.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use cimiento_e2e::demo::{self, agency};
use cimiento_e2e::http::{get, post, Resp};
use cimiento_e2e::{jwt, mfa, Stack};
use serde_json::{json, Value};

fn rpc(stack: &Stack, name: &str) -> String {
    format!("{}/rpc/{name}", stack.postgrest_url())
}

async fn rows(stack: &Stack, token: &str, path: &str) -> Result<Vec<Value>> {
    let body = get(&format!("{}/{path}", stack.postgrest_url()), Some(token), &[]).await?.expect(200)?.json();
    Ok(body.as_array().cloned().unwrap_or_default())
}

fn shape(res: &Resp) -> bool {
    let body = res.json();
    ["code", "message", "details", "hint"].iter().all(|k| body.get(*k).is_some())
}

/// Events received on one SSE stream: (kind, row_id).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Opens `GET /events` for a token and collects what arrives, until the test ends.
async fn listen(stack: &Stack, token: &str) -> Result<Seen> {
    let seen: Seen = Arc::default();
    let mut res = reqwest::Client::new()
        .get(format!("{}/events", stack.api_url()))
        .bearer_auth(token)
        .header("accept", "text/event-stream")
        .send()
        .await?;
    ensure!(res.status() == 200, "the stream opens: {}", res.status());
    ensure!(res.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/event-stream")));
    let out = seen.clone();
    tokio::spawn(async move {
        let mut buffer = String::new();
        while let Ok(Some(chunk)) = res.chunk().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let data = block.lines().find_map(|l| l.strip_prefix("data:")).map(str::trim);
                if let Some(v) = data.and_then(|d| serde_json::from_str::<Value>(d).ok()) {
                    let pair = (v["kind"].as_str().unwrap_or("").to_string(), v["row_id"].as_str().unwrap_or("").to_string());
                    out.lock().expect("events").push(pair);
                }
            }
        }
    });
    Ok(seen)
}

/// Waits (up to 5 s) until a stream has seen an event of `kind` about `row`.
async fn saw(seen: &Seen, kind: &str, row: &str) -> bool {
    for _ in 0..50 {
        if seen.lock().expect("events").iter().any(|(k, r)| k == kind && r == row) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// A valid RFC nobody in the agency has yet (the database's validator picks the check character).
async fn fresh_rfc(stack: &Stack) -> Result<String> {
    let tag: String = uuid::Uuid::new_v4().simple().to_string().chars().filter(char::is_ascii_alphabetic).take(4).collect();
    let base = format!("{:A<4}900101Q{}", tag.to_uppercase(), rand::random::<u8>() % 10);
    let db = stack.owner().await?;
    let row = db
        .query_one(
            "SELECT $1 || ch FROM unnest(string_to_array('0123456789A', NULL)) ch
              WHERE core.mexican_tax_id_kind($1 || ch) IS NOT NULL LIMIT 1",
            &[&base],
        )
        .await?;
    Ok(row.get(0))
}

/// A receipt assigned to the caller that no collection uses yet.
async fn free_receipt(stack: &Stack, token: &str) -> Result<String> {
    let used: Vec<String> = rows(stack, token, "collection_proposals?select=receipt_id").await?
        .iter().filter_map(|r| r["receipt_id"].as_str().map(String::from)).collect();
    let mine = rows(stack, token, "collection_receipts?status=eq.assigned&order=number").await?;
    mine.iter()
        .find(|r| !used.iter().any(|u| Some(u.as_str()) == r["id"].as_str()))
        .and_then(|r| r["number"].as_str().map(String::from))
        .context("a free receipt")
}

/// A monthly_7 policy the seller issues, starting `days_ago` (its first instalment due then).
async fn new_policy(stack: &Stack, seller: &str, days_ago: i64) -> Result<Value> {
    let client = post(&format!("{}/clients", stack.postgrest_url()), Some(seller),
        &json!({"name": "Refugio Ñañez Ávila", "rfc": fresh_rfc(stack).await?, "phone": "+52 55 6000 1234"}),
        &[("prefer", "return=representation")]).await?.expect(201)?.json();
    let coverages = rows(stack, seller, "coverages?code=eq.AMPLIA").await?;
    let starts = (chrono::Utc::now().date_naive() - chrono::Duration::days(days_ago)).to_string();
    let policy = post(&rpc(stack, "create_policy"), Some(seller), &json!({
        "client_id": client[0]["id"], "coverage_id": coverages[0]["id"], "payment_plan": "monthly_7",
        "vehicle_make": "Kia", "vehicle_model": "Rio", "vehicle_year": 2022, "vin": "KNADM4A38N6000001", "plates": "MNO-456-C",
        "starts_on": starts}), &[]).await?.expect(200)?.json();
    Ok(policy)
}

pub async fn an_agency_day_through_postgrest_and_the_api(stack: Arc<Stack>) -> Result<()> {
    let seller = demo::sign_in_to(&stack, agency::SLUG, agency::SELLER_EMAIL).await?;
    let collector = demo::sign_in_to(&stack, agency::SLUG, agency::COLLECTOR_EMAIL).await?;
    let other_collector = demo::sign_in_to(&stack, agency::SLUG, agency::COLLECTOR_NORTE_EMAIL).await?;
    // The manager's role requires TOTP: the first sign-in enrols it.
    let manager = mfa::enrol_and_sign_in(&stack, agency::SLUG, agency::MANAGER_EMAIL).await?;
    let manager_events = listen(&stack, &manager).await?;
    let other_events = listen(&stack, &other_collector).await?;

    // A seller: a client and a monthly_7 policy whose instalments sum to the premium.
    let policy = new_policy(&stack, &seller, 40).await?;
    let id = policy["id"].as_str().context("policy id")?.to_string();
    ensure!(policy["status"] == "active" && policy["number_display"].as_str().is_some_and(|n| n.starts_with("POL-")), "issued: {policy}");
    let instalments = policy["instalments"].as_array().context("instalments")?;
    let sum: f64 = instalments.iter().map(|i| i["amount"].as_f64().unwrap_or(0.0)).sum();
    ensure!(instalments.len() == 7 && (sum - policy["prima_total"].as_f64().unwrap_or(-1.0)).abs() < 0.005,
            "7 instalments summing to prima_total: {sum} vs {}", policy["prima_total"]);

    // A collector files a collection for instalment 1 with one of their receipts.
    let owed = instalments[0]["amount"].as_f64().context("amount")?;
    let receipt = free_receipt(&stack, &collector).await?;
    let proposal = post(&rpc(&stack, "file_proposal"), Some(&collector), &json!({"policy_id": id, "instalment_no": 1,
        "amount": owed, "method": "cash", "receipt_number": receipt, "latitude": 19.43, "longitude": -99.13,
        "photo_ref": "fotos/e2e.jpg"}), &[]).await?.expect(200)?.json();
    let proposal_id = proposal["id"].as_str().context("proposal id")?.to_string();
    ensure!(proposal["status"] == "pending", "filed: {proposal}");

    // The manager approves: the payment is applied and the receipt used.
    let approved = post(&rpc(&stack, "approve_proposal"), Some(&manager), &json!({"id": proposal_id}), &[]).await?.expect(200)?.json();
    ensure!(approved["status"] == "approved", "approved: {approved}");
    let payments = rows(&stack, &manager, &format!("policy_payments?proposal_id=eq.{proposal_id}")).await?;
    ensure!(payments.len() == 1 && payments[0]["amount"].as_f64() == Some(owed), "one payment of the amount: {payments:?}");
    let payment_id = payments[0]["id"].as_str().context("payment id")?.to_string();
    let used = rows(&stack, &collector, &format!("collection_receipts?number=eq.{receipt}")).await?;
    ensure!(used[0]["status"] == "used", "the receipt is used: {used:?}");
    let first = rows(&stack, &seller, &format!("instalments?policy_id=eq.{id}&no=eq.1")).await?;
    ensure!(first[0]["status"] == "paid", "instalment 1 is paid: {first:?}");
    // The collector sees their own collection among their payments.
    ensure!(rows(&stack, &collector, &format!("policy_payments?id=eq.{payment_id}")).await?.len() == 1, "collections.read_own");

    // The manager's stream saw it all; the other collector's saw none of it.
    ensure!(saw(&manager_events, "proposal.created", &proposal_id).await, "manager: proposal.created");
    ensure!(saw(&manager_events, "proposal.approved", &proposal_id).await, "manager: proposal.approved");
    ensure!(saw(&manager_events, "payment.created", &payment_id).await, "manager: payment.created");
    let leaked: Vec<_> = other_events.lock().expect("events").iter()
        .filter(|(_, r)| *r == proposal_id || *r == payment_id || *r == id).cloned().collect();
    ensure!(leaked.is_empty(), "another branch's collector got nothing of it: {leaked:?}");

    // A reversal: a negative entry, the instalment owes again, the event follows.
    let reversal = post(&rpc(&stack, "revert_payment"), Some(&manager), &json!({"payment_id": payment_id, "reason": "Billete falso"}), &[])
        .await?.expect(200)?.json();
    ensure!(reversal["amount"].as_f64() == Some(-owed), "a reversing entry: {reversal}");
    let again = rows(&stack, &seller, &format!("instalments?policy_id=eq.{id}&no=eq.1")).await?;
    ensure!(again[0]["paid"].as_f64() == Some(0.0), "the instalment owes it again: {again:?}");
    let reversal_id = reversal["id"].as_str().context("reversal id")?;
    ensure!(saw(&manager_events, "payment.reversed", reversal_id).await, "manager: payment.reversed");

    // Two managers approving the same collection at once: one approval, one payment.
    let second = post(&rpc(&stack, "file_proposal"), Some(&collector), &json!({"policy_id": id, "instalment_no": 2,
        "amount": 50, "method": "cash", "receipt_number": free_receipt(&stack, &collector).await?}), &[]).await?.expect(200)?.json();
    let second_id = second["id"].as_str().context("proposal id")?.to_string();
    let body = json!({"id": second_id});
    let url = rpc(&stack, "approve_proposal");
    let (a, b) = tokio::join!(post(&url, Some(&manager), &body, &[]), post(&url, Some(&manager), &body, &[]));
    let mut statuses = [a?.status, b?.status];
    statuses.sort();
    ensure!(statuses == [200, 409], "one approval wins, the other is told it is decided: {statuses:?}");
    let paid = rows(&stack, &manager, &format!("policy_payments?proposal_id=eq.{second_id}")).await?;
    ensure!(paid.len() == 1, "exactly one payment: {paid:?}");

    // The nightly job: a policy whose first instalment fell due 20 days ago and was never
    // paid is still active (nothing moved it) until the job marks it overdue.
    let late = new_policy(&stack, &seller, 20).await?;
    let late_id = late["id"].as_str().context("policy id")?.to_string();
    let before = rows(&stack, &seller, &format!("policies?id=eq.{late_id}&select=status")).await?;
    ensure!(before[0]["status"] == "active", "active before the job: {before:?}");
    let db = stack.owner().await?;
    let ran = db.query("SELECT coalesce(error, rows_touched::text) FROM cimiento.run_job('insurance_status') WHERE tenant_id = $1::text::uuid",
                       &[&agency::TENANT]).await?;
    ensure!(ran.len() == 1 && ran[0].get::<_, String>(0).parse::<i64>().is_ok(), "the job ran for the agency");
    let after = rows(&stack, &seller, &format!("policies?id=eq.{late_id}&select=status")).await?;
    ensure!(after[0]["status"] == "overdue", "overdue after the job: {after:?}");
    ensure!(saw(&manager_events, "policy.overdue", &late_id).await, "manager: policy.overdue");
    let runs = rows(&stack, &manager, "job_runs?job=eq.insurance_status&order=started_at.desc&limit=1").await?;
    ensure!(runs.len() == 1 && runs[0]["error"].is_null(), "the run is recorded: {runs:?}");
    Ok(())
}

pub async fn insurance_refusals(stack: Arc<Stack>) -> Result<()> {
    let seller = demo::sign_in_to(&stack, agency::SLUG, agency::SELLER_EMAIL).await?;
    let collector = demo::sign_in_to(&stack, agency::SLUG, agency::COLLECTOR_EMAIL).await?;
    let other_collector = demo::sign_in_to(&stack, agency::SLUG, agency::COLLECTOR_NORTE_EMAIL).await?;
    let policy = new_policy(&stack, &seller, 40).await?;
    let id = policy["id"].as_str().context("policy id")?.to_string();
    let proposal = post(&rpc(&stack, "file_proposal"), Some(&collector), &json!({"policy_id": id, "instalment_no": 2,
        "amount": 100, "method": "transfer", "receipt_number": free_receipt(&stack, &collector).await?}), &[]).await?.expect(200)?.json();
    let proposal_id = proposal["id"].as_str().context("proposal id")?;

    // Another collector reads none of it; a collector cannot approve.
    ensure!(rows(&stack, &other_collector, &format!("collection_proposals?id=eq.{proposal_id}")).await?.is_empty(),
            "another collector sees 0 rows");
    let refused = post(&rpc(&stack, "approve_proposal"), Some(&collector), &json!({"id": proposal_id}), &[]).await?;
    ensure!(refused.status == 403 && shape(&refused), "a collector approving: {} {}", refused.status, refused.text);

    // A transition outside the workflow: 409 with what is allowed.
    let outside = post(&rpc(&stack, "transition"), Some(&seller), &json!({"entity": "policies", "id": id, "to_state": "quote"}), &[]).await?;
    ensure!(outside.status == 409 && shape(&outside), "active → quote: {} {}", outside.status, outside.text);

    // A manager whose token has no second factor: 403 in the database, whatever the path.
    let no_otp = jwt::session_token(&stack, agency::TENANT, agency::MANAGER, &["gerente"], &["*"]).await?;
    let refused = post(&rpc(&stack, "approve_proposal"), Some(&no_otp), &json!({"id": proposal_id}), &[]).await?;
    ensure!(refused.status == 403 && refused.json()["hint"].as_str().is_some_and(|h| h.contains("second factor")),
            "a gerente without TOTP approving: {} {}", refused.status, refused.text);
    let still = rows(&stack, &collector, &format!("collection_proposals?id=eq.{proposal_id}")).await?;
    ensure!(still[0]["status"] == "pending", "nothing approved: {still:?}");

    // Allowed networks: only 10.0.0.0/8 (the tests reach the services from 127.0.0.1).
    let db = stack.owner().await?;
    db.execute("UPDATE core.tenants SET settings = settings || '{\"allowed_networks\": [\"10.0.0.0/8\"]}' WHERE id = $1::text::uuid",
               &[&agency::TENANT]).await?;
    let outcome = async {
        let login = |email: &'static str| {
            let stack = stack.clone();
            async move {
                post(&format!("{}/auth/login", stack.api_url()), None,
                     &json!({"tenant": agency::SLUG, "email": email, "password": stack.var("DEMO_ADMIN_PASSWORD")}), &[]).await
            }
        };
        let outside = login(agency::SELLER_EMAIL).await?;
        ensure!(outside.status == 403 && shape(&outside), "a seller signing in from outside: {} {}", outside.status, outside.text);
        let admin = login(agency::ADMIN_EMAIL).await?;
        ensure!(admin.status == 200, "an admin from there gets on (to the TOTP step): {} {}", admin.status, admin.text);
        // Every request, not only sign-in: the api, and PostgREST by the proxy's X-Forwarded-For.
        let me = get(&format!("{}/auth/me", stack.api_url()), Some(&seller), &[]).await?;
        ensure!(me.status == 403, "the api refuses an earlier token from outside: {} {}", me.status, me.text);
        let rest = get(&format!("{}/policies?limit=1", stack.postgrest_url()), Some(&seller), &[]).await?;
        ensure!(rest.status == 403 && shape(&rest), "PostgREST refuses it too: {} {}", rest.status, rest.text);
        let inside = get(&format!("{}/policies?limit=1", stack.postgrest_url()), Some(&seller), &[("x-forwarded-for", "10.20.30.40")]).await?;
        ensure!(inside.status == 200, "from inside the network it passes: {} {}", inside.status, inside.text);
        Ok(())
    }
    .await;
    db.execute("UPDATE core.tenants SET settings = settings - 'allowed_networks' WHERE id = $1::text::uuid", &[&agency::TENANT]).await?;
    outcome
}
