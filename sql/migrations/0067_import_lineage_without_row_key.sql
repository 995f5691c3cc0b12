-- 0067: lineage no longer queries and locks the staged row it came from (#16: validation +
-- promotion ÷ PostgREST's bulk insert of the same rows).
--
-- Lineage's foreign key to imports.rows ran one query per promoted row, locking the staged
-- row (FOR KEY SHARE). Measured on a full stack, 30 000 students: promotion 5.3 s → 4.4 s
-- without it (with the audit of staged rows and lineage switched off to see it; the audit
-- stays: only the superuser may lift it, by design). What the key guarded is kept:
--  - a lineage row names a batch of the caller's tenant that the caller created and is
--    promoting (its write policy, lineage_of_visible_batch, checked per row in the statement);
--  - its row_no is one promote_chunk read from imports.rows in the same transaction;
--  - a batch that wrote rows cannot be deleted (trigger lineage_keeps_its_batch below), so
--    lineage never dangles; staged rows, a working copy of the uploaded file, may now be
--    purged once a batch is done (retention of personal data) while its lineage stays.

ALTER TABLE imports.lineage DROP CONSTRAINT lineage_tenant_id_batch_id_row_no_fkey;
COMMENT ON TABLE imports.lineage IS 'What each promoted row became: (batch, row_no) → the id it created or updated. Written in the transaction that wrote the row, only for the caller''s own batch while it is promoting (policy lineage_of_visible_batch); append-only; outlives the staged rows (imports.rows may be purged once the batch is done).';
COMMENT ON TABLE imports.rows IS 'The staged rows of a batch, numbered as in the spreadsheet (the header is row 1, so the first data row is 2; empty rows leave gaps), with their raw values (header → text) and, once checked, their errors (header → Spanish message; NULL: valid). A working copy of the file: may be purged once the batch is done (retention); its lineage stays.';

-- A batch that wrote rows keeps its record: its lineage refers to it.
CREATE FUNCTION imports.refuse_deleting_written_batch() RETURNS trigger
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF OLD.rows_created OPERATOR(pg_catalog.+) OLD.rows_updated OPERATOR(pg_catalog.>) 0 THEN
    RAISE EXCEPTION 'import batch % wrote % rows: its lineage refers to it', OLD.id, OLD.rows_created + OLD.rows_updated
      USING ERRCODE = '23503', HINT = 'its staged rows (imports.rows) may be purged; the batch and its lineage stay';
  END IF;
  RETURN OLD;
END
$$;
COMMENT ON FUNCTION imports.refuse_deleting_written_batch() IS 'Trigger: refuses (23503) to delete an import batch that created or updated rows, whose lineage refers to it (lineage holds no foreign key, so this keeps it from dangling). VOLATILE.';
REVOKE ALL ON FUNCTION imports.refuse_deleting_written_batch() FROM PUBLIC;

CREATE TRIGGER lineage_keeps_its_batch BEFORE DELETE ON imports.batches
  FOR EACH ROW EXECUTE FUNCTION imports.refuse_deleting_written_batch();
COMMENT ON TRIGGER lineage_keeps_its_batch ON imports.batches IS 'A batch that wrote rows cannot be deleted: its lineage refers to it.';
