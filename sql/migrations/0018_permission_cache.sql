-- 0018: backends keep the permissions of the roles they read across transactions (instead
-- of one lookup per transaction) until a role or its permissions change: these statement
-- triggers tell every backend (cimiento.note_permissions_changed), and are protected so no
-- login but the superuser can switch them off (a stale cache would keep a revoked permission).

CREATE FUNCTION core.permissions_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM cimiento.note_permissions_changed();
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION core.permissions_changed() IS 'Statement trigger (protected) of core.roles and core.role_permissions: tells every backend to re-read role permissions (now and when the transaction commits).';
REVOKE ALL ON FUNCTION core.permissions_changed() FROM PUBLIC;

CREATE TRIGGER roles_permissions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON core.roles
  FOR EACH STATEMENT EXECUTE FUNCTION core.permissions_changed();
CREATE TRIGGER role_permissions_permissions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON core.role_permissions
  FOR EACH STATEMENT EXECUTE FUNCTION core.permissions_changed();
SELECT cimiento.protect_trigger('core.roles', 'roles_permissions_changed');
SELECT cimiento.protect_trigger('core.role_permissions', 'role_permissions_permissions_changed');
