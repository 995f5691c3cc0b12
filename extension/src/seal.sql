-- The audit chain: sealing, checkpoints and verification (seal.rs). Not executable by PUBLIC;
-- the audit store's registration grants them to its owner.
COMMENT ON FUNCTION cimiento.seal_audit() IS
  'Seals the audit rows of committed transactions not sealed yet (at most a batch) into each tenant''s SHA-256 chain and returns how many it sealed. The background worker "cimiento audit sealer" (login cimiento_sealer) does this every cimiento.audit_seal_interval_ms. SECURITY DEFINER, executable by audit_owner only. VOLATILE, PARALLEL UNSAFE.';
REVOKE ALL ON FUNCTION cimiento.seal_audit() FROM PUBLIC;
COMMENT ON FUNCTION cimiento.audit_checkpoint(uuid) IS
  'The head of a tenant''s audit chain as JSON {tenant_id, seq, hash, sealed_at}: keep it outside the database and pass it to verify_audit to detect a rewritten or truncated chain. SECURITY DEFINER, not executable by PUBLIC. STABLE, PARALLEL SAFE.';
REVOKE ALL ON FUNCTION cimiento.audit_checkpoint(uuid) FROM PUBLIC;
COMMENT ON FUNCTION cimiento.verify_audit(uuid, jsonb) IS
  'Recomputes a tenant''s audit chain and returns ok, seals checked and the first problem (row changed, row removed, seal missing, chain broken, unsealed row in sealed range, shorter than / differs from checkpoint). Without a checkpoint it cannot detect a consistently rewritten chain or a cut tail. 22023 for a NULL tenant. SECURITY DEFINER, not executable by PUBLIC. STABLE, PARALLEL SAFE.';
REVOKE ALL ON FUNCTION cimiento.verify_audit(uuid, jsonb) FROM PUBLIC;
