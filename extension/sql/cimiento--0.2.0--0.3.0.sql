-- cimiento 0.2.0 → 0.3.0 (ALTER EXTENSION cimiento UPDATE; sql/bootstrap.sql runs it).
-- Rehearsals: cimiento.rehearse runs a statement as the caller and always undoes it; the
-- audit trigger records nothing written inside one. The same statements as in
-- cimiento--0.3.0.sql (rehearsal.sql).

CREATE FUNCTION "rehearse"(
	"statement" TEXT, /* Option < & str > */
	"argument" anyelement /* Option < AnyElement > */
) RETURNS void
VOLATILE PARALLEL UNSAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'rehearse_wrapper';

COMMENT ON FUNCTION cimiento.rehearse(text, anyelement) IS
  'Runs a statement (argument as $1) as the caller, with every rule that applies to the caller (row security, grants, constraints, triggers, the functions it calls), in a subtransaction of its own that is rolled back on every path: returns when the statement passed, raises what it raised when it was refused (SQLSTATEs PostgreSQL does not define arrive as XX000, the message kept). 22023 when the statement is missing, controls the transaction (COMMIT, ROLLBACK, SAVEPOINT) or is a COPY. Nothing it writes can commit, so the audit trigger records none of it. For validating writes before doing them (imports). VOLATILE, PARALLEL UNSAFE.';
GRANT EXECUTE ON FUNCTION cimiento.rehearse(text, anyelement) TO PUBLIC;
