-- 0015: one definition per business rule. The tax breakdown of api.invoice_taxes now comes
-- from billing.document_taxes (the rounding the totals and the PDF use), and the aging
-- summary from reports.outstanding_balances (one place decides the buckets). Same columns.
CREATE OR REPLACE VIEW api.invoice_taxes WITH (security_invoker = true) AS
  SELECT i.tenant_id, i.id AS invoice_id, t.tax_rate::numeric(5,2) AS tax_rate, t.base, t.tax
    FROM billing.invoices i
   CROSS JOIN LATERAL billing.document_taxes(i.tenant_id, i.id) AS t;
COMMENT ON VIEW api.invoice_taxes IS 'Tax breakdown per document and rate (base and tax), as billing.document_taxes computes it for totals and PDFs.';

CREATE OR REPLACE VIEW reports.aging_summary WITH (security_invoker = true) AS
  SELECT o.tenant_id, o.branch_id, o.branch_code,
         sum(o.balance) FILTER (WHERE o.aging_bucket = '0-30') AS bucket_0_30,
         sum(o.balance) FILTER (WHERE o.aging_bucket = '31-60') AS bucket_31_60,
         sum(o.balance) FILTER (WHERE o.aging_bucket = '61-90') AS bucket_61_90,
         sum(o.balance) FILTER (WHERE o.aging_bucket = '90+') AS bucket_90_plus,
         sum(o.balance) AS total_outstanding,
         count(*) AS enrollments_owing
    FROM reports.outstanding_balances o
   GROUP BY o.tenant_id, o.branch_id, o.branch_code;
COMMENT ON VIEW reports.aging_summary IS 'Outstanding balances per branch in the aging buckets of reports.outstanding_balances (days since the due date).';
