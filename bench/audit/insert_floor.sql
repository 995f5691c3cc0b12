\set amount random(1, 500)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000b01","sub":"00000000-0000-4000-8000-000000000c01","roles":["admin"],"branches":["*"]}', true);
WITH n AS (INSERT INTO bench.items_floor (tenant_id, id, name, amount) VALUES ('00000000-0000-4000-8000-000000000b01', nextval('bench.items_floor_seq'), 'nuevo', :amount) RETURNING *)
INSERT INTO bench.trail_copy (tenant_id, branch_id, table_name, operation, row_pk, new_row, old_row, changes,
                              actor_user, actor_roles, actor_session, actor_login, request_id, txid, row_key)
SELECT n.tenant_id, NULL, 'bench.items_floor', 'INSERT', jsonb_build_object('tenant_id', n.tenant_id, 'id', n.id), to_jsonb(n), NULL, NULL,
       '00000000-0000-4000-8000-000000000c01', '{admin}', NULL, 'authenticator', NULL, txid_current(),
       hashtextextended('bench.items_floor ' || jsonb_build_object('tenant_id', n.tenant_id, 'id', n.id)::text, 0)
  FROM n;
COMMIT;
