-- 0007: sign-in — sessions (one per device) and refresh tokens (stored hashed, rotated,
-- reuse revokes the family), and the SECURITY DEFINER functions the api (cimiento_api)
-- uses; plus PostgREST's pre-request hook, which refuses a revoked session at once.
--
-- The api never reads these tables directly: every function here has a fixed search_path,
-- is owned by the migration owner and is executable only by cimiento_api (the hook by
-- anon/app_user, the session check by app_user).

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------
CREATE TABLE core.sessions (
  tenant_id      uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL,
  device_name    text CONSTRAINT sessions_device_name_length CHECK (length(device_name) <= 200),
  ip             text,
  user_agent     text,
  amr            text[] NOT NULL DEFAULT '{pwd}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES core.users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE core.sessions IS 'Sign-in sessions, one per device (the sid claim). Revoking one stops its tokens at the next request.';
CREATE INDEX sessions_user_idx ON core.sessions (tenant_id, user_id);

CREATE TABLE core.refresh_tokens (
  tenant_id   uuid NOT NULL DEFAULT cimiento.current_tenant(),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL,
  token_hash  bytea NOT NULL CONSTRAINT refresh_tokens_hash_sha256 CHECK (length(token_hash) = 32),
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz,
  replaced_by uuid,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT refresh_tokens_hash_key UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, session_id) REFERENCES core.sessions (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE core.refresh_tokens IS 'Refresh tokens of a session (its family), stored as sha256. Each is used once: refreshing rotates it; reusing a rotated one after the grace window revokes the session.';

-- ---------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------
SELECT cimiento.enable_tenant_isolation('core.sessions');
SELECT cimiento.enable_tenant_isolation('core.refresh_tokens');

-- ---------------------------------------------------------------------------------------
-- Policies: users see their own sessions; sessions.manage sees the tenant's
-- ---------------------------------------------------------------------------------------
CREATE POLICY sessions_own_select ON core.sessions AS RESTRICTIVE FOR SELECT
  USING (user_id = (SELECT cimiento.current_user_id()) OR (SELECT cimiento.has_permission('sessions.manage')));

-- ---------------------------------------------------------------------------------------
-- Grants: no API role writes these tables; refresh tokens are never readable
-- ---------------------------------------------------------------------------------------
GRANT SELECT (tenant_id, id, user_id, device_name, ip, user_agent, amr, created_at, last_seen_at, expires_at, revoked_at, revoked_reason)
  ON core.sessions TO app_user;

-- ---------------------------------------------------------------------------------------
-- Functions (SECURITY DEFINER, for cimiento_api only)
-- ---------------------------------------------------------------------------------------

-- The roles and the branches claim of a user: ["*"] when any role is tenant-wide.
CREATE FUNCTION core.auth_roles_and_branches(p_tenant uuid, p_user uuid, OUT roles text[], OUT branches jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(array_agg(DISTINCT r.name ORDER BY r.name), '{}'),
         CASE WHEN bool_or(ur.branch_id IS NULL) THEN '["*"]'::jsonb
              ELSE coalesce(jsonb_agg(DISTINCT ur.branch_id) FILTER (WHERE ur.branch_id IS NOT NULL), '[]'::jsonb) END
    FROM core.user_roles ur JOIN core.roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
   WHERE ur.tenant_id = p_tenant AND ur.user_id = p_user
$$;
COMMENT ON FUNCTION core.auth_roles_and_branches(uuid, uuid) IS 'Auth: a user''s role names and its branches claim (["*"] when any assignment is tenant-wide). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_roles_and_branches(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_roles_and_branches(uuid, uuid) TO cimiento_api;

-- Everything needed to check a login, or nothing (the api then does the same work against
-- a dummy hash, so timing does not reveal which emails exist).
CREATE FUNCTION core.auth_user_for_login(p_tenant text, p_email text)
RETURNS TABLE (tenant_id uuid, tenant_slug text, tenant_active boolean, user_id uuid, user_active boolean,
               password_hash text, full_name text, totp_enabled boolean, totp_secret text, roles text[],
               branches jsonb, mfa_required boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT t.id, t.slug, t.active, u.id, u.active, u.password_hash, u.full_name, u.totp_enabled, u.totp_secret,
         r.roles, r.branches,
         coalesce(r.roles && ARRAY(SELECT jsonb_array_elements_text(t.settings -> 'mfa_required_roles')), false)
    FROM core.tenants t
    JOIN core.users u ON u.tenant_id = t.id AND u.email_key = lower(btrim(p_email))
    CROSS JOIN LATERAL core.auth_roles_and_branches(t.id, u.id) r
   WHERE t.slug = lower(btrim(p_tenant))
$$;

COMMENT ON FUNCTION core.auth_user_for_login(text, text) IS 'Auth: what the sign-in service needs to check a login (tenant by slug, user by email case-insensitively), or no row. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_user_for_login(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_user_for_login(text, text) TO cimiento_api;

-- Starts a session with its first refresh token.
CREATE FUNCTION core.auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text,
                                        p_amr text[], p_refresh_hash bytea, p_lifetime interval)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  sid uuid := gen_random_uuid();
BEGIN
  INSERT INTO core.sessions (tenant_id, id, user_id, device_name, ip, user_agent, amr, expires_at)
  VALUES (p_tenant, sid, p_user, left(p_device, 200), left(p_ip, 100), left(p_user_agent, 500), p_amr, now() + p_lifetime);
  INSERT INTO core.refresh_tokens (tenant_id, session_id, token_hash, expires_at)
  VALUES (p_tenant, sid, p_refresh_hash, now() + p_lifetime);
  UPDATE core.users SET last_login_at = now() WHERE tenant_id = p_tenant AND id = p_user;
  RETURN sid;
END
$$;
COMMENT ON FUNCTION core.auth_start_session(uuid, uuid, text, text, text, text[], bytea, interval) IS 'Auth: opens a session for a device with its first refresh token (stored hashed). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_start_session(uuid, uuid, text, text, text, text[], bytea, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_start_session(uuid, uuid, text, text, text, text[], bytea, interval) TO cimiento_api;

-- Rotates a refresh token: exactly one of any number of concurrent calls succeeds.
--   ok           the old token is spent, the new one stored; the session's identity returned
--   reused       the token was already rotated within the grace window (a benign race)
--   revoked      reuse after the grace window: the whole session (family) is now revoked
--   invalid      unknown token, expired, or its session revoked/expired or user/tenant inactive
CREATE FUNCTION core.auth_rotate_refresh(p_tenant uuid, p_hash bytea, p_new_hash bytea, p_grace interval)
RETURNS TABLE (outcome text, session_id uuid, user_id uuid, roles text[], branches jsonb, amr text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tok core.refresh_tokens%ROWTYPE;
  ses core.sessions%ROWTYPE;
  rb record;
  new_id uuid := gen_random_uuid();
BEGIN
  SELECT * INTO tok FROM core.refresh_tokens t WHERE t.tenant_id = p_tenant AND t.token_hash = p_hash FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'invalid'::text, NULL::uuid, NULL::uuid, NULL::text[], NULL::jsonb, NULL::text[];
    RETURN;
  END IF;
  SELECT * INTO ses FROM core.sessions s WHERE s.tenant_id = p_tenant AND s.id = tok.session_id FOR UPDATE;
  IF tok.rotated_at IS NOT NULL THEN
    IF ses.revoked_at IS NULL AND now() - tok.rotated_at <= p_grace THEN
      RETURN QUERY SELECT 'reused'::text, ses.id, ses.user_id, NULL::text[], NULL::jsonb, NULL::text[];
      RETURN;
    END IF;
    UPDATE core.sessions s SET revoked_at = coalesce(s.revoked_at, now()),
                               revoked_reason = coalesce(s.revoked_reason, 'refresh token reused')
     WHERE s.tenant_id = p_tenant AND s.id = ses.id;
    RETURN QUERY SELECT 'revoked'::text, ses.id, ses.user_id, NULL::text[], NULL::jsonb, NULL::text[];
    RETURN;
  END IF;
  IF tok.expires_at < now() OR ses.revoked_at IS NOT NULL OR ses.expires_at < now()
     OR NOT EXISTS (SELECT 1 FROM core.users u JOIN core.tenants t ON t.id = u.tenant_id
                     WHERE u.tenant_id = p_tenant AND u.id = ses.user_id AND u.active AND t.active) THEN
    RETURN QUERY SELECT 'invalid'::text, NULL::uuid, NULL::uuid, NULL::text[], NULL::jsonb, NULL::text[];
    RETURN;
  END IF;
  INSERT INTO core.refresh_tokens (tenant_id, id, session_id, token_hash, expires_at)
  VALUES (p_tenant, new_id, ses.id, p_new_hash, ses.expires_at);
  UPDATE core.refresh_tokens SET rotated_at = now(), replaced_by = new_id WHERE tenant_id = p_tenant AND id = tok.id;
  UPDATE core.sessions SET last_seen_at = now() WHERE tenant_id = p_tenant AND id = ses.id;
  SELECT * INTO rb FROM core.auth_roles_and_branches(p_tenant, ses.user_id);
  RETURN QUERY SELECT 'ok'::text, ses.id, ses.user_id, rb.roles, rb.branches, ses.amr;
END
$$;
COMMENT ON FUNCTION core.auth_rotate_refresh(uuid, bytea, bytea, interval) IS 'Auth: rotates a refresh token (ok | reused within grace | revoked: reuse after grace revokes the session | invalid). Row locks make concurrent refreshes of one token yield exactly one ok. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_rotate_refresh(uuid, bytea, bytea, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_rotate_refresh(uuid, bytea, bytea, interval) TO cimiento_api;

-- Is this session usable? One indexed lookup (session, user and tenant by primary key).
CREATE FUNCTION core.auth_session_active(p_tenant uuid, p_session uuid, p_user uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM core.sessions s
      JOIN core.users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
      JOIN core.tenants t ON t.id = s.tenant_id
     WHERE s.tenant_id = p_tenant AND s.id = p_session AND s.user_id = p_user
       AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active AND t.active)
$$;
COMMENT ON FUNCTION core.auth_session_active(uuid, uuid, uuid) IS 'Auth: true when the session exists, is neither revoked nor expired, belongs to the user, and user and tenant are active. SECURITY DEFINER, for the pre-request hook (app_user) and the api.';
REVOKE ALL ON FUNCTION core.auth_session_active(uuid, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_session_active(uuid, uuid, uuid) TO app_user, cimiento_api;

-- Revokes a session: the caller's own, or any of the tenant's with sessions.manage.
CREATE FUNCTION core.auth_revoke_session(p_tenant uuid, p_session uuid, p_by_user uuid, p_may_manage boolean, p_reason text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH hit AS (
    UPDATE core.sessions s SET revoked_at = now(), revoked_reason = left(p_reason, 200)
     WHERE s.tenant_id = p_tenant AND s.id = p_session AND s.revoked_at IS NULL
       AND (s.user_id = p_by_user OR p_may_manage)
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;
COMMENT ON FUNCTION core.auth_revoke_session(uuid, uuid, uuid, boolean, text) IS 'Auth: revokes a session of the caller (or of any user of the tenant when p_may_manage). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_revoke_session(uuid, uuid, uuid, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_revoke_session(uuid, uuid, uuid, boolean, text) TO cimiento_api;

-- Sessions of a user (or of the tenant, for sessions.manage).
CREATE FUNCTION core.auth_list_sessions(p_tenant uuid, p_user uuid, p_all boolean)
RETURNS TABLE (id uuid, user_id uuid, device_name text, ip text, user_agent text, amr text[], created_at timestamptz,
               last_seen_at timestamptz, expires_at timestamptz, revoked_at timestamptz, revoked_reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT s.id, s.user_id, s.device_name, s.ip, s.user_agent, s.amr, s.created_at, s.last_seen_at, s.expires_at,
         s.revoked_at, s.revoked_reason
    FROM core.sessions s
   WHERE s.tenant_id = p_tenant AND (s.user_id = p_user OR p_all)
   ORDER BY s.created_at DESC
   LIMIT 500
$$;
COMMENT ON FUNCTION core.auth_list_sessions(uuid, uuid, boolean) IS 'Auth: a user''s sessions, newest first (all of the tenant''s with p_all). SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_list_sessions(uuid, uuid, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_list_sessions(uuid, uuid, boolean) TO cimiento_api;

-- A user's profile for /auth/me.
CREATE FUNCTION core.auth_profile(p_tenant uuid, p_user uuid)
RETURNS TABLE (email text, full_name text, totp_enabled boolean, tenant_slug text, tenant_name text, locale text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT u.email, u.full_name, u.totp_enabled, t.slug, t.name, t.locale
    FROM core.users u JOIN core.tenants t ON t.id = u.tenant_id
   WHERE u.tenant_id = p_tenant AND u.id = p_user
$$;
COMMENT ON FUNCTION core.auth_profile(uuid, uuid) IS 'Auth: email, name, TOTP state and tenant of a user. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_profile(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_profile(uuid, uuid) TO cimiento_api;

-- TOTP: store a pending secret; activate; accept a time step once (atomic, so of many
-- parallel submissions of one code exactly one succeeds).
CREATE FUNCTION core.auth_totp_set_secret(p_tenant uuid, p_user uuid, p_secret text) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH hit AS (UPDATE core.users SET totp_secret = p_secret, totp_last_step = NULL
                WHERE tenant_id = p_tenant AND id = p_user AND NOT totp_enabled RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;
COMMENT ON FUNCTION core.auth_totp_set_secret(uuid, uuid, text) IS 'Auth: stores a new TOTP secret for a user who has not activated TOTP yet. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_totp_set_secret(uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_totp_set_secret(uuid, uuid, text) TO cimiento_api;

CREATE FUNCTION core.auth_totp_secret(p_tenant uuid, p_user uuid, OUT secret text, OUT enabled boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT totp_secret, totp_enabled FROM core.users WHERE tenant_id = p_tenant AND id = p_user
$$;
COMMENT ON FUNCTION core.auth_totp_secret(uuid, uuid) IS 'Auth: a user''s TOTP secret and whether it is active. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_totp_secret(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_totp_secret(uuid, uuid) TO cimiento_api;

CREATE FUNCTION core.auth_totp_accept(p_tenant uuid, p_user uuid, p_step bigint, p_activate boolean) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH hit AS (UPDATE core.users SET totp_last_step = p_step, totp_enabled = totp_enabled OR p_activate
                WHERE tenant_id = p_tenant AND id = p_user AND totp_secret IS NOT NULL
                  AND (totp_last_step IS NULL OR totp_last_step < p_step) RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM hit)
$$;
COMMENT ON FUNCTION core.auth_totp_accept(uuid, uuid, bigint, boolean) IS 'Auth: accepts a verified TOTP time step once (only if newer than the last accepted one), optionally activating TOTP. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_totp_accept(uuid, uuid, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_totp_accept(uuid, uuid, bigint, boolean) TO cimiento_api;

-- Registration: a tenant with a unique slug derived from its name, a first branch, and its admin.
CREATE FUNCTION core.auth_register(p_name text, p_slug_base text, p_email text, p_password_hash text, p_full_name text)
RETURNS TABLE (tenant_id uuid, slug text, user_id uuid, branch_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  base text := left(trim(both '-' FROM regexp_replace(lower(p_slug_base), '[^a-z0-9]+', '-', 'g')), 50);
  candidate text;
  t uuid;
  u uuid;
  b uuid;
  n int := 1;
BEGIN
  IF base IS NULL OR base = '' THEN
    base := 'org';
  END IF;
  LOOP
    candidate := CASE WHEN n = 1 THEN base ELSE base || '-' || n END;
    BEGIN
      INSERT INTO core.tenants (slug, name) VALUES (candidate, btrim(p_name)) RETURNING id INTO t;
      EXIT;
    EXCEPTION WHEN unique_violation OR check_violation THEN
      IF n > 1000 THEN
        RAISE EXCEPTION 'could not find a free subdomain for %', p_name USING ERRCODE = '23505';
      END IF;
      n := n + 1;
    END;
  END LOOP;
  INSERT INTO core.branches (tenant_id, code, name) VALUES (t, 'PRINCIPAL', 'Sede principal') RETURNING id INTO b;
  INSERT INTO core.users (tenant_id, email, full_name, password_hash) VALUES (t, btrim(p_email), btrim(p_full_name), p_password_hash)
  RETURNING id INTO u;
  INSERT INTO core.user_roles (tenant_id, user_id, role_id) SELECT t, u, r.id FROM core.roles r WHERE r.tenant_id = t AND r.name = 'admin';
  RETURN QUERY SELECT t, candidate, u, b;
END
$$;
COMMENT ON FUNCTION core.auth_register(text, text, text, text, text) IS 'Auth: creates a tenant (slug derived from the name, -2, -3… on clash or reserved word), its first branch and its admin user. SECURITY DEFINER, cimiento_api only.';
REVOKE ALL ON FUNCTION core.auth_register(text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.auth_register(text, text, text, text, text) TO cimiento_api;

-- PostgREST's pre-request hook: a token whose session is revoked or expired, or whose user
-- or tenant is deactivated, is refused with 401 before the request runs.
CREATE SCHEMA hooks;
COMMENT ON SCHEMA hooks IS 'Functions PostgREST calls around requests (not exposed as endpoints).';
GRANT USAGE ON SCHEMA hooks TO anon, app_user;

CREATE FUNCTION hooks.pre_request() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
BEGIN
  IF claims IS NULL OR coalesce(claims ->> 'role', 'anon') = 'anon' THEN
    RETURN;
  END IF;
  IF length(current_setting('request.jwt.claims', true)) > 4096
     OR jsonb_typeof(claims -> 'exp') IS DISTINCT FROM 'number' OR jsonb_typeof(claims -> 'iat') IS DISTINCT FROM 'number'
     OR (claims ? 'nbf' AND jsonb_typeof(claims -> 'nbf') IS DISTINCT FROM 'number')
     OR claims ->> 'iss' IS DISTINCT FROM 'cimiento' OR claims ->> 'sid' IS NULL OR claims ->> 'sub' IS NULL
     OR claims ->> 'tid' IS NULL OR (claims ->> 'iat')::numeric > extract(epoch FROM now()) + 60 THEN
    RAISE EXCEPTION 'malformed token' USING ERRCODE = 'PT401', HINT = 'sign in again';
  END IF;
  IF NOT core.auth_session_active(cimiento.current_tenant(), cimiento.current_session(), cimiento.current_user_id()) THEN
    RAISE EXCEPTION 'session revoked or expired' USING ERRCODE = 'PT401', HINT = 'sign in again';
  END IF;
END
$$;
COMMENT ON FUNCTION hooks.pre_request() IS 'PostgREST db-pre-request: refuses (401) a signed-in request whose claims are malformed or whose session is revoked/expired or whose user or tenant is deactivated. One indexed lookup per request.';
GRANT EXECUTE ON FUNCTION hooks.pre_request() TO anon, app_user;

-- Sessions and token rotations are part of the audit trail (token hashes are redacted).
SELECT cimiento.enable_audit('core.sessions');
SELECT cimiento.enable_audit('core.refresh_tokens');
