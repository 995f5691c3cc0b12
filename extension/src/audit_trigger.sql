-- The audit trigger and switching it on and off (audit.rs).
COMMENT ON FUNCTION cimiento.audit_row() IS
  'Audit trigger (Rust): writes each row change (and TRUNCATE) into the registered audit store''s log (cimiento.register_audit_store) with tenant, branch, table, operation, primary key, new row / old row / changed columns only, actor, request id and transaction id. SECURITY DEFINER so API roles cannot write the log themselves; secret columns (cimiento.audit_redact_columns) are redacted. Attach with enable_audit().';
REVOKE ALL ON FUNCTION cimiento.audit_row() FROM PUBLIC;
COMMENT ON FUNCTION cimiento.enable_audit(regclass, text[]) IS
  'Attaches the audit trigger to a table (row changes and TRUNCATE). ignore_columns: bookkeeping columns whose changes alone write no audit row (e.g. a series counter, a last-seen time). Refuses tables without a primary key (42P17) and the audit tables themselves. Idempotent. VOLATILE, PARALLEL UNSAFE.';
COMMENT ON FUNCTION cimiento.disable_audit(regclass) IS
  'Detaches the audit trigger from a table. Idempotent. VOLATILE, PARALLEL UNSAFE.';
