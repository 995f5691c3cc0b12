\set id random(1, 100000)
\set amount random(1, 500)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000b01","sub":"00000000-0000-4000-8000-000000000c01","roles":["admin"],"branches":["*"]}', true);
WITH n AS (UPDATE bench.items_floor t SET amount = :amount, updated_at = now()
             FROM (SELECT tenant_id, id, amount, updated_at FROM bench.items_floor) o
            WHERE t.tenant_id = '00000000-0000-4000-8000-000000000b01' AND t.id = :id AND o.tenant_id = t.tenant_id AND o.id = t.id
           RETURNING t.*, o.amount AS old_amount, o.updated_at AS old_updated_at)
INSERT INTO bench.trail_copy (tenant_id, branch_id, table_name, operation, row_pk, new_row, old_row, changes,
                              actor_user, actor_roles, actor_session, actor_login, request_id, txid, row_key)
SELECT n.tenant_id, NULL, 'bench.items_floor', 'UPDATE', jsonb_build_object('tenant_id', n.tenant_id, 'id', n.id), NULL, NULL,
       jsonb_strip_nulls(jsonb_build_object(
         'amount', CASE WHEN n.old_amount IS DISTINCT FROM n.amount THEN jsonb_build_array(n.old_amount, n.amount) END,
         'updated_at', CASE WHEN n.old_updated_at IS DISTINCT FROM n.updated_at THEN jsonb_build_array(n.old_updated_at, n.updated_at) END)),
       '00000000-0000-4000-8000-000000000c01', '{admin}', NULL, 'authenticator', NULL, txid_current(),
       hashtextextended('bench.items_floor ' || jsonb_build_object('tenant_id', n.tenant_id, 'id', n.id)::text, 0)
  FROM n;
COMMIT;
