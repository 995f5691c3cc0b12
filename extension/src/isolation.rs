//! `cimiento.enable_tenant_isolation`: forced RLS and the named tenant (and branch)
//! policies on a table, in the initplan form so the helpers run once per statement.
use pgrx::prelude::*;
use pgrx::PgRelation;

use crate::error::{CimientoError, OrRaise};

/// The tenant predicate every isolation policy starts with.
pub const TENANT_PREDICATE: &str = "tenant_id = (SELECT cimiento.current_tenant())";
/// The branch rule added for branch-scoped tables.
pub const BRANCH_PREDICATE: &str =
    "((SELECT cimiento.all_branches()) OR branch_id = ANY ((SELECT cimiento.current_branches())::uuid[]))";

fn column_type(client: &pgrx::spi::SpiClient<'_>, rel: pg_sys::Oid, column: &str) -> Result<Option<String>, CimientoError> {
    let rows = client.select(
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
          WHERE attrelid = $1 AND attname = $2 AND attnum > 0 AND NOT attisdropped",
        Some(1),
        &[rel.into(), column.into()],
    )?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(rows.first().get_one::<String>()?)
}

fn enable(rel: pg_sys::Oid, branch_scoped: bool) -> Result<(), CimientoError> {
    let _path = crate::privilege::PinnedSearchPath::enter();
    Spi::connect_mut(|client| {
        let (name, kind) = {
            let row = client
                .select(
                    "SELECT $1::regclass::text, relkind::text FROM pg_class WHERE oid = $1",
                    Some(1),
                    &[rel.into()],
                )?
                .first()
                .get_two::<String, String>()?;
            (row.0.unwrap_or_default(), row.1.unwrap_or_default())
        };
        if kind != "r" && kind != "p" {
            return Err(CimientoError::InvalidParameter(format!(
                "{name} is not a table; tenant isolation applies to tables"
            )));
        }
        match column_type(client, rel, "tenant_id")?.as_deref() {
            Some("uuid") => {}
            Some(other) => {
                return Err(CimientoError::InvalidObjectDefinition {
                    message: format!("{name}.tenant_id is {other}, not uuid"),
                    hint: "tenant_id must be uuid, referencing the tenants table".into(),
                })
            }
            None => {
                return Err(CimientoError::InvalidObjectDefinition {
                    message: format!("{name} has no tenant_id column"),
                    hint: "add tenant_id uuid NOT NULL as the first column of the primary key".into(),
                })
            }
        }
        if branch_scoped && column_type(client, rel, "branch_id")?.as_deref() != Some("uuid") {
            return Err(CimientoError::InvalidObjectDefinition {
                message: format!("{name} is branch-scoped but has no branch_id uuid column"),
                hint: "add branch_id uuid referencing the branches table, or pass branch_scoped => false".into(),
            });
        }
        let indexed = client
            .select(
                "SELECT EXISTS (
                   SELECT 1 FROM pg_index i
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = 'tenant_id'
                    WHERE i.indrelid = $1 AND i.indkey[0] = a.attnum)",
                Some(1),
                &[rel.into()],
            )?
            .first()
            .get_one::<bool>()?
            .unwrap_or(false);
        if !indexed {
            return Err(CimientoError::InvalidObjectDefinition {
                message: format!("{name} has no index leading with tenant_id"),
                hint: "make tenant_id the first column of the primary key (or add such an index) so \
                       policies filter by index"
                    .into(),
            });
        }
        let predicate = if branch_scoped {
            format!("{TENANT_PREDICATE} AND {BRANCH_PREDICATE}")
        } else {
            TENANT_PREDICATE.to_string()
        };
        let scope = if branch_scoped { "tenant and branches" } else { "tenant" };
        let mut sql = format!(
            "ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;\nALTER TABLE {name} FORCE ROW LEVEL SECURITY;\n"
        );
        let existing: Vec<String> = client
            .select("SELECT polname::text FROM pg_policy WHERE polrelid = $1", None, &[rel.into()])?
            .filter_map(|row| row.get::<String>(1).ok().flatten())
            .collect();
        for (cmd, clause) in [
            ("select", format!("USING ({predicate})")),
            ("insert", format!("WITH CHECK ({predicate})")),
            ("update", format!("USING ({predicate}) WITH CHECK ({predicate})")),
            ("delete", format!("USING ({predicate})")),
        ] {
            let policy = format!("tenant_isolation_{cmd}");
            if existing.contains(&policy) {
                sql.push_str(&format!("DROP POLICY {policy} ON {name};\n"));
            }
            sql.push_str(&format!(
                "CREATE POLICY {policy} ON {name} AS PERMISSIVE FOR {} TO PUBLIC {clause};\n\
                 COMMENT ON POLICY {policy} ON {name} IS 'cimiento: {cmd} only rows of the caller''s {scope}';\n",
                cmd.to_uppercase()
            ));
        }
        client.update(sql.as_str(), None, &[])?;
        Ok(())
    })
}

/// Enables and forces row-level security on `tbl` and (re)creates the policies
/// `tenant_isolation_{select,insert,update,delete}`: rows of the caller's tenant, and when
/// `branch_scoped`, of the caller's branches. Refuses tables without `tenant_id uuid` or
/// without an index leading with it. Idempotent.
#[pg_extern(volatile, parallel_unsafe)]
fn enable_tenant_isolation(tbl: PgRelation, branch_scoped: default!(bool, false)) {
    let rel = tbl.oid();
    drop(tbl);
    enable(rel, branch_scoped).or_raise()
}

/// The predicate that `permission` holds for a row: in the row's branch when the table has a
/// `branch_id` (a row without branch needs the permission in every branch), in some branch
/// otherwise. Initplan form: each helper runs once per statement.
pub fn permission_predicate(permission: &str, branch_column: Option<&str>) -> String {
    let p = permission.replace('\'', "''");
    match branch_column {
        Some(col) => format!(
            "((SELECT cimiento.permission_branches('{p}')) IS NULL OR {col} = ANY ((SELECT cimiento.permission_branches('{p}'))::uuid[]))"
        ),
        None => format!("(SELECT cimiento.has_permission('{p}'))"),
    }
}

fn valid_permission(p: &str) -> bool {
    let mut parts = p.splitn(2, '.');
    let ok = |s: Option<&str>| {
        s.is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    };
    ok(parts.next()) && ok(parts.next())
}

fn valid_command(command: &str) -> Result<String, CimientoError> {
    let cmd = command.to_ascii_lowercase();
    if !matches!(cmd.as_str(), "select" | "insert" | "update" | "delete") {
        return Err(CimientoError::InvalidParameter(format!(
            "command must be select, insert, update or delete, not {command:?}"
        )));
    }
    Ok(cmd)
}

/// (Re)creates the restrictive policy `permission_<cmd>` of a table with a predicate.
fn write_permission_policy(
    client: &mut pgrx::spi::SpiClient<'_>,
    rel: pg_sys::Oid,
    cmd: &str,
    predicate: &str,
    comment: &str,
) -> Result<(), CimientoError> {
    let name = client
        .select("SELECT $1::pg_catalog.regclass::pg_catalog.text", Some(1), &[rel.into()])?
        .first()
        .get_one::<String>()?
        .unwrap_or_default();
    let policy = format!("permission_{cmd}");
    let clause = match cmd {
        "insert" => format!("WITH CHECK ({predicate})"),
        "update" => format!("USING ({predicate}) WITH CHECK ({predicate})"),
        _ => format!("USING ({predicate})"),
    };
    let exists = !client
        .select("SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = $1 AND polname = $2", Some(1), &[rel.into(), policy.clone().into()])?
        .is_empty();
    let mut sql = String::new();
    if exists {
        sql.push_str(&format!("DROP POLICY {policy} ON {name};\n"));
    }
    sql.push_str(&format!(
        "CREATE POLICY {policy} ON {name} AS RESTRICTIVE FOR {} TO PUBLIC {clause};\n\
         COMMENT ON POLICY {policy} ON {name} IS 'cimiento: {}';\n",
        cmd.to_uppercase(),
        comment.replace('\'', "''")
    ));
    client.update(sql.as_str(), None, &[])?;
    Ok(())
}

fn enable_permission(rel: pg_sys::Oid, command: &str, permissions: &[String]) -> Result<(), CimientoError> {
    let cmd = valid_command(command)?;
    if permissions.is_empty() || permissions.iter().any(|p| !valid_permission(p)) {
        return Err(CimientoError::InvalidParameter(
            "permissions must be one or more codes of the form resource.action".into(),
        ));
    }
    let _path = crate::privilege::PinnedSearchPath::enter();
    Spi::connect_mut(|client| {
        let branch = column_type(client, rel, "branch_id")?.as_deref() == Some("uuid");
        let predicate = permissions
            .iter()
            .map(|p| permission_predicate(p, branch.then_some("branch_id")))
            .collect::<Vec<_>>()
            .join(" OR ");
        let scope = if branch { "in the branch of the row" } else { "in some branch" };
        let comment = format!("{cmd} needs {} {scope}", permissions.join(" or "));
        write_permission_policy(client, rel, &cmd, &predicate, &comment)
    })
}

/// The owner-scope predicate: the wide permission (in the row's branch), or the row is the
/// caller's and they hold the own permission (there). Each arm compares an indexed column
/// with a value computed once per statement (NULL when the permission is not held at all),
/// so the planner can answer either arm from an index (a BitmapOr) instead of filtering the
/// whole tenant: `tenant_id = <tenant if wide>` and `tenant_id = <tenant> AND <owner> =
/// <user if own>` (the tenant repeated in the own arm, so an index on (tenant_id, owner)
/// answers it: the tenant policy's own condition sits outside the OR, where no arm uses it).
pub fn owner_predicate(owner_column: &str, permission: &str, own_permission: &str, branch_column: Option<&str>) -> String {
    let (w, o) = (permission.replace('\'', "''"), own_permission.replace('\'', "''"));
    let branch = |p: &str| match branch_column {
        Some(_) => format!(" AND {}", permission_predicate(p, branch_column)),
        None => String::new(),
    };
    format!(
        "(tenant_id = (SELECT CASE WHEN cimiento.has_permission('{w}') THEN cimiento.current_tenant() END){}) OR \
         (tenant_id = (SELECT cimiento.current_tenant()) AND \
          {} = (SELECT CASE WHEN cimiento.has_permission('{o}') THEN cimiento.current_user_id() END){})",
        branch(permission),
        quote_ident(owner_column),
        branch(own_permission)
    )
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn enable_owner(
    rel: pg_sys::Oid,
    owner_column: &str,
    permission: &str,
    own_permission: &str,
    commands: &[String],
) -> Result<(), CimientoError> {
    if !valid_permission(permission) || !valid_permission(own_permission) {
        return Err(CimientoError::InvalidParameter("permissions must be codes of the form resource.action".into()));
    }
    let commands = commands.iter().map(|c| valid_command(c)).collect::<Result<Vec<_>, _>>()?;
    if commands.is_empty() {
        return Err(CimientoError::InvalidParameter("name at least one command (select, update, delete)".into()));
    }
    let _path = crate::privilege::PinnedSearchPath::enter();
    Spi::connect_mut(|client| {
        let owns = client
            .select(
                "SELECT pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE') FROM pg_catalog.pg_class c WHERE c.oid = $1",
                Some(1),
                &[rel.into()],
            )?
            .first()
            .get_one::<bool>()?
            .unwrap_or(false);
        if !owns {
            return Err(CimientoError::PermissionRequired { permission: "ownership of the table".into(), branch: false });
        }
        if column_type(client, rel, owner_column)?.as_deref() != Some("uuid") {
            return Err(CimientoError::InvalidObjectDefinition {
                message: format!("the owner column {owner_column} is missing or not uuid"),
                hint: "the owner column holds the id of the user the row is assigned to".into(),
            });
        }
        let branch = column_type(client, rel, "branch_id")?.as_deref() == Some("uuid");
        let predicate = owner_predicate(owner_column, permission, own_permission, branch.then_some("branch_id"));
        for cmd in &commands {
            let comment = format!("{cmd} needs {permission}, or {own_permission} for rows whose {owner_column} is the caller");
            write_permission_policy(client, rel, cmd, &predicate, &comment)?;
        }
        for cmd in &commands {
            client.update(
                "INSERT INTO cimiento.owner_scopes (table_oid, command, owner_column, permission, own_permission)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (table_oid, command) DO UPDATE SET owner_column = EXCLUDED.owner_column,
                        permission = EXCLUDED.permission, own_permission = EXCLUDED.own_permission",
                None,
                &[rel.into(), cmd.clone().into(), owner_column.into(), permission.into(), own_permission.into()],
            )?;
        }
        Ok(())
    })
}

/// Scopes a table to its rows' owners: for each of `commands` (default select, update,
/// delete) the restrictive policy `permission_<command>` lets a caller through who holds
/// `permission` in the row's branch, or who holds `own_permission` there and is the row's
/// `owner_column` (a collector's `policies.read_own` vs a manager's `policies.read`). Initplan
/// form. Registered in `cimiento.owner_scopes` (the lint checks the policies stay). Only the
/// owner of the table (the session's login) may call it.
#[pg_extern(volatile, parallel_unsafe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn enable_owner_scope(
    tbl: PgRelation,
    owner_column: &str,
    permission: &str,
    own_permission: &str,
    commands: default!(Vec<String>, "'{select,update,delete}'"),
) {
    let rel = tbl.oid();
    drop(tbl);
    enable_owner(rel, owner_column, permission, own_permission, &commands).or_raise()
}

extension_sql_file!(
    "isolation.sql",
    name = "isolation",
    requires = [enable_tenant_isolation, enable_owner_scope, enable_permission_policy]
);

/// Creates (or replaces) the restrictive policy `permission_<command>` on `tbl`: the caller
/// needs one of `permissions` — in the row's branch when the table has `branch_id` (a grant
/// limited to other branches does not count; a row without branch needs a tenant-wide
/// grant), in some branch otherwise. Initplan form, so the helpers run once per statement.
#[pg_extern(volatile, parallel_unsafe)]
fn enable_permission_policy(tbl: PgRelation, command: &str, permissions: Vec<String>) {
    let rel = tbl.oid();
    drop(tbl);
    enable_permission(rel, command, &permissions).or_raise()
}
