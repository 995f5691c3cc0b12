-- 1M visits: 100 tenants × 10 000, each tenant's visits spread over 50 collectors and two
-- branches. The same table is read (a) through RLS with the owner scope, as a collector
-- holding visits.read_own, and (b) by a BYPASSRLS role with the explicit WHERE.
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO app_user, bench_norls;
CREATE TABLE bench.visits (
  tenant_id    uuid NOT NULL,
  id           bigint NOT NULL,
  branch_id    uuid NOT NULL,
  collector_id uuid NOT NULL,
  amount       numeric(12,2) NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
INSERT INTO bench.visits (tenant_id, id, branch_id, collector_id, amount)
SELECT ('00000000-0000-4000-8000-' || lpad(t::text, 12, '0'))::uuid, i,
       ('00000000-0000-4000-9000-' || lpad((t * 10 + i % 2)::text, 12, '0'))::uuid,
       ('00000000-0000-4000-a000-' || lpad((t * 100 + i % 50)::text, 12, '0'))::uuid,
       round((random() * 500)::numeric, 2)
  FROM generate_series(1, 100) t, generate_series(1, 10000) i;
CREATE INDEX visits_collector_idx ON bench.visits (tenant_id, collector_id);
SELECT cimiento.enable_tenant_isolation('bench.visits');
SELECT cimiento.enable_owner_scope('bench.visits', 'collector_id', 'visits.read', 'visits.read_own', '{select}');
GRANT SELECT ON bench.visits TO app_user, bench_norls;
-- Each tenant has a collector role granting visits.read_own.
INSERT INTO core.tenants (id, slug, name)
SELECT ('00000000-0000-4000-8000-' || lpad(t::text, 12, '0'))::uuid, 'bench-' || t, 'Bench ' || t FROM generate_series(2, 100) t
ON CONFLICT DO NOTHING;
INSERT INTO core.roles (tenant_id, name, description)
SELECT ('00000000-0000-4000-8000-' || lpad(t::text, 12, '0'))::uuid, 'collector', 'bench' FROM generate_series(1, 100) t;
INSERT INTO core.role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, 'visits.read_own' FROM core.roles r WHERE r.name = 'collector';
VACUUM ANALYZE bench.visits;
