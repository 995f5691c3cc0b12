//! The sign-in service end to end: registration, login, refresh rotation, sessions,
//! revocation, TOTP, abuse limits, and a corpus of bad tokens refused by both the api and
//! PostgREST.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cimiento_e2e::http::{get, post, post_from, request, Resp};
use cimiento_e2e::mfa::{now, totp_code};
use cimiento_e2e::Stack;
use serde_json::{json, Value};

const STRONG: &str = "violeta-tranvía-cuaderno-47";

async fn register(stack: &Stack, org: &str, email: &str) -> Result<Value> {
    let res = post(&format!("{}/auth/register", stack.api_url()), None,
        &json!({"organization": org, "email": email, "password": STRONG, "full_name": "Ana García"}), &[]).await?;
    Ok(res.expect(201)?.json())
}

async fn login(stack: &Stack, tenant: &str, email: &str, password: &str, device: &str) -> Result<Resp> {
    post(&format!("{}/auth/login", stack.api_url()), None,
        &json!({"tenant": tenant, "email": email, "password": password, "device_name": device}), &[]).await
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

async fn api_me(stack: &Stack, token: &str) -> Result<Resp> {
    get(&format!("{}/auth/me", stack.api_url()), Some(token), &[]).await
}

async fn rest_branches(stack: &Stack, token: &str) -> Result<Resp> {
    get(&format!("{}/branches", stack.postgrest_url()), Some(token), &[]).await
}

pub async fn register_login_refresh_logout(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Academia Sol {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let first = register(&stack, &org, "ana@sol.test").await?;
    let slug = s(&first, "slug");
    ensure!(slug.starts_with("academia-sol-"), "slug derived from the name: {slug}");
    let second = register(&stack, &org, "otro@sol.test").await?;
    ensure!(s(&second, "slug") == format!("{slug}-2"), "a clashing name gets a suffix: {}", s(&second, "slug"));

    let res = login(&stack, &slug, "ANA@sol.test", STRONG, "portátil").await?.expect(200)?;
    let tokens = res.json();
    let access = s(&tokens, "access_token");
    let me = api_me(&stack, &access).await?.expect(200)?.json();
    ensure!(me["email"] == "ana@sol.test" && me["roles"] == json!(["admin"]) && me["tenant"]["slug"] == slug.as_str(), "me: {me}");
    // The claims are the design's.
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access.split('.').nth(1).unwrap())?)?;
    for k in ["iss", "aud", "sub", "tid", "role", "roles", "branches", "sid", "amr", "iat", "exp"] {
        ensure!(payload.get(k).is_some(), "claim {k} missing: {payload}");
    }
    ensure!(payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap() == 900, "15-minute tokens");
    let branches = rest_branches(&stack, &access).await?.expect(200)?.json();
    ensure!(branches.as_array().map(|a| a.len()) == Some(1) && branches[0]["code"] == "PRINCIPAL", "PostgREST accepts it: {branches}");

    // Rotation: a new pair; the old refresh token is spent.
    let old_refresh = s(&tokens, "refresh_token");
    let rotated = post(&format!("{}/auth/refresh", stack.api_url()), None, &json!({"refresh_token": old_refresh}), &[]).await?.expect(200)?.json();
    ensure!(s(&rotated, "refresh_token") != old_refresh, "a new refresh token");
    ensure!(s(&rotated, "session_id") == s(&tokens, "session_id"), "same session");
    api_me(&stack, &s(&rotated, "access_token")).await?.expect(200)?;
    let again = post(&format!("{}/auth/refresh", stack.api_url()), None, &json!({"refresh_token": old_refresh}), &[]).await?;
    ensure!(again.status == 409, "reuse within the grace window is a 409, not a fork: {} {}", again.status, again.text);

    // Logout revokes the session at once, for the api and for PostgREST.
    let out = post(&format!("{}/auth/logout", stack.api_url()), Some(&access), &json!({}), &[]).await?;
    ensure!(out.status == 204, "logout: {} {}", out.status, out.text);
    let me = api_me(&stack, &s(&rotated, "access_token")).await?;
    ensure!(me.status == 401 && me.json()["code"] == "session_revoked", "api refuses the revoked session: {}", me.text);
    let rest = rest_branches(&stack, &s(&rotated, "access_token")).await?;
    ensure!(rest.status == 401, "PostgREST refuses the revoked session: {} {}", rest.status, rest.text);
    ensure!(rest.json()["message"] == "session revoked or expired", "PostgREST's message: {}", rest.text);
    Ok(())
}

pub async fn tenant_from_header_or_host_and_no_enumeration(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Colegio Mar {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "dir@mar.test").await?;
    let slug = s(&reg, "slug");
    let url = format!("{}/auth/login", stack.api_url());
    let body = json!({"email": "dir@mar.test", "password": STRONG});
    post(&url, None, &body, &[("X-Tenant-Subdomain", &slug)]).await?.expect(200)?;
    post(&url, None, &body, &[("Host", &format!("{slug}.cimiento.example"))]).await?.expect(200)?;
    let missing = post(&url, None, &body, &[]).await?;
    ensure!(missing.status == 400, "no tenant: {} {}", missing.status, missing.text);
    let wrong_pw = login(&stack, &slug, "dir@mar.test", "not-the-password-at-all", "x").await?;
    let no_user = login(&stack, &slug, "nadie@mar.test", "not-the-password-at-all", "x").await?;
    let no_tenant = login(&stack, "no-such-tenant-zz", "dir@mar.test", STRONG, "x").await?;
    ensure!(wrong_pw.status == 401 && no_user.status == 401 && no_tenant.status == 401, "all 401");
    ensure!(wrong_pw.text == no_user.text && no_user.text == no_tenant.text, "identical answers: {} / {} / {}", wrong_pw.text, no_user.text, no_tenant.text);
    let weak = post(&format!("{}/auth/register", stack.api_url()), None,
        &json!({"organization": "Débil", "email": "a@debil.test", "password": "password123", "full_name": "A"}), &[]).await?;
    ensure!(weak.status == 400 && weak.json()["code"] == "weak_password", "weak password refused: {}", weak.text);
    ensure!(weak.json()["message"].as_str().unwrap_or("").starts_with("the password is too weak"), "clear message: {}", weak.text);
    Ok(())
}

pub async fn refresh_reuse_after_grace_revokes_the_family(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Reuso {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "r@reuso.test").await?;
    let old = s(&reg, "refresh_token");
    let url = format!("{}/auth/refresh", stack.api_url());
    let next = post(&url, None, &json!({"refresh_token": old}), &[]).await?.expect(200)?.json();
    tokio::time::sleep(Duration::from_millis(2500)).await; // past the 2 s grace of the test stack
    let reuse = post(&url, None, &json!({"refresh_token": old}), &[]).await?;
    ensure!(reuse.status == 401 && reuse.json()["code"] == "refresh_token_reused", "reuse after grace: {}", reuse.text);
    let newest = post(&url, None, &json!({"refresh_token": s(&next, "refresh_token")}), &[]).await?;
    ensure!(newest.status == 401, "the whole family is revoked: {} {}", newest.status, newest.text);
    let rest = rest_branches(&stack, &s(&next, "access_token")).await?;
    ensure!(rest.status == 401, "its access tokens stop at once: {}", rest.text);
    Ok(())
}

pub async fn fifty_concurrent_refreshes_never_fork(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Concurrencia {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "c@conc.test").await?;
    let token = s(&reg, "refresh_token");
    let url = format!("{}/auth/refresh", stack.api_url());
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (url, token) = (url.clone(), token.clone());
        tasks.push(tokio::spawn(async move { post(&url, None, &json!({"refresh_token": token}), &[]).await }));
    }
    let mut by_status: HashMap<u16, Vec<Value>> = HashMap::new();
    for t in tasks {
        let r = t.await??;
        by_status.entry(r.status).or_default().push(r.json());
    }
    let wins = by_status.get(&200).map(Vec::len).unwrap_or(0);
    ensure!(wins == 1, "exactly one refresh wins: {:?}", by_status.keys().collect::<Vec<_>>());
    ensure!(by_status.get(&409).map(Vec::len).unwrap_or(0) == 49, "the rest are told to use the newest token: {by_status:?}");
    let winner = &by_status[&200][0];
    post(&url, None, &json!({"refresh_token": s(winner, "refresh_token")}), &[]).await?.expect(200)?;
    Ok(())
}

/// Several devices signing in as one user at the same moment all get a session (they once
/// deadlocked on the user's row: one of them got 409).
pub async fn concurrent_logins_of_one_user_all_succeed(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Dispositivos {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "multi@disp.test").await?;
    let slug = s(&reg, "slug");
    let mut tasks = Vec::new();
    for round in 0..3 {
        for d in 0..4 {
            let (stack, slug) = (stack.clone(), slug.clone());
            tasks.push(tokio::spawn(async move { login(&stack, &slug, "multi@disp.test", STRONG, &format!("device {round}-{d}")).await }));
        }
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await??.status);
    }
    ensure!(statuses.iter().all(|s| *s == 200), "every concurrent login succeeds: {statuses:?}");
    let db = stack.owner().await?;
    let sessions: i64 = db.query_one("SELECT count(*) FROM core.sessions s JOIN core.tenants t ON t.id = s.tenant_id WHERE t.slug = $1",
        &[&slug]).await?.get(0);
    ensure!(sessions == 13, "one session per login plus the registration's: {sessions}");
    Ok(())
}

pub async fn sessions_per_device_and_revocation(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Sesiones {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "admin@ses.test").await?;
    let slug = s(&reg, "slug");
    let admin = s(&reg, "access_token");
    // A teacher of the same tenant, created by the admin through PostgREST.
    let user = post(&format!("{}/users", stack.postgrest_url()), Some(&admin),
        &json!({"email": "profe@ses.test", "full_name": "Profe"}), &[("Prefer", "return=representation")]).await?.expect(201)?.json();
    let teacher_id = user[0]["id"].as_str().context("user id")?.to_string();
    let roles = get(&format!("{}/roles?name=eq.teacher", stack.postgrest_url()), Some(&admin), &[]).await?.expect(200)?.json();
    post(&format!("{}/user_roles", stack.postgrest_url()), Some(&admin),
        &json!({"user_id": teacher_id, "role_id": roles[0]["id"]}), &[]).await?.expect(201)?;
    let hash = {
        let out = std::process::Command::new(cimiento_e2e::repo_root().join("target/release/cimiento-api"))
            .arg("hash-password").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn()?;
        use std::io::Write;
        out.stdin.as_ref().unwrap().write_all(format!("{STRONG}\n").as_bytes())?;
        String::from_utf8(out.wait_with_output()?.stdout)?.trim().to_string()
    };
    stack.owner().await?.execute("UPDATE core.users SET password_hash = $1 WHERE id = $2::text::uuid", &[&hash, &teacher_id]).await?;

    let phone = login(&stack, &slug, "profe@ses.test", STRONG, "móvil").await?.expect(200)?.json();
    let laptop = login(&stack, &slug, "profe@ses.test", STRONG, "portátil").await?.expect(200)?.json();
    let sessions = get(&format!("{}/auth/sessions", stack.api_url()), Some(&s(&laptop, "access_token")), &[]).await?.expect(200)?.json();
    let devices: Vec<&str> = sessions.as_array().unwrap().iter().filter_map(|x| x["device_name"].as_str()).collect();
    ensure!(devices.contains(&"móvil") && devices.contains(&"portátil"), "one session per device: {devices:?}");
    // The teacher revokes the phone session from the laptop.
    let del = request("DELETE", &format!("{}/auth/sessions/{}", stack.api_url(), s(&phone, "session_id")),
        Some(&s(&laptop, "access_token")), None, &[]).await?;
    ensure!(del.status == 204, "own session revoked: {}", del.text);
    ensure!(rest_branches(&stack, &s(&phone, "access_token")).await?.status == 401, "revoked session refused at the next request");
    rest_branches(&stack, &s(&laptop, "access_token")).await?.expect(200)?;
    // A teacher cannot touch the admin's sessions; the admin can revoke the teacher's.
    let not_mine = request("DELETE", &format!("{}/auth/sessions/{}", stack.api_url(), s(&reg, "session_id")),
        Some(&s(&laptop, "access_token")), None, &[]).await?;
    ensure!(not_mine.status == 404, "someone else's session is not found: {}", not_mine.text);
    let all = get(&format!("{}/auth/sessions?all=true", stack.api_url()), Some(&s(&laptop, "access_token")), &[]).await?;
    ensure!(all.status == 403, "listing the tenant's sessions needs sessions.manage: {}", all.text);
    let by_admin = request("DELETE", &format!("{}/auth/sessions/{}", stack.api_url(), s(&laptop, "session_id")),
        Some(&admin), None, &[]).await?;
    ensure!(by_admin.status == 204, "the tenant admin revokes a user's session: {}", by_admin.text);
    ensure!(api_me(&stack, &s(&laptop, "access_token")).await?.status == 401, "and the api refuses it");
    // Deactivating the user stops even a fresh session.
    let fresh = login(&stack, &slug, "profe@ses.test", STRONG, "tablet").await?.expect(200)?.json();
    stack.owner().await?.execute("UPDATE core.users SET active = false WHERE id = $1::text::uuid", &[&teacher_id]).await?;
    ensure!(rest_branches(&stack, &s(&fresh, "access_token")).await?.status == 401, "a deactivated user is refused by PostgREST");
    ensure!(api_me(&stack, &s(&fresh, "access_token")).await?.status == 401, "and by the api");
    ensure!(login(&stack, &slug, "profe@ses.test", STRONG, "x").await?.status == 401, "and cannot sign in");
    Ok(())
}


pub async fn totp_enroll_verify_replay_and_parallel(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Doble {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "mfa@doble.test").await?;
    let slug = s(&reg, "slug");
    let access = s(&reg, "access_token");
    let api = stack.api_url();
    // A stolen access token alone cannot bind an authenticator: enrolling asks for the password.
    for body in [json!({}), json!({"password": "not the password"})] {
        let refused = post(&format!("{api}/auth/mfa/enroll"), Some(&access), &body, &[]).await?;
        ensure!(refused.status == 401, "enroll without the right password: {} {}", refused.status, refused.text);
    }
    let enroll = post(&format!("{api}/auth/mfa/enroll"), Some(&access), &json!({"password": STRONG}), &[]).await?.expect(200)?.json();
    let secret = s(&enroll, "secret");
    ensure!(s(&enroll, "otpauth_url").starts_with("otpauth://totp/"), "otpauth url: {enroll}");
    let t0 = now();
    post(&format!("{api}/auth/mfa/activate"), Some(&access), &json!({"code": totp_code(&secret, t0)}), &[]).await?.expect(200)?;

    let first = login(&stack, &slug, "mfa@doble.test", STRONG, "x").await?.expect(200)?.json();
    ensure!(first["mfa_required"] == true && first.get("access_token").is_none(), "password alone is not enough: {first}");
    let mfa = s(&first, "mfa_token");
    // The code used to activate is spent: replaying it is refused.
    let replay = post(&format!("{api}/auth/mfa/verify"), None, &json!({"mfa_token": mfa, "code": totp_code(&secret, t0)}), &[]).await?;
    ensure!(replay.status == 401 && replay.json()["code"] == "invalid_code", "a used code is refused: {}", replay.text);
    ensure!(rest_branches(&stack, &mfa).await?.status == 401, "the MFA token is not an access token for PostgREST");
    ensure!(api_me(&stack, &mfa).await?.status == 401, "nor for the api");
    // 20 parallel submissions of one (next-step) code: exactly one signs in.
    let code = totp_code(&secret, t0 + 30);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (url, body) = (format!("{api}/auth/mfa/verify"), json!({"mfa_token": mfa, "code": code}));
        tasks.push(tokio::spawn(async move { post(&url, None, &body, &[]).await }));
    }
    let mut ok = 0;
    for t in tasks {
        let r = t.await??;
        if r.status == 200 {
            ok += 1;
            let amr = serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(s(&r.json(), "access_token").split('.').nth(1).unwrap())?)?["amr"].clone();
            ensure!(amr == json!(["pwd", "otp"]), "amr says both factors: {amr}");
        } else {
            // Refused as a used code, or by the failure limit on codes once it trips.
            ensure!(r.status == 401 || r.status == 429, "others refused: {} {}", r.status, r.text);
        }
    }
    ensure!(ok == 1, "exactly one of 20 parallel submissions succeeds, not {ok}");
    let again = login(&stack, &slug, "mfa@doble.test", STRONG, "x").await?.expect(200)?.json();
    let replay = post(&format!("{api}/auth/mfa/verify"), None, &json!({"mfa_token": s(&again, "mfa_token"), "code": code}), &[]).await?;
    ensure!(replay.status == 401 || replay.status == 429, "the winning code cannot be replayed: {}", replay.text);
    Ok(())
}

pub async fn tenant_can_require_mfa_for_admins(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Exigente {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "jefa@exig.test").await?;
    let slug = s(&reg, "slug");
    stack.owner().await?
        .execute("UPDATE core.tenants SET settings = '{\"mfa_required_roles\": [\"admin\", \"manager\"]}' WHERE slug = $1", &[&slug])
        .await?;
    let first = login(&stack, &slug, "jefa@exig.test", STRONG, "x").await?.expect(200)?.json();
    ensure!(first["mfa_enrollment_required"] == true && first.get("access_token").is_none(), "must enroll first: {first}");
    let mfa = s(&first, "mfa_token");
    let api = stack.api_url();
    let enroll = post(&format!("{api}/auth/mfa/enroll"), None, &json!({"mfa_token": mfa}), &[]).await?.expect(200)?.json();
    let tokens = post(&format!("{api}/auth/mfa/activate"), None,
        &json!({"mfa_token": mfa, "code": totp_code(&s(&enroll, "secret"), now())}), &[]).await?.expect(200)?.json();
    rest_branches(&stack, &s(&tokens, "access_token")).await?.expect(200)?;
    Ok(())
}

pub async fn brute_force_on_one_account_is_stopped(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Fuerza {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "victima@fuerza.test").await?;
    let slug = s(&reg, "slug");
    let url = format!("{}/auth/login", stack.api_url());
    let from = |n: u8| std::net::IpAddr::from([127, 0, 0, n]);
    let attempt = |password: String| json!({"tenant": slug, "email": "victima@fuerza.test", "password": password});
    // A stranger (another client) guesses five times: the stranger is stopped …
    for i in 0..5 {
        let r = post_from(from(2), &url, &attempt(format!("guess-{i}-xxxxxxxx"))).await?;
        ensure!(r.status == 401, "attempt {i}: {}", r.status);
    }
    let blocked = post_from(from(2), &url, &attempt(STRONG.into())).await?;
    ensure!(blocked.status == 429, "after 5 failures even the right password waits: {} {}", blocked.status, blocked.text);
    let retry: u64 = blocked.header("retry-after").context("Retry-After")?.parse()?;
    ensure!(retry > 0 && retry <= 901, "Retry-After {retry}");
    ensure!(blocked.json()["code"] == "rate_limited", "error shape: {}", blocked.text);
    // … but the account's owner, from their own client, is not locked out.
    post_from(from(1), &url, &attempt(STRONG.into())).await?.expect(200)?;
    // Guesses spread over many clients meet the account's ceiling (50 by default).
    for c in 0..10u8 {
        for i in 0..5 {
            let r = post_from(from(10 + c), &url, &attempt(format!("spread-{c}-{i}-xxxxxxxx"))).await?;
            ensure!(r.status == 401, "client {c} attempt {i}: {}", r.status);
        }
    }
    let ceiling = post_from(from(1), &url, &attempt(STRONG.into())).await?;
    ensure!(ceiling.status == 429, "the account's ceiling holds for everyone: {} {}", ceiling.status, ceiling.text);
    Ok(())
}

/// An input the database refuses never comes back with PostgreSQL's detail (the failing row,
/// with the password hash): registering `a@b@c.de` is a clean 400.
pub async fn refused_input_never_echoes_the_row(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Eco {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let res = post(&format!("{}/auth/register", stack.api_url()), None,
        &json!({"organization": org, "email": "a@b@c.de", "password": STRONG, "full_name": "Ana García"}), &[]).await?;
    ensure!(res.status == 400, "a malformed e-mail is 400: {} {}", res.status, res.text);
    let body = res.json();
    for field in ["code", "message", "details", "hint"] {
        ensure!(body.get(field).is_some(), "PostgREST's error shape ({field}): {}", res.text);
    }
    for leak in ["argon2", "Failing row", "$", "a@b@c.de"] {
        ensure!(!res.text.contains(leak), "nothing internal echoed ({leak}): {}", res.text);
    }
    Ok(())
}

/// Builds the corpus of bad tokens: each must be refused with 401 by the api and PostgREST.
fn bad_tokens(stack: &Stack, good_claims: &Value) -> Result<Vec<(&'static str, String)>> {
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    let dir = std::path::PathBuf::from(stack.var("CIMIENTO_KEYS_DIR"));
    let kid = std::fs::read_to_string(dir.join("active"))?.trim().to_string();
    let pem = std::fs::read(dir.join(format!("{kid}.pem")))?;
    let key = EncodingKey::from_rsa_pem(&pem)?;
    let rs = |claims: &Value, kid: Option<&str>| -> Result<String> {
        let mut h = Header::new(Algorithm::RS256);
        h.kid = kid.map(str::to_string);
        Ok(encode(&h, claims, &key)?)
    };
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    let unsigned = |alg: &str| format!("{}.{}.", b64(&json!({"alg": alg, "typ": "JWT", "kid": kid})), b64(good_claims));
    let with = |k: &str, v: Value| { let mut c = good_claims.clone(); c[k] = v; c };
    let without = |k: &str| { let mut c = good_claims.clone(); c.as_object_mut().unwrap().remove(k); c };
    let now = chrono::Utc::now().timestamp();
    // The public key, as an attacker would use it for HS256.
    let jwks: Value = serde_json::from_str(&std::fs::read_to_string(stack.state_dir.join("jwks.json"))?)?;
    let n = jwks["keys"][0]["n"].as_str().unwrap_or("").to_string();
    let private = <rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_pem(std::str::from_utf8(&pem)?)?;
    let public_pem = rsa::pkcs8::EncodePublicKey::to_public_key_pem(&private.to_public_key(), rsa::pkcs8::LineEnding::LF)?;
    let hs = |alg: Algorithm, secret: &[u8]| -> Result<String> {
        let mut h = Header::new(alg);
        h.kid = Some(kid.clone());
        Ok(encode(&h, good_claims, &EncodingKey::from_secret(secret))?)
    };
    let other_key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
    let other_pem = rsa::pkcs8::EncodePrivateKey::to_pkcs8_pem(&other_key, rsa::pkcs8::LineEnding::LF)?;
    let forged = {
        let mut h = Header::new(Algorithm::RS256);
        h.kid = Some(kid.clone());
        encode(&h, good_claims, &EncodingKey::from_rsa_pem(other_pem.as_bytes())?)?
    };
    // Tokens an attacker can make: signed with their own RSA key, or HMAC with a secret a
    // kid-injection would point a naive key lookup at (an empty file, "1").
    let attacker = |claims: &Value, kid: Option<&str>| -> Result<String> {
        let mut h = Header::new(Algorithm::RS256);
        h.kid = kid.map(str::to_string);
        Ok(encode(&h, claims, &EncodingKey::from_rsa_pem(other_pem.as_bytes())?)?)
    };
    let hs_kid = |kid: &str, secret: &[u8]| -> Result<String> {
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some(kid.to_string());
        Ok(encode(&h, good_claims, &EncodingKey::from_secret(secret))?)
    };
    let good = rs(good_claims, Some(&kid))?;
    let parts: Vec<&str> = good.split('.').collect();
    let tampered_payload = format!("{}.{}.{}", parts[0], b64(&with("tid", json!(uuid::Uuid::new_v4().to_string()))), parts[2]);
    let mut sig = parts[2].to_string();
    let flipped = if sig.ends_with('A') { 'B' } else { 'A' };
    sig.pop();
    sig.push(flipped);
    let tampered_sig = format!("{}.{}.{}", parts[0], parts[1], sig);
    let ps256_header = format!("{}.{}.{}", b64(&json!({"alg": "PS256", "typ": "JWT", "kid": kid})), parts[1], parts[2]);
    let mut big = good_claims.clone();
    big["padding"] = json!("x".repeat(20_000));
    Ok(vec![
        ("alg none", unsigned("none")),
        ("alg None", unsigned("None")),
        ("alg NONE", unsigned("NONE")),
        ("alg nOnE", unsigned("nOnE")),
        ("HS256 with the public key PEM", hs(Algorithm::HS256, public_pem.as_bytes())?),
        ("HS256 with the JWK modulus", hs(Algorithm::HS256, n.as_bytes())?),
        ("HS512 with the public key PEM", hs(Algorithm::HS512, public_pem.as_bytes())?),
        ("unknown kid (attacker's key)", attacker(good_claims, Some("attacker-key"))?),
        ("kid path injection (HS256, empty secret)", hs_kid("../../../../dev/null", b"")?),
        ("kid SQL injection (HS256)", hs_kid("' UNION SELECT '1' --", b"1")?),
        ("no kid (attacker's key)", attacker(good_claims, None)?),
        ("jku-style kid URL (attacker's key)", attacker(good_claims, Some("https://evil.example/jwks.json"))?),
        ("exp as a string", rs(&with("exp", json!((now + 600).to_string())), Some(&kid))?),
        ("nbf as a string", rs(&with("nbf", json!((now + 3600).to_string())), Some(&kid))?),
        ("missing exp", rs(&without("exp"), Some(&kid))?),
        ("wrong iss", rs(&with("iss", json!("evil")), Some(&kid))?),
        ("wrong aud", rs(&with("aud", json!("evil")), Some(&kid))?),
        ("aud list without ours", rs(&with("aud", json!(["evil", "other"])), Some(&kid))?),
        ("expired beyond leeway", rs(&with("exp", json!(now - 3600)), Some(&kid))?),
        ("not yet valid (nbf)", rs(&with("nbf", json!(now + 3600)), Some(&kid))?),
        ("issued in the future (iat)", rs(&with("iat", json!(now + 3600)), Some(&kid))?),
        ("tampered payload", tampered_payload),
        ("tampered signature", tampered_sig),
        ("two parts", format!("{}.{}", parts[0], parts[1])),
        ("empty signature", format!("{}.{}.", parts[0], parts[1])),
        ("four parts", format!("{good}.extra")),
        ("oversized (attacker's key)", attacker(&big, Some(&kid))?),
        ("garbage", "not-a-token".into()),
        ("signed by another key with our kid", forged),
        ("PS256 header on an RS256 signature", ps256_header),
        ("role postgres (attacker's key)", attacker(&with("role", json!("postgres")), Some(&kid))?),
        ("claims too large (our key)", rs(&big, Some(&kid))?),
        ("session that does not exist", rs(&with("sid", json!(uuid::Uuid::new_v4().to_string())), Some(&kid))?),
        ("iss missing", rs(&without("iss"), Some(&kid))?),
    ])
}

pub async fn thirty_plus_bad_tokens_are_refused_by_api_and_postgrest(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Tokens {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "t@tok.test").await?;
    let access = s(&reg, "access_token");
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access.split('.').nth(1).unwrap())?)?;
    claims["aud"] = json!(stack.var("CIMIENTO_JWT_AUDIENCE"));
    let corpus = bad_tokens(&stack, &claims)?;
    ensure!(corpus.len() >= 30, "a corpus of at least 30 bad tokens");
    let mut failures = Vec::new();
    for (name, token) in &corpus {
        let a = api_me(&stack, token).await?;
        let p = rest_branches(&stack, token).await?;
        if a.status != 401 {
            failures.push(format!("api accepted/answered {} for {name}: {}", a.status, a.text));
        }
        if p.status != 401 {
            failures.push(format!("PostgREST answered {} for {name}: {}", p.status, p.text));
        }
    }
    ensure!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    // Even a genuinely signed token cannot make PostgREST act as a privileged role:
    // authenticator is not a member of them (PostgREST answers 403 "permission denied to set role").
    for role in ["postgres", "cimiento_owner", "audit_owner"] {
        let mut c = claims.clone();
        c["role"] = json!(role);
        let token = cimiento_e2e::jwt::sign(&stack, &c)?;
        let p = rest_branches(&stack, &token).await?;
        ensure!(p.status == 403 && p.json()["code"] == "42501", "role {role} refused by PostgREST: {} {}", p.status, p.text);
        ensure!(api_me(&stack, &token).await?.status == 401, "role {role} refused by the api");
    }
    // The genuine token still works with both (so the 401s are about the tampering).
    api_me(&stack, &access).await?.expect(200)?;
    rest_branches(&stack, &access).await?.expect(200)?;
    Ok(())
}

pub async fn key_rotation_keeps_old_tokens_until_retired(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Rotar {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "k@rot.test").await?;
    let old = s(&reg, "access_token");
    let out = stack.script("rotate-keys")?;
    ensure!(out.status.success(), "rotate-keys: {}", String::from_utf8_lossy(&out.stderr));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let jwks = get(&format!("{}/.well-known/jwks.json", stack.api_url()), None, &[]).await?.expect(200)?.json();
    ensure!(jwks["keys"].as_array().map(|k| k.len()).unwrap_or(0) >= 2, "both keys published: {jwks}");
    api_me(&stack, &old).await?.expect(200)?;
    rest_branches(&stack, &old).await?.expect(200)?;
    let fresh = login(&stack, &s(&reg, "slug"), "k@rot.test", STRONG, "x").await?.expect(200)?.json();
    let new = s(&fresh, "access_token");
    let kid_of = |t: &str| -> Result<String> {
        let h: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(t.split('.').next().unwrap())?)?;
        Ok(h["kid"].as_str().unwrap_or("").to_string())
    };
    ensure!(kid_of(&new)? != kid_of(&old)?, "new tokens use the new key");
    api_me(&stack, &new).await?.expect(200)?;
    rest_branches(&stack, &new).await?.expect(200)?;

    // Retiring the old key takes it out of the JWKS, the api and PostgREST: its tokens fail.
    let old_kid = kid_of(&old)?;
    let out = stack.script_with(&["retire-key", &old_kid])?;
    ensure!(out.status.success(), "retire-key: {}", String::from_utf8_lossy(&out.stderr));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let jwks = get(&format!("{}/.well-known/jwks.json", stack.api_url()), None, &[]).await?.expect(200)?.json();
    ensure!(!jwks.to_string().contains(&old_kid), "the retired key is not published: {jwks}");
    let published = std::fs::read_to_string(stack.state_dir.join("jwks.json"))?;
    ensure!(!published.contains(&old_kid), "nor in PostgREST's JWKS file");
    ensure!(api_me(&stack, &old).await?.status == 401, "the api refuses a token of the retired key");
    ensure!(rest_branches(&stack, &old).await?.status == 401, "PostgREST refuses it too");
    api_me(&stack, &new).await?.expect(200)?;
    rest_branches(&stack, &new).await?.expect(200)?;
    let active = stack.script_with(&["retire-key", &kid_of(&new)?])?;
    ensure!(!active.status.success(), "the active key cannot be retired");
    Ok(())
}

pub async fn refresh_token_as_an_httponly_cookie(stack: Arc<Stack>) -> Result<()> {
    let org = format!("Galleta {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let reg = register(&stack, &org, "g@galleta.test").await?;
    let res = post(&format!("{}/auth/login", stack.api_url()), None,
        &json!({"tenant": s(&reg, "slug"), "email": "g@galleta.test", "password": STRONG, "cookie": true}), &[]).await?.expect(200)?;
    ensure!(res.json().get("refresh_token").is_none(), "with the cookie, the body carries no refresh token: {}", res.text);
    let cookie = res.header("set-cookie").context("Set-Cookie")?.to_string();
    for attr in ["cimiento_refresh=rt1.", "HttpOnly", "Secure", "SameSite=Strict", "Path=/auth"] {
        ensure!(cookie.contains(attr), "cookie has {attr}: {cookie}");
    }
    let value = cookie.split(';').next().unwrap_or("").to_string();
    let rotated = post(&format!("{}/auth/refresh", stack.api_url()), None, &json!({}), &[("Cookie", &value)]).await?.expect(200)?;
    ensure!(rotated.json().get("refresh_token").is_none() && rotated.json().get("access_token").is_some(),
        "the rotated refresh token travels only in the cookie: {}", rotated.text);
    let next = rotated.header("set-cookie").context("a rotated cookie")?;
    ensure!(next.split(';').next() != Some(value.as_str()), "the cookie rotates too");
    let reused = post(&format!("{}/auth/refresh", stack.api_url()), None, &json!({}), &[("Cookie", &value)]).await?;
    ensure!(reused.status == 409 || reused.status == 401, "the old cookie is spent: {}", reused.status);
    Ok(())
}
