-- One tenant, one branch; series ONE (shared by all clients) and S0..S15 (one per client).
INSERT INTO core.tenants (id, slug, name) VALUES ('00000000-0000-4000-8000-00000000be01', 'bench', 'Bench');
INSERT INTO core.branches (tenant_id, id, code, name)
VALUES ('00000000-0000-4000-8000-00000000be01', '00000000-0000-4000-8000-00000000bb01', 'CENTRO', 'Centro');
INSERT INTO billing.invoice_series (tenant_id, id, branch_id, code, fiscal_year)
SELECT '00000000-0000-4000-8000-00000000be01', CASE c WHEN 'ONE' THEN '00000000-0000-4000-8000-00000000ee01'::uuid ELSE gen_random_uuid() END,
       '00000000-0000-4000-8000-00000000bb01', c, extract(year FROM current_date)::int
  FROM unnest(ARRAY['ONE', 'SEQ'] || ARRAY(SELECT 'S' || g FROM generate_series(0, 15) g)) c;
-- The plain-sequence variant writes its numbers under series SEQ (never numbered by cimiento).
UPDATE billing.invoice_series SET id = '00000000-0000-4000-8000-00000000ee02' WHERE code = 'SEQ';
CREATE SEQUENCE public.bench_plain_seq;
