//! Acting as another role for one operation, the way a SECURITY DEFINER function does,
//! without its per-call GUC work: used by the audit trigger (as `audit_owner`) and the
//! numbering trigger (as `cimiento_numbering`, a role that can only number) and scheduled
//! jobs (as `cimiento_jobs`, subject to row-level security like any API caller).
//!
//! Whatever runs elevated runs under the search path `pg_catalog` alone (an override
//! search path, the mechanism PostgreSQL uses for its own internal queries): a function or
//! operator planted in `public` or any schema of the caller's `search_path` can never be
//! resolved by a statement the extension prepares or runs as a more privileged role. The
//! statements also name every non-catalog object with its schema.
use std::ffi::CStr;

use pgrx::prelude::*;

use crate::error::CimientoError;

/// The role numbering runs as: it may only write the numbering columns.
pub const NUMBERING_ROLE: &CStr = c"cimiento_numbering";
/// The role scheduled jobs run as (subject to RLS; migrations grant it what jobs touch).
pub const JOBS_ROLE: &CStr = c"cimiento_jobs";
/// The owner of the append-only audit log.
pub const AUDIT_ROLE: &CStr = c"audit_owner";

/// Switches the current user id and pins the search path until dropped; PostgreSQL's
/// (sub)transaction abort restores both as well, so an error cannot leave the session
/// elevated or with a foreign search path.
pub struct AsRole {
    user: pg_sys::Oid,
    context: i32,
    _path: PinnedSearchPath,
}

impl AsRole {
    pub fn enter(role: pg_sys::Oid) -> Self {
        let path = PinnedSearchPath::enter();
        let (mut user, mut context) = (pg_sys::InvalidOid, 0i32);
        // SAFETY: save and switch the current user id, as fmgr_security_definer does.
        unsafe {
            pg_sys::GetUserIdAndSecContext(&mut user, &mut context);
            pg_sys::SetUserIdAndSecContext(role, context | pg_sys::SECURITY_LOCAL_USERID_CHANGE as i32);
        }
        Self { user, context, _path: path }
    }
}

impl Drop for AsRole {
    fn drop(&mut self) {
        // SAFETY: restores exactly what `enter` saved (the path guard is dropped after).
        unsafe { pg_sys::SetUserIdAndSecContext(self.user, self.context) }
    }
}

/// `search_path = pg_catalog` (no temp schema for relations; functions are never looked up
/// there) until dropped. Pushed as the explicit list `[pg_catalog]`, so it is the very path a
/// `SET search_path = pg_catalog, pg_temp` function runs under (when the session has no temp
/// schema): a cached plan — a foreign-key check, a PL/pgSQL statement — made in one is valid
/// in the other. As an implicit pg_catalog with no creation schema it compared unequal, and
/// a plan shared by the two (the foreign-key check of an invoice inserted by an api function
/// and numbered at commit) was planned again at every switch.
pub struct PinnedSearchPath(());

impl PinnedSearchPath {
    pub fn enter() -> Self {
        // SAFETY: PushOverrideSearchPath copies the struct and its list into its own memory
        // context (ours is freed right after); the matching pop is in Drop, and transaction
        // abort cleans up the stack on error.
        unsafe {
            let schemas = pg_sys::lappend_oid(std::ptr::null_mut(), pg_sys::Oid::from(pg_sys::PG_CATALOG_NAMESPACE));
            let mut path = pg_sys::OverrideSearchPath { schemas, addCatalog: false, addTemp: false, generation: 0 };
            pg_sys::PushOverrideSearchPath(&mut path);
            pg_sys::list_free(schemas);
        }
        PinnedSearchPath(())
    }
}

impl Drop for PinnedSearchPath {
    fn drop(&mut self) {
        // SAFETY: pops the entry pushed by `enter` (guards are strictly nested).
        unsafe { pg_sys::PopOverrideSearchPath() }
    }
}

/// A role's oid by name; an error when it does not exist (never a fallback to a superuser).
pub fn role_oid(name: &CStr) -> Result<pg_sys::Oid, CimientoError> {
    // SAFETY: catalog lookup by name; missing_ok.
    let oid = unsafe { pg_sys::get_role_oid(name.as_ptr(), true) };
    if oid == pg_sys::InvalidOid {
        Err(CimientoError::InvalidObjectDefinition {
            message: format!("role {} does not exist", name.to_string_lossy()),
            hint: "run sql/bootstrap.sql (make up) as the cluster superuser to create the engine's roles".into(),
        })
    } else {
        Ok(oid)
    }
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    fn path() -> (Option<Vec<String>>, Option<String>) {
        Spi::get_two::<Vec<String>, String>("SELECT pg_catalog.current_schemas(true)::text[], pg_catalog.current_schema()::text")
            .unwrap_or((None, None))
    }

    #[pg_test]
    fn pinned_path_is_the_path_of_a_pinned_function() {
        // What a `SET search_path = pg_catalog, pg_temp` function runs under (no temp schema).
        Spi::run("SET LOCAL search_path = pg_catalog, pg_temp").unwrap();
        let pinned_function = path();
        Spi::run("SET LOCAL search_path = public").unwrap();
        let pinned = {
            let _guard = PinnedSearchPath::enter();
            path()
        };
        assert_eq!(pinned, pinned_function);
        assert_eq!(pinned.0.as_deref(), Some(&["pg_catalog".to_string()][..]));
        // Dropped: the caller's path again.
        assert_eq!(path().1.as_deref(), Some("public"));
    }
}
