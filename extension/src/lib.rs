//! `cimiento`: what Cimiento does inside PostgreSQL because it must never be wrong.
//!
//! - [`identity`]: who is asking (tenant, user, session, roles, branches) and the helpers
//!   that row-level security policies and RPCs call (`has_permission`, `require_permission`).
//! - [`isolation`]: `enable_tenant_isolation`, forced RLS with named tenant/branch policies.
//! - [`lint`]: `isolation_report`, every object that could leak across tenants.
//! - [`numbering`]: gapless invoice and credit-note numbers, assigned at commit.
//! - [`early_release`]: a transaction holding a series or chain lets it go when its commit
//!   record is written and returns once the record is flushed.
//! - [`audit`]: the Rust audit trigger and `enable_audit` / `disable_audit`.
//! - [`seal`]: the per-tenant SHA-256 chain over the audit log, its sealing worker,
//!   `audit_checkpoint` and `verify_audit`.
//! - [`rehearsal`]: `rehearse`, a statement run for its checks and always undone (no audit
//!   rows for writes that can never commit).
//! - [`workflow`]: allowed state transitions with their permissions, guards and history.
//! - [`jobs`]: scheduled jobs (pg_cron), run once per tenant as that tenant.
//! - [`health`]: `cimiento.health()`, sealer lag, failing jobs, replica lag, numbering waits.
//! - [`distribution`]: `cimiento.distribution_report()`, what blocks moving each table to Citus.
//! - [`protection`]: triggers only the cluster superuser may disable, drop or replace.
//! - [`privilege`]: acting as another role under a pinned search path.
//! - [`settings`]: every GUC the extension reads, declared once with a typed accessor.
//! - [`error`]: typed errors, raised with a chosen SQLSTATE at the boundary.
//!
//! Every SQL-callable function states its volatility and parallel safety; its grant and its
//! `COMMENT ON` live in the `.sql` file next to the module that defines it (`identity.sql`…).
use pgrx::prelude::*;

::pgrx::pg_module_magic!(name, version);

mod audit;
mod distribution;
mod early_release;
mod error;
mod health;
mod identity;
mod isolation;
mod jobs;
mod lint;
mod numbering;
mod privilege;
mod protection;
mod rehearsal;
mod seal;
mod settings;
mod workflow;

/// Loads the extension's settings (the library is in `shared_preload_libraries`).
#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    settings::init();
    identity::init_shmem();
    seal::init();
}

/// The version of the installed `cimiento` library (the crate version).
#[pg_extern(immutable, parallel_safe)]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

extension_sql_file!("lib.sql", name = "cimiento_schema", requires = [version]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    #[pg_test]
    fn version_is_crate_version() {
        let v = Spi::get_one::<String>("select cimiento.version()").unwrap();
        assert_eq!(v.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    }
}

/// Hooks for `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    #[must_use]
    pub fn postgresql_conf_options() -> Vec<&'static str> {
        // The test cluster has no engine roles (sql/bootstrap.sql creates them in real clusters):
        // its sealer connects as the cluster's own superuser.
        vec![
            "shared_preload_libraries = 'cimiento'",
            "cimiento.audit_database = 'pgrx_tests'",
            "cimiento.audit_sealer_role = 'postgres'",
        ]
    }
}
