\set amount random(1, 500)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000b01","sub":"00000000-0000-4000-8000-000000000c01","roles":["admin"],"branches":["*"]}', true);
INSERT INTO bench.items_plpgsql (tenant_id, id, name, amount) VALUES ('00000000-0000-4000-8000-000000000b01', nextval('bench.items_plpgsql_seq'), 'nuevo', :amount);
COMMIT;
