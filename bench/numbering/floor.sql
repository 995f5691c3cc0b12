-- Floors of gapless numbering on one series (variants h, h1, h0 of bench/numbering.sh), run
-- by the cluster superuser of the benchmark's own cluster.
--
-- (h) The least any numbering that writes the number at commit must do while the other
-- writers of the series wait. At commit, one row lock
-- (a counter every client shares, as they share series ONE) and the invoice's second row
-- version carrying the number (its audit row, the issued-document guard, the foreign-key
-- re-checks and every index), acting as cimiento_numbering (the only role the guard lets
-- write the numbering columns of an issued invoice), the lock released before the flush as
-- the numbering does. No prepared statements, no series look-up by key, no fiscal year, no
-- before/after functions at commit (they run in the issuing statement, as in the sequence
-- baseline), no notification at commit (sent by the issuing statement). Numbers go to
-- series FLR: 1..N like any series (the benchmark checks it at the end).
--
-- (h1) The least a numbering by the issuing statement must do: the sequence baseline's
-- issuing statement takes its number from a counter row every client shares (series FLS),
-- which stays locked through the client's COMMIT (released before the flush).
--
-- (h0) Serialisation alone: the sequence baseline unchanged (gaps allowed), and at commit
-- one row lock every client shares, released before the flush; no second row version.
INSERT INTO billing.invoice_series (tenant_id, id, branch_id, code, fiscal_year)
SELECT '00000000-0000-4000-8000-00000000be01', id, '00000000-0000-4000-8000-00000000bb01', code, extract(year FROM current_date)::int
  FROM (VALUES ('00000000-0000-4000-8000-00000000ee04'::uuid, 'FLR'), ('00000000-0000-4000-8000-00000000ee05'::uuid, 'FLS')) s (id, code);
CREATE TABLE bench_plain.turn (id int PRIMARY KEY, n bigint NOT NULL);
INSERT INTO bench_plain.turn VALUES (1, 0), (2, 0), (3, 0);
COMMENT ON TABLE bench_plain.turn IS 'Bench floors: one counter row per floor, shared by every client (1: numbered at commit, 2: by the issuing statement, 3: the lock alone).';
GRANT SELECT, UPDATE ON bench_plain.turn TO cimiento_owner;
GRANT USAGE ON SCHEMA bench_plain TO cimiento_numbering;
GRANT SELECT, UPDATE ON bench_plain.turn TO cimiento_numbering;

CREATE FUNCTION bench_plain.number_at_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE n bigint;
BEGIN
  UPDATE bench_plain.turn t SET n = t.n + 1 WHERE t.id = 1 RETURNING t.n INTO n;
  UPDATE billing.invoices d
     SET series_id = '00000000-0000-4000-8000-00000000ee04', number = n, number_display = 'FLR-' || n,
         issued_at = pg_catalog.clock_timestamp()
   WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.id AND d.status = 'issued' AND d.number IS NULL;
  PERFORM cimiento.release_locks_early();
  RETURN NULL;
END $$;
ALTER FUNCTION bench_plain.number_at_commit() OWNER TO cimiento_numbering;
COMMENT ON FUNCTION bench_plain.number_at_commit() IS 'Bench floor (h), deferred trigger: at commit, locks counter 1 and writes the invoice''s second row version with its number (series FLR), then asks for early lock release. Acts as cimiento_numbering.';

CREATE FUNCTION bench_plain.lock_at_commit() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE bench_plain.turn t SET n = t.n + 1 WHERE t.id = 3;
  PERFORM cimiento.release_locks_early();
  RETURN NULL;
END $$;
COMMENT ON FUNCTION bench_plain.lock_at_commit() IS 'Bench floor (h0), deferred trigger: at commit, locks counter 3 every client shares and asks for early lock release; writes nothing else.';

-- The triggers of (h) and (h0) are created for their runs only (bench/numbering.sh) and
-- dropped after them: AFTER INSERT events, so that at commit (h)'s fires before cimiento's own
-- trigger for the same row (same event, name order), which then finds the invoice numbered
-- and leaves it.

-- Floors of gapless numbering for the tickets (variants k, k1, k16 of bench/numbering.sh):
-- the least any gapless numbering of a one-INSERT transaction must do, on the sequence
-- baseline's twin table (no trigger but the floor's own). Their own series rows in
-- bench_tickets.ticket_series (FONE, F0..F15), looked up by code as a numbering does.
--
-- (k) one series, at commit: the ticket inserted unnumbered, and at commit a minimal
-- PL/pgSQL trigger that takes series FONE's next number and writes it on the ticket (its
-- second row version), releasing the lock before the flush.
-- (k1), (k16) by the statement: the INSERT takes its number from its series row in the same
-- statement (one series FONE shared by every client, locked through COMMIT; or F0..F15, one
-- per client) and writes the row once.
INSERT INTO bench_tickets.ticket_series (tenant_id, branch_id, code)
SELECT '00000000-0000-4000-8000-00000000be01', '00000000-0000-4000-8000-00000000bb01', c
  FROM unnest(ARRAY['FONE'] || ARRAY(SELECT 'F' || g FROM generate_series(0, 15) g)) c;

CREATE FUNCTION bench_plain.ticket_at_commit() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE s uuid; n bigint;
BEGIN
  UPDATE bench_tickets.ticket_series t SET next_number = t.next_number + 1
   WHERE t.tenant_id = NEW.tenant_id AND t.code = 'FONE' RETURNING t.id, t.next_number - 1 INTO s, n;
  UPDATE bench_tickets.tickets_seq d SET series_id = s, number = n, number_display = 'FONE-' || pg_catalog.lpad(n::text, 6, '0')
   WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.id;
  PERFORM cimiento.release_locks_early();
  RETURN NULL;
END $$;
COMMENT ON FUNCTION bench_plain.ticket_at_commit() IS 'Bench floor (k), deferred trigger on bench_tickets.tickets_seq: at commit, takes series FONE''s next number and writes it on the ticket (its second row version), then asks for early lock release. Runs as the inserting role (the tables'' owner).';
