-- Tamper evidence: each kind of tampering with sealed audit rows is detected by verify_audit.
-- Tampering bypasses the append-only triggers the way only a superuser could
-- (session_replication_role = replica disables triggers and foreign keys).
BEGIN;
SELECT no_plan();

CREATE TEMP TABLE ctx AS SELECT (SELECT id FROM core.tenants WHERE slug = 'acme') AS t;
CREATE TEMP TABLE sealed AS
  SELECT s.seq, s.log_id FROM audit.seals s WHERE s.tenant_id = (SELECT t FROM ctx) ORDER BY s.seq;
SELECT cmp_ok((SELECT count(*) FROM sealed), '>=', 4::bigint, 'acme has sealed audit rows to tamper with');
CREATE TEMP TABLE cp AS SELECT cimiento.audit_checkpoint((SELECT t FROM ctx)) AS c;
SELECT is((SELECT (c ->> 'seq')::bigint FROM cp), (SELECT max(seq) FROM sealed), 'the checkpoint is the chain head');

CREATE FUNCTION pg_temp.verdict(p_checkpoint jsonb DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN ok THEN 'ok' ELSE problem END FROM cimiento.verify_audit((SELECT t FROM ctx), p_checkpoint)
$$;
SELECT is(pg_temp.verdict(), 'ok', 'the untouched chain verifies');
SELECT is(pg_temp.verdict((SELECT c FROM cp)), 'ok', '…also against its checkpoint');
SELECT is((SELECT checked FROM cimiento.verify_audit((SELECT t FROM ctx))), (SELECT count(*) FROM sealed), 'every seal was checked');

SET LOCAL session_replication_role = replica;

SAVEPOINT s;
UPDATE audit.log SET actor_login = 'someone-else' WHERE id = (SELECT log_id FROM sealed ORDER BY seq OFFSET 1 LIMIT 1);
SELECT is(pg_temp.verdict(), 'row changed', 'editing a sealed row is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
DELETE FROM audit.log WHERE id = (SELECT log_id FROM sealed ORDER BY seq OFFSET 2 LIMIT 1);
SELECT is(pg_temp.verdict(), 'row removed', 'deleting a row in the middle is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
WITH victim AS (SELECT log_id, seq FROM sealed ORDER BY seq OFFSET 2 LIMIT 1),
     gone AS (DELETE FROM audit.seals WHERE tenant_id = (SELECT t FROM ctx) AND seq = (SELECT seq FROM victim))
DELETE FROM audit.log WHERE id = (SELECT log_id FROM victim);
SELECT is(pg_temp.verdict(), 'seal missing', 'deleting a row and its seal is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
INSERT INTO audit.log (tenant_id, table_name, operation, row_pk, new_row, actor_login, txid, created_at)
SELECT tenant_id, table_name, operation, row_pk, '{"forged": true}', actor_login, txid, created_at
  FROM audit.log WHERE id = (SELECT log_id FROM sealed ORDER BY seq OFFSET 1 LIMIT 1);
SELECT is(pg_temp.verdict(), 'unsealed row in sealed range', 'inserting a forged row among sealed ones is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
WITH forged AS (
  INSERT INTO audit.log (tenant_id, table_name, operation, row_pk, new_row, actor_login, txid)
  SELECT (SELECT t FROM ctx), 'core.users', 'INSERT', '{}', '{"forged": true}', 'x', txid_current() RETURNING tenant_id, id)
INSERT INTO audit.seals (tenant_id, seq, log_id, row_hash, chain_hash)
SELECT tenant_id, (SELECT max(seq) + 1 FROM sealed), id, sha256('x'), sha256('y') FROM forged;
SELECT is(pg_temp.verdict(), 'row changed', 'a forged row with a forged seal is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
CREATE TEMP TABLE pair AS
  SELECT (SELECT log_id FROM sealed ORDER BY seq OFFSET 1 LIMIT 1) AS a, (SELECT log_id FROM sealed ORDER BY seq OFFSET 2 LIMIT 1) AS b;
UPDATE audit.seals s SET log_id = CASE s.log_id WHEN p.a THEN -p.b ELSE -p.a END
  FROM pair p WHERE s.tenant_id = (SELECT t FROM ctx) AND s.log_id IN (p.a, p.b);
UPDATE audit.seals SET log_id = -log_id WHERE tenant_id = (SELECT t FROM ctx) AND log_id < 0;
SELECT is(pg_temp.verdict(), 'row changed', 'swapping two sealed rows is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
WITH tail AS (DELETE FROM audit.seals WHERE tenant_id = (SELECT t FROM ctx) AND seq > (SELECT max(seq) - 2 FROM sealed) RETURNING log_id)
DELETE FROM audit.log WHERE id IN (SELECT log_id FROM tail);
SELECT is(pg_temp.verdict(), 'ok', 'cutting the tail (rows and seals) is invisible to the chain alone…');
SELECT is(pg_temp.verdict((SELECT c FROM cp)), 'shorter than checkpoint', '…but detected against an earlier checkpoint');
ROLLBACK TO SAVEPOINT s;

SET LOCAL session_replication_role = origin;
SELECT is(pg_temp.verdict((SELECT c FROM cp)), 'ok', 'after every rollback the chain verifies again');
SELECT is((SELECT problem FROM cimiento.verify_audit((SELECT t FROM ctx), '{"seq": 1, "hash": "00"}')), 'differs from checkpoint',
          'a checkpoint from another chain is refused');

SELECT * FROM finish();
ROLLBACK;
