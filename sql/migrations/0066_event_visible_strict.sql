-- 0066: core.event_visible of no entity is NULL (not seen), not a syntax error.
--
-- Called with a NULL entity (a DBA's query, a malformed event), the function built
-- "SELECT … FROM  WHERE …" and failed with 42601; found by calling every function the API
-- roles may execute with a NULL in each argument. STRICT: any NULL argument answers NULL,
-- which the select policy of core.events reads as not visible.
ALTER FUNCTION core.event_visible(text, uuid, uuid) STRICT;
COMMENT ON FUNCTION core.event_visible(text, uuid, uuid) IS 'Whether the caller can see the row an event is about: asks its table, as the caller (its RLS and grants decide). The select policy of core.events. STRICT (NULL for a NULL argument: not seen), STABLE.';
