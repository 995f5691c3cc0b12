-- Rehearsals (rehearsal.rs): a statement run for its checks and always undone.
COMMENT ON FUNCTION cimiento.rehearse(text, anyelement) IS
  'Runs a statement (argument as $1) as the caller, with every rule that applies to the caller (row security, grants, constraints, triggers, the functions it calls), in a subtransaction of its own that is rolled back on every path: returns when the statement passed, raises what it raised when it was refused (SQLSTATEs PostgreSQL does not define arrive as XX000, the message kept). Nothing it writes can commit, so the audit trigger records none of it. For validating writes before doing them (imports). VOLATILE, PARALLEL UNSAFE.';
GRANT EXECUTE ON FUNCTION cimiento.rehearse(text, anyelement) TO PUBLIC;
