-- 1M rows across 100 tenants (10 000 each), isolated with the extension like every tenant table.
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO app_user, bench_norls;
CREATE TABLE bench.items (
  tenant_id  uuid NOT NULL,
  id         bigint NOT NULL,
  branch_id  uuid NOT NULL,
  amount     numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
INSERT INTO bench.items (tenant_id, id, branch_id, amount)
SELECT ('00000000-0000-4000-8000-' || lpad(t::text, 12, '0'))::uuid, i,
       ('00000000-0000-4000-9000-' || lpad((t * 10 + i % 2)::text, 12, '0'))::uuid,
       round((random() * 500)::numeric, 2)
  FROM generate_series(1, 100) t, generate_series(1, 10000) i;
SELECT cimiento.enable_tenant_isolation('bench.items');
GRANT SELECT ON bench.items TO app_user, bench_norls;
VACUUM ANALYZE bench.items;
