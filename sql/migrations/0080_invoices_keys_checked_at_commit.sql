-- 0080: an invoice's foreign keys are checked once, at commit, for the row as committed
-- (#13: gapless invoices ÷ plain sequence).
--
-- PostgreSQL checks a row's foreign keys again at every UPDATE of a row that its own
-- transaction inserted, even when no key changed (it cannot tell whether the INSERT's check
-- already ran). An invoice is inserted as a draft, issued and — its series busy — numbered at
-- commit in one transaction: its branch was checked three times, its series twice, and the
-- numbering's checks, run under the numbering's pinned search path, were planned again at
-- every switch of path. Checked at commit, a check queued for a row version that is no longer
-- the current one is skipped: each key is checked once, for the row that is committed, after
-- the numbering. On a scratch numbering cluster, one client: ~180 µs less CPU per invoice
-- numbered at commit (1 585–1 657 → 1 439–1 441 µs); the plain-sequence baseline, which
-- writes its invoice twice, unchanged within noise.
--
-- What callers see: a reference to an unknown branch, student, series or corrected invoice is
-- refused with the same SQLSTATE (23503), message and HTTP status (409), at COMMIT instead
-- of at the statement; nothing is written and no number is used (the transaction, its
-- numbering included, rolls back). `SET CONSTRAINTS ALL IMMEDIATE` checks them sooner.
-- The fiscal records' keys to their invoice are checked at commit already (0045).
-- invoices_student_fkey was added by the academy (0008); it is the same table's rule.

ALTER TABLE billing.invoices
  ALTER CONSTRAINT invoices_tenant_id_branch_id_fkey DEFERRABLE INITIALLY DEFERRED,
  ALTER CONSTRAINT invoices_tenant_id_series_id_fkey DEFERRABLE INITIALLY DEFERRED,
  ALTER CONSTRAINT invoices_tenant_id_corrects_invoice_id_fkey DEFERRABLE INITIALLY DEFERRED,
  ALTER CONSTRAINT invoices_student_fkey DEFERRABLE INITIALLY DEFERRED;

COMMENT ON CONSTRAINT invoices_tenant_id_branch_id_fkey ON billing.invoices IS
  'The invoice''s branch exists in its tenant. Checked at commit (one check for the committed row, not one per row version).';
COMMENT ON CONSTRAINT invoices_tenant_id_series_id_fkey ON billing.invoices IS
  'The series that numbered the invoice exists in its tenant. Checked at commit, after the numbering.';
COMMENT ON CONSTRAINT invoices_tenant_id_corrects_invoice_id_fkey ON billing.invoices IS
  'A credit note corrects an invoice of its tenant. Checked at commit.';
COMMENT ON CONSTRAINT invoices_student_fkey ON billing.invoices IS
  'The invoice''s student exists in its tenant (academy). Checked at commit.';
