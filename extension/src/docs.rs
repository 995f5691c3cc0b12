//! `COMMENT ON` for every SQL-callable function, so `\df+ cimiento.*` documents itself.
use pgrx::prelude::*;

extension_sql!(
    r#"
GRANT USAGE ON SCHEMA cimiento TO PUBLIC;
COMMENT ON SCHEMA cimiento IS 'Cimiento engine: tenant isolation, per-branch permissions and owner scopes, gapless numbering, workflows, audit chain.';
COMMENT ON FUNCTION cimiento.version() IS
  'Version of the installed cimiento library (the crate version). IMMUTABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_tenant() IS
  'The caller''s tenant id: from request.jwt.claims (tid) when session_user is a trusted login (cimiento.trusted_logins: PostgREST, api); otherwise from the registered identity source (cimiento.register_identity) by session_user, ignoring claims. NULL when unknown. Use as (SELECT cimiento.current_tenant()) in policies. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_user_id() IS
  'The caller''s user id (claim sub, or the registered identity source for a direct login), or NULL. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_session() IS
  'The caller''s session id (claim sid), or NULL. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_roles() IS
  'The caller''s application roles (claim roles, or the registered identity source). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_branches() IS
  'The branch ids the caller is limited to; NULL when it may act in every branch of its tenant (see all_branches()). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.all_branches() IS
  'True when the caller has a tenant and may act in all of its branches (claim branches = ["*"], or NULL branches from the registered identity source). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.can_access_branch(uuid) IS
  'True when the caller may act in the given branch of its tenant. For RPC checks; policies use the initplan form. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_role(text) IS
  'True when the caller holds the application role (admin, manager, cashier, registrar, teacher, analyst, or a tenant role). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_permission(text) IS
  'True when some grant of the caller (a role in some branches, or in all) gives the permission (resource.action) in some branch; granted patterns resource.* and * are wildcards. Looked up once per transaction. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_permission(text, uuid) IS
  'True when a grant of the caller gives the permission in that branch: a role granted for other branches does not count; a grant without branch counts everywhere. NULL branch: only a tenant-wide grant. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.require_permission(text) IS
  'Raises SQLSTATE 42501 (HTTP 403 through PostgREST) naming the permission unless has_permission(permission). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.require_permission(text, uuid) IS
  'Raises SQLSTATE 42501 (HTTP 403) naming the permission unless the caller holds it in that branch. RPCs call it with the branch of the row they act on. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.permission_branches(text) IS
  'Branches where the caller holds the permission: NULL = every branch, {} = none. Policies use it in the initplan form (see enable_permission_policy). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_amr() IS
  'Authentication methods of the caller''s token (claim amr, e.g. {pwd,otp}); empty for direct logins. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.enable_permission_policy(regclass, text, text[]) IS
  'Creates or replaces the restrictive policy permission_<command> on a table: the caller needs one of the permissions in the row''s branch (tables with branch_id; a row without branch needs a tenant-wide grant), or in some branch (other tables). Initplan form. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.enable_owner_scope(regclass, text, text, text, text[]) IS
  'Scopes a table to its rows'' owners: for each command (default select, update, delete) the restrictive policy permission_<command> admits a caller holding the wide permission in the row''s branch, or holding the own permission there when owner_column is their user id (policies.read vs policies.read_own). Initplan form; registered in cimiento.owner_scopes and checked by isolation_report(). Only the table''s owner (the session''s login) may call it. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.note_permissions_changed() IS
  'Tells every backend that role permissions may have changed (they re-read them now and again when this transaction commits). Call it from statement triggers on the tables that hold roles and their permissions. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.protect_trigger(regclass, text) IS
  'Protects a trigger of a table the session''s login owns: afterwards no role but the cluster superuser may disable, drop or replace it (its function is handed to cimiento_guard), or drop or rewrite the table. For immutability guards and the audit trigger. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.unprotect_trigger(regclass, text) IS
  'Lifts a trigger''s protection. Cluster superuser only. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.login_scope() IS
  'Internal: tenant, user, roles and branches of the current direct SQL login, from the login_scope function registered with cimiento.register_identity. Not executable by PUBLIC. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.caller_role_permissions() IS
  'Internal: the permission patterns of each of the caller''s roles in its tenant, as {role: [pattern]}, from the role_permissions function registered with cimiento.register_identity. Not executable by PUBLIC. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.enable_tenant_isolation(regclass, boolean) IS
  'Enables and forces RLS on a table with tenant_id and (re)creates policies tenant_isolation_{select,insert,update,delete} in the initplan form; with branch_scoped also limits rows to the caller''s branches. Refuses tables without tenant_id uuid or an index leading with it. Idempotent. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.isolation_report() IS
  'Lint: one row (object, rule, severity, fix) per object that could leak rows across tenants: tenant tables without forced RLS or policies, permissive policies not confined by current_tenant(), views exposed to API roles without security_invoker, SECURITY DEFINER functions without search_path or executable by PUBLIC/anon, foreign keys without tenant_id, API roles with BYPASSRLS/superuser. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.number_at_commit() IS
  'Deferred constraint trigger that cimiento.enable_numbering attaches as <table>_number_at_commit: numbers a due row gaplessly at commit from its registration (cimiento.numbered_tables), acting as cimiento_numbering (which may write only the numbering columns), notifies the registered channel and calls the registered after_numbered function. Errors: P0002 no series, 55000 closed series, 22008 date in the future or before the series'' last document. Not executable by PUBLIC.';
COMMENT ON FUNCTION cimiento.format_document_number(text, text, integer, bigint) IS
  'Renders a document number from a series format with {code}, {year}, {number} and {number:0N}, e.g. F001-2026-000123. 22023 for a format without the number. IMMUTABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.audit_row() IS
  'Audit trigger (Rust): writes each row change (and TRUNCATE) into the registered audit store''s log (cimiento.register_audit_store) with tenant, branch, table, operation, primary key, new row / old row / changed columns only, actor, request id and transaction id. SECURITY DEFINER so API roles cannot write the log themselves; secret columns (cimiento.audit_redact_columns) are redacted. Attach with enable_audit().';
COMMENT ON FUNCTION cimiento.enable_audit(regclass, text[]) IS
  'Attaches the audit trigger to a table (row changes and TRUNCATE). ignore_columns: bookkeeping columns whose changes alone write no audit row (e.g. a series counter, a last-seen time). Refuses tables without a primary key (42P17) and the audit tables themselves. Idempotent. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.disable_audit(regclass) IS
  'Detaches the audit trigger from a table. Idempotent. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.seal_audit() IS
  'Seals the audit rows of committed transactions not sealed yet (at most a batch) into each tenant''s SHA-256 chain and returns how many it sealed. The background worker "cimiento audit sealer" (login cimiento_sealer) does this every cimiento.audit_seal_interval_ms. SECURITY DEFINER, executable by audit_owner only. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.audit_checkpoint(uuid) IS
  'The head of a tenant''s audit chain as JSON {tenant_id, seq, hash, sealed_at}: keep it outside the database and pass it to verify_audit to detect a rewritten or truncated chain. SECURITY DEFINER, not executable by PUBLIC. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.verify_audit(uuid, jsonb) IS
  'Recomputes a tenant''s audit chain and returns ok, seals checked and the first problem (row changed, row removed, seal missing, chain broken, unsealed row in sealed range, shorter than / differs from checkpoint). Without a checkpoint it cannot detect a consistently rewritten chain or a cut tail. SECURITY DEFINER, not executable by PUBLIC. STABLE, PARALLEL SAFE.';
"#,
    name = "docs",
    finalize
);
