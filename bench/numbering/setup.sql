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
CREATE SCHEMA bench_plain;
CREATE SEQUENCE bench_plain.seq;

-- A second, non-invoice document table numbered by cimiento.enable_numbering (tickets per
-- cash register, no period), and its twin without numbering for the sequence baseline.
CREATE SCHEMA bench_tickets;
CREATE TABLE bench_tickets.ticket_series (
  tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), branch_id uuid NOT NULL,
  code text NOT NULL, format text NOT NULL DEFAULT '{code}-{number:06}', next_number bigint NOT NULL DEFAULT 1,
  active boolean NOT NULL DEFAULT true, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code));
CREATE TABLE bench_tickets.tickets (
  tenant_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), branch_id uuid NOT NULL,
  register text NOT NULL, total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
  series_id uuid, number bigint, number_display text,
  PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, series_id, number));
CREATE TABLE bench_tickets.tickets_seq (LIKE bench_tickets.tickets INCLUDING ALL);
CREATE SEQUENCE bench_tickets.plain_seq;
INSERT INTO bench_tickets.ticket_series (tenant_id, id, branch_id, code)
SELECT '00000000-0000-4000-8000-00000000be01', CASE c WHEN 'SEQ' THEN '00000000-0000-4000-8000-00000000ee03'::uuid ELSE gen_random_uuid() END,
       '00000000-0000-4000-8000-00000000bb01', c
  FROM unnest(ARRAY['ONE', 'SEQ'] || ARRAY(SELECT 'S' || g FROM generate_series(0, 15) g)) c;
SELECT cimiento.enable_numbering('bench_tickets.tickets', 'bench_tickets.ticket_series',
                                 series_key => '{"register": "code"}', period => 'none');
-- The same tickets audited, as every tenant table of a business is (cimiento.enable_audit):
-- a second row version then costs a second audit row too. Their own series.
CREATE TABLE bench_tickets.audited_series (LIKE bench_tickets.ticket_series INCLUDING ALL);
CREATE TABLE bench_tickets.audited (LIKE bench_tickets.tickets INCLUDING ALL);
INSERT INTO bench_tickets.audited_series (tenant_id, branch_id, code)
SELECT '00000000-0000-4000-8000-00000000be01', '00000000-0000-4000-8000-00000000bb01', 'S' || g FROM generate_series(0, 15) g;
SELECT cimiento.enable_numbering('bench_tickets.audited', 'bench_tickets.audited_series',
                                 series_key => '{"register": "code"}', period => 'none');
SELECT cimiento.enable_audit('bench_tickets.audited');
