-- 0062: the clients' trigram index takes each new client at once (no pending list), so a
-- search never slows down after clients are added (#15's goal: search_clients p95 <= 50 ms
-- on 100 000 clients).
--
-- A GIN index with fastupdate (PostgreSQL's default) queues new entries in a pending list
-- that every search reads in full until VACUUM or the list's size limit merges it. On
-- 100 000 clients, `make bench` measured search_clients at p50 144 ms and p95 1 827 ms right
-- after loading them: the pending list, not the search. Measured on a scratch copy:
--   - 8 000 new clients leave 1 103 entries (85 pages) pending: 953 ms a search;
--   - the same after gin_clean_pending_list: 10 ms.
-- An agency adding clients all day would see that until autovacuum came by. Without the
-- pending list a new client costs more to insert (a plain single-row INSERT with its
-- triggers: ~190 → ~380 µs), which a person filing clients, or an import, does not feel;
-- every search does.
ALTER INDEX insurance.clients_search_idx SET (fastupdate = off);
-- Turning it off does not flush what is already pending.
SELECT pg_catalog.gin_clean_pending_list('insurance.clients_search_idx'::regclass);
COMMENT ON INDEX insurance.clients_search_idx IS 'Trigram index of the clients'' search text (api.search_clients: <% word similarity, served under RLS because the operators are LEAKPROOF). fastupdate = off: new clients go straight into the index instead of a pending list that every search would read in full until vacuumed (0062).';
