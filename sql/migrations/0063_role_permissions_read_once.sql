-- 0063: a caller's role permissions are read with the tenant, roles and second factor asked
-- once, by index (the extension caches the answer per backend, tenant, roles and amr; this
-- is what every new connection pays on its first request for each tenant).
--
-- core.caller_role_permissions compared every row with cimiento.current_tenant() and called
-- core.token_lacks_second_factor() in a join filter. With statistics taken while there were
-- few tenants (the owner bench loads 100 at once), the plan joined each of the tenant's 55
-- role_permissions rows with a sequential scan of core.tenants that called current_tenant()
-- on every row: 5 500 calls, 6.5 ms of a 10 ms call, under auto_explain as the api login.
-- `make bench`'s owner read (99 tenants, new connections each round) spent ~4 ms a fill.
-- Now the three are initplans (asked once per call): the tables are filtered by a value, so
-- each can be reached by its key.
-- Same rows, same answer (pgTAP 020 and 150 read through it; the e2e auth tests cover the
-- second factor).
CREATE OR REPLACE FUNCTION core.caller_role_permissions() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT COALESCE(pg_catalog.jsonb_object_agg(x.name, x.patterns), '{}'::jsonb)
    FROM (SELECT r.name, pg_catalog.array_agg(rp.permission) AS patterns
            FROM core.roles r
            JOIN core.role_permissions rp ON rp.tenant_id = r.tenant_id AND rp.role_id = r.id
            JOIN core.tenants t ON t.id = r.tenant_id
           WHERE r.tenant_id = (SELECT cimiento.current_tenant())
             AND r.name = ANY ((SELECT cimiento.current_roles())::text[])
             AND NOT ((SELECT core.token_lacks_second_factor()) AND COALESCE(t.settings -> 'mfa_required_roles' ? r.name, false))
           GROUP BY r.name) x
$$;
COMMENT ON FUNCTION core.caller_role_permissions() IS 'The permission patterns of each of the caller''s roles in its tenant ({role: [pattern]}), registered with cimiento.register_identity. A role the tenant lists in settings.mfa_required_roles gives nothing to a token without a second factor (otp in amr): its holder gets 403 on every protected operation until they sign in with TOTP. Direct SQL logins are exempt. Tenant, roles and second factor are asked once per call (initplans), so each table can be read by its key. SECURITY DEFINER. STABLE.';
