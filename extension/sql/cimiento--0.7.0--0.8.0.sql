-- cimiento 0.7.0 → 0.8.0 (ALTER EXTENSION cimiento UPDATE; sql/bootstrap.sql runs it).
-- Early lock release (early_release.rs): a transaction that took a gapless number, or that
-- called cimiento.release_locks_early(), releases its locks once its commit record is
-- written and returns from COMMIT once the record is flushed (cimiento.release_locks_early,
-- on by default). The numbering asks by itself (library code, no SQL change); this script
-- adds the SQL-callable request, with the same statements as in cimiento--0.8.0.sql
-- (early_release.sql).
-- Numbering when free: after an issue whose series was busy, the session's next 8 issues
-- of the table are numbered at commit without trying (library code; the function's comment
-- says so, as in numbering.sql).

CREATE FUNCTION "release_locks_early"() RETURNS void
STRICT VOLATILE PARALLEL UNSAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'release_locks_early_wrapper';

COMMENT ON FUNCTION cimiento.release_locks_early() IS
  'Asks that the current transaction release its locks as soon as its commit record is written, before it is flushed; its COMMIT still returns only once the record is on disk (the flush follows the release). For a transaction that holds a lock every other writer of a series or chain waits for (the numbering asks by itself whenever it takes a gapless number; the fiscal chain calls this). Nothing acknowledged can be lost and no gap can appear: a transaction that took the lock after this one has its commit record later in the WAL, so a crash that loses this commit loses that one too. For the length of one flush other sessions may see the commit before it is on disk. No effect when cimiento.release_locks_early is off, when synchronous_commit is off, with synchronous standbys, or if the transaction is prepared (two-phase). VOLATILE, PARALLEL UNSAFE.';
GRANT EXECUTE ON FUNCTION cimiento.release_locks_early() TO PUBLIC;

COMMENT ON FUNCTION cimiento.number_when_free(regclass, boolean) IS
  'For a table registered with cimiento.enable_numbering and a status column: an UPDATE that makes a row due (e.g. draft → issued) takes its number in that statement when the row''s series is free — not locked by another transaction — and writes it into the row itself (one row version and one audit row instead of a second at commit); the series then stays locked until the transaction ends, as with numbering at commit. A busy series, a new fiscal year, a refused date, a transaction above READ COMMITTED, rows inserted already due, or cimiento.defer_numbering = on (for a function that issues and then does more work: ALTER FUNCTION … SET cimiento.defer_numbering = on) leave the row to the numbering at commit; so do the next 8 issues of the table in the same session after one whose series was busy (under contention the series is then held only from the commit on, not from the issuing statement through the client''s round trips). The notification is sent and the after_numbered function called as at commit. Attaches the protected trigger zz_number_on_issue; enabled false removes it. 42804 when a numbering column has another type than the numbering writes (bigint, text, uuid, integer, timestamptz). Only the table''s owner; idempotent. SECURITY DEFINER. VOLATILE, PARALLEL UNSAFE.';
