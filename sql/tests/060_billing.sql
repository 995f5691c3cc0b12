-- Billing: gapless numbering, totals, fiscal years, immutability, idempotency, credit notes.
BEGIN;
SELECT plan(57);

CREATE TEMP TABLE ctx AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') AS acme_b2;
GRANT SELECT ON ctx TO PUBLIC;

CREATE FUNCTION pg_temp.issue(p_persona text, p_args text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
  v := test_auth.value_as(p_persona, 'SELECT api.issue_invoice(' || p_args || ')::text');
  IF v LIKE 'ERR:%' THEN RETURN jsonb_build_object('error', substr(v, 5)); END IF;
  RETURN v::jsonb;
END $$;

-- Series for these tests (the fixture already issued F-…-000001 in acme).
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year)
SELECT t.id, b.id, 'T', 'invoice', 2026 FROM core.tenants t JOIN core.branches b ON b.tenant_id = t.id AND b.code = 'CENTRO'
 WHERE t.slug = 'acme';
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year)
SELECT t.id, b.id, 'TR', 'credit_note', 2026 FROM core.tenants t JOIN core.branches b ON b.tenant_id = t.id AND b.code = 'CENTRO'
 WHERE t.slug = 'acme';

CREATE TEMP TABLE docs (name text PRIMARY KEY, doc jsonb);
GRANT ALL ON docs TO PUBLIC;

INSERT INTO docs SELECT 'first', pg_temp.issue('user:acme:admin@acme.test', $$'T',
  '[{"description":"Curso de inglés","quantity":2,"unit_price":10.00,"tax_rate":21},
    {"description":"Libro","quantity":1,"unit_price":5.50,"tax_rate":10}]', customer_name => 'Ana Pérez', issue_date => '2026-03-01'$$);
SELECT is((SELECT doc ->> 'number' FROM docs WHERE name = 'first'), '1', 'the first invoice of a series is number 1');
SELECT is((SELECT doc ->> 'number_display' FROM docs WHERE name = 'first'), 'T-2026-000001', 'display format {code}-{year}-{number:06}');
SELECT is((SELECT doc ->> 'subtotal' FROM docs WHERE name = 'first'), '25.50', 'subtotal from the lines');
SELECT is((SELECT doc ->> 'tax_total' FROM docs WHERE name = 'first'), '4.75', 'tax per rate: 21% of 20.00 + 10% of 5.50');
SELECT is((SELECT doc ->> 'total' FROM docs WHERE name = 'first'), '30.25', 'total = subtotal + tax');
SELECT is((SELECT jsonb_array_length(doc -> 'taxes') FROM docs WHERE name = 'first'), 2, 'two tax rates');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            format($$SELECT string_agg(tax_rate || ':' || base || ':' || tax, ' ' ORDER BY tax_rate) FROM api.invoice_taxes WHERE invoice_id = %L$$,
                   (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))),
          '10.00:5.50:0.55 21.00:20.00:4.20', 'api.invoice_taxes shows the breakdown the totals used');

-- A rollback leaves no hole; a draft never takes a number.
SAVEPOINT before_rollback;
SELECT pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'Rolled back', issue_date => '2026-03-02'$$);
ROLLBACK TO SAVEPOINT before_rollback;
INSERT INTO billing.invoices (tenant_id, branch_id, series_code, currency, customer_name)
SELECT acme, (SELECT branch_id FROM billing.invoice_series WHERE code = 'T'), 'T', 'EUR', 'Draft only' FROM ctx;
INSERT INTO docs SELECT 'second', pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"Curso","quantity":1,"unit_price":100}]', customer_name => 'Luis', issue_date => '2026-03-02'$$);
SELECT is((SELECT doc ->> 'number' FROM docs WHERE name = 'second'), '2',
          'after a rolled-back issue and a draft, the next invoice is number 2 (no hole)');
SELECT is((SELECT count(*)::int FROM billing.invoices WHERE series_code = 'T' AND status = 'draft' AND number IS NULL), 1,
          'the draft has no number');

-- Fiscal year roll-over opens the new year's series at 1.
-- (series TY exists only for last year; the first document of this year opens this year's.)
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year)
SELECT s.tenant_id, s.branch_id, 'TY', s.kind, s.fiscal_year - 1 FROM billing.invoice_series s
 WHERE s.code = 'T' AND s.tenant_id = (SELECT acme FROM ctx) ORDER BY s.fiscal_year LIMIT 1;
INSERT INTO docs SELECT 'next_year', pg_temp.issue('user:acme:admin@acme.test', $$'TY', '[{"description":"Curso","quantity":1,"unit_price":100}]', customer_name => 'Eva'$$);
SELECT is((SELECT doc ->> 'number_display' FROM docs WHERE name = 'next_year'), 'TY-' || extract(year FROM current_date) || '-000001',
          'a new fiscal year starts at 1');
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"Curso","quantity":1,"unit_price":100}]', customer_name => 'Eva', issue_date => current_date + 40$$) ->> 'error',
          '22008', 'a document dated in the future is refused (400)');
SELECT is((SELECT next_number FROM billing.invoice_series WHERE code = 'T' AND fiscal_year = 2026), 3::bigint,
          'the old year''s series keeps its count');

-- Errors, each with its status.
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'NOPE', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'x'$$) ->> 'error',
          'PT404', 'an unknown series is 404');
SELECT is(pg_temp.issue('user:acme:staff@acme.test', $$'T', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'x'$$) ->> 'error',
          '42501', 'a teacher may not issue invoices (403)');
SELECT is(pg_temp.issue(format('claims:{"tid":"%s","roles":["cashier"],"branches":["%s"],"grants":{"cashier":["%s"]}}', (SELECT acme FROM ctx), (SELECT acme_b2 FROM ctx), (SELECT acme_b2 FROM ctx)),
                        $$'T', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'x'$$) ->> 'error',
          '42501', 'a cashier of branch 2 may not issue in a branch-1 series (403)');
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'T', '[]', customer_name => 'x'$$) ->> 'error', '22023', 'no lines is 400');
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"x","quantity":0,"unit_price":1}]', customer_name => 'x'$$) ->> 'error',
          '22023', 'a zero quantity is 400');
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"x","quantity":1,"unit_price":"abc"}]', customer_name => 'x'$$) ->> 'error',
          '22023', 'a non-numeric price is 400');
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"x","quantity":1,"unit_price":1,"tax_rate":150}]', customer_name => 'x'$$) ->> 'error',
          '22023', 'a tax rate over 100% is 400');
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"x","quantity":1,"unit_price":1}]'$$) ->> 'error',
          '22023', 'a missing customer is 400');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$SELECT api.issue_invoice('T', '[{"description":"","quantity":1,"unit_price":1}]', customer_name => 'x')$$),
          '22023: lines[1].description is required', 'the message names the bad field');
UPDATE billing.invoice_series SET active = false WHERE code = 'TY' AND fiscal_year = extract(year FROM current_date);
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'TY', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'x'$$) ->> 'error',
          'PT409', 'a closed series is 409');
UPDATE billing.invoice_series SET active = true WHERE code = 'T' AND fiscal_year = 2027;

-- Issued invoices are immutable, from REST (the api views) and from SQL.
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$UPDATE api.invoices SET customer_name = 'Changed' WHERE id = %L$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))),
          'PT409: invoice T-2026-000001 is issued and cannot be changed', 'updating an issued invoice fails with a clear error');
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$DELETE FROM api.invoices WHERE id = %L$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))),
          'PT409: invoice T-2026-000001 is issued and cannot be changed', 'deleting an issued invoice fails with a clear error');
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$UPDATE billing.invoice_items SET unit_price = 0 WHERE invoice_id = %L$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))),
          'PT409: the lines of invoice T-2026-000001 cannot be changed: it is issued', 'its lines cannot change either');
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$INSERT INTO billing.invoice_items (invoice_id, line_no, branch_id, description, quantity, unit_price)
                     SELECT id, 9, branch_id, 'extra', 1, 1 FROM billing.invoices WHERE id = %L$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))),
          'PT409: the lines of invoice T-2026-000001 cannot be changed: it is issued', 'nor can lines be added');
SELECT is(test_auth.error_as('user:acme:admin@acme.test',
            format($$UPDATE billing.invoices SET number = 99 WHERE id = %L$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))),
          '42501: permission denied for table invoices', 'the number is not writable by API roles');
SELECT is(test_auth.error_as('user:acme:admin@acme.test', $$UPDATE billing.invoice_series SET next_number = 1$$),
          '42501: permission denied for table invoice_series', 'next_number is not writable by API roles');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$DELETE FROM api.invoices WHERE status = 'draft'$$), 'rows:1',
          'a draft can be deleted');

-- Idempotency: a retried call returns the first invoice; the key can't be reused for another request.
INSERT INTO docs SELECT 'idem1', pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"Curso","quantity":1,"unit_price":50}]', customer_name => 'Rita', issue_date => '2026-04-01', idempotency_key => 'order-77'$$);
INSERT INTO docs SELECT 'idem2', pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"Curso","quantity":1,"unit_price":50}]', customer_name => 'Rita', issue_date => '2026-04-01', idempotency_key => 'order-77'$$);
SELECT is((SELECT doc ->> 'id' FROM docs WHERE name = 'idem2'), (SELECT doc ->> 'id' FROM docs WHERE name = 'idem1'), 'a retry returns the same invoice');
SELECT is((SELECT doc ->> 'number' FROM docs WHERE name = 'idem2'), '3', '…with its number; nothing issued twice');
SELECT is((SELECT count(*)::int FROM billing.invoices WHERE idempotency_key = 'order-77'), 1, 'one invoice for the key');
SELECT is(pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"Otro","quantity":1,"unit_price":60}]', customer_name => 'Rita', idempotency_key => 'order-77'$$) ->> 'error',
          'PT409', 'a key reused for a different request is 409');

-- Credit notes: own series, never more than what is left, full credit cancels.
CREATE FUNCTION pg_temp.credit(p_args text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
  v := test_auth.value_as('user:acme:admin@acme.test', 'SELECT api.issue_credit_note(' || p_args || ')::text');
  IF v LIKE 'ERR:%' THEN RETURN jsonb_build_object('error', substr(v, 5)); END IF;
  RETURN v::jsonb;
END $$;
INSERT INTO docs SELECT 'cn1', pg_temp.credit(format($$%L, 'Error en el precio', '[{"line_no":1,"quantity":1}]', series_code => 'TR', issue_date => '2026-05-01'$$,
                                                     (SELECT doc ->> 'id' FROM docs WHERE name = 'first')));
SELECT is((SELECT doc ->> 'number_display' FROM docs WHERE name = 'cn1'), 'TR-2026-000001', 'a credit note has its own series, from 1');
SELECT is((SELECT doc ->> 'total' FROM docs WHERE name = 'cn1'), '12.10', 'crediting one of two 10.00 lines at 21% is 12.10');
SELECT is((SELECT doc ->> 'corrects_invoice_id' FROM docs WHERE name = 'cn1'), (SELECT doc ->> 'id' FROM docs WHERE name = 'first'),
          'it references the invoice it corrects');
SELECT is(pg_temp.credit(format($$%L, 'Otra vez', '[{"line_no":1,"quantity":2}]', series_code => 'TR'$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))) ->> 'error',
          'PT409', 'crediting more than is left of a line is 409');
SELECT is(pg_temp.credit(format($$%L, 'x', '[{"line_no":7,"quantity":1}]', series_code => 'TR'$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))) ->> 'error',
          '22023', 'an unknown line is 400');
SELECT is(pg_temp.credit(format($$%L, '', series_code => 'TR'$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))) ->> 'error',
          '22023', 'a credit note needs a reason');
SELECT is(pg_temp.credit(format($$%L, 'x', series_code => 'TR'$$, gen_random_uuid())) ->> 'error', 'PT404', 'an unknown invoice is 404');
INSERT INTO docs SELECT 'cn2', pg_temp.credit(format($$%L, 'Baja del alumno', series_code => 'TR', issue_date => '2026-05-02'$$,
                                                     (SELECT doc ->> 'id' FROM docs WHERE name = 'first')));
SELECT is((SELECT doc ->> 'number' FROM docs WHERE name = 'cn2'), '2', 'the second credit note is number 2');
SELECT is((SELECT doc ->> 'total' FROM docs WHERE name = 'cn2'), '18.15', 'crediting everything left: 30.25 - 12.10');
SELECT is((SELECT status FROM billing.invoices WHERE id = (SELECT (doc ->> 'id')::uuid FROM docs WHERE name = 'first')), 'cancelled',
          'a fully credited invoice is cancelled');
SELECT is(pg_temp.credit(format($$%L, 'x', series_code => 'TR'$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'first'))) ->> 'error',
          'PT409', 'a cancelled invoice cannot be credited again');

-- Partial credit notes each round their own taxes: 1 and then 2 of 3 units at 0.80 + 21 %
-- (invoice 2.90) are 0.97 and 1.94. Quantities decide what is left, not a rounding cent.
INSERT INTO docs SELECT 'thirds', pg_temp.issue('user:acme:admin@acme.test', $$'T', '[{"description":"Lápiz","quantity":3,"unit_price":0.80}]', customer_name => 'Rita'$$);
SELECT is((SELECT doc ->> 'total' FROM docs WHERE name = 'thirds'), '2.90', 'three at 0.80 + 21 % is 2.90');
SELECT is(pg_temp.credit(format($$%L, 'Devuelve uno', '[{"line_no":1,"quantity":1}]', series_code => 'TR'$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'thirds'))) ->> 'total',
          '0.97', 'one of them credited: 0.97');
SELECT is(pg_temp.credit(format($$%L, 'Devuelve dos', '[{"line_no":1,"quantity":2}]', series_code => 'TR'$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'thirds'))) ->> 'total',
          '1.94', 'the other two as well: 1.94, a cent over the invoice by rounding, not refused');
SELECT is((SELECT status FROM billing.invoices WHERE id = (SELECT (doc ->> 'id')::uuid FROM docs WHERE name = 'thirds')), 'cancelled',
          'every unit credited: the invoice is cancelled');
SELECT is(pg_temp.credit(format($$%L, 'otra', '[{"line_no":1,"quantity":1}]', series_code => 'TR'$$, (SELECT doc ->> 'id' FROM docs WHERE name = 'thirds'))) ->> 'error',
          'PT409', 'and nothing more can be credited');

-- Whether a series' documents are simplified: the same answer under row security (its one
-- cached plan per kind of caller, 0053) and for the numbering, which bypasses it; nothing
-- for another tenant.
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year, simplified)
SELECT t.id, b.id, 'TS', 'invoice', 2026, true FROM core.tenants t JOIN core.branches b ON b.tenant_id = t.id AND b.code = 'CENTRO'
 WHERE t.slug = 'acme';
CREATE TEMP TABLE ts AS SELECT tenant_id, id FROM billing.invoice_series WHERE code = 'TS';
GRANT SELECT ON ts TO PUBLIC;
SELECT is(test_auth.value_as('user:acme:admin@acme.test', 'SELECT billing.document_simplified(tenant_id, id) FROM ts'), 'true',
          'a simplified series, as its tenant''s user (row security)');
SET LOCAL ROLE cimiento_numbering;
SELECT is((SELECT billing.document_simplified(tenant_id, id) FROM ts), true, 'the same, as the numbering (row security bypassed)');
RESET ROLE;
SELECT is(test_auth.value_as('user:globex:admin@globex.test', 'SELECT billing.document_simplified(tenant_id, id) FROM ts'), 'false',
          'another tenant''s user does not see the series: false');

-- An invoice's foreign keys are checked at commit (0080), once, for the row as committed: a
-- user's issue naming an unknown student passes its statements and is refused with 23503 when
-- the checks run (SET CONSTRAINTS … IMMEDIATE stands for the commit here; e2e
-- numbering::issuing_errors_have_meaningful_statuses commits through PostgREST).
SELECT is((SELECT string_agg(conname, ', ') FROM pg_constraint
            WHERE conrelid = 'billing.invoices'::regclass AND contype = 'f' AND NOT (condeferrable AND condeferred)),
          NULL, 'every foreign key of billing.invoices is checked at commit');
-- (The check at commit is asserted first: it runs every check this transaction has pending,
-- and the invoice the next assertion leaves issued must not be among them. That one's check
-- waits for the test's ROLLBACK.)
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
                 $$SELECT api.issue_invoice('T', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'Nadie',
                                            student_id => '00000000-0000-4000-8000-0000000000ff');
                   SET CONSTRAINTS ALL IMMEDIATE$$),
               '^23503: .*"invoices_student_fkey"', 'an unknown student is refused by the check at commit: 23503 naming the student''s key');
SELECT is(test_auth.value_as('user:acme:admin@acme.test',
            $$SELECT api.issue_invoice('T', '[{"description":"x","quantity":1,"unit_price":1}]', customer_name => 'Nadie',
                                       student_id => '00000000-0000-4000-8000-0000000000ff') ->> 'status'$$),
          'issued', 'and not by the issuing statements');

-- Uniqueness is also enforced by the schema.
SELECT col_is_unique('billing', 'invoices', ARRAY['tenant_id', 'series_id', 'number'], 'unique (tenant, series, number)');
SELECT is((SELECT count(*)::int FROM (SELECT series_id, number FROM billing.invoices WHERE number IS NOT NULL
                                       GROUP BY 1, 2 HAVING count(*) > 1) d), 0, 'no duplicate numbers');

SELECT * FROM finish();
ROLLBACK;
