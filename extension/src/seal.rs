//! Tamper evidence for the audit trail: a SHA-256 chain per tenant.
//!
//! A background worker (`cimiento audit sealer`) seals new rows of the registered audit
//! store's log (`cimiento.register_audit_store`) every
//! `cimiento.audit_seal_interval_ms` (1 s): writers never wait for it and never share a lock.
//! It runs as its own login `cimiento_sealer` (not a superuser: it may read the log and
//! append seals, nothing else), under `search_path = pg_catalog, pg_temp`, and serialises
//! with manual runs by locking the store's sealer-state row, which only the audit roles
//! may update (an advisory lock anyone could take would let any login stall it).
//!
//! It seals the rows of every committed transaction it can see. The horizon is the oldest
//! transaction still running: every row of a transaction below it is sealed. Committed
//! transactions at or above the horizon (a long transaction elsewhere holds it back) are
//! sealed too and remembered in the store's sealed-transactions table until the horizon passes them, so an
//! open transaction delays nothing but its own rows. A run seals at most
//! `SEAL_BATCH_ROWS` rows (whole transactions). Each run appends one seal per tenant
//! holding that batch's rows in (transaction id, log id) order:
//!
//! ```text
//! row_hash      = sha256(to_jsonb(log row)::text)
//! seal n        = (log_ids, row_hashes = row_hash(1) || … || row_hash(k))
//! chain_hash(n) = sha256(chain_hash(n-1) || row_hashes(n) || n as 8 big-endian bytes)
//! chain_hash(0) = 32 zero bytes (or the base a pruning left in the store's chain bases)
//! ```
//!
//! One seal per tenant and batch (not per row) keeps the sealer's own writes small. Each run
//! first summarizes the log's BRIN ranges filled since the last one, so its queries by
//! transaction id read only the log's newest pages.
//!
//! `cimiento.verify_audit(tenant, checkpoint)` recomputes the chain: it finds a sealed row
//! that was changed, removed or swapped, a seal that was forged, and an unsealed row inside
//! the sealed range (inserted afterwards). What the chain alone cannot prove: that nobody
//! with superuser rights rewrote the whole chain consistently or cut its tail. Keep
//! `cimiento.audit_checkpoint(tenant)` outside the database (it is a hash and a count):
//! verifying against it detects both.
use std::time::Duration;

use pgrx::bgworkers::{BackgroundWorker, BackgroundWorkerBuilder, SignalWakeFlags};
use pgrx::prelude::*;
use sha2::{Digest, Sha256};

use crate::audit::AuditStore;
use crate::error::{CimientoError, OrRaise};

/// At most this many rows per run (whole transactions: one larger transaction is sealed alone).
const SEAL_BATCH_ROWS: i64 = 20_000;

/// Registers the sealing worker when the library is loaded at server start.
pub fn init() {
    // SAFETY: reading a postmaster-set flag.
    if unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        BackgroundWorkerBuilder::new("cimiento audit sealer")
            .set_type("cimiento audit sealer")
            .set_function("cimiento_audit_sealer_main")
            .set_library("cimiento")
            .enable_spi_access()
            .set_restart_time(Some(Duration::from_secs(2)))
            .load();
    }
}

/// The sealing worker's entry point.
#[pg_guard]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn cimiento_audit_sealer_main(_arg: pg_sys::Datum) {
    BackgroundWorker::attach_signal_handlers(SignalWakeFlags::SIGHUP | SignalWakeFlags::SIGTERM);
    let db = crate::settings::audit_database();
    let role = crate::settings::audit_sealer_role();
    // A missing role is a FATAL for this worker only; the postmaster retries it later.
    BackgroundWorker::connect_worker_to_spi(Some(&db), Some(&role));
    loop {
        let interval = crate::settings::audit_seal_interval();
        if !BackgroundWorker::wait_latch(Some(interval)) {
            break; // SIGTERM
        }
        BackgroundWorker::transaction(|| {
            // Never the database's search_path: nothing another role created can run here.
            let ready = Spi::get_one::<bool>(
                "SELECT pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true) IS NOT NULL
                    AND pg_catalog.set_config('statement_timeout', '60s', true) IS NOT NULL
                    AND pg_catalog.to_regclass('cimiento.audit_store') IS NOT NULL",
            )
            .ok()
            .flatten()
            .unwrap_or(false);
            if ready {
                if let Err(e) = seal_pending() {
                    pgrx::warning!("cimiento audit sealer: {e}");
                }
            }
        });
    }
}

fn sha(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// chain_hash(n) from chain_hash(n-1) and the seal's concatenated row hashes.
pub fn chain_step(prev: &[u8], row_hashes: &[u8], seq: i64) -> [u8; 32] {
    sha(&[prev, row_hashes, &seq.to_be_bytes()])
}

/// The head (seq, chain hash) a tenant's chain continues from.
fn head(client: &pgrx::spi::SpiClient<'_>, store: &AuditStore, tenant: pgrx::Uuid) -> Result<(i64, Vec<u8>), CimientoError> {
    let last = client.select(
        &store.sql("SELECT seq, chain_hash FROM {seals} WHERE tenant_id OPERATOR(pg_catalog.=) $1 ORDER BY seq DESC LIMIT 1"),
        Some(1),
        &[tenant.into()],
    )?;
    if !last.is_empty() {
        let r = last.first();
        return Ok((r.get::<i64>(1)?.unwrap_or(0), r.get::<Vec<u8>>(2)?.unwrap_or_default()));
    }
    base(client, store, tenant)
}

fn base(client: &pgrx::spi::SpiClient<'_>, store: &AuditStore, tenant: pgrx::Uuid) -> Result<(i64, Vec<u8>), CimientoError> {
    let b = client.select(&store.sql("SELECT seq, chain_hash FROM {chain_base} WHERE tenant_id = $1"), Some(1), &[tenant.into()])?;
    if !b.is_empty() {
        let r = b.first();
        return Ok((r.get::<i64>(1)?.unwrap_or(0), r.get::<Vec<u8>>(2)?.unwrap_or_default()));
    }
    Ok((0, vec![0u8; 32]))
}

/// Summarizes the block ranges of the log's BRIN indexes (its `txid` one bounds every query
/// below) filled since the last run. A BRIN scan returns every range not summarized yet, and
/// PostgreSQL summarizes new ranges only when the log is vacuumed: until then each run read
/// the whole unsummarized tail, twice (measured: 1 906 pages to find 1 500 rows; 114 after).
/// Summarizing is for the index's owner: done as the audit role, on indexes it owns, and only
/// when the log's ShareUpdateExclusiveLock is free at once (a VACUUM of the log, which
/// summarizes too, never makes the sealer wait).
fn summarize_new_ranges(client: &mut pgrx::spi::SpiClient<'_>, store: &AuditStore) -> Result<(), CimientoError> {
    let log = client
        .select("SELECT $1::pg_catalog.regclass::pg_catalog.oid", Some(1), &[store.log.as_str().into()])?
        .first()
        .get_one::<pg_sys::Oid>()?
        .unwrap_or(pg_sys::InvalidOid);
    if log == pg_sys::InvalidOid {
        return Ok(());
    }
    // SAFETY: a conditional lock on an existing relation; held until the run's transaction ends.
    let free = unsafe { pg_sys::ConditionalLockRelationOid(log, pg_sys::ShareUpdateExclusiveLock as pg_sys::LOCKMODE) };
    if !free {
        return Ok(());
    }
    let _owner = crate::audit::as_audit_owner()?;
    client.update(
        "SELECT pg_catalog.brin_summarize_new_values(i.indexrelid::pg_catalog.regclass)
           FROM pg_catalog.pg_index i
           JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.indexrelid
           JOIN pg_catalog.pg_am a ON a.oid OPERATOR(pg_catalog.=) c.relam
          WHERE i.indrelid OPERATOR(pg_catalog.=) $1 AND a.amname OPERATOR(pg_catalog.=) 'brin'
            AND pg_catalog.pg_has_role(c.relowner, 'USAGE')",
        None,
        &[log.into()],
    )?;
    Ok(())
}

/// Seals the rows of committed transactions not sealed yet (at most a batch); returns how many.
fn seal_pending() -> Result<i64, CimientoError> {
    Spi::connect_mut(|client| {
        let Some(store) = AuditStore::load(client)?.filter(|s| s.complete(client).unwrap_or(false)) else { return Ok(0) };
        // Serialise with other sealers on a row only the audit roles may lock.
        client.update(&store.sql("SELECT 1 FROM {sealer_state} FOR UPDATE"), None, &[])?;
        summarize_new_ranges(client, &store)?;
        // Every transaction below this one has ended before the rows are read below.
        let oldest_running = client
            .select("SELECT pg_catalog.txid_snapshot_xmin(pg_catalog.txid_current_snapshot())", Some(1), &[])?
            .first()
            .get_one::<i64>()?
            .unwrap_or(0);
        let prev = client
            .select(&store.sql("SELECT horizon FROM {sealer_state}"), Some(1), &[])?
            .first()
            .get_one::<i64>()?
            .unwrap_or(0);
        // Committed, unsealed transactions (in-progress ones are invisible), oldest first,
        // whole transactions up to the batch size.
        let pending = client.select(
            &store.sql(
                "SELECT l.txid, pg_catalog.count(*) FROM {log} l
                  WHERE l.txid >= $1
                    AND NOT EXISTS (SELECT 1 FROM {sealed_txids} s WHERE s.txid OPERATOR(pg_catalog.=) l.txid)
                  GROUP BY l.txid ORDER BY l.txid",
            ),
            None,
            &[prev.into()],
        )?;
        let mut txids: Vec<i64> = Vec::new();
        let mut first_left: Option<i64> = None;
        let mut total = 0i64;
        for r in pending {
            let txid = r.get::<i64>(1)?.unwrap_or(0);
            let n = r.get::<i64>(2)?.unwrap_or(0);
            if !txids.is_empty() && total + n > SEAL_BATCH_ROWS {
                first_left = Some(txid);
                break;
            }
            txids.push(txid);
            total += n;
        }
        // Everything below the new horizon is sealed (now or before).
        let horizon = match first_left {
            Some(t) => t.min(oldest_running),
            None => oldest_running,
        }
        .max(prev);
        // The batch's range bounds the scan: the log's txid index is a BRIN, which cannot
        // search an array (`= ANY` alone read the whole log, every second).
        let (lowest, highest) = (txids.first().copied().unwrap_or(0), txids.last().copied().unwrap_or(0));
        let rows = client.select(
            &store.sql(
                "SELECT l.tenant_id, l.id, pg_catalog.to_jsonb(l)::pg_catalog.text FROM {log} l
                  WHERE l.txid OPERATOR(pg_catalog.>=) $2 AND l.txid OPERATOR(pg_catalog.<=) $3
                    AND l.txid OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.int8[])
                  ORDER BY l.tenant_id, l.txid, l.id",
            ),
            None,
            &[txids.clone().into(), lowest.into(), highest.into()],
        )?;
        // One seal per tenant: (tenant, log ids, concatenated row hashes).
        let mut seals: Vec<(pgrx::Uuid, Vec<i64>, Vec<u8>)> = Vec::new();
        let mut sealed = 0i64;
        for r in rows {
            let tenant = r.get::<pgrx::Uuid>(1)?.ok_or_else(|| CimientoError::Internal("log row without tenant".into()))?;
            let id = r.get::<i64>(2)?.unwrap_or(0);
            let text = r.get::<String>(3)?.unwrap_or_default();
            if seals.last().map(|s| s.0 != tenant).unwrap_or(true) {
                seals.push((tenant, Vec::new(), Vec::new()));
            }
            let Some(seal) = seals.last_mut() else { continue };
            seal.1.push(id);
            seal.2.extend_from_slice(&sha(&[text.as_bytes()]));
            sealed += 1;
        }
        let (mut tenants, mut seqs, mut ids, mut hashes, mut chains) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (tenant, log_ids, row_hashes) in seals {
            let (seq, prev_hash) = head(client, &store, tenant)?;
            let chain = chain_step(&prev_hash, &row_hashes, seq + 1);
            tenants.push(tenant);
            seqs.push(seq + 1);
            ids.push(pgrx::JsonB(serde_json::json!(log_ids)));
            hashes.push(row_hashes);
            chains.push(chain.to_vec());
        }
        if !tenants.is_empty() {
            client.update(
                &store.sql(
                    "INSERT INTO {seals} (tenant_id, seq, log_ids, row_hashes, chain_hash)
                     SELECT t, s, ARRAY(SELECT pg_catalog.jsonb_array_elements_text(i)::pg_catalog.int8), h, c
                       FROM unnest($1::pg_catalog.uuid[], $2::pg_catalog.int8[], $3::pg_catalog.jsonb[],
                                   $4::pg_catalog.bytea[], $5::pg_catalog.bytea[]) AS u(t, s, i, h, c)",
                ),
                None,
                &[tenants.into(), seqs.into(), ids.into(), hashes.into(), chains.into()],
            )?;
        }
        // Transactions sealed above the horizon are remembered until it passes them.
        client.update(
            &store.sql(
                "INSERT INTO {sealed_txids} (txid)
                 SELECT t FROM pg_catalog.unnest($1::pg_catalog.int8[]) AS t WHERE t >= $2 ON CONFLICT DO NOTHING",
            ),
            None,
            &[txids.into(), horizon.into()],
        )?;
        client.update(&store.sql("DELETE FROM {sealed_txids} WHERE txid < $1"), None, &[horizon.into()])?;
        client.update(
            &store.sql(
                "UPDATE {sealer_state} SET horizon = $1, sealed_at = pg_catalog.clock_timestamp(),
                        rows_sealed = rows_sealed + $2",
            ),
            None,
            &[horizon.into(), sealed.into()],
        )?;
        Ok(sealed)
    })
}

/// Seals new audit rows now (the background worker does this every second); returns how
/// many rows it sealed.
#[pg_extern(volatile, parallel_unsafe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn seal_audit() -> i64 {
    seal_pending().or_raise()
}

/// The head of a tenant's chain, to keep outside the database.
#[pg_extern(stable, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn audit_checkpoint(tenant: pgrx::Uuid) -> pgrx::JsonB {
    let (seq, hash, at) = Spi::connect(|client| -> Result<(i64, Vec<u8>, Option<String>), CimientoError> {
        let store = AuditStore::require(client)?;
        let last = client.select(
            &store.sql("SELECT seq, chain_hash, sealed_at::text FROM {seals} WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1"),
            Some(1),
            &[tenant.into()],
        )?;
        if last.is_empty() {
            let (seq, hash) = base(client, &store, tenant)?;
            return Ok((seq, hash, None));
        }
        let r = last.first();
        Ok((r.get::<i64>(1)?.unwrap_or(0), r.get::<Vec<u8>>(2)?.unwrap_or_default(), r.get::<String>(3)?))
    })
    .or_raise();
    pgrx::JsonB(serde_json::json!({
        "tenant_id": tenant.to_string(),
        "seq": seq,
        "hash": hex::encode(hash),
        "sealed_at": at,
    }))
}

/// What `verify_audit` reports: how many seals were checked and the first problem, if any.
struct Verdict {
    checked: i64,
    problem: Option<Problem>,
}

/// The first break found in a chain: what (`row changed`, `chain broken`…), at which seal
/// and in words.
struct Problem {
    what: &'static str,
    at_seq: Option<i64>,
    detail: String,
}

impl Verdict {
    fn into_row(self) -> (bool, i64, Option<String>, Option<i64>, Option<String>) {
        match self.problem {
            None => (true, self.checked, None, None, None),
            Some(p) => (false, self.checked, Some(p.what.into()), p.at_seq, Some(p.detail)),
        }
    }
}

fn bad(checked: i64, what: &'static str, at_seq: Option<i64>, detail: String) -> Verdict {
    Verdict { checked, problem: Some(Problem { what, at_seq, detail }) }
}

fn verify(tenant: pgrx::Uuid, checkpoint: Option<serde_json::Value>) -> Result<Verdict, CimientoError> {
    Spi::connect(|client| {
        let store = AuditStore::require(client)?;
        let (base_seq, base_hash) = base(client, &store, tenant)?;
        let seals = client.select(
            &store.sql("SELECT seq, log_ids, row_hashes, chain_hash FROM {seals} WHERE tenant_id = $1 ORDER BY seq"),
            None,
            &[tenant.into()],
        )?;
        let mut expected = base_seq;
        let mut prev = base_hash;
        let mut checked = 0i64;
        let mut sealed_ids = std::collections::HashSet::new();
        let cp_seq = checkpoint.as_ref().and_then(|c| c.get("seq")).and_then(|v| v.as_i64());
        let mut at_checkpoint: Option<Vec<u8>> = if cp_seq == Some(base_seq) { Some(prev.clone()) } else { None };
        let mut batches = Vec::new();
        for r in seals {
            batches.push((
                r.get::<i64>(1)?.unwrap_or(0),
                r.get::<Vec<i64>>(2)?.unwrap_or_default(),
                r.get::<Vec<u8>>(3)?.unwrap_or_default(),
                r.get::<Vec<u8>>(4)?.unwrap_or_default(),
            ));
        }
        for (seq, log_ids, stored_rows, stored_chain) in batches {
            expected += 1;
            if seq != expected {
                return Ok(bad(checked, "seal missing", Some(expected),
                    format!("the chain jumps from seq {} to {seq}: seals were removed", expected - 1)));
            }
            if stored_rows.len() != 32 * log_ids.len() {
                return Ok(bad(checked, "chain broken", Some(seq), format!("seal {seq} is malformed")));
            }
            let rows = client.select(
                &store.sql(
                    "SELECT t.id, to_jsonb(l)::text
                       FROM unnest($2::bigint[]) WITH ORDINALITY AS t(id, ord)
                       LEFT JOIN {log} l ON l.tenant_id = $1 AND l.id = t.id
                      ORDER BY t.ord",
                ),
                None,
                &[tenant.into(), log_ids.clone().into()],
            )?;
            let mut recomputed = Vec::with_capacity(stored_rows.len());
            for (k, row) in rows.enumerate() {
                let id = row.get::<i64>(1)?.unwrap_or(0);
                let Some(text) = row.get::<String>(2)? else {
                    return Ok(bad(checked, "row removed", Some(seq), format!("audit log row {id} sealed at seq {seq} is gone")));
                };
                let h = sha(&[text.as_bytes()]);
                if h.as_slice() != &stored_rows[32 * k..32 * (k + 1)] {
                    return Ok(bad(checked, "row changed", Some(seq),
                        format!("audit log row {id} no longer matches the hash sealed at seq {seq}")));
                }
                if !sealed_ids.insert(id) {
                    return Ok(bad(checked, "chain broken", Some(seq), format!("audit log row {id} is sealed twice")));
                }
                recomputed.extend_from_slice(&h);
            }
            let chain = chain_step(&prev, &recomputed, seq);
            if chain.as_slice() != stored_chain.as_slice() {
                return Ok(bad(checked, "chain broken", Some(seq),
                    format!("the chain hash at seq {seq} does not follow from seq {}: seals were forged or reordered", seq - 1)));
            }
            prev = chain.to_vec();
            checked += 1;
            if cp_seq == Some(seq) {
                at_checkpoint = Some(prev.clone());
            }
        }
        // Rows inside the sealed range must all be sealed: anything else was inserted afterwards.
        let settled = client.select(
            &store.sql(
                "SELECT l.id FROM {log} l, {sealer_state} st
                  WHERE l.tenant_id = $1
                    AND (l.txid < st.horizon OR EXISTS (SELECT 1 FROM {sealed_txids} s WHERE s.txid = l.txid))
                    AND l.id > coalesce((SELECT max_log_id FROM {chain_base} b WHERE b.tenant_id = l.tenant_id), 0)
                  ORDER BY l.id",
            ),
            None,
            &[tenant.into()],
        )?;
        for row in settled {
            let id = row.get::<i64>(1)?.unwrap_or(0);
            if !sealed_ids.contains(&id) {
                return Ok(bad(checked, "unsealed row in sealed range", None,
                    format!("audit log row {id} belongs to a settled transaction but was never sealed: it was inserted afterwards")));
            }
        }
        if let Some(cp) = checkpoint {
            let cp_hash = cp.get("hash").and_then(|v| v.as_str()).unwrap_or("").to_lowercase();
            let Some(seq) = cp_seq else {
                return Err(CimientoError::InvalidParameter("checkpoint needs {\"seq\": n, \"hash\": \"hex\"}".into()));
            };
            match at_checkpoint {
                None => {
                    return Ok(bad(checked, "shorter than checkpoint", Some(seq),
                        format!("the checkpoint is at seq {seq} but the chain ends at seq {expected}: its tail was removed")));
                }
                Some(h) if hex::encode(&h) != cp_hash => {
                    return Ok(bad(checked, "differs from checkpoint", Some(seq),
                        format!("the chain hash at seq {seq} is not the checkpoint's: the chain was rewritten")));
                }
                Some(_) => {}
            }
        }
        Ok(Verdict { checked, problem: None })
    })
}

/// Verifies a tenant's audit chain (against an external checkpoint `{"seq": n, "hash":
/// "hex"}` when given): returns `ok`, how many seals were checked, and the first problem
/// (`row changed`, `row removed`, `seal missing`, `chain broken`, `unsealed row in sealed
/// range`, `shorter than checkpoint`, `differs from checkpoint`) with the seq and details.
/// 22023 for a NULL tenant.
#[pg_extern(stable, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn verify_audit(
    tenant: Option<pgrx::Uuid>,
    checkpoint: default!(Option<pgrx::JsonB>, "NULL"),
) -> TableIterator<
    'static,
    (
        name!(ok, bool),
        name!(checked, i64),
        name!(problem, Option<String>),
        name!(at_seq, Option<i64>),
        name!(detail, Option<String>),
    ),
> {
    // Not STRICT (the checkpoint is optional): a NULL tenant is refused, not an internal error.
    let Some(tenant) = tenant else {
        CimientoError::InvalidParameter("a tenant is required".into()).raise()
    };
    let v = verify(tenant, checkpoint.map(|j| j.0)).or_raise();
    TableIterator::once(v.into_row())
}

extension_sql_file!("seal.sql", name = "seal", requires = [seal_audit, audit_checkpoint, verify_audit]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn chain_steps_depend_on_everything() {
        let zero = [0u8; 32];
        let a = chain_step(&zero, &[1u8; 32], 1);
        assert_ne!(a, chain_step(&zero, &[2u8; 32], 1), "row hash matters");
        assert_ne!(a, chain_step(&zero, &[1u8; 32], 2), "position matters");
        assert_ne!(a, chain_step(&[9u8; 32], &[1u8; 32], 1), "the previous link matters");
    }

    #[pg_test]
    fn sealer_worker_is_running() {
        // The worker (re)connects once the test database exists: give it a few seconds.
        let mut n = 0;
        for _ in 0..15 {
            Spi::run("SELECT pg_stat_clear_snapshot()").unwrap();
            n = Spi::get_one::<i64>("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'cimiento audit sealer'")
                .unwrap()
                .unwrap_or(0);
            if n > 0 {
                break;
            }
            Spi::run("SELECT pg_sleep(1)").unwrap();
        }
        assert_eq!(n, 1, "the background worker is registered and running");
    }
}
