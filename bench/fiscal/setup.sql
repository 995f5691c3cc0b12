-- Two tenants shaped alike (one branch, series ONE): 'fiscal' issues under a Spanish fiscal
-- profile (every invoice gets its VERI*FACTU registro, chained under one issuer NIF and
-- queued for the AEAT), 'plain' has no profile. The only difference is the fiscal record.
INSERT INTO core.tenants (id, slug, name) VALUES
  ('00000000-0000-4000-8000-00000000fe01', 'fiscal', 'Fiscal'),
  ('00000000-0000-4000-8000-00000000fe02', 'plain', 'Plain');
INSERT INTO core.branches (tenant_id, id, code, name) VALUES
  ('00000000-0000-4000-8000-00000000fe01', '00000000-0000-4000-8000-00000000fb01', 'CENTRO', 'Centro'),
  ('00000000-0000-4000-8000-00000000fe02', '00000000-0000-4000-8000-00000000fb02', 'CENTRO', 'Centro');
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, fiscal_year) VALUES
  ('00000000-0000-4000-8000-00000000fe01', '00000000-0000-4000-8000-00000000fb01', 'ONE', extract(year FROM current_date)::int),
  ('00000000-0000-4000-8000-00000000fe02', '00000000-0000-4000-8000-00000000fb02', 'ONE', extract(year FROM current_date)::int);
INSERT INTO fiscal.profiles (tenant_id, country, tax_id, legal_name, address)
VALUES ('00000000-0000-4000-8000-00000000fe01', 'ES', 'B12345674', 'Fiscal S.L.', 'Calle Mayor 1, Madrid');
