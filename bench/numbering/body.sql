INSERT INTO billing.invoices (tenant_id, branch_id, series_code, currency, customer_name)
VALUES (:tenant::uuid, :branch::uuid, :code, 'EUR', 'Cliente bench') RETURNING id \gset
INSERT INTO billing.invoice_items (tenant_id, invoice_id, line_no, branch_id, description, quantity, unit_price, tax_rate)
VALUES (:tenant::uuid, :id::uuid, 1, :branch::uuid, 'Matrícula', 1, 120, 21),
       (:tenant::uuid, :id::uuid, 2, :branch::uuid, 'Libro', 2, 25.5, 4),
       (:tenant::uuid, :id::uuid, 3, :branch::uuid, 'Material', 1, :line, 21);
