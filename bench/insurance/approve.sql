SELECT nextval('bench_insurance.next_proposal') AS n \gset
BEGIN;
SET LOCAL ROLE app_user;
SELECT set_config('request.jwt.claims', '{"role":"app_user","tid":"00000000-0000-4000-8000-000000000003","sub":"00000000-0000-4000-8000-0000000000f2","sid":"00000000-0000-4000-8000-00000000aaaa","amr":["pwd","otp"],"roles":["gerente"],"branches":["*"],"grants":{"gerente":["*"]}}', true);
SELECT api.approve_proposal((SELECT id FROM bench_insurance.queue WHERE n = :n));
COMMIT;
