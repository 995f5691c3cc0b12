-- 0012: bookkeeping columns whose changes alone are not worth an audit row — the series
-- counter (each number is already audited on the invoice that got it) and a session's
-- last-seen time (each rotation is audited on the refresh tokens).
SELECT cimiento.enable_audit('billing.invoice_series', ignore_columns => '{next_number}');
SELECT cimiento.enable_audit('core.sessions', ignore_columns => '{last_seen_at}');
