\set a random(1, 40)
\set b random(41, 80)
\set c random(81, 120)
\set d random(121, 160)
\set e random(161, 200)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000002","sub":"00000000-0000-4000-8000-0000000000d1","roles":["admin"],"branches":["*"],"grants":{"admin":["*"]}}', true);
SELECT bench.plain_sale('00000000-0000-4000-8000-0000000000c1', bench.lines(:a, :b, :c, :d, :e), '[{"method": "cash", "amount": 1000}]');
COMMIT;
