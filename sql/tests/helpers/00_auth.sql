-- Test helpers: authenticate exactly as PostgREST (or the api) does — the session user is
-- the trusted login `authenticator`, the role is switched with SET LOCAL ROLE and the
-- verified claims are set transaction-locally in request.jwt.claims. Loaded once into the
-- test database by scripts/test-sql.sh (never into a real one).
CREATE SCHEMA IF NOT EXISTS test_auth;
GRANT USAGE ON SCHEMA test_auth TO PUBLIC;

-- Claims for a user, built by the same function the sign-in service uses
-- (core.auth_roles_and_branches: roles, the branches union and the per-role grants).
CREATE OR REPLACE FUNCTION test_auth.claims_for(p_tenant_slug text, p_email text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'iss', 'cimiento', 'aud', 'cimiento', 'role', 'app_user',
           'sub', u.id, 'tid', u.tenant_id, 'sid', gen_random_uuid(), 'amr', jsonb_build_array('pwd'),
           'roles', to_jsonb(rb.roles), 'branches', rb.branches, 'grants', rb.grants)
    FROM core.users u JOIN core.tenants t ON t.id = u.tenant_id
   CROSS JOIN LATERAL core.auth_roles_and_branches(u.tenant_id, u.id) rb
   WHERE t.slug = p_tenant_slug AND u.email_key = lower(p_email)
$$;

-- Back to the test's superuser session.
CREATE OR REPLACE FUNCTION test_auth.reset() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RESET ROLE;
  RESET SESSION AUTHORIZATION;
  PERFORM set_config('request.jwt.claims', '', true);
END $$;

-- Act as a signed-in user through PostgREST.
CREATE OR REPLACE FUNCTION test_auth.login_as(p_tenant_slug text, p_email text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  c jsonb;
BEGIN
  PERFORM test_auth.reset();
  c := test_auth.claims_for(p_tenant_slug, p_email);
  IF c IS NULL THEN
    RAISE EXCEPTION 'test_auth.login_as: no user % in tenant %', p_email, p_tenant_slug;
  END IF;
  SET LOCAL SESSION AUTHORIZATION authenticator;
  SET LOCAL ROLE app_user;
  PERFORM set_config('request.jwt.claims', c::text, true);
  RETURN c;
END $$;

-- Act with explicit claims (e.g. forged or partial ones) through PostgREST.
CREATE OR REPLACE FUNCTION test_auth.login_with_claims(p_claims jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM test_auth.reset();
  SET LOCAL SESSION AUTHORIZATION authenticator;
  SET LOCAL ROLE app_user;
  PERFORM set_config('request.jwt.claims', p_claims::text, true);
END $$;

-- An anonymous PostgREST request.
CREATE OR REPLACE FUNCTION test_auth.as_anon() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM test_auth.reset();
  SET LOCAL SESSION AUTHORIZATION authenticator;
  SET LOCAL ROLE anon;
  PERFORM set_config('request.jwt.claims', '{"role":"anon"}', true);
END $$;

-- A direct SQL login (an analyst in psql): session_user is that login itself.
CREATE OR REPLACE FUNCTION test_auth.as_login(p_login text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM test_auth.reset();
  EXECUTE format('SET LOCAL SESSION AUTHORIZATION %I', p_login);
END $$;

-- Runs a statement; returns the SQLSTATE it failed with, or 'rows:N' with the row count.
CREATE OR REPLACE FUNCTION test_auth.try(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  EXECUTE p_sql;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN 'rows:' || n;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;


-- Switches to a persona:
--   'user:<tenant slug>:<email>'  a signed-in user through PostgREST
--   'anon'                        an anonymous PostgREST request
--   'login:<role>'                a direct SQL login
--   'claims:<json>'               PostgREST with the given (verified) claims
CREATE OR REPLACE FUNCTION test_auth.become(p_persona text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  parts text[] := string_to_array(p_persona, ':');
BEGIN
  CASE parts[1]
    WHEN 'user' THEN PERFORM test_auth.login_as(parts[2], parts[3]);
    WHEN 'anon' THEN PERFORM test_auth.as_anon();
    WHEN 'login' THEN PERFORM test_auth.as_login(parts[2]);
    WHEN 'claims' THEN PERFORM test_auth.login_with_claims(substr(p_persona, 8)::jsonb);
    ELSE RAISE EXCEPTION 'unknown persona %', p_persona;
  END CASE;
END $$;

-- Runs a statement as a persona and comes back: 'rows:N' (rows affected/returned) or the
-- SQLSTATE it failed with. Assertions are made afterwards, as the test's superuser.
CREATE OR REPLACE FUNCTION test_auth.run_as(p_persona text, p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  PERFORM test_auth.become(p_persona);
  r := test_auth.try(p_sql);
  PERFORM test_auth.reset();
  RETURN r;
END $$;

-- Evaluates a one-value query as a persona: the value as text, or 'ERR:<SQLSTATE>'.
CREATE OR REPLACE FUNCTION test_auth.value_as(p_persona text, p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  PERFORM test_auth.become(p_persona);
  BEGIN
    EXECUTE p_sql INTO r;
  EXCEPTION WHEN OTHERS THEN
    r := 'ERR:' || SQLSTATE;
  END;
  PERFORM test_auth.reset();
  RETURN r;
END $$;

-- The error message a statement fails with as a persona (NULL when it succeeds).
CREATE OR REPLACE FUNCTION test_auth.error_as(p_persona text, p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  PERFORM test_auth.become(p_persona);
  BEGIN
    EXECUTE p_sql;
  EXCEPTION WHEN OTHERS THEN
    r := SQLSTATE || ': ' || SQLERRM;
  END;
  PERFORM test_auth.reset();
  RETURN r;
END $$;

-- An RPC's JSON result as a persona, or {"error": "<SQLSTATE>"}.
CREATE OR REPLACE FUNCTION test_auth.json_as(p_persona text, p_expr text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  r := test_auth.value_as(p_persona, 'SELECT (' || p_expr || ')::text');
  IF r LIKE 'ERR:%' THEN
    RETURN jsonb_build_object('error', substr(r, 5));
  END IF;
  RETURN r::jsonb;
END $$;

-- The hint a statement fails with as a persona (NULL when it succeeds or has none).
CREATE OR REPLACE FUNCTION test_auth.hint_as(p_persona text, p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  h text;
BEGIN
  PERFORM test_auth.become(p_persona);
  BEGIN
    EXECUTE p_sql;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
  END;
  PERFORM test_auth.reset();
  RETURN h;
END $$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA test_auth TO PUBLIC;

COMMENT ON SCHEMA test_auth IS 'pgTAP helpers: act as a PostgREST caller (role + claims, transaction-local) or as a direct SQL login. Test databases only.';
COMMENT ON FUNCTION test_auth.claims_for(text, text) IS 'The claims the sign-in service would issue for a user (roles, branches ["*"] when tenant-wide).';
COMMENT ON FUNCTION test_auth.reset() IS 'Back to the test''s superuser session (role, session authorization, claims).';
COMMENT ON FUNCTION test_auth.login_as(text, text) IS 'Act as a signed-in user through PostgREST: session authorization authenticator, role app_user, the user''s claims.';
COMMENT ON FUNCTION test_auth.login_with_claims(jsonb) IS 'Act through PostgREST with the given claims.';
COMMENT ON FUNCTION test_auth.as_anon() IS 'Act as an anonymous PostgREST request.';
COMMENT ON FUNCTION test_auth.as_login(text) IS 'Act as a direct SQL login (session_user is that role).';
COMMENT ON FUNCTION test_auth.try(text) IS 'Runs a statement: ''rows:N'' or the SQLSTATE it failed with.';
COMMENT ON FUNCTION test_auth.become(text) IS 'Switches to a persona: user:<slug>:<email>, anon, login:<role>, claims:<json>.';
COMMENT ON FUNCTION test_auth.run_as(text, text) IS 'Runs a statement as a persona and comes back: ''rows:N'' or the SQLSTATE.';
COMMENT ON FUNCTION test_auth.value_as(text, text) IS 'Evaluates a one-value query as a persona: the value as text or ERR:<SQLSTATE>.';
COMMENT ON FUNCTION test_auth.json_as(text, text) IS 'Evaluates an RPC expression as a persona: its JSON result, or {"error": "<SQLSTATE>"}.';
COMMENT ON FUNCTION test_auth.hint_as(text, text) IS 'The hint a statement fails with as a persona (NULL when it succeeds or has none).';
COMMENT ON FUNCTION test_auth.error_as(text, text) IS 'The SQLSTATE and message a statement fails with as a persona (NULL when it succeeds).';
