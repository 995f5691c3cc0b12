\set id random(1, 100000)
\set amount random(1, 500)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000b01","sub":"00000000-0000-4000-8000-000000000c01","roles":["admin"],"branches":["*"]}', true);
UPDATE bench.items_plain SET amount = :amount, updated_at = now() WHERE tenant_id = '00000000-0000-4000-8000-000000000b01' AND id = :id;
COMMIT;
