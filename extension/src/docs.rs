//! `COMMENT ON` for every SQL-callable function, so `\df+ cimiento.*` documents itself.
use pgrx::prelude::*;

extension_sql!(
    r#"
GRANT USAGE ON SCHEMA cimiento TO PUBLIC;
COMMENT ON SCHEMA cimiento IS 'Cimiento engine: tenant isolation helpers, gapless numbering, audit chain.';
COMMENT ON FUNCTION cimiento.version() IS
  'Version of the installed cimiento library (the crate version). IMMUTABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_tenant() IS
  'The caller''s tenant id: from request.jwt.claims (tid) when session_user is a trusted login (cimiento.trusted_logins: PostgREST, api); otherwise from core.db_logins by session_user, ignoring claims. NULL when unknown. Use as (SELECT cimiento.current_tenant()) in policies. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_user_id() IS
  'The caller''s user id (claim sub, or core.db_logins.user_id for a direct login), or NULL. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_session() IS
  'The caller''s session id (claim sid), or NULL. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_roles() IS
  'The caller''s application roles (claim roles, or core.db_logins.roles). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.current_branches() IS
  'The branch ids the caller is limited to; NULL when it may act in every branch of its tenant (see all_branches()). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.all_branches() IS
  'True when the caller has a tenant and may act in all of its branches (claim branches = ["*"], or core.db_logins.branch_ids NULL). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.can_access_branch(uuid) IS
  'True when the caller may act in the given branch of its tenant. For RPC checks; policies use the initplan form. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_role(text) IS
  'True when the caller holds the application role (admin, manager, cashier, registrar, teacher, analyst, or a tenant role). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.has_permission(text) IS
  'True when the union of the caller''s roles grants the permission (resource.action); granted patterns resource.* and * are wildcards. Looked up once per transaction. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.require_permission(text) IS
  'Raises SQLSTATE 42501 (HTTP 403 through PostgREST) naming the permission unless has_permission(permission). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.login_scope() IS
  'Internal, SECURITY DEFINER: tenant, user, roles and branches of the current direct SQL login from core.db_logins. Not executable by PUBLIC. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.caller_permissions() IS
  'Internal, SECURITY DEFINER: the permission patterns granted to the caller''s roles in its tenant. Not executable by PUBLIC. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.enable_tenant_isolation(regclass, boolean) IS
  'Enables and forces RLS on a table with tenant_id and (re)creates policies tenant_isolation_{select,insert,update,delete} in the initplan form; with branch_scoped also limits rows to the caller''s branches. Refuses tables without tenant_id uuid or an index leading with it. Idempotent. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.isolation_report() IS
  'Lint: one row (object, rule, severity, fix) per object that could leak rows across tenants: tenant tables without forced RLS or policies, permissive policies not confined by current_tenant(), views exposed to API roles without security_invoker, SECURITY DEFINER functions without search_path or executable by PUBLIC/anon, foreign keys without tenant_id, API roles with BYPASSRLS/superuser. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.assign_invoice_number(uuid, uuid) IS
  'Numbers an issued document of billing.invoices gaplessly in its series and fiscal year (opening a new year''s series at 1) and returns its display number; NULL for drafts or documents already numbered. What the deferred trigger number_at_commit runs; callable by the table owner for repairs, not by API roles. Errors: P0002 unknown series, 55000 closed series. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.number_at_commit() IS
  'Deferred constraint trigger of billing.invoices: numbers an issued document gaplessly at commit (acting as the table owner) and notifies channel cimiento_documents. Not executable by PUBLIC.';
COMMENT ON FUNCTION cimiento.format_document_number(text, text, integer, bigint) IS
  'Renders a document number from a series format with {code}, {year}, {number} and {number:0N}, e.g. F001-2026-000123. 22023 for a format without the number. IMMUTABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.audit_row() IS
  'Audit trigger (Rust): writes each row change (and TRUNCATE) into audit.log with tenant, branch, table, operation, primary key, new row / old row / changed columns only, actor, request id and transaction id. SECURITY DEFINER so API roles cannot write the log themselves; secret columns (cimiento.audit_redact_columns) are redacted. Attach with enable_audit().';
COMMENT ON FUNCTION cimiento.enable_audit(regclass, text[]) IS
  'Attaches the audit trigger to a table (row changes and TRUNCATE). ignore_columns: bookkeeping columns whose changes alone write no audit row (e.g. a series counter, a last-seen time). Refuses tables without a primary key (42P17) and the audit tables themselves. Idempotent. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.disable_audit(regclass) IS
  'Detaches the audit trigger from a table. Idempotent. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.seal_audit() IS
  'Seals the audit rows of settled transactions into each tenant''s SHA-256 chain and returns how many it sealed. The background worker "cimiento audit sealer" runs it every cimiento.audit_seal_interval_ms. SECURITY DEFINER, not executable by PUBLIC. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.audit_checkpoint(uuid) IS
  'The head of a tenant''s audit chain as JSON {tenant_id, seq, hash, sealed_at}: keep it outside the database and pass it to verify_audit to detect a rewritten or truncated chain. SECURITY DEFINER, not executable by PUBLIC. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.verify_audit(uuid, jsonb) IS
  'Recomputes a tenant''s audit chain and returns ok, seals checked and the first problem (row changed, row removed, seal missing, chain broken, unsealed row in sealed range, shorter than / differs from checkpoint). Without a checkpoint it cannot detect a consistently rewritten chain or a cut tail. SECURITY DEFINER, not executable by PUBLIC. STABLE, PARALLEL SAFE.';
"#,
    name = "docs",
    finalize
);
