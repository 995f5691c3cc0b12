//! `cimiento.health()`: what a DBA and the api's `/ready` watch — the audit sealer's lag,
//! failing scheduled jobs, replication lag and waits on numbering series. Plain SQL over
//! the registered stores and the server's statistics; it lives in `health.sql`.
use pgrx::prelude::*;

extension_sql_file!("health.sql", name = "health", requires = ["audit_store", "jobs", "numbering"]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    #[pg_test]
    fn health_reports_every_check() {
        let checks = Spi::get_one::<String>(
            "SELECT string_agg(check_name || '=' || status, ',' ORDER BY check_name) FROM cimiento.health()",
        );
        assert_eq!(
            checks,
            Ok(Some("audit_sealer_lag=ok,failing_jobs=ok,numbering_waits=ok,replica_lag=ok".to_string()))
        );
    }
}
