-- Imports from each role's point of view (tenant acme): a registrar of NORTE imports
-- students; validation reports each bad row against its header and writes nothing;
-- promotion writes the valid rows once, with lineage; others see or touch only what the
-- rules let them.
BEGIN;
SELECT plan(78);

\set registrar '''user:acme:branch2@acme.test'''
\set admin '''user:acme:admin@acme.test'''
\set teacher '''user:acme:Staff@acme.test'''
\set other '''user:globex:admin@globex.test'''

CREATE TEMP TABLE got (k text PRIMARY KEY, v text);
GRANT ALL ON got TO PUBLIC;

-- ---- Targets and mapping ----------------------------------------------------------------
SELECT is(test_auth.json_as(:registrar, $$api.suggest_import_mapping('students', '{"Nº Documento",SEDE,nombre,Apellidos,"Correo electrónico",Móvil}')$$),
          '{"SEDE": "branch_id", "Móvil": "phone", "nombre": "first_name", "Apellidos": "last_name", "Nº Documento": "document_id", "Correo electrónico": "email"}'::jsonb,
          'the headers suggest the mapping, accents, case and punctuation ignored');
SELECT is(test_auth.value_as(:registrar, $$SELECT string_agg(name, ',' ORDER BY name) FROM api.import_targets$$), 'clients,products,students',
          'the registered targets are listed');

-- ---- Who may start a batch --------------------------------------------------------------
SELECT is(test_auth.value_as(:teacher, $$SELECT api.create_import('students', 't.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id'$$), 'ERR:42501',
          'a teacher (no imports.create) cannot import');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.create_import('products', 'p.csv', '{Código,Nombre,Precio}') ->> 'id'$$), 'ERR:42501',
          'imports.create is not enough: the target''s own permission (products.manage) is needed');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.create_import('students', 'x.csv', '{Sede,Nombre}') ->> 'id'$$), 'ERR:22023',
          'a file without a required column is refused before any row is staged');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.create_import('students', 'x.csv', '{Sede,DNI,Nombre,Apellidos}', '{"Sede": "salary"}') ->> 'id'$$), 'ERR:22023',
          'a mapping to a column the target lacks is refused');

-- ---- Staging and validation --------------------------------------------------------------
SELECT is(test_auth.value_as(:registrar, $$
  WITH b AS (SELECT (api.create_import('students', 'alumnos-norte.csv', '{Sede,DNI,Nombre,Apellidos,Correo}') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'batch', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'the registrar starts a batch');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'batch'), 2, $j$[
   ["norte", "tap-0001", "José", "Núñez", "jose@example.es"],
   ["NORTE", "no vale!", "Ana", "Pérez", ""],
   ["MARTE", "TAP-0003", "Luis", "Gómez", ""],
   ["CENTRO", "TAP-0004", "Eva", "Ruiz", ""],
   ["NORTE", "TAP-0001", "Otra", "Vez", ""],
   ["NORTE", "TAP-0006", "Sin", "Correo", "no-es-correo"],
   ["NORTE", "TAP-0007", "", "Sin nombre", ""],
   ["NORTE", "TAP-0008", "Íñigo", "Ibáñez", ""]]$j$)::text$$), '8', 'eight rows are staged');
SELECT is(test_auth.value_as(:registrar, $$SELECT rows_total || ' ' || status FROM api.imports WHERE id = (SELECT v::uuid FROM got WHERE k = 'batch')$$),
          '8 uploaded', 'the batch counts its rows as they are staged');
SELECT is(test_auth.value_as(:admin, $$SELECT api.validate_import((SELECT v::uuid FROM got WHERE k = 'batch')) ->> 'status'$$), 'ERR:42501',
          'another user (even an admin) does not work on the registrar''s batch');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.validate_import((SELECT v::uuid FROM got WHERE k = 'batch')) ->> 'status'$$), 'validating',
          'the registrar starts the validation');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'batch'), 20, '[["NORTE","TAP-0020","A","B",""]]')::text$$),
          'ERR:PT409', 'no row is staged once validation has started');
SELECT is(test_auth.value_as(:registrar, $$SELECT imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'batch'), 5) + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'batch'), 5)$$),
          '8', 'two chunks check the eight rows');
SELECT is(test_auth.value_as(:registrar, $$SELECT jsonb_object_agg(row_no, errors)::text FROM api.import_rows
                                            WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'batch') AND state = 'invalid'$$)::jsonb,
  '{"3": {"DNI": "no es un documento válido (de 3 a 32 letras, cifras o guiones) («no vale!»)"},
    "4": {"Sede": "no existe esa sede («MARTE»)"},
    "5": {"Sede": "no puede registrar alumnos en esta sede («CENTRO»)"},
    "6": {"DNI": "repetido en el archivo: ya aparece en la fila 2 (TAP-0001)"},
    "7": {"Correo": "no es un correo válido («no-es-correo»)"},
    "8": {"Nombre": "es obligatorio"}}'::jsonb,
  'each bad row has its error under the clerk''s header, in Spanish: bad document, unknown branch, branch not allowed, repeated, bad email, missing name');
SELECT is((SELECT count(*)::int FROM academy.students WHERE document_id LIKE 'TAP-%'), 0, 'validation wrote nothing to the target');
SELECT is(test_auth.value_as(:registrar, $$SELECT status || ' ' || rows_total || ' ' || rows_valid || ' ' || rows_invalid FROM api.imports
                                            WHERE id = (SELECT v::uuid FROM got WHERE k = 'batch')$$), 'validated 8 2 6', 'the batch is validated: 2 valid, 6 invalid');

-- ---- Who sees it ----------------------------------------------------------------------------
SELECT is(test_auth.value_as(:admin, $$SELECT count(*)::text FROM api.import_rows WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'batch')$$), '8',
          'the admin (imports.read) sees the batch''s rows');
SELECT is(test_auth.value_as(:teacher, $$SELECT count(*)::text FROM api.imports WHERE id = (SELECT v::uuid FROM got WHERE k = 'batch')$$), '0',
          'a teacher does not see it');
SELECT is(test_auth.value_as(:other, $$SELECT count(*)::text FROM imports.rows WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'batch')$$), '0',
          'another tenant sees none of its rows');
SELECT is(test_auth.value_as(:registrar, $$SELECT count(*)::text FROM imports.batch_identities$$), 'ERR:42501',
          'nobody reads the kept claims, not even their owner');

-- ---- Promotion ----------------------------------------------------------------------------
SELECT is(test_auth.value_as(:registrar, $$SELECT (api.promote_import((SELECT v::uuid FROM got WHERE k = 'batch')) ->> 'status')
                                              || ' ' || imports.promote_chunk((SELECT v::uuid FROM got WHERE k = 'batch'), 10)$$), 'promoting 2',
          'promotion writes the two valid rows');
SELECT is(test_auth.value_as(:registrar, $$SELECT (api.promote_import((SELECT v::uuid FROM got WHERE k = 'batch')) ->> 'status')
                                              || ' ' || imports.promote_chunk((SELECT v::uuid FROM got WHERE k = 'batch'), 10)$$), 'done 0',
          'promoting again changes nothing');
SELECT is((SELECT string_agg(s.document_id || ' ' || s.first_name || ' ' || s.last_name, ', ' ORDER BY s.document_id)
             FROM academy.students s JOIN imports.lineage l ON l.target_id = s.id AND l.tenant_id = s.tenant_id
            WHERE l.batch_id = (SELECT v::uuid FROM got WHERE k = 'batch')),
          'TAP-0001 José Núñez, TAP-0008 Íñigo Ibáñez', 'each student created is linked to its row, accents intact');
SELECT is(test_auth.run_as(:registrar, $$UPDATE imports.lineage SET action = 'updated'$$), '42501', 'lineage is never rewritten');
SELECT is(test_auth.run_as(:registrar, $$UPDATE imports.lineage_chunks SET actions = '{updated,updated}'$$), '42501', 'nor its chunks');

-- ---- Upsert by natural key ----------------------------------------------------------------
SELECT is(test_auth.value_as(:registrar, $$
  WITH b AS (SELECT (api.create_import('students', 'correcciones.csv', '{DNI,Nombre,Apellidos}', mode => 'upsert') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'upsert', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'a file of corrections needs only the natural key and what it changes');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'upsert'), 2, '[["tap-0008", "Íñigo", "Ibáñez Ruiz"]]')
  + (SELECT 0 FROM api.validate_import((SELECT v::uuid FROM got WHERE k = 'upsert')))$$), '1', 'its row is staged and validated');
SELECT is(test_auth.value_as(:registrar, $$SELECT imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'upsert'))
  || ' ' || (api.promote_import((SELECT v::uuid FROM got WHERE k = 'upsert')) ->> 'status')
  || ' ' || imports.promote_chunk((SELECT v::uuid FROM got WHERE k = 'upsert'))$$), '1 promoting 1', 'and promoted');
SELECT is((SELECT s.last_name || ' ' || l.action FROM academy.students s JOIN imports.lineage l ON l.target_id = s.id
            WHERE l.batch_id = (SELECT v::uuid FROM got WHERE k = 'upsert')), 'Ibáñez Ruiz updated',
          'upsert updated the student found by document, and says so in the lineage');
-- ---- A clean chunk in one statement; a row refused only at promotion --------------------
SELECT is(test_auth.value_as(:registrar, $$
  WITH b AS (SELECT (api.create_import('students', 'limpio.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'clean', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'a second batch');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'clean'), 2, $j$[
   ["NORTE", "tap-0101", "Ana", "Uno"], ["NORTE", "tap-0102", "Bea", "Dos"], ["NORTE", "tap-0103", "Carla", "Tres"],
   ["NORTE", "tap-0104", "Dani", "Cuatro"]]$j$)
  + (SELECT 0 FROM api.validate_import((SELECT v::uuid FROM got WHERE k = 'clean')))
  + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'clean'))$$), '8', 'its four rows are staged and checked in one chunk');
SELECT is(test_auth.value_as(:registrar, $$SELECT status || ' ' || rows_valid || ' ' || rows_invalid FROM api.imports
                                            WHERE id = (SELECT v::uuid FROM got WHERE k = 'clean')$$), 'validated 4 0', 'all valid, nothing written');
-- Between validation and promotion somebody registers one of the documents by hand.
SELECT is(test_auth.value_as(:admin, $$SELECT api.register_student((SELECT id FROM core.branches WHERE code = 'NORTE'), 'TAP-0103', 'Otra', 'Persona') ->> 'document_id'$$),
          'TAP-0103', 'meanwhile the admin registers TAP-0103');
SELECT is(test_auth.value_as(:registrar, $$SELECT (api.promote_import((SELECT v::uuid FROM got WHERE k = 'clean')) ->> 'status')
                                              || ' ' || imports.promote_chunk((SELECT v::uuid FROM got WHERE k = 'clean'))$$), 'promoting 4',
          'the promotion handles the chunk');
SELECT is(test_auth.value_as(:registrar, $$SELECT string_agg(r.row_no || ':' || coalesce(s.document_id, r.errors::text), ', ' ORDER BY r.row_no)
                                            FROM api.import_rows r LEFT JOIN api.students s ON s.id = r.target_id
                                           WHERE r.batch_id = (SELECT v::uuid FROM got WHERE k = 'clean')$$),
          '2:TAP-0101, 3:TAP-0102, 4:{"DNI": "ya hay un alumno registrado con este documento («tap-0103»)"}, 5:TAP-0104',
          'the row refused now keeps its error, each other row is linked to the student it created');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.register_students($j$[
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "tap-0201", "first_name": "A", "last_name": "B"},
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'CENTRO') || $$", "document_id": "tap-0202", "first_name": "C", "last_name": "D"}]$j$)::text$$),
          'ERR:42501', 'register_students is all or none: one student in a branch the registrar may not use refuses them all');
SELECT is(test_auth.value_as(:registrar, $$SELECT string_agg(x ->> 'document_id', ',' ORDER BY o) FROM jsonb_array_elements(api.register_students($j$[
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "tap 0302", "first_name": "E", "last_name": "F"},
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "tap.0301", "first_name": "G", "last_name": "H"}]$j$)) WITH ORDINALITY AS e(x, o)$$),
          'TAP0302,TAP0301', 'register_students registers many, normalised, and answers in the given order');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.register_students($j$[
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "tap-0401", "first_name": "A", "last_name": "B"},
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "TAP-0401", "first_name": "C", "last_name": "D"}]$j$)::text$$),
          'ERR:23505', 'a document given twice is refused like one already registered');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.register_students($j$[
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "TAP-0302", "first_name": "A", "last_name": "B"},
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "no!", "first_name": "C", "last_name": "D"}]$j$)::text$$),
          'ERR:22023', 'a bad document is named before a registered one given earlier (the checks in words come first, as the INSERT is refused)');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.register_students($j$[
    {"branch_id": "$$ || (SELECT b.id FROM core.branches b JOIN core.tenants t ON t.id = b.tenant_id WHERE t.slug = 'acme' AND b.code = 'NORTE') || $$", "document_id": "TAP-0601", "first_name": "A", "last_name": "B", "email": "sin-arroba"}]$j$)::text$$),
          'ERR:23514', 'an e-mail the table refuses is answered with the table''s own error (nothing to explain in words)');
SELECT is(test_auth.value_as(:registrar, $$
  WITH b AS (SELECT (api.create_import('students', 'repes.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'repeats', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'a third batch');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'repeats'), 2, $j$[
   ["NORTE", "tap-0501", "A", "B"], ["NORTE", "TAP-0502", "C", "D"], ["NORTE", " Tap-0501 ", "E", "F"]]$j$)
  + (SELECT 0 FROM api.validate_import((SELECT v::uuid FROM got WHERE k = 'repeats')))
  + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'repeats'), 1) + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'repeats'), 1)
  + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'repeats'), 1)$$), '6', 'three rows staged and checked a row at a time');
SELECT is(test_auth.value_as(:registrar, $$SELECT jsonb_object_agg(row_no, errors)::text FROM api.import_rows
                                            WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'repeats') AND state = 'invalid'$$)::jsonb,
          '{"4": {"DNI": "repetido en el archivo: ya aparece en la fila 2 ( Tap-0501 )"}}'::jsonb,
          'a key repeated in a later chunk (spaces and case ignored) is marked against the first row that has it');
SELECT is((SELECT string_agg(k || ':' || coalesce(b.keys_repeat::text, 'unknown'), ' ' ORDER BY k) FROM got JOIN imports.batches b ON b.id = got.v::uuid
            WHERE k IN ('clean', 'repeats')),
          'clean:false repeats:true', 'validation found once per batch whether its file repeats a key (0075)');
SELECT is(test_auth.run_as(:registrar, $$UPDATE imports.batches SET keys_repeat = NULL WHERE id = (SELECT v::uuid FROM got WHERE k = 'repeats')$$),
          'rows:1', 'the bookkeeping is the caller''s own batch''s, as checked_through is');
-- ---- A row whose code no longer resolves at promotion keeps that error (0059) -------------
INSERT INTO core.branches (tenant_id, code, name) SELECT id, 'TAPX', 'Sede temporal' FROM core.tenants WHERE slug = 'acme';
SELECT is(test_auth.value_as(:admin, $$
  WITH b AS (SELECT (api.create_import('students', 'sedes.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'moved', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'a fourth batch, the admin''s');
SELECT is(test_auth.value_as(:admin, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'moved'), 2, $j$[
   ["TAPX", "tap-0601", "A", "B"], ["NORTE", "tap-0602", "C", "D"]]$j$)
  + (SELECT 0 FROM api.validate_import((SELECT v::uuid FROM got WHERE k = 'moved')))
  + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'moved'))
  + (SELECT rows_invalid FROM api.imports WHERE id = (SELECT v::uuid FROM got WHERE k = 'moved'))$$), '4', 'both rows are valid');
UPDATE core.branches SET code = 'TAPY' WHERE code = 'TAPX';
SELECT is(test_auth.value_as(:admin, $$SELECT (api.promote_import((SELECT v::uuid FROM got WHERE k = 'moved')) ->> 'status')
                                         || ' ' || imports.promote_chunk((SELECT v::uuid FROM got WHERE k = 'moved'))$$), 'promoting 2',
          'the promotion handles both rows');
SELECT is(test_auth.value_as(:admin, $$SELECT string_agg(r.row_no || ':' || coalesce(s.document_id, r.errors::text), ', ' ORDER BY r.row_no)
                                        FROM api.import_rows r LEFT JOIN api.students s ON s.id = r.target_id
                                       WHERE r.batch_id = (SELECT v::uuid FROM got WHERE k = 'moved')$$),
          '2:{"Sede": "no existe esa sede («TAPX»)"}, 3:TAP-0602',
          'the branch renamed since validation: that row keeps its error, the other is created');
-- ---- Lineage without a key to the staged row (0067) ------------------------------------
-- ---- Lineage by chunk (0068) ---------------------------------------------------------------
SELECT is((SELECT count(*) || ' ' || sum(cardinality(row_nos)) || ' ' || min(first_row_no) FROM imports.lineage_chunks
            WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'batch')), '1 2 2',
          'a promoted chunk is one lineage row holding its rows');
SELECT is((SELECT count(*)::int FROM audit.log WHERE table_name = 'imports.lineage_chunks'
            AND new_row ->> 'batch_id' = (SELECT v FROM got WHERE k = 'batch')), 1, 'and one audit row');
SELECT is((SELECT string_agg(g.k || ':' || c.actions[array_position(c.target_ids, s.id)], ', ' ORDER BY g.k)
             FROM academy.students s JOIN core.tenants t ON t.id = s.tenant_id
             JOIN imports.lineage_chunks c ON c.tenant_id = s.tenant_id AND c.target_ids @> ARRAY[s.id]
             JOIN got g ON g.v = c.batch_id::text
            WHERE t.slug = 'acme' AND s.document_id = 'TAP-0008'),
          'batch:created, upsert:updated', 'the batches that wrote a student are found by the student''s id, with what each did');
SELECT is(test_auth.run_as(:registrar, $$INSERT INTO imports.lineage_chunks (batch_id, first_row_no, row_nos, target_ids, actions)
                                          SELECT v::uuid, 3, '{3}', ARRAY[gen_random_uuid()], '{created}' FROM got WHERE k = 'batch'$$), '42501',
          'no lineage for a batch that is not promoting, even the creator''s');
SELECT is(test_auth.run_as(:registrar, $$INSERT INTO imports.lineage_rows (batch_id, row_no, target_id, action)
                                          SELECT v::uuid, 3, gen_random_uuid(), 'created' FROM got WHERE k = 'batch'$$), '42501',
          'the per-row table of earlier promotions takes no new rows');
SELECT is(test_auth.run_as(:registrar, $$INSERT INTO imports.lineage (batch_id, row_no, target_id, action)
                                          SELECT v::uuid, 3, gen_random_uuid(), 'created' FROM got WHERE k = 'batch'$$), '42501',
          'nor the view that reads both');
SELECT throws_ok($$INSERT INTO imports.lineage_chunks (tenant_id, batch_id, first_row_no, row_nos, target_ids, actions)
                   SELECT tenant_id, id, 5, '{4,5}', ARRAY[gen_random_uuid(), gen_random_uuid()], '{created,created}' FROM imports.batches
                    WHERE id = (SELECT v::uuid FROM got WHERE k = 'batch')$$, '23514', NULL,
                 'a chunk starts at its first row (and its arrays run in parallel)');
SELECT throws_ok($$DELETE FROM imports.batches WHERE id = (SELECT v::uuid FROM got WHERE k = 'batch')$$, '23503', NULL,
                 'a batch that wrote rows cannot be deleted, even by the owner: its lineage refers to it');
SELECT lives_ok($$DELETE FROM imports.rows WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'batch')$$,
                'its staged rows (the file''s working copy) can be purged');
SELECT is((SELECT count(*)::int FROM imports.lineage WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'batch')), 2,
          'and its lineage stays');
SELECT is(test_auth.value_as(:admin, $$WITH b AS (SELECT (api.create_import('students', 'vacio.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'empty', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'a batch that wrote nothing');
SELECT lives_ok($$DELETE FROM imports.batches WHERE id = (SELECT v::uuid FROM got WHERE k = 'empty')$$,
                'can still be deleted (with its staged rows)');
-- ---- Promotion in chunks written side by side ---------------------------------------------
SELECT is(test_auth.value_as(:registrar, $$
  WITH b AS (SELECT (api.create_import('students', 'paralelo.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'par', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'a batch to promote in chunks');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'par'), 2, $j$[
   ["NORTE", "tap-0701", "A", "Uno"], ["NORTE", "tap-0702", "B", "Dos"], ["NORTE", "no vale!", "C", "Tres"],
   ["NORTE", "tap-0704", "D", "Cuatro"], ["NORTE", "tap-0705", "E", "Cinco"], ["NORTE", "tap-0706", "F", "Seis"],
   ["NORTE", "tap-0707", "G", "Siete"]]$j$)
  + (SELECT 0 FROM api.validate_import((SELECT v::uuid FROM got WHERE k = 'par')))
  + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'par'))
  + (SELECT 0 FROM api.promote_import((SELECT v::uuid FROM got WHERE k = 'par')))$$), '14', 'seven rows (2 to 8), one invalid, validated and promoting');
SELECT is(test_auth.value_as(:registrar, $$SELECT imports.begin_promotion((SELECT v::uuid FROM got WHERE k = 'par'), 3)
  || ' ' || imports.begin_promotion((SELECT v::uuid FROM got WHERE k = 'par'), 100)$$), '3 3',
          'rows 2 to 8 in chunks of 3 row numbers are 3 chunks, and stay 3 whatever a later call asks');
SELECT is(test_auth.value_as(:registrar, $$SELECT imports.promote_range((SELECT v::uuid FROM got WHERE k = 'par'), 2)
  || ' ' || imports.promote_range((SELECT v::uuid FROM got WHERE k = 'par'), 2)
  || ' ' || imports.promote_range((SELECT v::uuid FROM got WHERE k = 'par'), 3)$$), '2 0 0',
          'the last chunk first (rows 7 and 8); written once; a chunk past the end is nothing');
SELECT is(test_auth.value_as(:registrar, $$SELECT status || ' ' || rows_created FROM api.imports WHERE id = (SELECT v::uuid FROM got WHERE k = 'par')$$),
          'promoting 2', 'the batch promotes on with two rows created');
SELECT is(test_auth.value_as(:admin, $$SELECT imports.promote_range((SELECT v::uuid FROM got WHERE k = 'par'), 0)$$), 'ERR:42501',
          'another user (even an admin) writes no chunk of it');
SELECT is(test_auth.value_as(:other, $$SELECT count(*)::text FROM imports.promoted_chunks WHERE batch_id = (SELECT v::uuid FROM got WHERE k = 'par')$$), '0',
          'another tenant sees none of its chunks');
SELECT is(test_auth.value_as(:registrar, $$SELECT imports.promote_range((SELECT v::uuid FROM got WHERE k = 'par'), 1)
  || ' ' || imports.promote_range((SELECT v::uuid FROM got WHERE k = 'par'), 0)$$), '2 2',
          'the middle chunk (rows 4 to 6, of which validation refused 4), then the first');
SELECT is(test_auth.value_as(:registrar, $$SELECT status || ' ' || rows_created || ' ' || rows_invalid || ' ' || rows_done FROM api.imports
                                            WHERE id = (SELECT v::uuid FROM got WHERE k = 'par')$$),
          'done 6 1 6', 'the last chunk to commit ends the batch: six created, one invalid');
SELECT is((SELECT string_agg(s.document_id || '@' || l.row_no, ' ' ORDER BY l.row_no)
             FROM imports.lineage l JOIN academy.students s ON s.tenant_id = l.tenant_id AND s.id = l.target_id
            WHERE l.batch_id = (SELECT v::uuid FROM got WHERE k = 'par')),
          'TAP-0701@2 TAP-0702@3 TAP-0704@5 TAP-0705@6 TAP-0706@7 TAP-0707@8', 'every row once, with its lineage, whatever the order');
SELECT is(test_auth.value_as(:registrar, $$SELECT string_agg(r.row_no || ':' || coalesce(s.document_id, r.state), ' ' ORDER BY r.row_no)
                                            FROM api.import_rows r LEFT JOIN api.students s ON s.id = r.target_id
                                           WHERE r.batch_id = (SELECT v::uuid FROM got WHERE k = 'par')$$),
          '2:TAP-0701 3:TAP-0702 4:invalid 5:TAP-0704 6:TAP-0705 7:TAP-0706 8:TAP-0707', 'each staged row finds its lineage');
SELECT is(test_auth.value_as(:registrar, $$SELECT imports.promote_chunk((SELECT v::uuid FROM got WHERE k = 'par'), 3)
  || ' ' || imports.begin_promotion((SELECT v::uuid FROM got WHERE k = 'par'), 3)$$), '0 0', 'a done batch has nothing left to promote');
-- A claim inserted by hand (the creator, while promoting) cannot keep a batch promoting
-- forever: once every chunk is claimed the batch is done.
SELECT is(test_auth.value_as(:registrar, $$
  WITH b AS (SELECT (api.create_import('students', 'a-mano.csv', '{Sede,DNI,Nombre,Apellidos}') ->> 'id')::uuid AS id)
  INSERT INTO got SELECT 'hand', id::text FROM b RETURNING v IS NOT NULL$$), 'true', 'one more batch');
SELECT is(test_auth.value_as(:registrar, $$SELECT api.stage_import_rows((SELECT v::uuid FROM got WHERE k = 'hand'), 2, '[["NORTE", "tap-0801", "H", "Ocho"]]')
  + (SELECT 0 FROM api.validate_import((SELECT v::uuid FROM got WHERE k = 'hand')))
  + imports.validate_chunk((SELECT v::uuid FROM got WHERE k = 'hand'))
  + (SELECT 0 FROM api.promote_import((SELECT v::uuid FROM got WHERE k = 'hand')))
  + imports.begin_promotion((SELECT v::uuid FROM got WHERE k = 'hand'), 10)$$), '3', 'staged, validated, cut into one chunk');
SELECT is(test_auth.value_as(:registrar, $$WITH c AS (INSERT INTO imports.promoted_chunks (batch_id, chunk) SELECT v::uuid, 0 FROM got WHERE k = 'hand' RETURNING chunk)
  SELECT count(*)::text FROM c$$), '1', 'its creator claims its only chunk by hand');
SELECT is(test_auth.value_as(:registrar, $$SELECT imports.promote_chunk((SELECT v::uuid FROM got WHERE k = 'hand'), 10)::text$$), '0',
          'the promotion writes nothing');
SELECT is(test_auth.value_as(:registrar, $$SELECT status || ' ' || rows_created FROM api.imports WHERE id = (SELECT v::uuid FROM got WHERE k = 'hand')$$),
          'done 0', 'and the batch is done');
SELECT finish();
ROLLBACK;
