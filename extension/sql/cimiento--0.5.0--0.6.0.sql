-- cimiento 0.5.0 → 0.6.0 (ALTER EXTENSION cimiento UPDATE; sql/bootstrap.sql runs it).
-- A NULL argument is refused, not an internal error nor a check skipped:
--  - cimiento.require_permission(text) was STRICT (pgrx makes a function with no optional
--    argument STRICT), so PostgreSQL answered NULL without running it: a check of a
--    permission that came out NULL passed. It now runs and raises 22023.
--  - has_permission(text, uuid), require_permission(text, uuid) and verify_audit(uuid,
--    jsonb) raised XX000 ("argument 0 must not be null") for a NULL first argument: NULL,
--    22023 and 22023 now (the library's change; their SQL is the same).
-- The same statements and comments as in cimiento--0.6.0.sql (identity.sql, seal.sql).

ALTER FUNCTION cimiento.require_permission(text) CALLED ON NULL INPUT;

COMMENT ON FUNCTION cimiento.has_permission(text, uuid) IS
  'True when a grant of the caller gives the permission in that branch: a role granted for other branches does not count; a grant without branch counts everywhere. NULL branch: only a tenant-wide grant. NULL permission: NULL (no grant is shown). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.require_permission(text) IS
  'Raises SQLSTATE 42501 (HTTP 403 through PostgREST) naming the permission unless has_permission(permission); 22023 for a NULL permission (a check that is never skipped). STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.require_permission(text, uuid) IS
  'Raises SQLSTATE 42501 (HTTP 403) naming the permission unless the caller holds it in that branch; 22023 for a NULL permission. RPCs call it with the branch of the row they act on. STABLE, PARALLEL SAFE.';
COMMENT ON FUNCTION cimiento.verify_audit(uuid, jsonb) IS
  'Recomputes a tenant''s audit chain and returns ok, seals checked and the first problem (row changed, row removed, seal missing, chain broken, unsealed row in sealed range, shorter than / differs from checkpoint). Without a checkpoint it cannot detect a consistently rewritten chain or a cut tail. 22023 for a NULL tenant. SECURITY DEFINER, not executable by PUBLIC. STABLE, PARALLEL SAFE.';
