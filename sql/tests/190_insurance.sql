-- Insurance from each role's point of view, in the seed's agency (tenant agencia): sellers,
-- collectors, the manager with and without a second factor, the nightly job, events and
-- allowed networks.
BEGIN;
SELECT plan(56);

\set seller '''user:agencia:vendedor1@agencia.cimiento.dev'''
\set seller2 '''user:agencia:vendedor2@agencia.cimiento.dev'''
\set collector '''user:agencia:cobrador1@agencia.cimiento.dev'''
\set collector2 '''user:agencia:cobrador2@agencia.cimiento.dev'''
\set clerk '''user:agencia:auxiliar@agencia.cimiento.dev'''
\set manager_pwd '''user:agencia:gerente@agencia.cimiento.dev'''

-- The manager signed in with TOTP: the same claims with otp among the methods.
CREATE FUNCTION pg_temp.with_otp(p_email text) RETURNS text LANGUAGE sql AS $$
  SELECT 'claims:' || (test_auth.claims_for('agencia', p_email) || '{"amr": ["pwd", "otp"]}')::text
$$;
CREATE TEMP TABLE ctx AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'agencia') AS agency,
  (SELECT id FROM core.branches WHERE code = 'MATRIZ' AND tenant_id = (SELECT id FROM core.tenants WHERE slug = 'agencia')) AS matriz,
  (SELECT id FROM core.users WHERE email_key = 'vendedor1@agencia.cimiento.dev') AS seller,
  (SELECT id FROM core.users WHERE email_key = 'cobrador1@agencia.cimiento.dev') AS collector,
  (SELECT id FROM insurance.coverages WHERE code = 'AMPLIA' AND tenant_id = (SELECT id FROM core.tenants WHERE slug = 'agencia')) AS amplia,
  pg_temp.with_otp('gerente@agencia.cimiento.dev') AS manager;
GRANT SELECT ON ctx TO PUBLIC;
CREATE TEMP TABLE got (k text PRIMARY KEY, v jsonb);
GRANT ALL ON got TO PUBLIC;

-- ---- Clients --------------------------------------------------------------------------
SELECT is(core.mexican_tax_id_kind('GODE561231GR8'), 'persona_fisica', 'the SAT''s example RFC is valid');
SELECT is(core.mexican_tax_id_kind('GODE561231GR7'), NULL, 'a wrong check character is not');
SELECT is(core.mexican_tax_id_kind('GODE561331GR8'), NULL, 'nor a date that does not exist');
SELECT is(test_auth.run_as(:seller, $$INSERT INTO api.clients (name, rfc, phone) VALUES ('Ramón Ibáñez Peña', 'vecj-880326-xx1', '+52 55 7000 0001')$$),
          'rows:1', 'a seller registers a client (RFC normalized)');
SELECT is((SELECT rfc FROM insurance.clients WHERE name = 'Ramón Ibáñez Peña'), 'VECJ880326XX1', 'stored normalized');
SELECT is(test_auth.error_as(:seller, $$INSERT INTO api.clients (name, rfc) VALUES ('Mal RFC', 'VECJ880326XX2')$$),
          '22023: tax_id is not a valid Mexican identifier', 'an RFC with a wrong check character is refused (400)');
SELECT is(test_auth.run_as(:seller, $$UPDATE api.clients SET phone = '+52 55 7000 0002' WHERE name = 'Ramón Ibáñez Peña'$$),
          'rows:0', 'a seller does not edit clients');
SELECT is(test_auth.run_as((SELECT manager FROM ctx), $$UPDATE api.clients SET phone = '+52 55 7000 0002' WHERE name = 'Ramón Ibáñez Peña'$$),
          'rows:1', 'the manager (with TOTP) does');
SELECT is(test_auth.value_as(:collector, $$SELECT bool_or(name = 'Ramón Ibáñez Peña') FROM api.search_clients('ramon ibanes pena')$$),
          'true', 'search ignores accents and case and tolerates a typo; everyone may search');
SELECT is(test_auth.value_as(:collector, $$SELECT count(*) <= 20 AND count(*) > 0 FROM api.search_clients('Hernandez')$$),
          'true', 'at most the best 20');
SELECT is(test_auth.value_as(:collector, $$SELECT count(*) FROM api.search_clients('x')$$), 'ERR:22023', 'one character is not a search');
-- A pending list would be read in full by every search until vacuumed (953 ms a search with
-- 1 103 entries pending, 10 ms without: 0062), so new clients go straight into the index.
SELECT is((SELECT c.reloptions FROM pg_class c WHERE c.oid = 'insurance.clients_search_idx'::regclass), '{fastupdate=off}'::text[],
          'the clients'' search index keeps no pending list');
-- The search ranks only the rows above the highest threshold that still yields 20 (#15):
-- the answer must be the full ranking's (every row >= 0.6, best score, then name, then id).
INSERT INTO insurance.clients (tenant_id, name, phone)
SELECT (SELECT agency FROM ctx), v.first || ' ' || v.last, '+52 81 ' || lpad(n::text, 8, '0')
  FROM generate_series(1, 30) n,
       LATERAL (SELECT (ARRAY['Zoila', 'Zenón', 'Zaira'])[1 + n % 3] AS first,
                       CASE WHEN n <= 24 THEN 'Quintanilla' WHEN n <= 27 THEN 'Quintanilla Ríos' ELSE 'Quintanila' END AS last) v;
CREATE FUNCTION pg_temp.full_ranking(p_q text) RETURNS text LANGUAGE sql AS $$
  SELECT test_auth.value_as('user:agencia:cobrador1@agencia.cimiento.dev', format($q$
    SELECT string_agg(name || ' ' || score, ', ' ORDER BY score DESC, name, id) FROM (
      SELECT c.id, c.name, public.word_similarity(k, c.search_text) AS score
        FROM insurance.clients c, insurance.search_key(%L) k
       WHERE public.word_similarity(k, c.search_text) >= 0.6 ORDER BY 3 DESC, 2, 1 LIMIT 20) s$q$, p_q))
$$;
SET LOCAL pg_trgm.word_similarity_threshold = 0.3;  -- a caller's own threshold does not change the answer
SELECT is(test_auth.value_as(:collector, $$SELECT string_agg(name || ' ' || score, ', ' ORDER BY o) FROM api.search_clients('quintanilla') WITH ORDINALITY s(id, name, rfc, phone, seller_id, score, o)$$),
          pg_temp.full_ranking('quintanilla'), 'a surname 27 clients bear exactly: their first 20 by name, as the full ranking');
SELECT is(test_auth.value_as(:collector, $$SELECT string_agg(name || ' ' || score, ', ' ORDER BY o) FROM api.search_clients('Zoila Quintanila') WITH ORDINALITY s(id, name, rfc, phone, seller_id, score, o)$$),
          pg_temp.full_ranking('Zoila Quintanila'), 'a misspelt name: the exact few first, then the near ones, as the full ranking');
SELECT is(test_auth.value_as(:collector, $$SELECT string_agg(name || ' ' || score, ', ' ORDER BY o) FROM api.search_clients('zenon quintanilla rios') WITH ORDINALITY s(id, name, rfc, phone, seller_id, score, o)$$),
          pg_temp.full_ranking('zenon quintanilla rios'), 'fewer than 20 above every threshold but the last: as the full ranking');
SELECT is(current_setting('pg_trgm.word_similarity_threshold'), '0.3', 'the caller''s threshold is left as it was');

-- ---- Policies -------------------------------------------------------------------------
INSERT INTO got SELECT 'policy', test_auth.json_as(:seller,
  format($$api.create_policy((SELECT id FROM insurance.clients WHERE name = 'Ramón Ibáñez Peña'), %L, 'monthly_7', 'Mazda', 'Mazda 3',
                              2021, 'JM1BPACL5M1300001', 'XYZ-123-B', starts_on => current_date - 70)$$, (SELECT amplia FROM ctx)));
SELECT is((SELECT v ->> 'status' FROM got WHERE k = 'policy'), 'active', 'a seller quotes and issues a monthly_7 policy');
SELECT matches((SELECT v ->> 'number_display' FROM got WHERE k = 'policy'), '^POL-[0-9]{6}$', 'numbered in its series');
SELECT is((SELECT jsonb_array_length(v -> 'instalments') FROM got WHERE k = 'policy'), 7, 'with seven instalments');
SELECT is((SELECT sum((i ->> 'amount')::numeric) FROM got, jsonb_array_elements(v -> 'instalments') i WHERE k = 'policy'),
          (SELECT (v ->> 'prima_total')::numeric FROM got WHERE k = 'policy'), 'that sum exactly to prima_total');
SELECT is((SELECT (v ->> 'prima_total')::numeric FROM got WHERE k = 'policy'),
          (SELECT price FROM insurance.coverage_prices WHERE coverage_id = (SELECT amplia FROM ctx) AND payment_plan = 'monthly_7'),
          'priced from the catalog');
SELECT is(test_auth.value_as(:seller, $$SELECT bool_and(seller_id = cimiento.current_user_id()) FROM api.policies$$),
          'true', 'a seller sees only their own policies');
SELECT is(test_auth.value_as(:seller2, format('SELECT count(*) FROM api.policies WHERE id = %L', (SELECT v ->> 'id' FROM got WHERE k = 'policy'))),
          '0', 'another seller does not see it');
SELECT is(test_auth.value_as(:seller2, format('SELECT count(*) FROM api.instalments WHERE policy_id = %L', (SELECT v ->> 'id' FROM got WHERE k = 'policy'))),
          '0', 'nor its instalments');
SELECT is(test_auth.error_as(:seller, format($$SELECT api.transition('policies', %L, 'quote')$$, (SELECT v ->> 'id' FROM got WHERE k = 'policy'))),
          'PT409: policies cannot go from active to quote', 'a transition outside the workflow is refused (409)');

-- ---- Payments -------------------------------------------------------------------------
SELECT is(test_auth.run_as(:clerk, format($$SELECT api.record_payment(%L, 1, 100, 'cash', paid_on => current_date - 280)$$,
                                           (SELECT v ->> 'id' FROM got WHERE k = 'policy'))),
          '22023', 'no payment dated more than 8 months back');
SELECT is(test_auth.run_as(:clerk, format($$SELECT api.record_payment(%L, 1, 100000, 'cash')$$, (SELECT v ->> 'id' FROM got WHERE k = 'policy'))),
          'PT409', 'nor more than the instalment owes');
SELECT is(test_auth.run_as(:clerk, format($$SELECT api.record_payment(%L, 1, 100, 'bitcoin')$$, (SELECT v ->> 'id' FROM got WHERE k = 'policy'))),
          '22023', 'nor by an unknown method');
INSERT INTO got SELECT 'payment', test_auth.json_as(:clerk, format($$api.record_payment(%L, 1,
  (SELECT amount FROM insurance.instalments WHERE policy_id = %L AND no = 1), 'deposit')$$,
  (SELECT v ->> 'id' FROM got WHERE k = 'policy'), (SELECT v ->> 'id' FROM got WHERE k = 'policy')));
SELECT is((SELECT status FROM insurance.instalments WHERE policy_id = (SELECT (v ->> 'id')::uuid FROM got WHERE k = 'policy') AND no = 1),
          'paid', 'the clerk pays instalment 1 in full');
SELECT is((SELECT status FROM insurance.policies WHERE id = (SELECT (v ->> 'id')::uuid FROM got WHERE k = 'policy')),
          'overdue', 'instalments 2 and 3 are past due: the policy is overdue');
SELECT is(test_auth.run_as((SELECT manager FROM ctx), format('DELETE FROM insurance.payments WHERE id = %L', (SELECT v ->> 'id' FROM got WHERE k = 'payment'))),
          '42501', 'a payment is never deleted');
SELECT is(test_auth.run_as(:clerk, format($$SELECT api.revert_payment(%L, 'Depósito rechazado')$$, (SELECT v ->> 'id' FROM got WHERE k = 'payment'))),
          '42501', 'a clerk may not reverse it');
SELECT is(test_auth.value_as((SELECT manager FROM ctx), format($$SELECT (api.revert_payment(%L, 'Depósito rechazado')) ->> 'amount'$$,
                                                               (SELECT v ->> 'id' FROM got WHERE k = 'payment'))),
          (SELECT '-' || (v ->> 'amount') FROM got WHERE k = 'payment'), 'the manager reverses it with a negative entry');
SELECT is((SELECT paid FROM insurance.instalments WHERE policy_id = (SELECT (v ->> 'id')::uuid FROM got WHERE k = 'policy') AND no = 1),
          0.00, 'the instalment owes it again, in the same transaction');
SELECT is(test_auth.run_as((SELECT manager FROM ctx), format($$SELECT api.revert_payment(%L, 'otra vez')$$, (SELECT v ->> 'id' FROM got WHERE k = 'payment'))),
          'PT409', 'a payment is reversed once');

-- ---- Collections ----------------------------------------------------------------------
INSERT INTO got SELECT 'proposal', test_auth.json_as(:collector, format($$api.file_proposal(%L, 2, 500, 'cash',
  (SELECT r.number FROM api.collection_receipts r WHERE r.collector_id = cimiento.current_user_id() AND r.status = 'assigned'
      AND NOT EXISTS (SELECT 1 FROM api.collection_proposals x WHERE x.receipt_id = r.id) ORDER BY r.number LIMIT 1),
  latitude => 19.4326, longitude => -99.1332, photo_ref => 'fotos/x.jpg')$$, (SELECT v ->> 'id' FROM got WHERE k = 'policy')));
SELECT is((SELECT v ->> 'status' FROM got WHERE k = 'proposal'), 'pending', 'a collector files a collection from the field');
SELECT is(test_auth.value_as(:collector2, format('SELECT count(*) FROM api.collection_proposals WHERE id = %L', (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          '0', 'another collector does not see it');
SELECT is(test_auth.run_as(:collector, format('SELECT api.approve_proposal(%L)', (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          '42501', 'a collector cannot approve');
SELECT is(test_auth.run_as(:manager_pwd, format('SELECT api.approve_proposal(%L)', (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          '42501', 'nor can the manager without a second factor (403, from the amr claim)');
SELECT is(test_auth.hint_as(:manager_pwd, format('SELECT api.approve_proposal(%L)', (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          'your role requires a second factor: sign in again with your TOTP code', 'and is told why');
SELECT is(test_auth.value_as((SELECT manager FROM ctx), format($$SELECT api.approve_proposal(%L) ->> 'status'$$, (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          'approved', 'the manager with TOTP approves');
SELECT is((SELECT count(*)::int FROM insurance.payments WHERE proposal_id = (SELECT (v ->> 'id')::uuid FROM got WHERE k = 'proposal')),
          1, 'the payment is applied');
SELECT is((SELECT status FROM insurance.receipts WHERE id = (SELECT (v ->> 'receipt_id')::uuid FROM got WHERE k = 'proposal')),
          'used', 'and the receipt used, in the same transaction');
SELECT is(test_auth.run_as((SELECT manager FROM ctx), format('SELECT api.approve_proposal(%L)', (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          'PT409', 'approving again is a conflict, not a second payment');
SELECT is(test_auth.value_as(:collector2, format('SELECT count(*) FROM core.events WHERE row_id = %L', (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          '0', 'another collector gets none of its events');
SELECT is(test_auth.value_as((SELECT manager FROM ctx), format('SELECT string_agg(kind, '','' ORDER BY seq) FROM core.events WHERE row_id = %L',
                                                               (SELECT v ->> 'id' FROM got WHERE k = 'proposal'))),
          'proposal.created,proposal.approved', 'the manager gets them');

-- ---- Receipts -------------------------------------------------------------------------
UPDATE core.tenants SET settings = settings || jsonb_build_object('receipts_per_collector',
  (SELECT count(*) FROM insurance.receipts WHERE collector_id = (SELECT collector FROM ctx) AND status = 'assigned')) WHERE slug = 'agencia';
SELECT is(test_auth.run_as((SELECT manager FROM ctx), format($$SELECT api.assign_receipts(%L, ARRAY['M000200'])$$, (SELECT collector FROM ctx))),
          'PT409', 'a collector holds at most receipts_per_collector receipts');

SELECT is(test_auth.run_as((SELECT manager FROM ctx), $$SELECT api.transition('receipts',
            (SELECT id::text FROM insurance.receipts WHERE number = 'M000039'), 'lost')$$),
          '22023', 'a receipt is lost only with a reason');
SELECT is(test_auth.value_as((SELECT manager FROM ctx), $$SELECT api.transition('receipts',
            (SELECT id::text FROM insurance.receipts WHERE number = 'M000039'), 'lost', 'Se mojó en la lluvia') ->> 'reason'$$),
          'Se mojó en la lluvia', 'and keeps it');

-- ---- Renewal --------------------------------------------------------------------------
SELECT is(test_auth.value_as((SELECT manager FROM ctx), format($$SELECT api.transition('policies', %L, 'expired') ->> 'status'$$,
                                                               (SELECT v ->> 'id' FROM got WHERE k = 'policy'))),
          'expired', 'the manager expires the policy (the job does it at its end date)');
INSERT INTO got SELECT 'renewal', test_auth.json_as((SELECT manager FROM ctx), format('api.renew_policy(%L)', (SELECT v ->> 'id' FROM got WHERE k = 'policy')));
SELECT is(ARRAY[(SELECT v ->> 'status' FROM got WHERE k = 'renewal'), (SELECT v ->> 'renewed_from' FROM got WHERE k = 'renewal'),
                (SELECT status FROM insurance.policies WHERE id = (SELECT (v ->> 'id')::uuid FROM got WHERE k = 'policy'))],
          ARRAY['active', (SELECT v ->> 'id' FROM got WHERE k = 'policy'), 'renewed'],
          'renewing issues a new policy from it and marks it renewed');

-- ---- The nightly job ------------------------------------------------------------------
SELECT matches(test_auth.value_as('login:cimiento_owner', format($$SELECT coalesce(r.error, r.rows_touched::text) FROM cimiento.run_job('insurance_status') r
                                                                  WHERE r.tenant_id = %L$$, (SELECT agency FROM ctx))),
               '^[0-9]+$', 'the nightly job runs for the agency as the agency');
SELECT is((SELECT status FROM insurance.instalments WHERE policy_id = (SELECT (v ->> 'id')::uuid FROM got WHERE k = 'policy') AND no = 3),
          'overdue', 'an unpaid instalment past its due date is overdue');
SELECT is(test_auth.value_as('login:cimiento_owner', format($$SELECT coalesce(r.error, r.rows_touched::text) FROM cimiento.run_job('insurance_status') r
                                                              WHERE r.tenant_id = %L$$, (SELECT agency FROM ctx))),
          '0', 'a second run changes nothing (idempotent)');

-- ---- Allowed networks -----------------------------------------------------------------
SELECT throws_ok($$UPDATE core.tenants SET settings = settings || '{"allowed_networks": ["10.0.0.0/33"]}' WHERE slug = 'agencia'$$,
                 '23514', NULL, 'a malformed network is refused');
UPDATE core.tenants SET settings = settings || '{"allowed_networks": ["10.0.0.0/8"]}' WHERE slug = 'agencia';
SELECT is(ARRAY[core.network_allowed((SELECT agency FROM ctx), '{gerente}', '10.1.2.3'),
                core.network_allowed((SELECT agency FROM ctx), '{gerente}', '192.0.2.1'),
                core.network_allowed((SELECT agency FROM ctx), '{gerente}', NULL),
                core.network_allowed((SELECT agency FROM ctx), '{admin}', '192.0.2.1')],
          ARRAY[true, false, false, true], 'inside passes, outside or unknown does not; admins are exempt');

SELECT * FROM finish();
ROLLBACK;
