-- 0039: the product's domain schemas, named once.
--
-- The schemas that hold tenant data (each table isolated by tenant with forced RLS, audited)
-- were listed again wherever something walks "every domain table": the audit switch-on
-- (0006), the isolation matrix, the audit and documentation tests. They now read
-- core.domain_schemas(); a migration that adds a business schema replaces the function with
-- the longer list (pgTAP 000 fails while a schema with tenant tables is missing from it).
-- Earlier migrations keep their literal lists (migrations are append-only).

CREATE FUNCTION core.domain_schemas() RETURNS name[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ARRAY['core', 'academy', 'billing', 'commerce']::name[] $$;
COMMENT ON FUNCTION core.domain_schemas() IS 'The schemas that hold tenant data (tables isolated by tenant with forced RLS and audited): the one list tests and checks walk. Business migrations replace it with the longer list. IMMUTABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.domain_schemas() TO PUBLIC;
