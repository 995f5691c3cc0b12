//! Scheduled jobs: `cimiento.schedule(name, cron, function, permissions)` registers a job
//! that pg_cron starts; `cimiento.run_job(name)` (also the way to run one now) runs it once
//! per active tenant, each in its own subtransaction, never overlapping itself, and records
//! every run in `cimiento.job_runs` (readable by the tenant). The SQL lives in `jobs.sql`.
//!
//! This module holds the one step that needs Rust: running the job's function for one
//! tenant *as that tenant* — the caller identity switched to the job (its tenant, every
//! branch, only the permissions it declared: see [`identity::ActingAsJob`]) and the user id
//! switched to `cimiento_jobs`, a role without BYPASSRLS, so row-level security applies
//! to everything the job reads or writes.
use pgrx::prelude::*;

use crate::error::{CimientoError, OrRaise};
use crate::privilege::{role_oid, AsRole, JOBS_ROLE};
use crate::identity::{ActingAsJob, JobIdentity};

fn run_for_tenant(job: &str, tenant: pgrx::Uuid) -> Result<Option<i64>, CimientoError> {
    let _path = crate::privilege::PinnedSearchPath::enter();
    let (function, returns_rows, permissions) = Spi::connect(|client| {
        let rows = client.select(
            "SELECT pg_catalog.format('%I.%I', n.nspname, p.proname), p.prorettype OPERATOR(pg_catalog.<>) 'pg_catalog.void'::pg_catalog.regtype,
                    j.permissions
               FROM cimiento.jobs j
               JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) j.function::pg_catalog.oid
               JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
              WHERE j.name OPERATOR(pg_catalog.=) $1",
            Some(1),
            &[job.into()],
        )?;
        if rows.is_empty() {
            return Err(CimientoError::NotFound(format!("no job named {job}")));
        }
        let r = rows.first();
        Ok((
            r.get::<String>(1)?.unwrap_or_default(),
            r.get::<bool>(2)?.unwrap_or(false),
            r.get::<Vec<String>>(3)?.unwrap_or_default(),
        ))
    })?;
    let jobs_role = role_oid(JOBS_ROLE)?;
    let _identity = ActingAsJob::enter(JobIdentity { job: job.to_string(), tenant, permissions });
    let _role = AsRole::enter(jobs_role);
    Spi::connect_mut(|client| {
        if returns_rows {
            let n = client.update(&format!("SELECT {function}()::pg_catalog.int8"), Some(1), &[])?.first().get_one::<i64>()?;
            Ok(n)
        } else {
            client.update(&format!("SELECT {function}()"), Some(1), &[])?;
            Ok(None)
        }
    })
}

/// Internal (called by `cimiento.run_job` once per tenant, in a subtransaction): runs the
/// job's function as that tenant, as `cimiento_jobs`, with only the job's declared
/// permissions; returns the rows it reports having touched (NULL for a void function).
#[pg_extern(volatile, parallel_unsafe)]
#[search_path(pg_catalog, pg_temp)]
fn run_job_for_tenant(job: &str, tenant: pgrx::Uuid) -> Option<i64> {
    run_for_tenant(job, tenant).or_raise()
}

extension_sql_file!("jobs.sql", name = "jobs", requires = [run_job_for_tenant]);
