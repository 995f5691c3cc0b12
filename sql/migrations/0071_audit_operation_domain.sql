-- 0071: the audit log's operation is checked by a domain, not a table CHECK (#13 audited
-- writes, and every business's write path).
--
-- PostgreSQL reads a table's CHECK expressions from the catalogue, parses, plans and
-- prepares them at every INSERT statement (the result-relation state does not outlive the
-- statement), and each audited row is its own statement, run by the audit trigger. A
-- domain's constraints are read once per backend and kept in its type cache. Measured
-- alone (10 000 audited single-row inserts in PL/pgSQL, three rounds alternating, on a log
-- of 4.4 million rows): the trigger cost 36–48 µs a row with log_operation, 26–36 µs
-- without it and the same with this domain; the profile of the audited-INSERT benchmark
-- had ExecConstraints (half of it stringToNode) at 12 % of the trigger's samples.
--
-- The column changes type without a rewrite or a scan (a domain over text with no
-- constraint yet is binary-coercible): the sealed rows stay byte for byte what their seals
-- hash (to_jsonb renders a domain as its base type). The domain's constraint is added NOT
-- VALID: every existing row satisfied log_operation, valid until this same transaction
-- drops it, so scanning the trail again would prove nothing and would hold every audited
-- write of the cluster for its length (4.4 s on a log of 4.4 million rows); new rows are
-- checked as before. api.audit_log reads the column, so it is dropped and recreated as
-- 0016 left it, with its grant, comment and INSTEAD OF trigger (0065).

DROP VIEW api.audit_log;

SET LOCAL ROLE audit_owner;
CREATE DOMAIN audit.operation AS text;
COMMENT ON DOMAIN audit.operation IS 'What an audit row records: INSERT, UPDATE, DELETE or TRUNCATE (checked by the domain, whose constraint PostgreSQL keeps per session, rather than by a table CHECK it would prepare again for every audited row). Its constraint shows NOT VALID: the rows written before 0071 were checked by the table CHECK it replaced.';
ALTER TABLE audit.log ALTER COLUMN operation TYPE audit.operation;
ALTER DOMAIN audit.operation ADD CONSTRAINT operation_known CHECK (VALUE IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')) NOT VALID;
ALTER TABLE audit.log DROP CONSTRAINT log_operation;
COMMENT ON COLUMN audit.log.operation IS 'INSERT, UPDATE, DELETE or TRUNCATE (domain audit.operation).';
RESET ROLE;

CREATE VIEW api.audit_log WITH (security_invoker = true) AS
  SELECT l.tenant_id, l.id, l.branch_id, l.table_name, l.operation, l.row_pk, l.row_key, l.new_row, l.old_row, l.changes,
         l.actor_user, l.actor_roles, l.actor_session, l.actor_login, l.request_id, l.txid, l.created_at,
         l.txid < st.horizon OR EXISTS (SELECT 1 FROM audit.sealed_txids s WHERE s.txid = l.txid) AS sealed
    FROM audit.log l CROSS JOIN audit.sealer_state st;
COMMENT ON VIEW api.audit_log IS 'The caller''s tenant audit trail: rows of a branch need audit.read in that branch, rows without branch (users, roles, tenant) audit.read in every branch. A row''s history by row_key (audit.row_key(table_name, row_pk)), what a user did by actor_user. sealed is true once the row is in the tamper-evident chain.';
GRANT SELECT ON api.audit_log TO app_user;
SELECT core.make_view_read_only('api.audit_log');
