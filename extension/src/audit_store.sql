-- The audit store: the tables a migration registers for the audit trigger and the sealer
-- (cimiento.register_audit_store). The extension reaches the trail only through this row.

CREATE TABLE cimiento.audit_store (
  only_one     boolean PRIMARY KEY DEFAULT true CONSTRAINT audit_store_one CHECK (only_one),
  log          regclass NOT NULL,
  seals        regclass NOT NULL,
  chain_base   regclass NOT NULL,
  sealer_state regclass NOT NULL,
  sealed_txids regclass NOT NULL
);
COMMENT ON TABLE cimiento.audit_store IS 'The audit store (registered by cimiento.register_audit_store): the append-only log the audit trigger writes, the per-tenant seals and chain bases, the sealer''s state row and the sealed transactions above its horizon. One row; its schema''s tables are never audited themselves.';
GRANT SELECT ON cimiento.audit_store TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('cimiento.audit_store', '');

CREATE FUNCTION cimiento.register_audit_store(log regclass, seals regclass, chain_base regclass,
                                              sealer_state regclass, sealed_txids regclass)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_tables   regclass[] := ARRAY[log, seals, chain_base, sealer_state, sealed_txids];
  v_required jsonb := pg_catalog.jsonb_build_object(
    'log', ARRAY['tenant_id', 'id', 'branch_id', 'table_name', 'operation', 'row_pk', 'new_row', 'old_row', 'changes',
                 'actor_user', 'actor_roles', 'actor_session', 'actor_login', 'request_id', 'txid'],
    'seals', ARRAY['tenant_id', 'seq', 'log_ids', 'row_hashes', 'chain_hash', 'sealed_at'],
    'chain_base', ARRAY['tenant_id', 'seq', 'chain_hash', 'max_log_id'],
    'sealer_state', ARRAY['horizon', 'sealed_at', 'rows_sealed'],
    'sealed_txids', ARRAY['txid']);
  v_names    text[] := ARRAY['log', 'seals', 'chain_base', 'sealer_state', 'sealed_txids'];
  v_missing  text;
  v_current  cimiento.audit_store;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.unnest(v_tables) t
              WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                                 WHERE c.oid = t AND c.relkind IN ('r', 'p')
                                   AND pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE'))) THEN
    RAISE EXCEPTION 'permission denied: only the owner of the audit tables can register them' USING ERRCODE = '42501';
  END IF;
  IF (SELECT pg_catalog.count(DISTINCT c.relnamespace) FROM pg_catalog.pg_class c WHERE c.oid = ANY (v_tables)) <> 1 THEN
    RAISE EXCEPTION 'the audit tables must live in one schema of their own' USING ERRCODE = '42P17';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.format('%s.%s', v_tables[i], col), ', ' ORDER BY i, k) INTO v_missing
    FROM pg_catalog.generate_subscripts(v_names, 1) i,
         pg_catalog.jsonb_array_elements_text(v_required -> v_names[i]) WITH ORDINALITY AS r(col, k)
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid = v_tables[i] AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped);
  IF v_missing IS NOT NULL THEN
    RAISE EXCEPTION 'the audit tables lack columns the engine writes: %', v_missing USING ERRCODE = '42703';
  END IF;
  SELECT * INTO v_current FROM cimiento.audit_store;
  IF FOUND AND (v_current.log, v_current.seals, v_current.chain_base, v_current.sealer_state, v_current.sealed_txids)
               IS DISTINCT FROM (log, seals, chain_base, sealer_state, sealed_txids) THEN
    RAISE EXCEPTION 'an audit store is registered already' USING ERRCODE = '55000',
      HINT = 'moving a sealed trail is a job for the cluster superuser: the chain covers the rows where they are';
  END IF;
  INSERT INTO cimiento.audit_store (log, seals, chain_base, sealer_state, sealed_txids)
  VALUES (log, seals, chain_base, sealer_state, sealed_txids)
  ON CONFLICT (only_one) DO NOTHING;
END
$$;
COMMENT ON FUNCTION cimiento.register_audit_store(regclass, regclass, regclass, regclass, regclass) IS 'Registers the audit store: the log the audit trigger appends to, the seals and chain bases of the per-tenant SHA-256 chain, the sealer''s state row and the sealed transactions above its horizon. All five in one schema, owned by the caller, with the columns the engine writes; a registered store cannot be replaced (55000). Idempotent. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.register_audit_store(regclass, regclass, regclass, regclass, regclass) FROM PUBLIC;
