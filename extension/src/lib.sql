-- The cimiento schema and the library's version (lib.rs).
GRANT USAGE ON SCHEMA cimiento TO PUBLIC;
COMMENT ON SCHEMA cimiento IS 'Cimiento engine: tenant isolation, per-branch permissions and owner scopes, gapless numbering, workflows, audit chain.';
COMMENT ON FUNCTION cimiento.version() IS
  'Version of the installed cimiento library (the crate version). IMMUTABLE, PARALLEL SAFE.';
