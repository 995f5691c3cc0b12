//! Early lock release: a transaction that holds a lock every other writer of the same
//! series or chain queues behind (a gapless number, a fiscal chain's head) lets it go as
//! soon as its commit record is written, and waits for that record to reach the disk
//! before its client hears back.
//!
//! PostgreSQL flushes a transaction's commit record and only then releases its locks: the
//! writers of one series commit one flush at a time, and the flush (plus the wakeup of the
//! holder after it) is part of every number's time under the lock. Here the commit of a
//! transaction that asked ([`ask`]; numbering asks whenever it takes a number,
//! `cimiento.release_locks_early()` asks from SQL) does not flush (a transaction-local
//! `synchronous_commit = off`, set at pre-commit); its locks go as usual, right after the
//! commit record is in the WAL buffers; then, with the locks gone and before the commit
//! returns, the backend flushes the WAL up to its commit record (`XLogFlush`, the call a
//! synchronous commit makes) — a group flush, with every other committer waiting for it.
//!
//! Why nothing acknowledged is lost and no gap can appear: the WAL is written and replayed
//! in order. A transaction that took the next number did so after this one's commit record
//! was inserted, so its own commit record comes later in the WAL; a crash that loses this
//! commit loses every later one too, and what survives of a series is always 1..N. Every
//! client hears back only once its own commit record is on disk. For the length of one
//! flush, other sessions may see a commit that is not on disk yet (what
//! `synchronous_commit = off` allows for its whole window); a crash then takes it back,
//! with everything that followed it.
//!
//! Not done (the commit is PostgreSQL's own) when `cimiento.release_locks_early` is off,
//! when the session already commits without waiting (`synchronous_commit = off`), or when
//! synchronous standbys are named (a commit waits for them while holding its locks, as
//! PostgreSQL does), and never for PREPARE TRANSACTION.
use std::cell::Cell;

use pgrx::prelude::*;

thread_local! {
    /// Whether this transaction asked for an early release (cleared at its end).
    static ASKED: Cell<bool> = const { Cell::new(false) };
    /// Whether the committing transaction skipped its flush, owed once its locks are gone.
    static FLUSH_OWED: Cell<bool> = const { Cell::new(false) };
    /// Whether this backend's callbacks are registered (once per backend).
    static REGISTERED: Cell<bool> = const { Cell::new(false) };
}

/// Asks that the current transaction release its locks before its commit record is
/// flushed (the flush then follows, before the commit returns).
pub fn ask() {
    if !REGISTERED.get() {
        // SAFETY: registers this module's two callbacks for the life of the backend (once:
        // the flag is set right after); they only read and write this module's flags, set a
        // transaction-local setting and flush the WAL.
        unsafe {
            pg_sys::RegisterXactCallback(Some(at_transaction_event), std::ptr::null_mut());
            pg_sys::RegisterResourceReleaseCallback(Some(after_release), std::ptr::null_mut());
        }
        REGISTERED.set(true);
    }
    ASKED.set(true);
}

/// At pre-commit (after the deferred triggers, which number): a transaction that asked,
/// where allowed, commits without its flush. Any other end forgets the request.
#[pg_guard]
unsafe extern "C-unwind" fn at_transaction_event(event: pg_sys::XactEvent::Type, _arg: *mut std::ffi::c_void) {
    let asked = ASKED.replace(false);
    match event {
        pg_sys::XactEvent::XACT_EVENT_PRE_COMMIT => {
            if asked && crate::settings::release_locks_early() && crate::settings::commit_waits_for_local_flush_only() {
                crate::settings::commit_without_flush();
                FLUSH_OWED.set(true);
            }
        }
        pg_sys::XactEvent::XACT_EVENT_ABORT | pg_sys::XactEvent::XACT_EVENT_PARALLEL_ABORT => FLUSH_OWED.set(false),
        _ => {}
    }
}

/// After the top-level transaction's locks are released (every lock of the resource owner
/// tree goes in the phase before this one): the flush the commit skipped.
#[pg_guard]
unsafe extern "C-unwind" fn after_release(
    phase: pg_sys::ResourceReleasePhase::Type,
    is_commit: bool,
    is_top_level: bool,
    _arg: *mut std::ffi::c_void,
) {
    if phase != pg_sys::ResourceReleasePhase::RESOURCE_RELEASE_AFTER_LOCKS || !is_top_level {
        return;
    }
    if FLUSH_OWED.replace(false) && is_commit {
        // SAFETY: XactLastCommitEnd is the end of the commit record this backend just wrote
        // (set by RecordTransactionCommit); XLogFlush returns at once when it is on disk already.
        unsafe { pg_sys::XLogFlush(pg_sys::XactLastCommitEnd) }
    }
}

/// `cimiento.release_locks_early()`: the current transaction releases its locks once its
/// commit record is written, and returns from its commit once the record is flushed.
#[pg_extern(volatile, parallel_unsafe)]
fn release_locks_early() {
    ask();
}

extension_sql_file!("early_release.sql", name = "early_release", requires = [release_locks_early]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    /// Asking records the request and leaves the session's commit alone until pre-commit
    /// (pgrx runs a test inside one transaction: what a commit does is tested end to end,
    /// tests/e2e/numbering.rs, numbered_commit_returns_once_flushed).
    #[pg_test]
    fn asking_leaves_the_setting_until_pre_commit() {
        Spi::run("SELECT cimiento.release_locks_early()").unwrap();
        assert!(super::ASKED.get());
        assert_eq!(Spi::get_one::<String>("SHOW synchronous_commit").unwrap().as_deref(), Some("on"));
    }
}
