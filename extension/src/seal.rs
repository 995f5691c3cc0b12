//! Tamper evidence for the audit trail: a SHA-256 chain per tenant.
//!
//! A background worker (`cimiento audit sealer`) seals new rows of `audit.log` every
//! `cimiento.audit_seal_interval_ms` (1 s): writers never wait for it and never share a lock.
//! It seals only rows of settled transactions — those with a transaction id below the
//! oldest one still running — so no row can later appear before the sealed horizon, and it
//! appends them to each tenant's chain in (transaction id, log id) order:
//!
//! ```text
//! row_hash(n)   = sha256(to_jsonb(log row)::text)
//! chain_hash(n) = sha256(chain_hash(n-1) || row_hash(n) || n as 8 big-endian bytes)
//! chain_hash(0) = 32 zero bytes (or the base left by audit.prune)
//! ```
//!
//! `cimiento.verify_audit(tenant, checkpoint)` recomputes the chain: it finds a sealed row
//! that was changed, removed or swapped, a seal that was forged, and an unsealed row inside
//! the sealed range (inserted afterwards). What the chain alone cannot prove: that nobody
//! with superuser rights rewrote the whole chain consistently or cut its tail. Keep
//! `cimiento.audit_checkpoint(tenant)` outside the database (it is a hash and a count):
//! verifying against it detects both.
use std::ffi::CString;
use std::time::Duration;

use pgrx::bgworkers::{BackgroundWorker, BackgroundWorkerBuilder, SignalWakeFlags};
use pgrx::prelude::*;
use pgrx::{GucContext, GucFlags, GucRegistry, GucSetting};
use sha2::{Digest, Sha256};

use crate::error::{CimientoError, OrRaise};

/// The database the sealer works in.
pub static AUDIT_DATABASE: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(Some(c"cimiento"));
/// How often the sealer runs.
pub static SEAL_INTERVAL_MS: GucSetting<i32> = GucSetting::<i32>::new(1000);

const SEALER_LOCK: i64 = 0x63_69_6d_69_65_6e_74; // "cimient"

/// Registers the settings and, when loaded at server start, the sealing worker.
pub fn init() {
    GucRegistry::define_string_guc(
        c"cimiento.audit_database",
        c"Database whose audit.log the sealing worker seals.",
        c"Set in postgresql.conf; read when the server starts.",
        &AUDIT_DATABASE,
        GucContext::Postmaster,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"cimiento.audit_seal_interval_ms",
        c"How often (ms) the sealing worker seals new audit rows.",
        c"",
        &SEAL_INTERVAL_MS,
        50,
        3_600_000,
        GucContext::Sighup,
        GucFlags::default(),
    );
    // SAFETY: reading a postmaster-set flag.
    if unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        BackgroundWorkerBuilder::new("cimiento audit sealer")
            .set_type("cimiento audit sealer")
            .set_function("cimiento_audit_sealer_main")
            .set_library("cimiento")
            .enable_spi_access()
            .set_restart_time(Some(Duration::from_secs(5)))
            .load();
    }
}

/// The sealing worker's entry point.
#[pg_guard]
#[unsafe(no_mangle)]
pub extern "C-unwind" fn cimiento_audit_sealer_main(_arg: pg_sys::Datum) {
    BackgroundWorker::attach_signal_handlers(SignalWakeFlags::SIGHUP | SignalWakeFlags::SIGTERM);
    let db = AUDIT_DATABASE.get().map(|c| c.to_string_lossy().into_owned()).unwrap_or_else(|| "cimiento".into());
    BackgroundWorker::connect_worker_to_spi(Some(&db), None);
    loop {
        let interval = Duration::from_millis(SEAL_INTERVAL_MS.get().max(50) as u64);
        if !BackgroundWorker::wait_latch(Some(interval)) {
            break; // SIGTERM
        }
        BackgroundWorker::transaction(|| {
            let ready = Spi::get_one::<bool>(
                "SELECT to_regclass('audit.log') IS NOT NULL AND to_regclass('audit.seals') IS NOT NULL",
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

/// chain_hash(n) from chain_hash(n-1) and row_hash(n).
pub fn chain_step(prev: &[u8], row_hash: &[u8], seq: i64) -> [u8; 32] {
    sha(&[prev, row_hash, &seq.to_be_bytes()])
}

/// The head (seq, chain hash) a tenant's chain continues from.
fn head(client: &pgrx::spi::SpiClient<'_>, tenant: pgrx::Uuid) -> Result<(i64, Vec<u8>), CimientoError> {
    let last = client.select(
        "SELECT seq, chain_hash FROM audit.seals WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1",
        Some(1),
        &[tenant.into()],
    )?;
    if !last.is_empty() {
        let r = last.first();
        return Ok((r.get::<i64>(1)?.unwrap_or(0), r.get::<Vec<u8>>(2)?.unwrap_or_default()));
    }
    base(client, tenant)
}

fn base(client: &pgrx::spi::SpiClient<'_>, tenant: pgrx::Uuid) -> Result<(i64, Vec<u8>), CimientoError> {
    let b = client.select("SELECT seq, chain_hash FROM audit.chain_base WHERE tenant_id = $1", Some(1), &[tenant.into()])?;
    if !b.is_empty() {
        let r = b.first();
        return Ok((r.get::<i64>(1)?.unwrap_or(0), r.get::<Vec<u8>>(2)?.unwrap_or_default()));
    }
    Ok((0, vec![0u8; 32]))
}

/// Seals every row of settled transactions not sealed yet; returns how many.
fn seal_pending() -> Result<i64, CimientoError> {
    Spi::connect_mut(|client| {
        client.update("SELECT pg_advisory_xact_lock($1)", None, &[SEALER_LOCK.into()])?;
        let horizon = client
            .select("SELECT txid_snapshot_xmin(txid_current_snapshot())", Some(1), &[])?
            .first()
            .get_one::<i64>()?
            .unwrap_or(0);
        let prev = client
            .select("SELECT horizon FROM audit.sealer_state", Some(1), &[])?
            .first()
            .get_one::<i64>()?
            .unwrap_or(0);
        if horizon <= prev {
            return Ok(0);
        }
        let rows = client.select(
            "SELECT l.tenant_id, l.id, to_jsonb(l)::text FROM audit.log l
              WHERE l.txid >= $1 AND l.txid < $2
              ORDER BY l.tenant_id, l.txid, l.id",
            None,
            &[prev.into(), horizon.into()],
        )?;
        let mut batch: Vec<(pgrx::Uuid, i64, String)> = Vec::with_capacity(rows.len());
        for r in rows {
            batch.push((
                r.get::<pgrx::Uuid>(1)?.ok_or_else(|| CimientoError::Internal("log row without tenant".into()))?,
                r.get::<i64>(2)?.unwrap_or(0),
                r.get::<String>(3)?.unwrap_or_default(),
            ));
        }
        let (mut tenants, mut seqs, mut log_ids, mut row_hashes, mut chain_hashes) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut current: Option<(pgrx::Uuid, i64, Vec<u8>)> = None;
        for (tenant, id, text) in batch {
            if current.as_ref().map(|c| c.0 != tenant).unwrap_or(true) {
                let (seq, hash) = head(client, tenant)?;
                current = Some((tenant, seq, hash));
            }
            let cur = current.as_mut().expect("set above");
            let row_hash = sha(&[text.as_bytes()]);
            cur.1 += 1;
            let chain = chain_step(&cur.2, &row_hash, cur.1);
            cur.2 = chain.to_vec();
            tenants.push(tenant);
            seqs.push(cur.1);
            log_ids.push(id);
            row_hashes.push(row_hash.to_vec());
            chain_hashes.push(chain.to_vec());
        }
        let sealed = seqs.len() as i64;
        if sealed > 0 {
            client.update(
                "INSERT INTO audit.seals (tenant_id, seq, log_id, row_hash, chain_hash)
                 SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bytea[], $5::bytea[])",
                None,
                &[tenants.into(), seqs.into(), log_ids.into(), row_hashes.into(), chain_hashes.into()],
            )?;
        }
        client.update(
            "UPDATE audit.sealer_state SET horizon = $1, sealed_at = clock_timestamp(), rows_sealed = rows_sealed + $2",
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
        let last = client.select(
            "SELECT seq, chain_hash, sealed_at::text FROM audit.seals WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1",
            Some(1),
            &[tenant.into()],
        )?;
        if last.is_empty() {
            let (seq, hash) = base(client, tenant)?;
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

type Verdict = (bool, i64, Option<String>, Option<i64>, Option<String>);

fn verify(tenant: pgrx::Uuid, checkpoint: Option<serde_json::Value>) -> Result<Verdict, CimientoError> {
    Spi::connect(|client| {
        let (base_seq, base_hash) = base(client, tenant)?;
        let rows = client.select(
            "SELECT s.seq, s.log_id, s.row_hash, s.chain_hash, to_jsonb(l)::text
               FROM audit.seals s
               LEFT JOIN audit.log l ON l.tenant_id = s.tenant_id AND l.id = s.log_id
              WHERE s.tenant_id = $1
              ORDER BY s.seq",
            None,
            &[tenant.into()],
        )?;
        let mut expected = base_seq;
        let mut prev = base_hash;
        let mut checked = 0i64;
        let mut at_checkpoint: Option<Vec<u8>> = None;
        let cp_seq = checkpoint.as_ref().and_then(|c| c.get("seq")).and_then(|v| v.as_i64());
        if cp_seq == Some(base_seq) {
            at_checkpoint = Some(prev.clone());
        }
        for r in rows {
            let seq = r.get::<i64>(1)?.unwrap_or(0);
            let log_id = r.get::<i64>(2)?.unwrap_or(0);
            let stored_row = r.get::<Vec<u8>>(3)?.unwrap_or_default();
            let stored_chain = r.get::<Vec<u8>>(4)?.unwrap_or_default();
            let text = r.get::<String>(5)?;
            expected += 1;
            if seq != expected {
                return Ok((false, checked, Some("seal missing".into()), Some(expected),
                    Some(format!("the chain jumps from seq {} to {seq}: seals were removed", expected - 1))));
            }
            let Some(text) = text else {
                return Ok((false, checked, Some("row removed".into()), Some(seq),
                    Some(format!("audit.log row {log_id} sealed at seq {seq} is gone"))));
            };
            let row_hash = sha(&[text.as_bytes()]);
            if row_hash.as_slice() != stored_row.as_slice() {
                return Ok((false, checked, Some("row changed".into()), Some(seq),
                    Some(format!("audit.log row {log_id} no longer matches the hash sealed at seq {seq}"))));
            }
            let chain = chain_step(&prev, &row_hash, seq);
            if chain.as_slice() != stored_chain.as_slice() {
                return Ok((false, checked, Some("chain broken".into()), Some(seq),
                    Some(format!("the chain hash at seq {seq} does not follow from seq {}: seals were forged or reordered", seq - 1))));
            }
            prev = chain.to_vec();
            checked += 1;
            if cp_seq == Some(seq) {
                at_checkpoint = Some(prev.clone());
            }
        }
        // Rows inside the sealed range must all be sealed: anything else was inserted afterwards.
        let stray = client.select(
            "SELECT l.id FROM audit.log l, audit.sealer_state st
              WHERE l.tenant_id = $1 AND l.txid < st.horizon
                AND NOT EXISTS (SELECT 1 FROM audit.seals s WHERE s.tenant_id = l.tenant_id AND s.log_id = l.id)
                AND l.id > coalesce((SELECT max_log_id FROM audit.chain_base b WHERE b.tenant_id = l.tenant_id), 0)
              ORDER BY l.id LIMIT 1",
            Some(1),
            &[tenant.into()],
        )?;
        if !stray.is_empty() {
            let id = stray.first().get::<i64>(1)?.unwrap_or(0);
            return Ok((false, checked, Some("unsealed row in sealed range".into()), None,
                Some(format!("audit.log row {id} belongs to a settled transaction but was never sealed: it was inserted afterwards"))));
        }
        if let Some(cp) = checkpoint {
            let cp_hash = cp.get("hash").and_then(|v| v.as_str()).unwrap_or("").to_lowercase();
            let Some(seq) = cp_seq else {
                return Err(CimientoError::InvalidParameter("checkpoint needs {\"seq\": n, \"hash\": \"hex\"}".into()));
            };
            match at_checkpoint {
                None => {
                    return Ok((false, checked, Some("shorter than checkpoint".into()), Some(seq),
                        Some(format!("the checkpoint is at seq {seq} but the chain ends at seq {expected}: its tail was removed"))));
                }
                Some(h) if hex::encode(&h) != cp_hash => {
                    return Ok((false, checked, Some("differs from checkpoint".into()), Some(seq),
                        Some(format!("the chain hash at seq {seq} is not the checkpoint's: the chain was rewritten"))));
                }
                Some(_) => {}
            }
        }
        Ok((true, checked, None, None, None))
    })
}

/// Verifies a tenant's audit chain (against an external checkpoint `{"seq": n, "hash":
/// "hex"}` when given): returns `ok`, how many seals were checked, and the first problem
/// (`row changed`, `row removed`, `seal missing`, `chain broken`, `unsealed row in sealed
/// range`, `shorter than checkpoint`, `differs from checkpoint`) with the seq and details.
#[pg_extern(stable, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn verify_audit(
    tenant: pgrx::Uuid,
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
    let v = verify(tenant, checkpoint.map(|j| j.0)).or_raise();
    TableIterator::once(v)
}

extension_sql!(
    r#"
REVOKE ALL ON FUNCTION seal_audit() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_checkpoint(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION verify_audit(uuid, jsonb) FROM PUBLIC;
"#,
    name = "seal_grants",
    requires = [seal_audit, audit_checkpoint, verify_audit]
);

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
        let n = Spi::get_one::<i64>("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'cimiento audit sealer'")
            .unwrap()
            .unwrap_or(0);
        assert_eq!(n, 1, "the background worker is registered and running");
    }
}
