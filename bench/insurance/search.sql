\set k random(1, 60)
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000003","sub":"00000000-0000-4000-8000-0000000000f4","sid":"00000000-0000-4000-8000-00000000bbbb","amr":["pwd"],"roles":["cobrador"],"branches":["00000000-0000-4000-8000-0000000000e1"],"grants":{"cobrador":["00000000-0000-4000-8000-0000000000e1"]}}', true);
SELECT count(*) FROM api.search_clients((SELECT q FROM bench_insurance.queries WHERE k = :k));
COMMIT;
