//! `cimiento.isolation_report()`: every table, view, policy, function and role that could
//! let one tenant see or change another's rows. One row per finding; none is the goal.
use pgrx::prelude::*;

use crate::error::{CimientoError, OrRaise};

/// Roles requests and analysts act as; together with the trusted logins
/// (`cimiento.trusted_logins`) they are the API roles: none may bypass RLS, and any role
/// they can become or that is a member of them counts too.
const REQUEST_ROLES: [&str; 3] = ["anon", "app_user", "analyst"];

/// The policy expression every permissive tenant policy must have as a top-level conjunct,
/// as `pg_get_expr` prints it with `search_path = pg_catalog`.
const TENANT_CONJUNCT: &str = "(tenant_id = ( SELECT cimiento.current_tenant() AS current_tenant))";

/// Splits a deparsed boolean expression into its top-level AND conjuncts; `None` when it
/// has a top-level OR (then no conjunct constrains every row).
pub fn top_level_conjuncts(expr: &str) -> Option<Vec<String>> {
    let mut e = expr.trim();
    // Strip redundant outer parentheses.
    loop {
        if e.starts_with('(') && e.ends_with(')') && matching_close(e, 0) == Some(e.len() - 1) {
            e = e[1..e.len() - 1].trim();
        } else {
            break;
        }
    }
    let bytes = e.as_bytes();
    let (mut depth, mut in_str, mut start) = (0i32, false, 0usize);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_str {
            if c == b'\'' {
                in_str = false;
            }
        } else if c == b'\'' {
            in_str = true;
        } else if c == b'(' {
            depth += 1;
        } else if c == b')' {
            depth -= 1;
        } else if depth == 0 {
            if e[i..].starts_with(" OR ") {
                return None;
            }
            if e[i..].starts_with(" AND ") {
                parts.push(e[start..i].trim().to_string());
                start = i + 5;
                i += 5;
                continue;
            }
        }
        i += 1;
    }
    parts.push(e[start..].trim().to_string());
    Some(parts)
}

fn matching_close(s: &str, open: usize) -> Option<usize> {
    let (mut depth, mut in_str) = (0i32, false);
    for (i, c) in s.bytes().enumerate().skip(open) {
        match c {
            b'\'' => in_str = !in_str,
            b'(' if !in_str => depth += 1,
            b')' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a policy expression confines rows to the caller's tenant.
pub fn confines_to_tenant(expr: Option<&str>) -> bool {
    match expr.and_then(top_level_conjuncts) {
        Some(parts) => parts.iter().any(|p| {
            let p = p.trim();
            p == TENANT_CONJUNCT || format!("({p})") == TENANT_CONJUNCT
        }),
        None => false,
    }
}

/// One row of `isolation_report`: the object at risk, the rule it breaks, how bad it is
/// (`error` | `warning`) and the fix. Ordered by object, then rule.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    object: String,
    rule: String,
    severity: String,
    fix: String,
}

impl Finding {
    fn into_row(self) -> (String, String, String, String) {
        (self.object, self.rule, self.severity, self.fix)
    }
}

fn catalog_findings(client: &pgrx::spi::SpiClient<'_>) -> Result<Vec<Finding>, CimientoError> {
    const SQL: &str = r#"
WITH ours AS (
  SELECT n.oid, n.nspname FROM pg_namespace n
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
),
foreign_ext AS (   -- objects owned by other extensions (pgtap, …) are not ours to lint
  SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
   WHERE d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass AND e.extname <> 'cimiento'
),
tenant_tables AS (
  SELECT c.oid, c.oid::regclass::text AS name, c.relrowsecurity, c.relforcerowsecurity, a.attnum AS tenant_attnum
    FROM pg_class c JOIN ours n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
   WHERE c.relkind IN ('r', 'p')
     AND NOT EXISTS (SELECT 1 FROM foreign_ext f WHERE f.classid = 'pg_class'::regclass AND f.objid = c.oid)
),
api_roles AS (
  SELECT r.oid, r.rolname FROM pg_roles r WHERE r.rolname = ANY ($1)
  UNION   -- roles an API login can become, and logins that are members of an API role
  SELECT m.roleid, (SELECT rolname FROM pg_roles WHERE oid = m.roleid) FROM pg_auth_members m
   WHERE m.member IN (SELECT oid FROM pg_roles WHERE rolname = ANY ($2))
  UNION
  SELECT m.member, (SELECT rolname FROM pg_roles WHERE oid = m.member) FROM pg_auth_members m
   WHERE m.roleid IN (SELECT oid FROM pg_roles WHERE rolname = ANY ($1))
)
SELECT name, 'rls_not_enabled_and_forced', 'error',
       format('SELECT cimiento.enable_tenant_isolation(%L);', name)
  FROM tenant_tables WHERE NOT (relrowsecurity AND relforcerowsecurity)
UNION ALL
SELECT name, 'no_policies', 'error',
       format('SELECT cimiento.enable_tenant_isolation(%L);', name)
  FROM tenant_tables t WHERE NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = t.oid)
UNION ALL
SELECT name, 'no_index_leading_with_tenant_id', 'warning',
       format('make tenant_id the first column of the primary key of %s', name)
  FROM tenant_tables t
 WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indkey[0] = t.tenant_attnum)
UNION ALL
SELECT c.oid::regclass::text, 'view_without_security_invoker', 'error',
       format('ALTER VIEW %s SET (security_invoker = true);', c.oid::regclass)
  FROM pg_class c JOIN ours n ON n.oid = c.relnamespace
 WHERE c.relkind = 'v'
   AND NOT EXISTS (SELECT 1 FROM foreign_ext f WHERE f.classid = 'pg_class'::regclass AND f.objid = c.oid)
   AND coalesce((SELECT lower(option_value) FROM pg_options_to_table(c.reloptions)
                  WHERE option_name = 'security_invoker'), 'false') NOT IN ('true', 'on', '1', 'yes')
   AND EXISTS (SELECT 1 FROM api_roles r WHERE has_table_privilege(r.oid, c.oid, 'SELECT'))
UNION ALL
SELECT c.oid::regclass::text, 'materialized_view_exposed', 'error',
       format('REVOKE SELECT ON %s FROM the API roles; materialized views bypass RLS', c.oid::regclass)
  FROM pg_class c JOIN ours n ON n.oid = c.relnamespace
 WHERE c.relkind = 'm'
   AND EXISTS (SELECT 1 FROM api_roles r WHERE has_table_privilege(r.oid, c.oid, 'SELECT'))
UNION ALL
SELECT p.oid::regprocedure::text, 'security_definer_without_search_path', 'error',
       format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp;', p.oid::regprocedure)
  FROM pg_proc p JOIN ours n ON n.oid = p.pronamespace
 WHERE p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM foreign_ext f WHERE f.classid = 'pg_proc'::regclass AND f.objid = p.oid)
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) cfg WHERE cfg LIKE 'search\_path=%')
UNION ALL
SELECT p.oid::regprocedure::text, 'security_definer_executable_by_public_or_anon', 'error',
       format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC, anon;', p.oid::regprocedure)
  FROM pg_proc p JOIN ours n ON n.oid = p.pronamespace
 WHERE p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM foreign_ext f WHERE f.classid = 'pg_proc'::regclass AND f.objid = p.oid)
   AND (EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                 WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
        OR (to_regrole('anon') IS NOT NULL AND has_function_privilege('anon', p.oid, 'EXECUTE')))
UNION ALL
SELECT format('%s constraint %s', con.conrelid::regclass, con.conname), 'foreign_key_without_tenant_id', 'error',
       format('make the key of %s (tenant_id, …) REFERENCES %s (tenant_id, …)', con.conname, con.confrelid::regclass)
  FROM pg_constraint con
  JOIN tenant_tables src ON src.oid = con.conrelid
  JOIN tenant_tables dst ON dst.oid = con.confrelid
 WHERE con.contype = 'f'
   AND NOT (con.conkey[1] = src.tenant_attnum AND con.confkey[1] = dst.tenant_attnum)
UNION ALL
SELECT r.rolname::text, 'api_role_bypasses_rls', 'error',
       format('ALTER ROLE %I NOSUPERUSER NOBYPASSRLS;', r.rolname)
  FROM pg_roles r WHERE r.oid IN (SELECT oid FROM api_roles) AND (r.rolsuper OR r.rolbypassrls)
UNION ALL
SELECT format('%s %s', o.table_oid, o.command), 'owner_scope_policy_missing', 'error',
       format('SELECT cimiento.enable_owner_scope(%L, %L, %L, %L, %L);', o.table_oid::text, o.owner_column, o.permission,
              o.own_permission, ARRAY[o.command])
  FROM cimiento.owner_scopes o
 WHERE NOT EXISTS (SELECT 1 FROM pg_policy p
                    WHERE p.polrelid = o.table_oid AND p.polname = 'permission_' || o.command AND NOT p.polpermissive
                      AND strpos(pg_get_expr(coalesce(p.polqual, p.polwithcheck), p.polrelid), format('%I = ( SELECT', o.owner_column)) > 0
                      AND strpos(pg_get_expr(coalesce(p.polqual, p.polwithcheck), p.polrelid), 'cimiento.current_user_id()') > 0)
"#;
    let mut out = Vec::new();
    let logins = crate::settings::trusted_logins();
    let api_roles: Vec<String> = REQUEST_ROLES.iter().map(|r| r.to_string()).chain(logins.iter().cloned()).collect();
    for row in client.select(SQL, None, &[api_roles.into(), logins.into()])? {
        out.push(Finding {
            object: row.get::<String>(1)?.unwrap_or_default(),
            rule: row.get::<String>(2)?.unwrap_or_default(),
            severity: row.get::<String>(3)?.unwrap_or_default(),
            fix: row.get::<String>(4)?.unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Permissive policies on tenant tables must confine rows to the caller's tenant (a
/// top-level `tenant_id = (SELECT cimiento.current_tenant())` conjunct): a policy without
/// it, or one that is always true, lets rows of other tenants through.
fn policy_findings(client: &pgrx::spi::SpiClient<'_>) -> Result<Vec<Finding>, CimientoError> {
    let rows = client.select(
        r#"SELECT c.oid::regclass::text, p.polname::text, p.polcmd::text,
                  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
             FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE p.polpermissive
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                             AND a.attname = 'tenant_id' AND NOT a.attisdropped)"#,
        None,
        &[],
    )?;
    let mut out = Vec::new();
    for row in rows {
        let table = row.get::<String>(1)?.unwrap_or_default();
        let policy = row.get::<String>(2)?.unwrap_or_default();
        let cmd = row.get::<String>(3)?.unwrap_or_default();
        let using = row.get::<String>(4)?;
        let check = row.get::<String>(5)?;
        // Which expressions decide visibility / acceptance for this command.
        let exprs: Vec<Option<&str>> = match cmd.as_str() {
            "r" | "d" => vec![using.as_deref()],
            "a" => vec![check.as_deref()],
            _ => vec![using.as_deref(), check.as_deref().or(using.as_deref())],
        };
        if !exprs.iter().all(|e| confines_to_tenant(*e)) {
            out.push(Finding {
                object: format!("{table} policy {policy}"),
                rule: "policy_not_confined_to_tenant".into(),
                severity: "error".into(),
                fix: format!(
                    "make tenant_id = (SELECT cimiento.current_tenant()) a top-level AND of the policy, \
                     or recreate it with SELECT cimiento.enable_tenant_isolation('{table}'); extra rules \
                     belong in AS RESTRICTIVE policies"
                ),
            });
        }
    }
    Ok(out)
}

/// One row per isolation risk: object, rule, severity (`error`|`warning`) and a fix.
/// Covers tables with `tenant_id` lacking forced RLS or policies, permissive policies not
/// confined by the tenant helper (or always true), views readable by API roles without
/// `security_invoker`, exposed materialized views, SECURITY DEFINER functions without a
/// fixed `search_path` or executable by PUBLIC/anon, foreign keys between tenant tables
/// that leave out `tenant_id`, API roles that are superuser or BYPASSRLS, and owner-scoped
/// tables (`cimiento.owner_scopes`) whose owner policy was dropped or replaced.
#[pg_extern(stable, parallel_safe)]
#[search_path(pg_catalog, pg_temp)]
fn isolation_report() -> TableIterator<
    'static,
    (name!(object, String), name!(rule, String), name!(severity, String), name!(fix, String)),
> {
    let findings = Spi::connect(|client| -> Result<Vec<Finding>, CimientoError> {
        let mut all = catalog_findings(client)?;
        all.extend(policy_findings(client)?);
        all.sort();
        Ok(all)
    })
    .or_raise();
    TableIterator::new(findings.into_iter().map(Finding::into_row))
}

extension_sql_file!("lint.sql", name = "lint", requires = [isolation_report]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn conjuncts_split_only_at_top_level() {
        assert_eq!(top_level_conjuncts("((a = 1) AND (b = 'x AND y'))").unwrap(), vec!["(a = 1)", "(b = 'x AND y')"]);
        assert!(top_level_conjuncts("((a = 1) OR (b = 2))").is_none());
        assert_eq!(top_level_conjuncts("(a OR b) AND c").unwrap().len(), 2);
    }

    #[pg_test]
    fn tenant_confinement_is_recognised() {
        assert!(confines_to_tenant(Some(TENANT_CONJUNCT)));
        let with_branch = format!("({TENANT_CONJUNCT} AND ((SELECT cimiento.all_branches()) OR true))");
        assert!(confines_to_tenant(Some(&with_branch)));
        let leaky = format!("({TENANT_CONJUNCT} OR (is_public = true))");
        assert!(!confines_to_tenant(Some(&leaky)));
        assert!(!confines_to_tenant(Some("true")));
        assert!(!confines_to_tenant(None));
    }

    #[pg_test]
    fn report_flags_an_unprotected_tenant_table() {
        Spi::run("CREATE TABLE public.leaky (tenant_id uuid, id int, PRIMARY KEY (tenant_id, id))").unwrap();
        let n = Spi::get_one::<i64>(
            "SELECT count(*) FROM cimiento.isolation_report() WHERE object = 'public.leaky' AND rule = 'rls_not_enabled_and_forced'",
        )
        .unwrap();
        assert_eq!(n, Some(1));
        Spi::run("SELECT cimiento.enable_tenant_isolation('public.leaky')").unwrap();
        let n = Spi::get_one::<i64>("SELECT count(*) FROM cimiento.isolation_report() WHERE object LIKE 'public.leaky%'").unwrap();
        assert_eq!(n, Some(0), "enable_tenant_isolation fixes every finding");
        Spi::run("CREATE POLICY sneaky ON public.leaky FOR SELECT USING (true)").unwrap();
        let n = Spi::get_one::<i64>(
            "SELECT count(*) FROM cimiento.isolation_report() WHERE rule = 'policy_not_confined_to_tenant'",
        )
        .unwrap();
        assert_eq!(n, Some(1));
    }
}
