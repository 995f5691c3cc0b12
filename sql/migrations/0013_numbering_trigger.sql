-- 0013: the numbering trigger is the extension's Rust function itself (no PL/pgSQL
-- SECURITY DEFINER wrapper, no second trigger for the notification): it acts as the
-- table's owner, takes the number in one prepared statement and notifies
-- cimiento_documents in the same statement. Same name, so SET CONSTRAINTS keeps working.
DROP TRIGGER invoices_number_at_commit ON billing.invoices;
CREATE CONSTRAINT TRIGGER invoices_number_at_commit AFTER INSERT OR UPDATE OF status ON billing.invoices
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status = 'issued' AND NEW.number IS NULL)
  EXECUTE FUNCTION cimiento.number_at_commit();
DROP TRIGGER invoices_notify_numbered ON billing.invoices;
DROP FUNCTION billing.invoices_number_at_commit();
DROP FUNCTION billing.invoices_notify_numbered();
