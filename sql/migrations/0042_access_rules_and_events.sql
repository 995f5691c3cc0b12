-- 0042: access rules every tenant can switch on, and the events the api streams.
--
--  1. A second factor for the roles that require one (settings.mfa_required_roles): such a
--     role gives no permission to a token whose amr lacks otp. Enforced where permissions
--     are computed (core.caller_role_permissions, which the extension caches per tenant,
--     roles and amr), so every policy, RPC and workflow refuses (403) — not only sign-in.
--     Direct SQL logins (no token, no session) authenticate with PostgreSQL and are exempt.
--  2. Allowed networks per tenant (settings.allowed_networks, a CIDR list; empty = any):
--     checked at sign-in and on every request, by the api and by PostgREST's pre-request
--     hook; the admin role is exempt. PostgREST learns the client's address only from
--     X-Forwarded-For, so it must sit behind a proxy that sets it (the last address is
--     the one the proxy saw); without the header, a tenant with allowed networks is refused.
--  3. Events: an outbox (core.events) written by triggers in the transaction of the change,
--     announced with NOTIFY cimiento_events; a row of it is visible only to callers who can
--     see the row it is about (its RLS policy asks the row's own table, as the caller).
--     The api streams them over SSE and replays from Last-Event-ID (kept for a day).

-- ---------------------------------------------------------------------------------------
-- 1. Second factor
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION core.token_lacks_second_factor() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT cimiento.current_session() IS NOT NULL AND NOT ('otp' = ANY (cimiento.current_amr()))
$$;
COMMENT ON FUNCTION core.token_lacks_second_factor() IS 'Whether the caller signed in with a token without a second factor (no otp in amr). Direct SQL logins (no session) authenticate with PostgreSQL and never lack one. STABLE, PARALLEL SAFE.';
GRANT EXECUTE ON FUNCTION core.token_lacks_second_factor() TO app_user;

CREATE FUNCTION core.second_factor_missing() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT core.token_lacks_second_factor()
         AND EXISTS (SELECT 1 FROM core.tenants t
                      WHERE t.id = cimiento.current_tenant()
                        AND t.settings -> 'mfa_required_roles' ?| cimiento.current_roles())
$$;
REVOKE ALL ON FUNCTION core.second_factor_missing() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.second_factor_missing() TO app_user;
COMMENT ON FUNCTION core.second_factor_missing() IS 'Whether the caller holds a role that requires a second factor (tenant setting mfa_required_roles) with a token signed in without one: such a role gives no permission (core.caller_role_permissions). For the hint of a refusal. SECURITY DEFINER. STABLE.';

CREATE OR REPLACE FUNCTION core.caller_role_permissions() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT COALESCE(pg_catalog.jsonb_object_agg(x.name, x.patterns), '{}'::jsonb)
    FROM (SELECT r.name, pg_catalog.array_agg(rp.permission) AS patterns
            FROM core.role_permissions rp
            JOIN core.roles r ON r.tenant_id = rp.tenant_id AND r.id = rp.role_id
            JOIN core.tenants t ON t.id = r.tenant_id
           WHERE r.tenant_id = cimiento.current_tenant() AND r.name = ANY (cimiento.current_roles())
             AND NOT (core.token_lacks_second_factor() AND COALESCE(t.settings -> 'mfa_required_roles' ? r.name, false))
           GROUP BY r.name) x
$$;
COMMENT ON FUNCTION core.caller_role_permissions() IS 'The permission patterns of each of the caller''s roles in its tenant ({role: [pattern]}), registered with cimiento.register_identity. A role the tenant lists in settings.mfa_required_roles gives nothing to a token without a second factor (otp in amr): its holder gets 403 on every protected operation until they sign in with TOTP. Direct SQL logins are exempt. SECURITY DEFINER. STABLE.';

-- ---------------------------------------------------------------------------------------
-- 2. Allowed networks
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION core.networks_valid(p_networks jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF p_networks IS NULL THEN
    RETURN true;
  END IF;
  IF jsonb_typeof(p_networks) <> 'array' THEN
    RETURN false;
  END IF;
  PERFORM n::cidr FROM jsonb_array_elements_text(p_networks) n;
  RETURN true;
EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
  RETURN false;
END
$$;
COMMENT ON FUNCTION core.networks_valid(jsonb) IS 'Whether a tenant''s allowed_networks setting is absent or an array of CIDR networks (10.0.0.0/8, 2001:db8::/32, 192.168.1.7). IMMUTABLE, PARALLEL SAFE.';
ALTER TABLE core.tenants ADD CONSTRAINT tenants_allowed_networks CHECK (core.networks_valid(settings -> 'allowed_networks'));

CREATE FUNCTION core.network_allowed(p_tenant uuid, p_roles text[], p_ip inet) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE
           -- The tenant's administrators are exempt (they can always reach it to fix the list).
           WHEN 'admin' = ANY (p_roles) THEN true
           WHEN COALESCE(jsonb_array_length(t.settings -> 'allowed_networks'), 0) = 0 THEN true
           WHEN p_ip IS NULL THEN false
           ELSE EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.settings -> 'allowed_networks') n WHERE p_ip <<= n::cidr)
         END
    FROM core.tenants t WHERE t.id = p_tenant
$$;
REVOKE ALL ON FUNCTION core.network_allowed(uuid, text[], inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.network_allowed(uuid, text[], inet) TO app_user, cimiento_api;
COMMENT ON FUNCTION core.network_allowed(uuid, text[], inet) IS 'Whether a caller with these roles may reach the tenant from this address: true without allowed_networks (tenant setting, CIDR list) or for the admin role; false for an unknown address. For sign-in and every request (api and pre-request hook). SECURITY DEFINER. STABLE.';

CREATE FUNCTION core.request_client_ip() RETURNS inet
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_forwarded text := nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-forwarded-for';
BEGIN
  IF v_forwarded IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN btrim((string_to_array(v_forwarded, ','))[cardinality(string_to_array(v_forwarded, ','))])::inet;
EXCEPTION WHEN invalid_text_representation THEN
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION core.request_client_ip() IS 'The client address of a PostgREST request: the last address of X-Forwarded-For (the one the proxy in front of PostgREST saw), NULL without one or when it is malformed. STABLE.';
GRANT EXECUTE ON FUNCTION core.request_client_ip() TO app_user;

CREATE OR REPLACE FUNCTION hooks.pre_request() RETURNS void
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
     OR claims ->> 'iss' IS DISTINCT FROM 'cimiento' OR claims -> 'aud' IS NULL OR claims ->> 'sid' IS NULL OR claims ->> 'sub' IS NULL
     OR claims ->> 'tid' IS NULL OR (claims ->> 'iat')::numeric > extract(epoch FROM now()) + 60 THEN
    RAISE EXCEPTION 'malformed token' USING ERRCODE = 'PT401', HINT = 'sign in again';
  END IF;
  IF NOT core.auth_session_active(cimiento.current_tenant(), cimiento.current_session(), cimiento.current_user_id()) THEN
    RAISE EXCEPTION 'session revoked or expired' USING ERRCODE = 'PT401', HINT = 'sign in again';
  END IF;
  IF NOT core.network_allowed(cimiento.current_tenant(), cimiento.current_roles(), core.request_client_ip()) THEN
    RAISE EXCEPTION 'your network may not reach this organisation' USING ERRCODE = 'PT403',
      HINT = 'connect from one of the organisation''s allowed networks, or ask its administrator';
  END IF;
END
$$;
COMMENT ON FUNCTION hooks.pre_request() IS 'PostgREST pre-request hook: refuses malformed tokens and revoked or expired sessions (401) and requests from outside the tenant''s allowed networks (403; admins exempt). STABLE.';

-- ---------------------------------------------------------------------------------------
-- 3. Events
-- ---------------------------------------------------------------------------------------
CREATE TABLE core.events (
  tenant_id uuid NOT NULL,
  seq       bigint GENERATED ALWAYS AS IDENTITY,
  at        timestamptz NOT NULL DEFAULT now(),
  kind      text NOT NULL CONSTRAINT events_kind CHECK (kind ~ '^[a-z_]+\.[a-z_]+$'),
  entity    text NOT NULL,
  row_id    uuid NOT NULL,
  branch_id uuid,
  data      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, seq)
);
COMMENT ON TABLE core.events IS 'The outbox of what happened (proposal.created, proposal.approved, policy.overdue, payment.created, payment.reversed…), written by core.emit_event in the transaction of the change and announced with NOTIFY cimiento_events (tenant:seq). A caller sees an event only if they can see the row it is about (entity, row_id) — its policy asks that table as the caller. Kept a day (core.prune_events); the api streams them at GET /events.';
CREATE UNIQUE INDEX events_seq_idx ON core.events (seq);

CREATE FUNCTION core.event_visible(p_entity text, p_tenant uuid, p_row uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_seen boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE tenant_id = $1 AND id = $2)', p_entity::regclass)
     INTO v_seen USING p_tenant, p_row;
  RETURN v_seen;
EXCEPTION WHEN insufficient_privilege OR undefined_table OR undefined_column THEN
  RETURN false;
END
$$;
COMMENT ON FUNCTION core.event_visible(text, uuid, uuid) IS 'Whether the caller can see the row an event is about: asks its table, as the caller (its RLS and grants decide). The select policy of core.events. STABLE.';
GRANT EXECUTE ON FUNCTION core.event_visible(text, uuid, uuid) TO app_user;

SELECT cimiento.enable_tenant_isolation('core.events');
-- Audited like every table of core (each event also stands for an audited change).
SELECT cimiento.enable_audit('core.events');
CREATE POLICY events_row_visible ON core.events AS RESTRICTIVE FOR SELECT TO app_user
  USING (core.event_visible(entity, tenant_id, row_id));
GRANT SELECT ON core.events TO app_user;

CREATE FUNCTION core.emit_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_row  jsonb := to_jsonb(NEW);
  v_kind text := TG_ARGV[0] || '.' || coalesce(TG_ARGV[1], CASE TG_OP WHEN 'INSERT' THEN 'created' ELSE v_row ->> 'status' END);
  v_seq  bigint;
BEGIN
  INSERT INTO core.events (tenant_id, kind, entity, row_id, branch_id, data)
  VALUES ((v_row ->> 'tenant_id')::uuid, v_kind, format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), (v_row ->> 'id')::uuid,
          (v_row ->> 'branch_id')::uuid,
          jsonb_strip_nulls(jsonb_build_object('status', v_row -> 'status', 'by', cimiento.current_user_id())))
  RETURNING seq INTO v_seq;
  PERFORM pg_notify('cimiento_events', (v_row ->> 'tenant_id') || ':' || v_seq);
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION core.emit_event() FROM PUBLIC;
COMMENT ON FUNCTION core.emit_event() IS 'Trigger (AFTER INSERT or AFTER UPDATE OF status, FOR EACH ROW) of a table with tenant_id and id: records event <argument 1>.<argument 2, or created on insert, else the new status> in core.events and notifies cimiento_events. SECURITY DEFINER: core.events is written only here.';

CREATE FUNCTION core.events_head() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT COALESCE(max(e.seq), 0) FROM core.events e
$$;
REVOKE ALL ON FUNCTION core.events_head() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.events_head() TO cimiento_api;
COMMENT ON FUNCTION core.events_head() IS 'The latest event''s sequence (0 without events): where a new stream without Last-Event-ID starts. For the api. SECURITY DEFINER. STABLE.';

CREATE FUNCTION core.prune_events(p_keep interval DEFAULT '1 day') RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH gone AS (DELETE FROM core.events e WHERE e.at < now() - greatest(p_keep, interval '10 minutes') RETURNING 1)
  SELECT count(*) FROM gone
$$;
REVOKE ALL ON FUNCTION core.prune_events(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.prune_events(interval) TO cimiento_api;
COMMENT ON FUNCTION core.prune_events(interval) IS 'Deletes events older than p_keep (at least 10 minutes, so a stream can always resume 5 minutes back); the api calls it hourly. Returns how many. SECURITY DEFINER. VOLATILE.';

CREATE TRIGGER proposals_event AFTER INSERT ON insurance.collection_proposals
  FOR EACH ROW EXECUTE FUNCTION core.emit_event('proposal');
CREATE TRIGGER proposals_status_event AFTER UPDATE OF status ON insurance.collection_proposals
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION core.emit_event('proposal');
CREATE TRIGGER policies_status_event AFTER UPDATE OF status ON insurance.policies
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION core.emit_event('policy');
CREATE TRIGGER payments_event AFTER INSERT ON insurance.payments
  FOR EACH ROW WHEN (NEW.amount > 0) EXECUTE FUNCTION core.emit_event('payment', 'created');
CREATE TRIGGER payments_reversal_event AFTER INSERT ON insurance.payments
  FOR EACH ROW WHEN (NEW.amount < 0) EXECUTE FUNCTION core.emit_event('payment', 'reversed');
