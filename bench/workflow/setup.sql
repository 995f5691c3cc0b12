-- Two identical tenant tables (forced RLS; updating needs orders.update in the row's branch,
-- as every business table's policies ask; 100 000 rows of the demo tenant's Centro branch);
-- only bench.orders_wf has a workflow on status: flip a → b and flop b → a, each needing
-- orders.update in the row's branch (the admin holds it through '*').
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO app_user;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['plain', 'wf'] LOOP
    EXECUTE format($f$
      CREATE TABLE bench.orders_%1$s (
        tenant_id  uuid NOT NULL,
        id         bigint NOT NULL,
        branch_id  uuid NOT NULL,
        status     text NOT NULL,
        amount     numeric(12,2) NOT NULL,
        PRIMARY KEY (tenant_id, id));
      INSERT INTO bench.orders_%1$s (tenant_id, id, branch_id, status, amount)
      SELECT '00000000-0000-4000-8000-000000000001', g, '00000000-0000-4000-8000-0000000000b1', 'a', g %% 500
        FROM generate_series(1, 100000) g;
      SELECT cimiento.enable_tenant_isolation('bench.orders_%1$s', true);
      SELECT cimiento.enable_permission_policy('bench.orders_%1$s', 'update', '{orders.update}');
      GRANT SELECT, UPDATE (status) ON bench.orders_%1$s TO app_user;
    $f$, t);
  END LOOP;
END $$;
SELECT cimiento.enable_workflow('bench.orders_wf', 'status', $$[
  {"name": "flip", "from": ["a"], "to": "b", "permission": "orders.update"},
  {"name": "flop", "from": ["b"], "to": "a", "permission": "orders.update"}
]$$, entity => 'bench_orders');
VACUUM ANALYZE bench.orders_plain, bench.orders_wf;
