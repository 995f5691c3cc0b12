-- Numbering in the issuing statement when the series is free (cimiento.number_when_free),
-- from each role's point of view: billing.invoices as 0057 registers it (a user's issuing
-- UPDATE writes the number into the row, one row version, the fiscal record and
-- after-numbering work still at commit; a rollback or a savepoint gives the number back;
-- cimiento.defer_numbering keeps the numbering at commit), and a probe table for the
-- registration's refusals. (A series locked by another transaction, and REPEATABLE READ:
-- e2e numbering::busy_series_is_numbered_at_commit.)
BEGIN;
SELECT plan(29);

CREATE TEMP TABLE ctx AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'CENTRO') AS b1;
GRANT SELECT ON ctx TO PUBLIC;
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year)
SELECT acme, b1, 'W', 'invoice', extract(year FROM current_date)::int FROM ctx;

CREATE SCHEMA probe;
GRANT USAGE ON SCHEMA probe TO app_user, cimiento_owner;
-- A user issues through the RPC that leaves the numbering pending (no number_now): what the
-- row holds right after its issuing UPDATE, before the deferred numbering could run.
CREATE FUNCTION probe.issue(p_fail boolean DEFAULT false) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
  v text;
BEGIN
  v_id := billing.issue_invoice_pending('W', '[{"description": "Curso", "quantity": 1, "unit_price": 10}]', customer_name => 'Cliente');
  SELECT coalesce(number_display, '(none)') INTO v FROM billing.invoices WHERE id = v_id;
  IF p_fail THEN
    RAISE EXCEPTION 'rolled back after the issuing statement (%)', v;
  END IF;
  RETURN v || ' ' || v_id;
END $$;
-- The same for a function that asks for the numbering at commit.
CREATE FUNCTION probe.issue_deferred() RETURNS text LANGUAGE plpgsql SET cimiento.defer_numbering = on AS $$
BEGIN
  RETURN probe.issue();
END $$;
GRANT EXECUTE ON FUNCTION probe.issue(boolean), probe.issue_deferred() TO app_user;
CREATE TEMP TABLE issued (name text PRIMARY KEY, display text, id uuid);
GRANT ALL ON issued TO PUBLIC;
CREATE FUNCTION pg_temp.keep(p_name text, p_result text) RETURNS text LANGUAGE sql AS $$
  INSERT INTO issued VALUES (p_name, split_part(p_result, ' ', 1), nullif(split_part(p_result, ' ', 2), '')::uuid) RETURNING display
$$;
-- The audit trail of a document, its operations in order.
CREATE FUNCTION pg_temp.trail(p_name text) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(l.operation, ',' ORDER BY l.id) FROM audit.log l
   WHERE l.table_name = 'billing.invoices' AND l.row_pk ->> 'id' = (SELECT id::text FROM issued WHERE name = p_name)
$$;

SELECT ok(EXISTS (SELECT 1 FROM cimiento.protected_triggers WHERE table_oid = 'billing.invoices'::regclass AND trigger_name = 'zz_number_on_issue')
          AND (SELECT number_when_free FROM cimiento.numbered_tables WHERE table_oid = 'billing.invoices'::regclass),
          'invoices are numbered when their series is free; the trigger is protected');

-- A user's issue: the number is in the row the issuing UPDATE wrote.
SELECT matches(pg_temp.keep('first', test_auth.value_as('user:acme:admin@acme.test', 'SELECT probe.issue()')), '^W-\d{4}-000001$',
               'the issuing statement numbers the invoice itself (W-…-000001 before commit)');
SELECT is(pg_temp.trail('first'), 'INSERT,UPDATE', 'one row version for the draft and one for the issued, numbered invoice');
SELECT is((SELECT count(*)::int FROM fiscal.records WHERE invoice_id = (SELECT id FROM issued WHERE name = 'first')), 0,
          'its fiscal record waits for the commit');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT count(*)::int FROM fiscal.records WHERE invoice_id = (SELECT id FROM issued WHERE name = 'first') AND kind = 'alta'), 1,
          'where the after-numbering function writes it, once');
SELECT is(pg_temp.trail('first'), 'INSERT,UPDATE', 'and the numbering at commit writes no second version');
SELECT is((SELECT number_display FROM billing.invoices WHERE id = (SELECT id FROM issued WHERE name = 'first')),
          (SELECT display FROM issued WHERE name = 'first'), 'the number is the one the statement wrote');

-- Rolled back after the issuing statement: the number goes back with it.
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT probe.issue(true)'), 'ERR:P0001',
          'an issue rolled back after its statement took number 2');
SELECT matches(pg_temp.keep('second', test_auth.value_as('user:acme:admin@acme.test', 'SELECT probe.issue()')), '^W-\d{4}-000002$',
               'gives it back: the next invoice is 2 (no hole)');

-- A savepoint rolled back after the issuing statement leaves the draft unnumbered, and the
-- numbering at commit neither numbers it nor runs the after-numbering work for it.
INSERT INTO billing.invoices (tenant_id, branch_id, series_code, currency, customer_name)
SELECT acme, b1, 'W', 'EUR', 'Cliente' FROM ctx RETURNING id AS draft \gset
INSERT INTO billing.invoice_items (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
SELECT acme, :'draft', 1, b1, 'Curso', 1, 10, 21 FROM ctx;
SAVEPOINT before_issue;
UPDATE billing.invoices SET status = 'issued' WHERE id = :'draft';
SELECT matches((SELECT number_display FROM billing.invoices WHERE id = :'draft'), '^W-\d{4}-000003$', 'a DBA''s issuing UPDATE takes 3');
ROLLBACK TO SAVEPOINT before_issue;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT status || ' ' || coalesce(number::text, 'unnumbered') FROM billing.invoices WHERE id = :'draft'), 'draft unnumbered',
          'rolled back to the savepoint: still an unnumbered draft at commit');
SELECT is((SELECT count(*)::int FROM fiscal.records WHERE invoice_id = :'draft'), 0, 'with no fiscal record');
SELECT is((SELECT next_number FROM billing.invoice_series s JOIN ctx ON s.tenant_id = ctx.acme AND s.code = 'W'), 3::bigint,
          'and number 3 back in the series');
UPDATE billing.invoices SET status = 'issued' WHERE id = :'draft';
SELECT matches((SELECT number_display FROM billing.invoices WHERE id = :'draft'), '^W-\d{4}-000003$', 'issued again, it takes 3');

-- A function that issues and then does more work keeps the numbering at commit.
SELECT is(pg_temp.keep('deferred', test_auth.value_as('user:acme:admin@acme.test', 'SELECT probe.issue_deferred()')), '(none)',
          'with cimiento.defer_numbering the issuing statement leaves the number to the commit');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT matches((SELECT number_display FROM billing.invoices WHERE id = (SELECT id FROM issued WHERE name = 'deferred')), '^W-\d{4}-000004$',
               'which numbers it next (4)');
SELECT is(pg_temp.trail('deferred'), 'INSERT,UPDATE,UPDATE', 'in a second row version, as every invoice was before');
SELECT is((SELECT count(*)::int FROM fiscal.records WHERE invoice_id = (SELECT id FROM issued WHERE name = 'deferred')), 1,
          'with its fiscal record');

-- Registration: only the owner, only a numbered table, and numbering columns
-- of the types the trigger writes.
CREATE TABLE probe.doc_series (
  tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), branch_id uuid NOT NULL, code text NOT NULL,
  format text NOT NULL DEFAULT '{code}-{number}', next_number bigint NOT NULL DEFAULT 1, active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, branch_id));
CREATE TABLE probe.docs (
  tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), branch_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'draft', series_id uuid, number integer, number_display text,
  PRIMARY KEY (tenant_id, id));
CREATE TABLE probe.slips (LIKE probe.docs);
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.number_when_free('probe.docs')$$),
          '55000: probe.docs is not numbered', 'a table must be numbered first');
SELECT cimiento.enable_numbering('probe.docs', 'probe.doc_series', series_key => '{"branch_id": "branch_id"}', period => 'none',
                                 status_column => 'status');
SELECT cimiento.enable_numbering('probe.slips', 'probe.doc_series', series_key => '{"branch_id": "branch_id"}', period => 'none');
SELECT matches(test_auth.error_as('login:cimiento_owner', $$SELECT cimiento.number_when_free('probe.docs')$$),
               '^42501: permission denied: only the owner of probe.docs', 'only its owner may switch it on');
SELECT matches(test_auth.error_as('user:acme:admin@acme.test', $$SELECT cimiento.number_when_free('billing.invoices', false)$$),
               '^42501', 'API callers cannot switch it off');
SELECT is(test_auth.error_as('login:postgres', $$SELECT cimiento.number_when_free('probe.docs')$$),
          '42804: column probe.docs.number is of type integer, the numbering writes bigint', 'the number column must be a bigint');
ALTER TABLE probe.docs ALTER COLUMN number TYPE bigint;
SELECT cimiento.number_when_free('probe.docs');
SELECT cimiento.enable_numbering('probe.docs', 'probe.doc_series', series_key => '{"branch_id": "branch_id"}', period => 'none',
                                 status_column => 'status');
SELECT ok((SELECT number_when_free FROM cimiento.numbered_tables WHERE table_oid = 'probe.docs'::regclass)
          AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'probe.docs'::regclass AND tgname = 'zz_number_on_issue'),
          'registering the table again keeps it, with its trigger');
SELECT cimiento.number_when_free('probe.docs', false);
SELECT ok(NOT (SELECT number_when_free FROM cimiento.numbered_tables WHERE table_oid = 'probe.docs'::regclass)
          AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'probe.docs'::regclass AND tgname IN ('zz_number_on_issue', 'zz_number_on_insert'))
          AND NOT EXISTS (SELECT 1 FROM cimiento.protected_triggers WHERE table_oid = 'probe.docs'::regclass
                             AND trigger_name IN ('zz_number_on_issue', 'zz_number_on_insert')),
          'and switching it off removes both triggers');

-- Rows inserted already due are numbered by their INSERT: every row of a table without a
-- status column, and a row of a table with one inserted in a numbered state (not a draft).
-- (An INSERT … ON CONFLICT that discards its numbered row refuses the commit: e2e
-- numbering::inserted_rows_are_numbered_by_their_statement.)
INSERT INTO probe.doc_series (tenant_id, branch_id, code) SELECT acme, b1, 'P' FROM ctx;
ALTER TABLE probe.slips ALTER COLUMN number TYPE bigint;
SELECT cimiento.number_when_free('probe.slips');
SELECT ok(EXISTS (SELECT 1 FROM cimiento.protected_triggers WHERE table_oid = 'probe.slips'::regclass AND trigger_name = 'zz_number_on_insert')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'probe.slips'::regclass AND tgname = 'zz_number_on_issue'),
          'a table without a status column gets the protected INSERT trigger only');
INSERT INTO probe.slips (tenant_id, id, branch_id, status) SELECT acme, gen_random_uuid(), b1, 'x' FROM ctx RETURNING number_display AS slip1 \gset
SELECT is(:'slip1'::text, 'P-1', 'the INSERT writes the number into the row');
SAVEPOINT before_slip;
INSERT INTO probe.slips (tenant_id, id, branch_id, status) SELECT acme, gen_random_uuid(), b1, 'x' FROM ctx RETURNING number_display AS slip2 \gset
ROLLBACK TO SAVEPOINT before_slip;
SELECT is((SELECT next_number FROM probe.doc_series s JOIN ctx ON s.tenant_id = ctx.acme AND s.code = 'P'), 2::bigint,
          'a savepoint rolled back after the INSERT took P-2 gives it back');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT string_agg(number_display, ',' ORDER BY number) FROM probe.slips), 'P-1',
          'and the numbering at commit leaves the numbered row as it is');
SELECT cimiento.number_when_free('probe.docs');
INSERT INTO probe.docs (tenant_id, branch_id) SELECT acme, b1 FROM ctx RETURNING coalesce(number_display, '(none)') AS draft_doc \gset
INSERT INTO probe.docs (tenant_id, branch_id, status) SELECT acme, b1, 'issued' FROM ctx RETURNING number_display AS issued_doc \gset
SELECT is(:'draft_doc'::text || ' ' || :'issued_doc', '(none) P-2',
          'with a status column: a draft is inserted unnumbered, a row inserted issued takes the next number');

SELECT * FROM finish();
ROLLBACK;
