-- Tamper evidence: each kind of tampering with sealed audit rows is detected by verify_audit.
-- Tampering bypasses the append-only triggers the way only a superuser could
-- (session_replication_role = replica disables triggers and foreign keys).
BEGIN;
SELECT plan(18);

CREATE TEMP TABLE ctx AS SELECT (SELECT id FROM core.tenants WHERE slug = 'acme') AS t;
CREATE TEMP TABLE sealed AS
  SELECT s.seq, i.log_id, i.ord FROM audit.seals s, unnest(s.log_ids) WITH ORDINALITY AS i(log_id, ord)
   WHERE s.tenant_id = (SELECT t FROM ctx) ORDER BY s.seq, i.ord;
SELECT cmp_ok((SELECT count(DISTINCT seq) FROM sealed), '>=', 3::bigint, 'acme has several seals to tamper with');
CREATE TEMP TABLE cp AS SELECT cimiento.audit_checkpoint((SELECT t FROM ctx)) AS c;
SELECT is((SELECT (c ->> 'seq')::bigint FROM cp), (SELECT max(seq) FROM sealed), 'the checkpoint is the chain head');

CREATE FUNCTION pg_temp.verdict(p_checkpoint jsonb DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN ok THEN 'ok' ELSE problem END FROM cimiento.verify_audit((SELECT t FROM ctx), p_checkpoint)
$$;
SELECT is(pg_temp.verdict(), 'ok', 'the untouched chain verifies');
SELECT is(pg_temp.verdict((SELECT c FROM cp)), 'ok', '…also against its checkpoint');
SELECT is((SELECT checked FROM cimiento.verify_audit((SELECT t FROM ctx))), (SELECT count(DISTINCT seq) FROM sealed), 'every seal was checked');

SET LOCAL session_replication_role = replica;

SAVEPOINT s;
UPDATE audit.log SET actor_login = 'someone-else' WHERE id = (SELECT log_id FROM sealed ORDER BY seq, ord OFFSET 1 LIMIT 1);
SELECT is(pg_temp.verdict(), 'row changed', 'editing a sealed row is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
DELETE FROM audit.log WHERE id = (SELECT log_id FROM sealed ORDER BY seq, ord OFFSET 2 LIMIT 1);
SELECT is(pg_temp.verdict(), 'row removed', 'deleting a row in the middle is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
WITH victim AS (SELECT min(seq) + 1 AS seq FROM sealed),
     gone AS (DELETE FROM audit.seals WHERE tenant_id = (SELECT t FROM ctx) AND seq = (SELECT seq FROM victim) RETURNING log_ids)
DELETE FROM audit.log WHERE id IN (SELECT unnest(log_ids) FROM gone);
SELECT is(pg_temp.verdict(), 'seal missing', 'deleting rows and their seal in the middle is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
INSERT INTO audit.log (tenant_id, table_name, operation, row_pk, new_row, actor_login, txid, created_at)
SELECT tenant_id, table_name, operation, row_pk, '{"forged": true}', actor_login, txid, created_at
  FROM audit.log WHERE id = (SELECT log_id FROM sealed ORDER BY seq, ord OFFSET 1 LIMIT 1);
SELECT is(pg_temp.verdict(), 'unsealed row in sealed range', 'inserting a forged row among sealed ones is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
WITH forged AS (
  INSERT INTO audit.log (tenant_id, table_name, operation, row_pk, new_row, actor_login, txid)
  SELECT (SELECT t FROM ctx), 'core.users', 'INSERT', '{}', '{"forged": true}', 'x', txid_current() RETURNING tenant_id, id)
INSERT INTO audit.seals (tenant_id, seq, log_ids, row_hashes, chain_hash)
SELECT tenant_id, (SELECT max(seq) + 1 FROM sealed), ARRAY[id], sha256('x'), sha256('y') FROM forged;
SELECT is(pg_temp.verdict(), 'row changed', 'a forged row with a forged seal is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
UPDATE audit.seals SET log_ids = ARRAY[log_ids[2], log_ids[1]] || log_ids[3:]
 WHERE tenant_id = (SELECT t FROM ctx) AND seq = (SELECT min(seq) FROM sealed WHERE ord = 2);
SELECT is(pg_temp.verdict(), 'row changed', 'swapping two sealed rows in the chain is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
CREATE TEMP TABLE pair AS
  SELECT (SELECT log_id FROM sealed ORDER BY seq, ord LIMIT 1) AS a, (SELECT log_id FROM sealed ORDER BY seq DESC, ord DESC LIMIT 1) AS b;
UPDATE audit.log l SET new_row = o.new_row, old_row = o.old_row, changes = o.changes, table_name = o.table_name
  FROM pair p, audit.log o
 WHERE l.tenant_id = (SELECT t FROM ctx) AND o.tenant_id = l.tenant_id
   AND ((l.id = p.a AND o.id = p.b) OR (l.id = p.b AND o.id = p.a));
SELECT is(pg_temp.verdict(), 'row changed', 'swapping the contents of two sealed rows is detected');
ROLLBACK TO SAVEPOINT s;

SAVEPOINT s;
WITH tail AS (DELETE FROM audit.seals WHERE tenant_id = (SELECT t FROM ctx) AND seq > (SELECT max(seq) - 1 FROM sealed) RETURNING log_ids)
DELETE FROM audit.log WHERE id IN (SELECT unnest(log_ids) FROM tail);
SELECT is(pg_temp.verdict(), 'ok', 'cutting the tail (rows and seals) is invisible to the chain alone…');
SELECT is(pg_temp.verdict((SELECT c FROM cp)), 'shorter than checkpoint', '…but detected against an earlier checkpoint');
ROLLBACK TO SAVEPOINT s;

SET LOCAL session_replication_role = origin;
SELECT is(pg_temp.verdict((SELECT c FROM cp)), 'ok', 'after every rollback the chain verifies again');
SELECT is((SELECT problem FROM cimiento.verify_audit((SELECT t FROM ctx), '{"seq": 1, "hash": "00"}')), 'differs from checkpoint',
          'a checkpoint from another chain is refused');

-- Each sealing run first summarizes the log's BRIN ranges filled since the last one: a BRIN
-- scan returns every unsummarized range, so the runs read the log's whole unsummarized tail.
CREATE TEMP TABLE log_pages AS SELECT pg_relation_size('audit.log') / current_setting('block_size')::bigint AS before;
INSERT INTO audit.log (tenant_id, table_name, operation, row_pk, actor_login, txid)
SELECT (SELECT t FROM ctx), 'core.branches', 'INSERT', jsonb_build_object('id', g), 'tap', txid_current() FROM generate_series(1, 40000) g;
SELECT cmp_ok(pg_relation_size('audit.log') / current_setting('block_size')::bigint - (SELECT before FROM log_pages), '>=', 384::bigint,
              'the log has grown by several BRIN ranges (128 pages each)');
SELECT cimiento.seal_audit();
SELECT is(brin_summarize_new_values('audit.log_txid_brin'), 0, 'after a sealing run no full range of the log is left unsummarized');

SELECT * FROM finish();
ROLLBACK;
