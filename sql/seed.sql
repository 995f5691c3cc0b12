-- Demo data, loaded once on a fresh database by `make run` / `make up` (never by a
-- migration). The admin's password is generated at setup and arrives hashed (argon2id)
-- as the psql variable admin_password_hash; it is printed by `make run`, never committed.

INSERT INTO core.tenants (id, slug, name, legal_name, tax_id, address, locale, currency)
VALUES ('00000000-0000-4000-8000-000000000001', 'demo', 'Academia Demo', 'Academia Demo S.L.', 'B12345678',
        'Calle Mayor 1, 28013 Madrid', 'es-ES', 'EUR');

INSERT INTO core.branches (tenant_id, id, code, name, address) VALUES
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000b1', 'CENTRO', 'Sede Centro', 'Calle Mayor 1, Madrid'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000b2', 'NORTE', 'Sede Norte', 'Av. de la Ilustración 20, Madrid');

INSERT INTO core.users (tenant_id, id, email, full_name, password_hash)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1',
        'admin@demo.cimiento.dev', 'Administración Demo', :'admin_password_hash');

INSERT INTO core.user_roles (tenant_id, user_id, role_id)
SELECT r.tenant_id, '00000000-0000-4000-8000-0000000000a1', r.id
  FROM core.roles r
 WHERE r.tenant_id = '00000000-0000-4000-8000-000000000001' AND r.name = 'admin';
