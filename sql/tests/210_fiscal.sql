-- Fiscal records from each role's point of view: acme issues in Spain (VERI*FACTU), globex
-- in Ecuador (SRI). The AEAT's published example byte for byte; a chain alta → alta →
-- anulación → rectificativa computed and verified; tampering (triggers off) named by the
-- verification; what a record may hold checked whoever writes it; claves de acceso of 10 000
-- random inputs; the send queue.
BEGIN;
SELECT plan(82);

\set admin '''user:acme:admin@acme.test'''
\set staff '''user:acme:Staff@acme.test'''
\set globex '''user:globex:admin@globex.test'''

CREATE TEMP TABLE ctx AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.tenants WHERE slug = 'globex') AS globex,
  (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') AS acme_b2,
  (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'globex' AND b.code = 'CENTRO') AS globex_b1;
GRANT SELECT ON ctx TO PUBLIC;
CREATE TEMP TABLE docs (name text PRIMARY KEY, doc jsonb);
GRANT ALL ON docs TO PUBLIC;

CREATE FUNCTION pg_temp.doc(p_name text) RETURNS uuid LANGUAGE sql AS $$ SELECT (doc ->> 'id')::uuid FROM docs WHERE name = p_name $$;
CREATE FUNCTION pg_temp.rec(p_name text, p_kind text DEFAULT 'alta') RETURNS fiscal.records LANGUAGE sql AS $$
  SELECT r.* FROM fiscal.records r WHERE r.invoice_id = pg_temp.doc(p_name) AND r.kind = p_kind $$;
CREATE FUNCTION pg_temp.broken() RETURNS text LANGUAGE sql AS $$
  SELECT v.broken_position || ':' || v.field FROM fiscal.verify_chain((SELECT acme FROM ctx)) v WHERE v.issuer_tax_id = 'B87654323' AND NOT v.ok $$;

-- ---- The AEAT's published example, byte for byte ----------------------------------------
SELECT is(fiscal.alta_string('89890001K', '12345678/G33', '2024-01-01', 'F1', 12.35, 123.45, NULL, '2024-01-01T19:20:30+01:00'),
          'IDEmisorFactura=89890001K&NumSerieFactura=12345678/G33&FechaExpedicionFactura=01-01-2024&TipoFactura=F1&CuotaTotal=12.35&ImporteTotal=123.45&Huella=&FechaHoraHusoGenRegistro=2024-01-01T19:20:30+01:00',
          'the string of the AEAT example is built exactly');
SELECT is(fiscal.huella(fiscal.alta_string('89890001K', '12345678/G33', '2024-01-01', 'F1', 12.35, 123.45, NULL, '2024-01-01T19:20:30+01:00')),
          '3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60', 'its huella is the published one');
SELECT is(fiscal.aeat_moment('2024-01-01 18:20:30+00', 'Europe/Madrid'), '2024-01-01T19:20:30+01:00', 'FechaHoraHuso in winter in Madrid');
SELECT is(fiscal.aeat_moment('2024-07-01 18:20:30+00', 'Europe/Madrid'), '2024-07-01T20:20:30+02:00', '… in summer');
SELECT is(fiscal.aeat_moment('2024-07-01 18:20:30+00', 'America/Guayaquil'), '2024-07-01T13:20:30-05:00', '… and west of Greenwich');
SELECT is(fiscal.qr_url('test', 'B12345674', 'F/1 & 2', '2024-01-01', 121), 
          'https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=F%2F1%20%26%202&fecha=01-01-2024&importe=121.00',
          'the QR URL percent-encodes the number');

-- ---- Profiles ----------------------------------------------------------------------------
-- (the fixture gave every tenant a Spanish profile, B12345674; acme's NORTE gets its own)
SELECT is(test_auth.run_as(:staff, $$INSERT INTO api.fiscal_profiles (branch_id, country, tax_id, legal_name, address) VALUES ((SELECT acme_b2 FROM ctx), 'ES', 'B87654323', 'Acme', 'Calle 1')$$),
          '42501', 'a teacher cannot create the fiscal profile');
SELECT is(test_auth.run_as(:admin, $$INSERT INTO api.fiscal_profiles (branch_id, country, tax_id, legal_name, address) VALUES ((SELECT acme_b2 FROM ctx), 'ES', 'B87654321', 'Acme', 'Calle 1')$$),
          '22023', 'a NIF with a wrong check character is refused (400)');
SELECT is(test_auth.run_as(:admin, $$INSERT INTO api.fiscal_profiles (branch_id, country, tax_id, legal_name, address) VALUES ((SELECT acme_b2 FROM ctx), 'ES', 'b-87654323', 'Acme Norte S.L.', 'Calle Mayor 1, Madrid')$$),
          'rows:1', 'the admin gives acme''s NORTE its own Spanish profile');
SELECT is((SELECT tax_id FROM fiscal.profiles WHERE branch_id = (SELECT acme_b2 FROM ctx)), 'B87654323', 'stored normalized');
SELECT is(core.normalize_tax_id(' 12.345.678-z '), '12345678Z', 'a tax id is normalized: upper case, no spaces, dots or dashes');
SELECT is((SELECT string_agg(b.code || ':' || p.tax_id, ' ' ORDER BY b.code)
             FROM core.branches b CROSS JOIN LATERAL fiscal.profiles_covering(b.tenant_id, b.id) p
            WHERE b.tenant_id = (SELECT acme FROM ctx)),
          (SELECT string_agg(b.code || ':' || CASE b.code WHEN 'NORTE' THEN 'B87654323' ELSE 'B12345674' END, ' ' ORDER BY b.code)
             FROM core.branches b WHERE b.tenant_id = (SELECT acme FROM ctx)),
          'NORTE issues under its own profile, every other branch under the tenant''s');
SELECT is((SELECT count(*) FROM fiscal.profiles_covering(gen_random_uuid(), gen_random_uuid())), 0::bigint,
          'a tenant without a profile has none covering its branches');
SELECT is(test_auth.run_as(:admin, $$UPDATE api.fiscal_profiles SET tax_id = 'A58818501' WHERE branch_id IS NOT NULL$$), '42501',
          'the tax id of a profile never changes (records chain under it)');

INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year, simplified)
SELECT t.id, b.id, s.code, s.kind, 2026, s.simplified
  FROM core.tenants t JOIN core.branches b ON b.tenant_id = t.id AND b.code = 'NORTE'
 CROSS JOIN (VALUES ('VF', 'invoice', false), ('VR', 'credit_note', false), ('VT', 'invoice', true)) AS s(code, kind, simplified)
 WHERE t.slug = 'acme';

-- ---- A chain: alta → alta → anulación → rectificativa → simplified ---------------------
INSERT INTO docs SELECT 'a1', test_auth.json_as(:admin, $$api.issue_invoice('VF', '[{"description":"Curso de inglés","quantity":1,"unit_price":100,"tax_rate":21}]', customer_name => 'Ana Pérez', customer_tax_id => '12345678Z', issue_date => '2026-03-01')$$);
INSERT INTO docs SELECT 'a2', test_auth.json_as(:admin, $$api.issue_invoice('VF', '[{"description":"Libro","quantity":2,"unit_price":10,"tax_rate":4}]', customer_name => 'Luis', issue_date => '2026-03-02')$$);
SELECT is((pg_temp.rec('a1')).position::bigint, 1::bigint, 'the first invoice is the first record of the issuer''s chain');
SELECT ok((pg_temp.rec('a1')).previous_huella IS NULL, 'with no previous huella');
SELECT is((SELECT invoice_type || ' ' || tax_total || ' ' || total || ' ' || (recipient ->> 'tax_id') FROM pg_temp.rec('a1')),
          'F1 21.00 121.00 12345678Z', 'an F1 with its amounts and the customer''s NIF');
SELECT is((pg_temp.rec('a1')).huella::text,
          fiscal.huella('IDEmisorFactura=B87654323&NumSerieFactura=VF-2026-000001&FechaExpedicionFactura=01-03-2026&TipoFactura=F1&CuotaTotal=21.00&ImporteTotal=121.00&Huella=&FechaHoraHusoGenRegistro='
                        || (pg_temp.rec('a1')).generated_at_text),
          'its huella is SHA-256 of the AEAT string');
SELECT is((pg_temp.rec('a2')).position::bigint, 2::bigint, 'the second invoice is record 2');
SELECT is((pg_temp.rec('a2')).previous_huella, (pg_temp.rec('a1')).huella, 'it chains to record 1''s huella');
SELECT is((pg_temp.rec('a2')).huella::text,
          fiscal.huella('IDEmisorFactura=B87654323&NumSerieFactura=VF-2026-000002&FechaExpedicionFactura=02-03-2026&TipoFactura=F1&CuotaTotal=0.80&ImporteTotal=20.80&Huella='
                        || (pg_temp.rec('a1')).huella || '&FechaHoraHusoGenRegistro=' || (pg_temp.rec('a2')).generated_at_text),
          'its huella includes the previous one');

SELECT is(test_auth.value_as(:admin, format($$SELECT position FROM api.annul_invoice(%L, NULL)$$, pg_temp.doc('a1'))), 'ERR:22023',
          'cancelling needs a reason (400)');
SELECT is(test_auth.value_as(:staff, format($$SELECT position FROM api.annul_invoice(%L, 'error')$$, pg_temp.doc('a1'))), 'ERR:PT404',
          'a teacher does not see the invoice to cancel (404)');
SELECT is(test_auth.value_as(:admin, format($$SELECT position FROM api.annul_invoice(%L, 'Emitida por error: cliente equivocado')$$, pg_temp.doc('a1'))), '3',
          'the admin cancels invoice 1: a registro de anulación, record 3');
SELECT is((pg_temp.rec('a1', 'anulacion')).huella::text,
          fiscal.huella('IDEmisorFacturaAnulada=B87654323&NumSerieFacturaAnulada=VF-2026-000001&FechaExpedicionFacturaAnulada=01-03-2026&Huella='
                        || (pg_temp.rec('a2')).huella || '&FechaHoraHusoGenRegistro=' || (pg_temp.rec('a1', 'anulacion')).generated_at_text),
          'the anulación''s huella is over its own string, chained to record 2');
SELECT is(test_auth.value_as(:admin, format($$SELECT position FROM api.annul_invoice(%L, 'otra vez')$$, pg_temp.doc('a1'))), 'ERR:PT409',
          'an invoice is cancelled once (409)');
SELECT is(test_auth.value_as(:admin, format($$SELECT api.issue_credit_note(%L, 'Abono', series_code => 'VR', issue_date => '2026-03-03') ->> 'id'$$, pg_temp.doc('a1'))),
          'ERR:PT409', 'a cancelled invoice cannot be credited (409)');

INSERT INTO docs SELECT 'r2', test_auth.json_as(:admin, format($$api.issue_credit_note(%L, 'Devolución de un libro', '[{"line_no":1,"quantity":1}]', series_code => 'VR', issue_date => '2026-03-03')$$, pg_temp.doc('a2')));
SELECT is((SELECT invoice_type || ' ' || correction_type || ' ' || tax_total || ' ' || total || ' ' || (corrected -> 0 ->> 'number') FROM pg_temp.rec('r2')),
          'R1 I -0.40 -10.40 VF-2026-000002', 'a credit note is a rectificativa por diferencias with negative amounts naming the invoice');
SELECT is(test_auth.value_as(:admin, format($$SELECT position FROM api.annul_invoice(%L, 'error')$$, pg_temp.doc('a2'))), 'ERR:PT409',
          'an invoice with a credit note is not cancelled (409)');
INSERT INTO docs SELECT 't1', test_auth.json_as(:admin, $$api.issue_invoice('VT', '[{"description":"Fotocopias","quantity":10,"unit_price":0.10,"tax_rate":21}]', customer_name => 'Cliente', issue_date => '2026-03-04')$$);
SELECT is((SELECT invoice_type || ' ' || position || ' ' || (recipient IS NULL) FROM pg_temp.rec('t1')), 'F2 5 true', 'a simplified invoice is an F2, record 5');

SELECT is((SELECT ok || ' ' || records FROM fiscal.verify_chain((SELECT acme FROM ctx)) WHERE issuer_tax_id = 'B87654323'), 'true 5', 'the chain of five records verifies');
SELECT is(test_auth.value_as(:admin, $$SELECT string_agg(issuer_tax_id || ' ' || ok || ' ' || records, ', ' ORDER BY issuer_tax_id) FROM api.verify_fiscal_chain()$$),
          'B12345674 true 1, B87654323 true 5', 'the admin sees every chain of acme over REST (the tenant''s and NORTE''s)');
SELECT is(test_auth.value_as(:globex, $$SELECT count(*) FROM api.fiscal_records WHERE issuer_tax_id = 'B87654323'$$), '0', 'another tenant sees none of these records');
SELECT is(test_auth.value_as(:staff, $$SELECT count(*) FROM api.fiscal_records$$), '0', 'a teacher (no invoice or fiscal permission) sees none');
SELECT is(test_auth.value_as(format('claims:{"tid":"%s","roles":["cashier"],"branches":["%s","%s"],"grants":{"cashier":["%s"]}}',
                                    (SELECT acme FROM ctx), (SELECT id FROM core.branches WHERE tenant_id = (SELECT acme FROM ctx) AND code = 'CENTRO'),
                                    (SELECT acme_b2 FROM ctx), (SELECT id FROM core.branches WHERE tenant_id = (SELECT acme FROM ctx) AND code = 'CENTRO')),
                             $$SELECT string_agg(DISTINCT issuer_tax_id, ',') || ' ' || count(*) FROM api.fiscal_records$$),
          'B12345674 1', 'a cashier of both branches whose grant covers CENTRO only sees CENTRO''s record, not NORTE''s');

-- ---- The XML of the batch ----------------------------------------------------------------
SELECT is((SELECT array_length(xpath('//sum1:Huella/text()', fiscal.verifactu_xml((SELECT acme FROM ctx), array_agg(r.id)),
                                     ARRAY[ARRAY['sum1', 'https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd']]), 1)
             FROM fiscal.records r WHERE r.tenant_id = (SELECT acme FROM ctx) AND r.issuer_tax_id = 'B87654323'),
          9, 'the batch XML carries 5 huellas and 4 previous ones (records 2..5 name their predecessor)');
SELECT is(test_auth.value_as(:admin, format($$SELECT (xpath('count(//*[local-name()="RegistroAnulacion"])', api.fiscal_xml(%L)::xml))[1]::text$$, pg_temp.doc('a1'))),
          '1', 'an invoice''s XML over REST carries its alta and its anulación');

-- The REST surface keeps the base types of the columns the table holds as domains (0078).
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
             FROM pg_attribute a
            WHERE a.attrelid = 'api.fiscal_records'::regclass
              AND a.attname IN ('kind', 'position', 'invoice_type', 'correction_type', 'previous_huella', 'huella', 'reason')),
          'kind text, position bigint, invoice_type text, correction_type text, previous_huella text, huella text, reason text',
          'api.fiscal_records shows the records'' coded columns with their base types');
SELECT is((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
             FROM pg_attribute a
            WHERE a.attrelid = 'api.fiscal_chains'::regclass AND a.attname IN ('records', 'last_huella')),
          'records bigint, last_huella text', 'api.fiscal_chains too');

-- ---- Records cannot be rewritten; tampering is named ---------------------------------------
SELECT is(test_auth.run_as('login:cimiento_owner', $$UPDATE fiscal.records SET total = 1 WHERE tenant_id = (SELECT acme FROM ctx)$$), 'PT409',
          'not even the owner changes a record');
SELECT is(test_auth.run_as(:admin, format($$INSERT INTO fiscal.records (tenant_id, issuer_tax_id, position, kind, invoice_id, branch_id, issuer_name, invoice_number, issue_date, generated_at, generated_at_text, huella) VALUES (%L, 'B12345674', 9, 'anulacion', %L, (SELECT branch_id FROM billing.invoices WHERE id = %L), 'x', 'x', '2026-01-01', now(), 'x', repeat('A', 64))$$, (SELECT acme FROM ctx), pg_temp.doc('a2'), pg_temp.doc('a2'))),
          '42501', 'an API user cannot write a record');
SET session_replication_role = replica;
SAVEPOINT tamper;
UPDATE fiscal.records SET total = 200.00 WHERE id = (pg_temp.rec('a2')).id;
SELECT is(pg_temp.broken(), '2:ImporteTotal', 'a changed ImporteTotal is named at its record');
ROLLBACK TO SAVEPOINT tamper;
UPDATE fiscal.records SET invoice_number = 'VF-2026-000099' WHERE id = (pg_temp.rec('a2')).id;
SELECT is(pg_temp.broken(), '2:NumSerieFactura', 'a changed NumSerieFactura is named');
ROLLBACK TO SAVEPOINT tamper;
UPDATE fiscal.records SET generated_at_text = '2026-03-02T10:00:00+01:00' WHERE id = (pg_temp.rec('a2')).id;
SELECT is(pg_temp.broken(), '2:FechaHoraHusoGenRegistro', 'a changed FechaHoraHusoGenRegistro is named');
ROLLBACK TO SAVEPOINT tamper;
UPDATE fiscal.records SET huella = repeat('0', 64) WHERE id = (pg_temp.rec('a2')).id;
SELECT is(pg_temp.broken(), '2:Huella', 'a changed huella is named');
ROLLBACK TO SAVEPOINT tamper;
UPDATE fiscal.records SET previous_huella = repeat('0', 64) WHERE id = (pg_temp.rec('a1', 'anulacion')).id;
SELECT is(pg_temp.broken(), '3:Encadenamiento.Huella', 'a changed link to the previous record is named');
ROLLBACK TO SAVEPOINT tamper;
DELETE FROM fiscal.records WHERE id = (pg_temp.rec('a2')).id;
SELECT is(pg_temp.broken(), '3:position', 'a deleted record leaves a hole the verification names');
ROLLBACK TO SAVEPOINT tamper;
-- What a record may hold is checked whoever writes it, triggers off or not (the column
-- domains of 0078 and the table's two checks that relate columns).
CREATE TEMP TABLE bad_values (assignment text, why text);
INSERT INTO bad_values VALUES
  ('huella = lower(huella)', 'a huella in lower case'),
  ('huella = repeat(''A'', 63)', 'a huella of 63 digits'),
  ('huella = repeat(''G'', 64)', 'a huella with a letter that is no hexadecimal digit'),
  ('previous_huella = ''x''', 'a previous huella that is no huella'),
  ('kind = ''alta ''', 'an unknown kind'),
  ('invoice_type = ''F3''', 'an unknown invoice type'),
  ('correction_type = ''S''', 'a rectificativa por sustitución (only por diferencias is issued)'),
  ('position = 0', 'a position before the first'),
  ('reason = ''   ''', 'a blank reason'),
  ('previous_huella = NULL', 'a record after the first without its previous huella');
SELECT throws_ok(format('UPDATE fiscal.records SET %s WHERE id = %L', assignment, (pg_temp.rec('a2')).id), '23514', NULL,
                 'refused whoever writes it: ' || why)
  FROM bad_values ORDER BY why;
SELECT lives_ok(format('UPDATE fiscal.records SET huella = %L WHERE id = %L', repeat('0123456789ABCDEF', 4), (pg_temp.rec('a2')).id),
                'a huella of the sixteen digits passes the check (the verification names it, above)');
ROLLBACK TO SAVEPOINT tamper;
SET session_replication_role = origin;
SELECT is((SELECT string_agg(ok::text, ',') FROM fiscal.verify_chain((SELECT acme FROM ctx))), 'true,true', 'untouched, the chains verify again');

-- ---- Ecuador: claves de acceso -----------------------------------------------------------
-- An independent check digit: the digits reversed against the weights 2..7 repeating.
CREATE FUNCTION pg_temp.check_digit(p text) RETURNS int LANGUAGE sql AS $$
  SELECT CASE 11 - s % 11 WHEN 11 THEN 0 WHEN 10 THEN 1 ELSE 11 - s % 11 END
    FROM (SELECT sum(d::int * w) AS s
            FROM unnest(string_to_array(reverse(p), NULL)) WITH ORDINALITY AS a(d, i)
            JOIN unnest(ARRAY[2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6,7]) WITH ORDINALITY AS b(w, j) ON j = i) x $$;
CREATE TEMP TABLE keys AS
  SELECT fiscal.access_key(date '2020-01-01' + (random() * 2500)::int, (ARRAY['01', '04'])[1 + (random())::int],
                           lpad((random() * 9999999999)::bigint::text, 10, '0') || '001', 1 + (random())::int,
                           lpad((1 + random() * 998)::int::text, 3, '0'), lpad((1 + random() * 998)::int::text, 3, '0'),
                           1 + (random() * 999999998)::bigint, lpad((random() * 99999999)::int::text, 8, '0')) AS k
    FROM generate_series(1, 10000);
SELECT is((SELECT count(*) FROM keys WHERE length(k) = 49 AND right(k, 1)::int = pg_temp.check_digit(left(k, 48)) AND fiscal.access_key_valid(k)),
          10000::bigint, '10 000 random claves de acceso carry the right módulo-11 check digit');
SELECT is((SELECT count(*) FROM keys
            WHERE fiscal.access_key_valid(left(k, 30) || ((substr(k, 31, 1)::int + 1) % 10)::text || substr(k, 32))),
          0::bigint, 'changing one digit of the secuencial makes every one of them invalid');
SELECT is(fiscal.access_key('2024-03-01', '01', '1790011674001', 1, '001', '001', 1, '12345678'),
          '0103202401179001167400110010010000000011234567815', 'a clave built by hand from its parts');

SELECT is(test_auth.run_as(:globex, $$INSERT INTO api.fiscal_profiles (branch_id, country, tax_id, legal_name, address) VALUES ((SELECT globex_b1 FROM ctx), 'EC', '1790011674001', 'Globex Ecuador S.A.', 'Av. Amazonas 100, Quito')$$),
          'rows:1', 'globex''s CENTRO gets an Ecuadorian profile (RUC)');
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year)
SELECT t.id, b.id, s.code, 'invoice', 2026
  FROM core.tenants t JOIN core.branches b ON b.tenant_id = t.id AND b.code = 'CENTRO'
 CROSS JOIN (VALUES ('EC1'), ('EC2')) AS s(code) WHERE t.slug = 'globex';
SELECT is(test_auth.run_as(:globex, $$INSERT INTO api.fiscal_emission_points (series_code, establishment, emission_point, address) VALUES ('EC1', '001', '002', 'Quito')$$),
          'rows:1', 'series EC1 is establecimiento 001, punto de emisión 002');
INSERT INTO docs SELECT 'ec1', test_auth.json_as(:globex, $$api.issue_invoice('EC1', '[{"description":"Curso","quantity":1,"unit_price":100,"tax_rate":15}]', customer_name => 'Juan', customer_tax_id => '1710034065', issue_date => '2026-03-05', currency => 'USD')$$);
SELECT is((SELECT substr(access_key, 1, 8) || ' ' || document_code || ' ' || substr(access_key, 25, 15) || ' ' || fiscal.access_key_valid(access_key)
             FROM fiscal.sri_documents WHERE invoice_id = pg_temp.doc('ec1')),
          '05032026 01 001002000000001 true', 'an Ecuadorian invoice gets its clave: date, tipo 01, serie 001-002, secuencial 1, valid');
SELECT is(test_auth.json_as(:globex, $$api.issue_invoice('EC2', '[{"description":"Curso","quantity":1,"unit_price":100,"tax_rate":15}]', customer_name => 'Juan', issue_date => '2026-03-05', currency => 'USD')$$) ->> 'error',
          'PT409', 'a series without punto de emisión cannot issue (409)');
SELECT is(test_auth.value_as(:globex, format($$SELECT (xpath('/factura/infoTributaria/claveAcceso/text()', api.fiscal_xml(%L)::xml))[1]::text
                                                  || ' ' || (xpath('/factura/infoFactura/totalConImpuestos/totalImpuesto/codigoPorcentaje/text()', api.fiscal_xml(%L)::xml))[1]::text$$,
                                                pg_temp.doc('ec1'), pg_temp.doc('ec1'))),
          (SELECT access_key FROM fiscal.sri_documents WHERE invoice_id = pg_temp.doc('ec1')) || ' 4',
          'the comprobante carries the clave and IVA 15 % as codigoPorcentaje 4');
SELECT throws_ok($$INSERT INTO fiscal.sri_documents (tenant_id, invoice_id, branch_id, access_key, document_code, ruc, environment, establishment, emission_point, sequential, numeric_code)
                   SELECT tenant_id, gen_random_uuid(), branch_id, left(access_key, 48) || ((right(access_key, 1)::int + 1) % 10)::text, document_code, ruc, environment, establishment, emission_point, sequential, numeric_code
                     FROM fiscal.sri_documents WHERE invoice_id = (SELECT (doc ->> 'id')::uuid FROM docs WHERE name = 'ec1')$$,
                 '23514', NULL, 'a clave with a wrong check digit is refused by the table, whoever writes it');

-- ---- The send queue ------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM fiscal.submissions WHERE record_id IN (SELECT id FROM fiscal.records WHERE issuer_tax_id = 'B87654323')),
          0::bigint, 'issuing writes no queue row for a record (less work while the series is locked)');
SELECT is(test_auth.value_as(:admin, $$SELECT string_agg(DISTINCT submission_state, ',') || ' ' || count(*) FROM api.fiscal_records WHERE issuer_tax_id = 'B87654323'$$),
          'pending 5', 'its records show as pending');
SELECT is((SELECT state || ':' || count(*) FROM fiscal.submissions WHERE authority = 'SRI' AND invoice_id = pg_temp.doc('ec1') GROUP BY state),
          'pending:1', 'the comprobante waits in the queue');
SET ROLE cimiento_api;
-- (the seed's and the fixture's issuers queued first: the oldest issuer's batch is claimed first)
CREATE TEMP TABLE batch AS SELECT * FROM fiscal.claim_submissions('AEAT', 1000);
DO $$ BEGIN
  FOR i IN 1..10 LOOP
    INSERT INTO batch SELECT * FROM fiscal.claim_submissions('AEAT', 1000);
  END LOOP;
END $$;
DELETE FROM batch WHERE issuer_tax_id <> 'B87654323';
SELECT is((SELECT cardinality(submissions) FROM batch), 5, 'a sender claims the issuer''s five records in one batch');
SELECT is(fiscal.answer_submissions((SELECT batch_id FROM batch),
            (SELECT jsonb_agg(CASE WHEN i = 1 THEN jsonb_build_object('submission_id', s, 'state', 'rejected', 'code', '4102', 'message', 'El NIF no está identificado')
                                   ELSE jsonb_build_object('submission_id', s, 'state', 'accepted') END)
               FROM batch, unnest(submissions) WITH ORDINALITY AS u(s, i))), 5, 'its answer is recorded');
RESET ROLE;
SELECT is((SELECT string_agg(state || coalesce(':' || error_code, ''), ' ' ORDER BY state) FROM (SELECT DISTINCT state, error_code FROM fiscal.submissions WHERE issuer_tax_id = 'B87654323') s),
          'accepted rejected:4102', 'one rejected with the AEAT''s code, the rest accepted');

-- ---- Prepared before the number: simplified invoices and their rectificativas -------------
-- (fiscal.record_draft reads the document before the series is locked; what depends on
-- the series the number came from is decided after it: cimiento.prepare_numbering)
INSERT INTO docs SELECT 't2', test_auth.json_as(:admin, $$api.issue_invoice('VT', '[{"description":"Fotocopias","quantity":5,"unit_price":0.10,"tax_rate":21}]', customer_name => 'Ana Pérez', customer_tax_id => '12345678Z', issue_date => '2026-03-06')$$);
SELECT is((SELECT invoice_type || ' ' || (recipient IS NULL) || ' ' || description || ' ' || invoice_number FROM pg_temp.rec('t2')),
          'F2 true Fotocopias VT-2026-000002', 'a simplified invoice names no recipient, even one with a valid NIF');
INSERT INTO docs SELECT 'r5', test_auth.json_as(:admin, format($$api.issue_credit_note(%L, 'Devolución', '[{"line_no":1,"quantity":5}]', series_code => 'VR', issue_date => '2026-03-06')$$, pg_temp.doc('t2')));
SELECT is((SELECT invoice_type || ' ' || correction_type || ' ' || (recipient IS NULL) || ' ' || total || ' ' || (corrected -> 0 ->> 'number') || ' ' || description FROM pg_temp.rec('r5')),
          'R5 I true -0.61 VT-2026-000002 Devolución', 'its credit note is an R5 (rectifying a simplified invoice) without recipient');
SELECT is((SELECT string_agg(position::text, ',' ORDER BY position) FROM fiscal.records WHERE invoice_id IN (pg_temp.doc('t2'), pg_temp.doc('r5'))),
          '6,7', 'both chained after the others, in issue order');
SELECT is((SELECT ok || ' ' || records FROM fiscal.verify_chain((SELECT acme FROM ctx)) WHERE issuer_tax_id = 'B87654323'), 'true 7', 'the chain of seven records verifies');
-- A simplified series of last year rolls into this year still simplified: the new year's
-- tickets are F2 too (the numbering opens the year's series with what the last one says of itself).
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year, simplified, format)
SELECT acme, acme_b2, 'VQ', 'invoice', 2025, true, 'Q{year}/{number:04}' FROM ctx;
INSERT INTO docs SELECT 'q1', test_auth.json_as(:admin, $$api.issue_invoice('VQ', '[{"description":"Café","quantity":1,"unit_price":1.5,"tax_rate":10}]', customer_name => 'Cliente', issue_date => '2026-03-07')$$);
SELECT is((SELECT fiscal_year || ' ' || simplified || ' ' || format FROM billing.invoice_series WHERE tenant_id = (SELECT acme FROM ctx) AND code = 'VQ' AND fiscal_year = 2026),
          '2026 true Q{year}/{number:04}', 'the first ticket of the year opens its series, simplified and with its format');
SELECT is((SELECT invoice_type || ' ' || invoice_number FROM pg_temp.rec('q1')), 'F2 Q2026/0001', 'and its registro is an F2');
-- No document of a Spanish profile is chained with another document's draft, or without one.
SET ROLE cimiento_numbering;
SELECT throws_ok(format($$SELECT billing.document_numbered(%L, %L, fiscal.record_draft(%L, %L))$$,
                        (SELECT acme FROM ctx), pg_temp.doc('q1'), (SELECT acme FROM ctx), pg_temp.doc('t2')),
                 'XX000', NULL, 'the numbering refuses a draft of another document');
SELECT throws_ok($$SELECT fiscal.append_record(NULL::fiscal.records)$$, 'XX000', NULL, 'a record without tenant or issuer is never chained');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
