-- Numbering for any table (cimiento.enable_numbering) from each role's point of view, on a
-- second document table as a business migration would register it: cash-register tickets
-- numbered per tenant and branch, with a series opened on first use. Gapless across
-- rollbacks (after the number was taken); per tenant and per branch; the numbers written
-- only by the numbering. (Concurrency: e2e numbering::second_table_concurrent_is_gapless.)
BEGIN;
SELECT plan(41);

CREATE TEMP TABLE ids AS SELECT
  (SELECT id FROM core.tenants WHERE slug = 'acme') AS acme,
  (SELECT id FROM core.branches b WHERE b.code = 'CENTRO' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b1,
  (SELECT id FROM core.branches b WHERE b.code = 'NORTE' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'acme')) AS b2,
  (SELECT id FROM core.branches b WHERE b.code = 'CENTRO' AND b.tenant_id = (SELECT id FROM core.tenants WHERE slug = 'globex')) AS g1;
GRANT SELECT ON ids TO PUBLIC;

CREATE SCHEMA probe;
GRANT USAGE ON SCHEMA probe TO app_user, cimiento_owner;
CREATE TABLE probe.ticket_series (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id   uuid NOT NULL,
  code        text NOT NULL,
  format      text NOT NULL,
  next_number bigint NOT NULL DEFAULT 1,
  active      boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, branch_id)
);
CREATE TABLE probe.tickets (
  tenant_id      uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  branch_id      uuid NOT NULL,
  total          numeric NOT NULL DEFAULT 0,
  series_id      uuid,
  number         bigint,
  number_display text,
  numbered_at    timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, series_id, number)
);
GRANT SELECT ON probe.ticket_series TO app_user;
GRANT SELECT, INSERT (branch_id, total) ON probe.tickets TO app_user;
SELECT cimiento.enable_tenant_isolation('probe.ticket_series', true);
SELECT cimiento.enable_tenant_isolation('probe.tickets', true);

-- A ticket as the caller: inserted, numbered now (as at commit), optionally rolled back
-- after its number was taken.
CREATE FUNCTION probe.ring(p_branch uuid, p_fail boolean DEFAULT false) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
  v_display text;
BEGIN
  INSERT INTO probe.tickets (branch_id, total) VALUES (p_branch, 10) RETURNING id INTO v_id;
  SET CONSTRAINTS ALL IMMEDIATE;
  SELECT number_display INTO v_display FROM probe.tickets WHERE id = v_id;
  IF p_fail THEN
    RAISE EXCEPTION 'rolled back after taking %', v_display;
  END IF;
  RETURN v_display;
END $$;
GRANT EXECUTE ON FUNCTION probe.ring(uuid, boolean) TO app_user;

-- Registration: only the owner of both tables, and only a table shaped for it.
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series')$$),
          '^42501', 'API callers cannot register numbering');
SELECT matches(test_auth.error_as('login:cimiento_owner',
            $$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series', series_key => '{"branch_id": "branch_id"}', period => 'none')$$),
          '^42501: permission denied: only the owner', 'nor can a login that does not own the tables');
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series', series_key => '{"register": "code"}', period => 'none')$$),
          '42703: probe.tickets has no column register', 'the series key must name document columns');
SELECT matches(test_auth.error_as('login:postgres',
            $$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series', series_key => '{"branch_id": "branch_id"}')$$),
          '^42703: series table probe.ticket_series has no column fiscal_year', 'a yearly period needs fiscal_year on the series');
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series', series_key => '{"total": "code"}', period => 'none')$$),
          '42P17: series table probe.ticket_series needs a unique key on (tenant_id, code)', 'the series must be unique per key');
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series', series_key => '{"branch_id": "branch_id"}', period => 'none',
                default_series => '{"code": "T", "format": "{code}"}')$$),
          '22023: invalid number format "{code}": it must contain {number} or {number:0N}', 'a default format must show the number');
SELECT lives_ok($$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series',
                    series_key => '{"branch_id": "branch_id"}', period => 'none', numbered_at_column => 'numbered_at',
                    default_series => '{"code": "T", "format": "{code}-{number:05}"}')$$,
                'the owner registers tickets: one series per branch, no period, opened on first use');
SELECT is((SELECT series_table::text || ' ' || series_key::text || ' ' || period FROM cimiento.numbered_tables WHERE table_oid = 'probe.tickets'::regclass),
          'probe.ticket_series {"branch_id": "branch_id"} none', 'the registration is in the catalog');
SELECT ok(EXISTS (SELECT 1 FROM cimiento.protected_triggers WHERE table_oid = 'probe.tickets'::regclass AND trigger_name = 'tickets_number_at_commit'),
          'its trigger is protected');

-- Numbers, from each role's point of view.
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT probe.ring((SELECT b1 FROM ids))$$), 'T-00001',
          'the first ticket of a branch opens its series at 1');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT probe.ring((SELECT b1 FROM ids))$$), 'T-00002', 'the next is 2');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT probe.ring((SELECT b1 FROM ids), true)$$), 'ERR:P0001',
          'a ticket rolled back after taking number 3');
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT probe.ring((SELECT b1 FROM ids))$$), 'T-00003',
          'gives it back: the next ticket is 3 (no hole)');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT probe.ring((SELECT b2 FROM ids))$$), 'T-00001',
          'the Norte registrar''s branch has its own series');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT probe.ring((SELECT b1 FROM ids))$$), 'ERR:42501',
          'and cannot ring a ticket in Centro (branch isolation)');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', $$SELECT probe.ring((SELECT g1 FROM ids))$$), 'T-00001',
          'another tenant numbers from 1');
SELECT is(test_auth.value_as('user:globex:admin@globex.test', $$SELECT count(*) FROM probe.tickets$$), '1',
          'and sees only its own tickets');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$UPDATE probe.tickets SET number = 99$$), '42501',
          'nobody but the numbering writes a number');
SELECT is(test_auth.run_as('user:acme:admin@acme.test', $$INSERT INTO probe.tickets (branch_id, number) SELECT b1, 7 FROM ids$$), '42501',
          'not even on insert');
SELECT is((SELECT string_agg(n::text, ',' ORDER BY n) FROM (SELECT number AS n FROM probe.tickets t JOIN ids ON t.tenant_id = ids.acme AND t.branch_id = ids.b1) x),
          '1,2,3', 'Centro''s tickets are 1..3');
SELECT is((SELECT next_number FROM probe.ticket_series s JOIN ids ON s.tenant_id = ids.acme AND s.branch_id = ids.b1), 4::bigint,
          'and its series continues at 4');
SELECT ok((SELECT bool_and(numbered_at IS NOT NULL) FROM probe.tickets), 'every ticket records when it was numbered');

-- A closed series refuses to number (409-class), and so does a registration gone missing.
UPDATE probe.ticket_series SET active = false WHERE branch_id = (SELECT b1 FROM ids);
SELECT is(test_auth.value_as('user:acme:admin@acme.test', $$SELECT probe.ring((SELECT b1 FROM ids))$$), 'ERR:55000',
          'a closed series refuses new tickets');
-- Registering again takes effect at once, in this backend too (its plans were for the old
-- trigger): without numbered_at_column the next ticket leaves it empty.
SELECT lives_ok($$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series',
                    series_key => '{"branch_id": "branch_id"}', period => 'none',
                    default_series => '{"code": "T", "format": "{code}-{number:05}"}')$$, 'registering again');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT probe.ring((SELECT b2 FROM ids))$$), 'T-00002',
          'numbering continues in the series');
SELECT is((SELECT count(*)::int FROM probe.tickets WHERE numbered_at IS NULL), 1, 'with the new registration');

-- Work prepared before the series is locked (cimiento.prepare_numbering): the before
-- function runs while the row has no number yet, and what it returns reaches the after
-- function; shapes that cannot work are refused.
CREATE TABLE probe.prepared (ticket uuid, value text);
GRANT INSERT ON probe.prepared TO cimiento_numbering;
CREATE FUNCTION probe.before_ticket(p_tenant uuid, p_id uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT 'total ' || t.total || ', numbered ' || (t.number IS NOT NULL) FROM probe.tickets t WHERE t.tenant_id = p_tenant AND t.id = p_id
$$;
CREATE FUNCTION probe.after_ticket(p_tenant uuid, p_id uuid, p_prepared text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO probe.prepared VALUES (p_id, p_prepared || ' → ' || (SELECT t.number_display FROM probe.tickets t WHERE t.tenant_id = p_tenant AND t.id = p_id))
$$;
CREATE FUNCTION probe.writes(p_tenant uuid, p_id uuid) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'x' $$;
CREATE FUNCTION probe.after_two(p_tenant uuid, p_id uuid) RETURNS void LANGUAGE sql AS $$ SELECT $$;
SELECT matches(test_auth.error_as('user:acme:admin@acme.test',
            $$SELECT cimiento.prepare_numbering('probe.tickets', 'probe.before_ticket(uuid, uuid)', 'probe.after_ticket(uuid, uuid, text)')$$),
          '^42501', 'API callers cannot change how a table is numbered');
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.prepare_numbering('probe.ticket_series', 'probe.before_ticket(uuid, uuid)', 'probe.after_ticket(uuid, uuid, text)')$$),
          '55000: probe.ticket_series is not numbered', 'only a numbered table is prepared for');
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.prepare_numbering('probe.tickets', 'probe.writes(uuid, uuid)', 'probe.after_ticket(uuid, uuid, text)')$$),
          '22023: before_numbered must be a STABLE function f(tenant_id uuid, id uuid) returning one value',
          'a before function that may write is refused (it also runs for rows that are then not numbered)');
SELECT is(test_auth.error_as('login:postgres',
            $$SELECT cimiento.prepare_numbering('probe.tickets', 'probe.before_ticket(uuid, uuid)', 'probe.after_two(uuid, uuid)')$$),
          '22023: after_numbered must take (tenant_id uuid, id uuid, text)', 'the after function must take what the before one returns');
SELECT lives_ok($$SELECT cimiento.prepare_numbering('probe.tickets', 'probe.before_ticket(uuid, uuid)', 'probe.after_ticket(uuid, uuid, text)')$$,
                'the owner registers a before and an after function');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT probe.ring((SELECT b2 FROM ids))$$), 'T-00003',
          'a ticket is numbered as before');
SELECT is((SELECT string_agg(value, '; ') FROM probe.prepared), 'total 10, numbered false → T-00003',
          'its before function ran while it had no number, and the after function got what it returned');
-- Values passed by value (bigint) and by reference with a fixed length (uuid) reach the
-- after function too.
CREATE FUNCTION probe.before_cents(p_tenant uuid, p_id uuid) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT (t.total * 100)::bigint FROM probe.tickets t WHERE t.tenant_id = p_tenant AND t.id = p_id
$$;
CREATE FUNCTION probe.after_cents(p_tenant uuid, p_id uuid, p_cents bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO probe.prepared VALUES (p_id, 'cents ' || p_cents)
$$;
CREATE FUNCTION probe.before_id(p_tenant uuid, p_id uuid) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT p_id $$;
CREATE FUNCTION probe.after_id(p_tenant uuid, p_id uuid, p_same uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO probe.prepared VALUES (p_id, 'same id ' || (p_same = p_id))
$$;
SELECT lives_ok($$SELECT cimiento.prepare_numbering('probe.tickets', 'probe.before_cents(uuid, uuid)', 'probe.after_cents(uuid, uuid, bigint)')$$,
                'a before function returning bigint (passed by value)');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT probe.ring((SELECT b2 FROM ids))$$), 'T-00004', 'a ticket is numbered');
SELECT is((SELECT p.value FROM probe.prepared p JOIN probe.tickets t ON t.id = p.ticket WHERE t.number_display = 'T-00004' AND t.branch_id = (SELECT b2 FROM ids)),
          'cents 1000', 'hands its value to the after function');
SELECT lives_ok($$SELECT cimiento.prepare_numbering('probe.tickets', 'probe.before_id(uuid, uuid)', 'probe.after_id(uuid, uuid, uuid)')$$,
                'a before function returning uuid (by reference, fixed length)');
SELECT is(test_auth.value_as('user:acme:branch2@acme.test', $$SELECT probe.ring((SELECT b2 FROM ids))$$), 'T-00005', 'a ticket is numbered');
SELECT is((SELECT p.value FROM probe.prepared p JOIN probe.tickets t ON t.id = p.ticket WHERE t.number_display = 'T-00005' AND t.branch_id = (SELECT b2 FROM ids)),
          'same id true', 'and so does one returning uuid');
SELECT lives_ok($$SELECT cimiento.enable_numbering('probe.tickets', 'probe.ticket_series',
                    series_key => '{"branch_id": "branch_id"}', period => 'none',
                    default_series => '{"code": "T", "format": "{code}-{number:05}"}')$$, 'registering again');
SELECT ok((SELECT before_numbered IS NULL AND after_numbered IS NULL FROM cimiento.numbered_tables WHERE table_oid = 'probe.tickets'::regclass),
          'drops the before function with the after one it fed');

SELECT * FROM finish();
ROLLBACK;
