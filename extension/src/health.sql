-- What a DBA and the api's /ready watch (health.rs): one row per check, each with a status
-- (ok | warn | fail), its value and unit, and a sentence. Thresholds: warn when the check
-- deserves a look, fail when the engine is not doing its job (the api's /ready answers 503).

CREATE FUNCTION cimiento.health()
RETURNS TABLE (check_name text, status text, value double precision, unit text, detail text)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_store      cimiento.audit_store;
  v_horizon    bigint;
  v_unsealed   bigint;
  v_oldest     timestamptz;
  v_lag        double precision;
  v_n          bigint;
  v_names      text;
  v_standbys   bigint;
BEGIN
  -- 1. The audit sealer: rows of committed transactions not yet in their tenant's chain.
  SELECT * INTO v_store FROM cimiento.audit_store;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'audit_sealer_lag'::text, 'ok'::text, NULL::double precision, 'seconds'::text,
                        'no audit store registered'::text;
  ELSE
    EXECUTE pg_catalog.format('SELECT st.horizon FROM %s st', v_store.sealer_state) INTO v_horizon;
    IF cimiento.numbering_has_column(v_store.log, 'created_at') THEN
      EXECUTE pg_catalog.format(
        'SELECT pg_catalog.count(*), pg_catalog.min(l.created_at) FROM %s l
          WHERE l.txid >= $1
            AND NOT EXISTS (SELECT 1 FROM %s s WHERE s.txid = l.txid)',
        v_store.log, v_store.sealed_txids) INTO v_unsealed, v_oldest USING COALESCE(v_horizon, 0);
    ELSE
      EXECUTE pg_catalog.format(
        'SELECT pg_catalog.count(*), NULL::timestamptz FROM %s l
          WHERE l.txid >= $1
            AND NOT EXISTS (SELECT 1 FROM %s s WHERE s.txid = l.txid)',
        v_store.log, v_store.sealed_txids) INTO v_unsealed, v_oldest USING COALESCE(v_horizon, 0);
    END IF;
    v_lag := COALESCE(EXTRACT(epoch FROM pg_catalog.clock_timestamp() - v_oldest), 0);
    RETURN QUERY SELECT 'audit_sealer_lag'::text,
      CASE WHEN v_lag > 900 THEN 'fail' WHEN v_lag > 60 THEN 'warn' ELSE 'ok' END,
      v_lag, 'seconds'::text,
      pg_catalog.format('%s audit rows of committed transactions wait to be sealed; the oldest for %s s',
                        v_unsealed, pg_catalog.round(v_lag::numeric, 1));
  END IF;

  -- 2. Scheduled jobs whose latest run (for any tenant, in the last day) failed, and pg_cron
  --    runs of the engine's jobs that failed before reaching cimiento.run_job.
  WITH latest AS (
    SELECT DISTINCT ON (r.job, r.tenant_id) r.job, r.error
      FROM cimiento.job_runs r
     WHERE r.started_at > pg_catalog.now() - interval '1 day'
       AND r.tenant_id IS NOT NULL
     ORDER BY r.job, r.tenant_id, r.id DESC)
  SELECT pg_catalog.count(DISTINCT l.job), pg_catalog.string_agg(DISTINCT l.job, ', ')
    INTO v_n, v_names
    FROM latest l WHERE l.error IS NOT NULL;
  IF pg_catalog.to_regclass('cron.job_run_details') IS NOT NULL THEN
    EXECUTE $q$
      SELECT $1 + pg_catalog.count(DISTINCT j.jobname),
             pg_catalog.concat_ws(', ', $2, pg_catalog.string_agg(DISTINCT j.jobname, ', '))
        FROM cron.job_run_details d JOIN cron.job j ON j.jobid = d.jobid
       WHERE d.status = 'failed'
         AND j.jobname LIKE 'cimiento:%'
         AND d.start_time > pg_catalog.now() - interval '1 day'$q$
      INTO v_n, v_names USING v_n, v_names;
  END IF;
  RETURN QUERY SELECT 'failing_jobs'::text, CASE WHEN v_n > 0 THEN 'warn' ELSE 'ok' END, v_n::double precision,
    'jobs'::text,
    CASE WHEN v_n > 0 THEN 'scheduled jobs whose latest run in the last day failed: ' || v_names
         ELSE 'no scheduled job failed its latest run in the last day' END;

  -- 3. Replication: on a standby, how far replay is behind; on the primary, the slowest
  --    attached standby (none attached is fine).
  IF pg_catalog.pg_is_in_recovery() THEN
    v_lag := CASE WHEN pg_catalog.pg_last_wal_receive_lsn() = pg_catalog.pg_last_wal_replay_lsn() THEN 0
                  ELSE COALESCE(EXTRACT(epoch FROM pg_catalog.now() - pg_catalog.pg_last_xact_replay_timestamp()), 0) END;
    RETURN QUERY SELECT 'replica_lag'::text,
      CASE WHEN v_lag > 300 THEN 'fail' WHEN v_lag > 10 THEN 'warn' ELSE 'ok' END, v_lag, 'seconds'::text,
      pg_catalog.format('this is a standby; replay is %s s behind the primary', pg_catalog.round(v_lag::numeric, 3));
  ELSE
    SELECT pg_catalog.count(*),
           COALESCE(pg_catalog.max(EXTRACT(epoch FROM COALESCE(r.replay_lag, interval '0'))), 0)
      INTO v_standbys, v_lag
      FROM pg_catalog.pg_stat_replication r;
    RETURN QUERY SELECT 'replica_lag'::text,
      CASE WHEN v_lag > 300 THEN 'fail' WHEN v_lag > 10 THEN 'warn' ELSE 'ok' END,
      CASE WHEN v_standbys > 0 THEN v_lag END, 'seconds'::text,
      CASE WHEN v_standbys > 0 THEN pg_catalog.format('%s standby(s) streaming; the slowest replays %s s behind', v_standbys, pg_catalog.round(v_lag::numeric, 3))
           ELSE 'no standby attached' END;
  END IF;

  -- 4. Numbering: transactions queued on a series row (a tuple lock held while waiting for
  --    the committing transaction ahead of them, or waited for).
  SELECT pg_catalog.count(*) INTO v_n
    FROM pg_catalog.pg_locks k
   WHERE k.locktype = 'tuple'
     AND k.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
     AND k.relation IN (SELECT t.series_table::pg_catalog.oid FROM cimiento.numbered_tables t);
  RETURN QUERY SELECT 'numbering_waits'::text,
    CASE WHEN v_n >= 50 THEN 'fail' WHEN v_n >= 10 THEN 'warn' ELSE 'ok' END, v_n::double precision,
    'transactions'::text,
    pg_catalog.format('%s transactions wait for a numbering series row right now', v_n);
END
$$;
COMMENT ON FUNCTION cimiento.health() IS
  'What to watch, one row per check (check_name, status ok|warn|fail, value, unit, detail): audit_sealer_lag (age of the oldest audit row not yet sealed; warn > 60 s, fail > 15 min), failing_jobs (scheduled jobs whose latest run in the last day failed; warn), replica_lag (on a standby its replay delay, on the primary the slowest standby; warn > 10 s, fail > 5 min), numbering_waits (transactions queued on a numbering series row; warn >= 10, fail >= 50). The api''s /ready answers 503 when a check fails. SECURITY DEFINER (reads the audit store, every tenant''s job runs and the server''s activity, returns only counts and job names), not executable by PUBLIC. STABLE, PARALLEL RESTRICTED.';
REVOKE ALL ON FUNCTION cimiento.health() FROM PUBLIC;
