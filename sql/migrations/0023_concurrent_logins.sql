-- 0023: two logins of one user at the same moment (two devices, a retried request) no longer
-- deadlock (409 to one of them).
--
-- auth_start_session inserted the session first — its foreign key takes a KEY SHARE lock on
-- the user's row — and then updated users.last_login_at. Because users.email_key is a
-- generated column inside a unique key, every UPDATE of users counts as a key update and
-- needs a lock that conflicts with KEY SHARE: two concurrent logins each held KEY SHARE and
-- waited for the other. Now the user's row is updated first, so a second login of the same
-- user waits for the first to commit instead of deadlocking.
CREATE OR REPLACE FUNCTION core.auth_start_session(p_tenant uuid, p_user uuid, p_device text, p_ip text, p_user_agent text,
                                                   p_amr text[], p_refresh_hash bytea, p_lifetime interval)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  sid uuid := gen_random_uuid();
BEGIN
  -- First: the user's row lock, before any foreign key takes a share lock on it.
  UPDATE core.users SET last_login_at = now() WHERE tenant_id = p_tenant AND id = p_user;
  INSERT INTO core.sessions (tenant_id, id, user_id, device_name, ip, user_agent, amr, expires_at)
  VALUES (p_tenant, sid, p_user, left(p_device, 200), left(p_ip, 100), left(p_user_agent, 500), p_amr, now() + p_lifetime);
  INSERT INTO core.refresh_tokens (tenant_id, session_id, token_hash, expires_at)
  VALUES (p_tenant, sid, p_refresh_hash, now() + p_lifetime);
  RETURN sid;
END
$$;
COMMENT ON FUNCTION core.auth_start_session(uuid, uuid, text, text, text, text[], bytea, interval) IS 'Auth: opens a session for a device with its first refresh token (stored hashed); updates the user''s last login first, so concurrent logins of one user serialise instead of deadlocking. SECURITY DEFINER, cimiento_api only.';
