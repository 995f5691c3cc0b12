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

extension_sql!(
    r#"
CREATE TABLE cimiento.protected_triggers (
  table_oid    oid  NOT NULL,
  trigger_name name NOT NULL,
  function_oid oid  NOT NULL,
  trigger_type int  NOT NULL,
  protected_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_oid, trigger_name)
);
COMMENT ON TABLE cimiento.protected_triggers IS 'Triggers no role but the cluster superuser may disable, drop or replace (immutability guards, audit): written by cimiento.protect_trigger, enforced by the event triggers cimiento_protect_*.';
REVOKE ALL ON cimiento.protected_triggers FROM PUBLIC;
GRANT SELECT ON cimiento.protected_triggers TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.protected_triggers', '');

DO $guard$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'cimiento_guard') THEN
    CREATE ROLE cimiento_guard NOLOGIN;
  END IF;
END $guard$;

CREATE FUNCTION cimiento.enforce_protected_triggers() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  bad record;
BEGIN
  IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)) THEN
    RETURN;
  END IF;
  IF tg_event = 'ddl_command_end' THEN
    SELECT p.table_oid::regclass::text AS tbl, p.trigger_name INTO bad
      FROM cimiento.protected_triggers p
      LEFT JOIN pg_catalog.pg_trigger t ON t.tgrelid = p.table_oid AND t.tgname = p.trigger_name
     WHERE t.oid IS NULL OR t.tgenabled NOT IN ('O', 'A') OR t.tgfoid <> p.function_oid
        OR t.tgtype::int <> p.trigger_type
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'trigger % on % is protected: only the cluster superuser may disable, drop or replace it',
        bad.trigger_name, bad.tbl USING ERRCODE = '42501',
        HINT = 'it guards issued documents or the audit trail';
    END IF;
  ELSIF tg_event = 'sql_drop' THEN
    SELECT d.object_identity INTO bad
      FROM pg_catalog.pg_event_trigger_dropped_objects() d
     WHERE d.object_type IN ('table', 'table column')
       AND d.objid IN (SELECT table_oid FROM cimiento.protected_triggers)
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION '% has protected triggers: only the cluster superuser may drop it or its columns', bad.object_identity
        USING ERRCODE = '42501';
    END IF;
  ELSIF tg_event = 'table_rewrite' THEN
    IF pg_catalog.pg_event_trigger_table_rewrite_oid() IN (SELECT table_oid FROM cimiento.protected_triggers) THEN
      RAISE EXCEPTION '% has protected triggers: only the cluster superuser may rewrite it',
        pg_catalog.pg_event_trigger_table_rewrite_oid()::regclass USING ERRCODE = '42501';
    END IF;
  END IF;
END
$fn$;
COMMENT ON FUNCTION cimiento.enforce_protected_triggers() IS 'Event trigger: refuses to every role but the cluster superuser the DDL that would disable, drop or replace a protected trigger, or drop or rewrite its table.';
REVOKE ALL ON FUNCTION cimiento.enforce_protected_triggers() FROM PUBLIC;
CREATE EVENT TRIGGER cimiento_protect_ddl ON ddl_command_end EXECUTE FUNCTION cimiento.enforce_protected_triggers();
CREATE EVENT TRIGGER cimiento_protect_drop ON sql_drop EXECUTE FUNCTION cimiento.enforce_protected_triggers();
CREATE EVENT TRIGGER cimiento_protect_rewrite ON table_rewrite EXECUTE FUNCTION cimiento.enforce_protected_triggers();
"#,
    name = "protection_catalog",
    bootstrap
);

// Append-only tables, on top of protected triggers (SQL: two CREATE TRIGGER and a check).
extension_sql_file!("append_only.sql", name = "append_only", requires = [protect_trigger]);

extension_sql!(
    r#"
REVOKE ALL ON FUNCTION cimiento.unprotect_trigger(regclass, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION cimiento.protect_trigger(regclass, text) FROM PUBLIC;
"#,
    name = "protection_grants",
    requires = [protect_trigger, unprotect_trigger]
);
