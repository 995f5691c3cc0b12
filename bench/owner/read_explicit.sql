\set k random(2, 100)
\set c random(0, 49)
BEGIN;
SET LOCAL ROLE bench_norls;
-- The same claims statement as the scoped read (PostgREST sends it either way): the two
-- transactions differ only in RLS against the explicit WHERE.
SELECT set_config('request.jwt.claims', '{"role":"app_user","roles":["collector"],"branches":["*"],"grants":{"collector":["*"]},"tid":"00000000-0000-4000-8000-' || lpad(:k::text, 12, '0') || '","sub":"00000000-0000-4000-a000-' || lpad((:k * 100 + :c)::text, 12, '0') || '"}', true);
SELECT count(*), sum(amount) FROM bench.visits
 WHERE tenant_id = ('00000000-0000-4000-8000-' || lpad(:k::text, 12, '0'))::uuid
   AND collector_id = ('00000000-0000-4000-a000-' || lpad((:k * 100 + :c)::text, 12, '0'))::uuid;
COMMIT;
