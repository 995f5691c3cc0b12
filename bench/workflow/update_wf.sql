\set id random(1, 100000)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000001","sub":"00000000-0000-4000-8000-0000000000a1","roles":["admin"],"branches":["*"],"grants":{"admin":["*"]}}', true);
UPDATE bench.orders_wf SET status = CASE status WHEN 'a' THEN 'b' ELSE 'a' END WHERE id = :id;
COMMIT;
