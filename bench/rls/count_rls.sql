\set k random(1, 100)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","roles":["admin"],"branches":["*"],"grants":{"admin":["*"]},"tid":"00000000-0000-4000-8000-' || lpad(:k::text, 12, '0') || '"}', true);
SELECT count(*) FROM bench.items;
COMMIT;
