-- 0057: an invoice issued when its series is free is numbered by the issuing statement
-- (#13: gapless invoices ÷ plain sequence; #14, #17 share the path).
--
-- Numbered at commit, every issued invoice was written twice: the issuing UPDATE (status)
-- and, at commit, the numbering's UPDATE (number, display, series, year, issued_at) — a
-- second row version with its own audit row, immutability guard, foreign-key re-checks and
-- index entries (pg_stat_statements, one client: ~570 µs of the numbering's ~750 µs per
-- invoice). With cimiento.number_when_free the issuing UPDATE takes the number itself when
-- no other transaction holds the series, and the row is written once; a busy series is
-- still numbered at commit, so concurrent issuers queue only on commits, as before.
--
-- api.create_sale issues its ticket before it takes the stock and builds its answer, and
-- numbers it last (0037): it keeps the numbering at commit for its own statements.

SELECT cimiento.number_when_free('billing.invoices');

ALTER FUNCTION api.create_sale(uuid, jsonb, jsonb, uuid, text, uuid) SET cimiento.defer_numbering = on;
