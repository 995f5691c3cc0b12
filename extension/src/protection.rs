//! Protected triggers: the guards that make issued documents immutable and the audit
//! triggers cannot be disabled, dropped, replaced or bypassed by any login but the cluster
//! superuser — not even by the migration owner that owns the tables.
//!
//! `cimiento.protect_trigger(table, trigger)` (called by a migration) records the trigger in
//! `cimiento.protected_triggers` with its function and type, and hands the trigger function
//! (when it is not the extension's own) to `cimiento_guard`, a role nobody can log in as or
//! act as, so the owner can no longer `CREATE OR REPLACE` it. An event trigger, owned by the
//! superuser that created the extension, then refuses to any other role:
//! - a DDL command after which a protected trigger is missing, disabled (or replica-only),
//!   points at another function or fires on other events;
//! - dropping a table (or a column of a table) that has protected triggers;
//! - rewriting such a table (`ALTER COLUMN … TYPE … USING`, a volatile default), which
//!   changes rows without firing any trigger.
//!
//! Only the superuser can lift a protection (`cimiento.unprotect_trigger`).
//!
//! `cimiento.enable_append_only(table, message, hint)` (`append_only.sql`) builds on it: two
//! protected triggers refuse UPDATE, DELETE and TRUNCATE to every role (ledgers, records).
use pgrx::prelude::*;
use pgrx::PgRelation;

use crate::error::{CimientoError, OrRaise};

fn protect(rel: pg_sys::Oid, trigger: &str) -> Result<(), CimientoError> {
    Spi::connect_mut(|client| {
        let found = client.select(
            "SELECT t.tgfoid, t.tgtype::pg_catalog.int4, p.pronamespace::pg_catalog.regnamespace::pg_catalog.text,
                    pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE'),
                    p.oid::pg_catalog.regprocedure::pg_catalog.text
               FROM pg_catalog.pg_trigger t
               JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
               JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
              WHERE t.tgrelid = $1 AND t.tgname = $2",
            Some(1),
            &[rel.into(), trigger.into()],
        )?;
        if found.is_empty() {
            return Err(CimientoError::InvalidParameter(format!("no trigger {trigger} on that table")));
        }
        let row = found.first();
        let function = row.get::<pg_sys::Oid>(1)?.unwrap_or(pg_sys::InvalidOid);
        let tgtype = row.get::<i32>(2)?.unwrap_or(0);
        let schema = row.get::<String>(3)?.unwrap_or_default();
        let owns = row.get::<bool>(4)?.unwrap_or(false);
        let signature = row.get::<String>(5)?.unwrap_or_default();
        if !owns {
            return Err(CimientoError::PermissionRequired { permission: "ownership of the table".into(), branch: false });
        }
        client.update(
            "INSERT INTO cimiento.protected_triggers (table_oid, trigger_name, function_oid, trigger_type)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (table_oid, trigger_name) DO UPDATE
                SET function_oid = EXCLUDED.function_oid, trigger_type = EXCLUDED.trigger_type",
            None,
            &[rel.into(), trigger.into(), function.into(), tgtype.into()],
        )?;
        if schema != "cimiento" {
            // The owner may no longer replace the guard's code.
            client.update(&format!("ALTER FUNCTION {signature} OWNER TO cimiento_guard"), None, &[])?;
        }
        Ok(())
    })
}

/// Protects a trigger of a table the caller owns: from now on no role but the cluster
/// superuser can disable, drop or replace it, replace its function, or drop or rewrite the
/// table. Idempotent.
#[pg_extern(volatile, parallel_unsafe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn protect_trigger(tbl: PgRelation, trigger: &str) {
    let rel = tbl.oid();
    drop(tbl);
    protect(rel, trigger).or_raise()
}

/// Lifts a protection (the cluster superuser only). Returns whether it existed.
#[pg_extern(volatile, parallel_unsafe)]
#[search_path(pg_catalog, pg_temp)]
fn unprotect_trigger(tbl: PgRelation, trigger: &str) -> bool {
    let rel = tbl.oid();
    drop(tbl);
    Spi::connect_mut(|client| -> Result<bool, CimientoError> {
        let gone = client.update(
            "DELETE FROM cimiento.protected_triggers WHERE table_oid = $1 AND trigger_name = $2 RETURNING 1",
            None,
            &[rel.into(), trigger.into()],
        )?;
        Ok(!gone.is_empty())
    })
    .or_raise()
}

/// Registers a protection from the extension's own code (enable_audit), which already
/// checked that the caller may change the table.
pub fn register(client: &mut pgrx::spi::SpiClient<'_>, rel: pg_sys::Oid, trigger: &str) -> Result<(), CimientoError> {
    client.update(
        "SELECT cimiento.protect_trigger($1::pg_catalog.oid::pg_catalog.regclass, $2)",
        None,
        &[rel.into(), trigger.into()],
    )?;
    Ok(())
}

extension_sql_file!("protection_catalog.sql", name = "protection_catalog", bootstrap);

// Append-only tables, on top of protected triggers (SQL: two CREATE TRIGGER and a check).
extension_sql_file!("append_only.sql", name = "append_only", requires = [protect_trigger]);

extension_sql_file!("protection.sql", name = "protection", requires = [protect_trigger, unprotect_trigger]);
