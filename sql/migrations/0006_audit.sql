-- 0006: the audit trail — an append-only log owned by its own role, sealed into a SHA-256
-- chain per tenant by the extension's background worker; attached to every domain table.
--
-- What the chain proves, and what it does not: cimiento.verify_audit(tenant) detects a
-- sealed row that was changed, removed or swapped, a forged or reordered seal, and a row
-- inserted afterwards inside the sealed range. Someone able to bypass the database's own
-- protections (a superuser) could still rewrite a whole chain consistently, or cut its
-- tail; only a checkpoint kept outside the database (cimiento.audit_checkpoint) reveals
-- that. Rows are sealed within about a second; a row not sealed yet is not protected yet.

CREATE SCHEMA audit AUTHORIZATION audit_owner;
COMMENT ON SCHEMA audit IS 'Append-only audit trail and its SHA-256 seals. Owned by audit_owner; no API role may change it.';
SET LOCAL ROLE audit_owner;

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE audit.log (
  tenant_id     uuid NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY,
  branch_id     uuid,
  table_name    text NOT NULL,
  operation     text NOT NULL CONSTRAINT log_operation CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
  row_pk        jsonb NOT NULL,
  new_row       jsonb,
  old_row       jsonb,
  changes       jsonb,
  actor_user    uuid,
  actor_roles   text[],
  actor_session uuid,
  actor_login   text NOT NULL,
  request_id    text,
  txid          bigint NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  row_key       bigint GENERATED ALWAYS AS (hashtextextended(table_name || ' ' || row_pk::text, 0)) STORED,
  PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE audit.log IS 'Who changed what, when, from which request: one row per row change (INSERT: new_row; DELETE: old_row; UPDATE: changes {column: [old, new]}), TRUNCATE as a statement event. Written only by the cimiento audit trigger; append-only.';
COMMENT ON COLUMN audit.log.actor_login IS 'The PostgreSQL login (session_user): authenticator for PostgREST, cimiento_api for the api, or a direct SQL login.';
COMMENT ON COLUMN audit.log.request_id IS 'PostgREST''s x-request-id header of the request that made the change, when present.';
COMMENT ON COLUMN audit.log.txid IS 'Transaction id (txid_current()): rows of one transaction share it; the sealer orders by it.';
COMMENT ON COLUMN audit.log.row_key IS 'Hash of table and primary key, indexed for "history of this row": WHERE row_key = audit.row_key(''core.branches'', ''{"tenant_id": …, "id": …}'').';
CREATE INDEX log_row_history_idx ON audit.log (tenant_id, row_key);
CREATE INDEX log_actor_idx ON audit.log (tenant_id, actor_user, id) WHERE actor_user IS NOT NULL;
CREATE INDEX log_txid_brin ON audit.log USING brin (txid);
CREATE INDEX log_created_brin ON audit.log USING brin (created_at);

CREATE TABLE audit.seals (
  tenant_id  uuid NOT NULL,
  seq        bigint NOT NULL,
  log_ids    bigint[] NOT NULL CONSTRAINT seals_not_empty CHECK (cardinality(log_ids) > 0),
  row_hashes bytea NOT NULL CONSTRAINT seals_row_hashes_sha256 CHECK (length(row_hashes) = 32 * cardinality(log_ids)),
  chain_hash bytea NOT NULL CONSTRAINT seals_chain_hash_sha256 CHECK (length(chain_hash) = 32),
  sealed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, seq)
);
COMMENT ON TABLE audit.seals IS 'The per-tenant chain, one seal per sealing run: the batch''s log ids in chain order, their sha256 row hashes concatenated, and chain_hash(n) = sha256(chain_hash(n-1) || row_hashes || n). Append-only.';

CREATE TABLE audit.chain_base (
  tenant_id  uuid PRIMARY KEY,
  seq        bigint NOT NULL,
  chain_hash bytea NOT NULL CONSTRAINT chain_base_hash_sha256 CHECK (length(chain_hash) = 32),
  max_log_id bigint NOT NULL,
  pruned_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE audit.chain_base IS 'Where a tenant''s chain starts after audit.prune() removed its oldest rows (seq and hash of the last pruned seal).';

CREATE TABLE audit.sealer_state (
  singleton   boolean PRIMARY KEY DEFAULT true CONSTRAINT sealer_state_singleton CHECK (singleton),
  horizon     bigint NOT NULL DEFAULT 0,
  sealed_at   timestamptz,
  rows_sealed bigint NOT NULL DEFAULT 0
);
INSERT INTO audit.sealer_state DEFAULT VALUES;
COMMENT ON TABLE audit.sealer_state IS 'The sealer''s horizon: every audit row of a transaction id below it is sealed.';

-- ---------------------------------------------------------------------------------------
-- Row-level security: a tenant (with audit.read) reads its own trail
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('audit.log');
SELECT cimiento.enable_tenant_isolation('audit.seals');
SELECT cimiento.enable_tenant_isolation('audit.chain_base');

CREATE POLICY log_read ON audit.log AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('audit.read')));
CREATE POLICY seals_read ON audit.seals AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('audit.read')));
CREATE POLICY chain_base_read ON audit.chain_base AS RESTRICTIVE FOR SELECT USING ((SELECT cimiento.has_permission('audit.read')));

-- ---------------------------------------------------------------------------------------
-- Grants: read only, and only through RLS. Nobody but the trigger and the sealer writes.
-- ---------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA audit TO app_user;
GRANT SELECT ON audit.log, audit.seals, audit.chain_base, audit.sealer_state TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION audit.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF current_user = 'audit_owner' AND current_setting('cimiento.audit_maintenance', true) = 'on' THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD WHEN 'TRUNCATE' THEN NULL ELSE NEW END;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only: % on audit.% is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501', HINT = 'only audit.prune(), run by a superuser, removes old sealed rows';
END
$$;
COMMENT ON FUNCTION audit.refuse_change() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on the audit tables, even to their owner, outside audit.prune().';
REVOKE ALL ON FUNCTION audit.refuse_change() FROM PUBLIC;
CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE ON audit.log FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER log_no_truncate BEFORE TRUNCATE ON audit.log FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER seals_append_only BEFORE UPDATE OR DELETE ON audit.seals FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER seals_no_truncate BEFORE TRUNCATE ON audit.seals FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- The row key of a table row, for the indexed "history of this row" lookup.
CREATE FUNCTION audit.row_key(p_table text, p_pk jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT hashtextextended(p_table || ' ' || p_pk::text, 0)
$$;
COMMENT ON FUNCTION audit.row_key(text, jsonb) IS 'The indexed key of a row''s history in audit.log: audit.row_key(table_name, row_pk).';
GRANT EXECUTE ON FUNCTION audit.row_key(text, jsonb) TO app_user;

-- The documented maintenance: drop a tenant's oldest sealed rows (after keeping them
-- elsewhere), leaving the chain verifiable from the new base.
CREATE FUNCTION audit.prune(p_tenant uuid, p_up_to_seq bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v record;
  last record;
  n bigint;
BEGIN
  SELECT * INTO v FROM cimiento.verify_audit(p_tenant);
  IF NOT v.ok THEN
    RAISE EXCEPTION 'audit chain of % does not verify (%): not pruning', p_tenant, v.problem USING ERRCODE = '55000';
  END IF;
  SELECT seq, chain_hash INTO last FROM audit.seals WHERE tenant_id = p_tenant AND seq = p_up_to_seq;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no seal % for tenant %', p_up_to_seq, p_tenant USING ERRCODE = '22023';
  END IF;
  PERFORM set_config('cimiento.audit_maintenance', 'on', true);
  INSERT INTO audit.chain_base (tenant_id, seq, chain_hash, max_log_id)
  SELECT p_tenant, last.seq, last.chain_hash, max(i)
    FROM audit.seals, unnest(log_ids) AS i WHERE tenant_id = p_tenant AND seq <= p_up_to_seq
  ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq, chain_hash = EXCLUDED.chain_hash,
                                        max_log_id = greatest(audit.chain_base.max_log_id, EXCLUDED.max_log_id), pruned_at = now();
  WITH gone AS (DELETE FROM audit.seals WHERE tenant_id = p_tenant AND seq <= p_up_to_seq RETURNING log_ids)
  DELETE FROM audit.log l USING gone WHERE l.tenant_id = p_tenant AND l.id = ANY (gone.log_ids);
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('cimiento.audit_maintenance', 'off', true);
  RETURN n;
END
$$;
COMMENT ON FUNCTION audit.prune(uuid, bigint) IS 'Maintenance (superuser only): after archiving them, removes a tenant''s sealed audit rows up to a seq and records the chain base, so verify_audit still checks the rest. Refuses a chain that does not verify.';
REVOKE ALL ON FUNCTION audit.prune(uuid, bigint) FROM PUBLIC;

RESET ROLE;

-- ---------------------------------------------------------------------------------------
-- The REST view of the trail and the hooks on every domain table
-- ---------------------------------------------------------------------------------------
CREATE VIEW api.audit_log WITH (security_invoker = true) AS
  SELECT l.tenant_id, l.id, l.branch_id, l.table_name, l.operation, l.row_pk, l.row_key, l.new_row, l.old_row, l.changes,
         l.actor_user, l.actor_roles, l.actor_session, l.actor_login, l.request_id, l.txid, l.created_at,
         l.txid < st.horizon AS sealed
    FROM audit.log l CROSS JOIN audit.sealer_state st;
COMMENT ON VIEW api.audit_log IS 'The caller''s tenant audit trail (needs audit.read): a row''s history by row_key (audit.row_key(table_name, row_pk)) or table_name and row_pk, what a user did by actor_user. sealed is true once the row is in the tamper-evident chain.';
GRANT SELECT ON api.audit_log TO app_user;

SELECT cimiento.enable_audit(t.oid::regclass)
  FROM (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('core', 'academy', 'billing', 'commerce')
         ORDER BY c.oid::regclass::text) t;
