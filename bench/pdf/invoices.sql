-- :count issued 20-line invoices in the demo tenant (series BENCH), without stored PDFs
-- (bench/pdf.sh asks for one, and 20 per concurrency and round).
INSERT INTO billing.invoice_series (tenant_id, branch_id, code, fiscal_year)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000b1', 'BENCH', extract(year FROM current_date));
WITH inv AS (
  INSERT INTO billing.invoices (tenant_id, branch_id, series_code, currency, customer_name, customer_tax_id, customer_address)
  SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000b1', 'BENCH', 'EUR',
         'Cliente de prueba ' || g, '1234567' || (g % 10) || 'Z', 'Calle Mayor ' || g || ', Madrid'
    FROM generate_series(1, :count) g RETURNING tenant_id, id, branch_id)
INSERT INTO billing.invoice_items (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
SELECT inv.tenant_id, inv.id, l, inv.branch_id, 'Clase particular de matemáticas, sesión ' || l, 1 + l % 3, 25 + l, CASE WHEN l % 4 = 0 THEN 10 ELSE 21 END
  FROM inv CROSS JOIN generate_series(1, 20) l;
UPDATE billing.invoices SET status = 'issued' WHERE series_code = 'BENCH' AND status = 'draft';
