-- 0055: the audit trigger writes each row's history key itself (#13 audited writes, and every
-- business's write path).
--
-- audit.log.row_key was a generated column. PostgreSQL reads a generated column's expression
-- from the catalogue, plans it and prepares it at every INSERT statement, and each audited
-- row is its own statement: measured alone (20 000 single-row inserts into a copy of the
-- log, PL/pgSQL, cached plan), 41–46 µs a row with it and 25 µs without. The column becomes
-- a plain one; the audit trigger (cimiento.audit_row), seeing a plain bigint row_key on the
-- registered log, fills it in its own cached statement with the same expression,
-- hashtextextended(table_name || ' ' || row_pk::text, 0), which audit.row_key() still
-- states for readers. Existing values stay as they are (no rewrite: the trail is
-- protected), and new rows get identical keys (pgTAP 070 checks row_key against
-- audit.row_key for every operation).

SET LOCAL ROLE audit_owner;
ALTER TABLE audit.log ALTER COLUMN row_key DROP EXPRESSION;
COMMENT ON COLUMN audit.log.row_key IS 'Hash of table and primary key, indexed for "history of this row": WHERE row_key = audit.row_key(''core.branches'', ''{"tenant_id": …, "id": …}''). Written by the audit trigger with that same expression (hashtextextended(table_name || '' '' || row_pk::text, 0)).';
RESET ROLE;
