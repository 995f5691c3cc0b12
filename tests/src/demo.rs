//! The demo tenants the seed creates (sql/seed.sql: the academy `demo`, the shop `tienda`;
//! sql/seed_agency.sql: the insurance agency `agencia`)
//! and the steps tests take with them: their ids, signing in, and a fresh enrollment to act on.
use anyhow::{Context, Result};
use serde_json::json;

use crate::http::post;
use crate::Stack;

/// The demo tenant's id.
pub const TENANT: &str = "00000000-0000-4000-8000-000000000001";
/// The demo tenant's admin (user id).
pub const ADMIN: &str = "00000000-0000-4000-8000-0000000000a1";
/// The demo tenant's CENTRO branch.
pub const CENTRO: &str = "00000000-0000-4000-8000-0000000000b1";

/// The demo shop (tenant `tienda`): its id, branches and users.
pub mod shop {
    pub const SLUG: &str = "tienda";
    pub const TENANT: &str = "00000000-0000-4000-8000-000000000002";
    pub const CENTRO: &str = "00000000-0000-4000-8000-0000000000c1";
    pub const NORTE: &str = "00000000-0000-4000-8000-0000000000c2";
    pub const ADMIN_EMAIL: &str = "admin@tienda.cimiento.dev";
    /// A cashier of Tienda Norte only.
    pub const CASHIER_NORTE_EMAIL: &str = "cajero.norte@tienda.cimiento.dev";
}

/// The demo insurance agency (tenant `agencia`, sql/seed_agency.sql): its ids and staff.
pub mod agency {
    pub const SLUG: &str = "agencia";
    pub const TENANT: &str = "00000000-0000-4000-8000-000000000003";
    pub const MATRIZ: &str = "00000000-0000-4000-8000-0000000000e1";
    pub const ADMIN_EMAIL: &str = "admin@agencia.cimiento.dev";
    pub const MANAGER: &str = "00000000-0000-4000-8000-0000000000f2";
    pub const MANAGER_EMAIL: &str = "gerente@agencia.cimiento.dev";
    /// A collector of Oficina Matriz.
    pub const COLLECTOR_EMAIL: &str = "cobrador1@agencia.cimiento.dev";
    /// A collector of Oficina Norte.
    pub const COLLECTOR_NORTE_EMAIL: &str = "cobrador2@agencia.cimiento.dev";
    /// A seller of Oficina Matriz.
    pub const SELLER_EMAIL: &str = "vendedor1@agencia.cimiento.dev";
}

/// An access token for a demo user (the seed gives every demo user the admin's password).
pub async fn sign_in(stack: &Stack, email: &str) -> Result<String> {
    sign_in_to(stack, stack.var("DEMO_TENANT"), email).await
}

/// An access token for a user of one of the seed's tenants (same password).
pub async fn sign_in_to(stack: &Stack, tenant: &str, email: &str) -> Result<String> {
    let res = post(&format!("{}/auth/login", stack.api_url()), None,
        &json!({"tenant": tenant, "email": email, "password": stack.var("DEMO_ADMIN_PASSWORD")}), &[]).await?;
    Ok(res.expect(200)?.json()["access_token"].as_str().context("access_token")?.to_string())
}

/// An access token for the demo admin.
pub async fn admin_token(stack: &Stack) -> Result<String> {
    sign_in(stack, stack.var("DEMO_ADMIN_EMAIL")).await
}

/// A new course in CENTRO (code `<prefix>-<tag>`, fee 100, from `starts_on` for five months),
/// a new student and their enrollment, through the RPCs frontends call; the enrollment's id.
pub async fn new_enrollment(stack: &Stack, token: &str, prefix: &str, tag: &str, starts_on: chrono::NaiveDate) -> Result<String> {
    let rpc = |name: &str| format!("{}/rpc/{name}", stack.postgrest_url());
    let ends_on = starts_on + chrono::Months::new(5);
    let course = post(&rpc("create_course"), Some(token), &json!({"branch_id": CENTRO, "code": format!("{prefix}-{tag}"),
        "name": format!("Curso {prefix}"), "fee": 100, "capacity": 3, "starts_on": starts_on.to_string(), "ends_on": ends_on.to_string()}), &[])
        .await?.expect(200)?.json();
    let student = post(&rpc("register_student"), Some(token), &json!({"branch_id": CENTRO, "document_id": format!("{prefix}{tag}"),
        "first_name": "Olga", "last_name": "Paz"}), &[]).await?.expect(200)?.json();
    let enrollment = post(&rpc("enroll_student"), Some(token), &json!({"student_id": student["id"], "course_id": course["id"]}), &[])
        .await?.expect(200)?.json();
    Ok(enrollment["id"].as_str().context("enrollment id")?.to_string())
}
