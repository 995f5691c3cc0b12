//! Every setting the extension reads, declared once with a typed accessor.
//!
//! - Its own GUCs (`cimiento.*`), registered by [`init`] from `_PG_init` (the library is in
//!   `shared_preload_libraries`), each with its context: who may change it and when.
//! - The per-request settings PostgREST and the api pass (`request.jwt.claims`,
//!   `request.headers`), read as text; what they mean is decided by the module that uses them
//!   (claims are trusted only from the right login: see [`crate::identity`]).
use std::ffi::{CStr, CString};
use std::time::Duration;

use pgrx::prelude::*;
use pgrx::{GucContext, GucFlags, GucRegistry, GucSetting};

static TRUSTED_LOGINS: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(Some(c"authenticator,cimiento_api"));
static AUDIT_REDACT_COLUMNS: GucSetting<Option<CString>> =
    GucSetting::<Option<CString>>::new(Some(c"password_hash,totp_secret,token_hash,secret,content"));
static AUDIT_DATABASE: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(Some(c"cimiento"));
static AUDIT_SEALER_ROLE: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(Some(c"cimiento_sealer"));
static AUDIT_SEAL_INTERVAL_MS: GucSetting<i32> = GucSetting::<i32>::new(1000);
static DEFER_NUMBERING: GucSetting<bool> = GucSetting::<bool>::new(false);
static RELEASE_LOCKS_EARLY: GucSetting<bool> = GucSetting::<bool>::new(true);

/// The smallest sealing interval the worker honours (the GUC's minimum too).
const MIN_SEAL_INTERVAL_MS: i32 = 50;

/// Registers the extension's GUCs (called from `_PG_init`).
pub fn init() {
    GucRegistry::define_string_guc(
        c"cimiento.trusted_logins",
        c"Login roles whose request.jwt.claims are trusted (PostgREST and the api).",
        c"Comma-separated role names. Any other login gets its tenant from the registered identity source. \
          Only settable in postgresql.conf (SIGHUP).",
        &TRUSTED_LOGINS,
        GucContext::Sighup,
        GucFlags::default(),
    );
    GucRegistry::define_string_guc(
        c"cimiento.audit_redact_columns",
        c"Columns the audit trigger never copies into the audit log (comma-separated names): secrets, and document bytes.",
        c"Their changes are recorded as \"[redacted]\". Only settable in postgresql.conf.",
        &AUDIT_REDACT_COLUMNS,
        GucContext::Sighup,
        GucFlags::default(),
    );
    GucRegistry::define_string_guc(
        c"cimiento.audit_database",
        c"Database whose registered audit log the sealing worker seals.",
        c"Set in postgresql.conf; read when the server starts.",
        &AUDIT_DATABASE,
        GucContext::Postmaster,
        GucFlags::default(),
    );
    GucRegistry::define_string_guc(
        c"cimiento.audit_sealer_role",
        c"Login the sealing worker connects as (not a superuser; created by sql/bootstrap.sql).",
        c"Set in postgresql.conf; read when the worker starts.",
        &AUDIT_SEALER_ROLE,
        GucContext::Postmaster,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"cimiento.audit_seal_interval_ms",
        c"How often (ms) the sealing worker seals new audit rows.",
        c"",
        &AUDIT_SEAL_INTERVAL_MS,
        MIN_SEAL_INTERVAL_MS,
        3_600_000,
        GucContext::Sighup,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"cimiento.defer_numbering",
        c"Number documents at commit even where their table numbers an issued row when its series is free.",
        c"For a transaction (or function: ALTER FUNCTION … SET) that issues a document and then does more work: \
          the series stays unlocked until the numbering at commit (or SET CONSTRAINTS … IMMEDIATE).",
        &DEFER_NUMBERING,
        GucContext::Userset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"cimiento.release_locks_early",
        c"A transaction that took a gapless number (or called cimiento.release_locks_early) releases its locks before its commit record is flushed.",
        c"Its commit still returns only once the record is on disk. Off: the commit holds every lock until the flush, \
          as PostgreSQL does (the next number of the series waits for it). Never done with synchronous standbys.",
        &RELEASE_LOCKS_EARLY,
        GucContext::Userset,
        GucFlags::default(),
    );
}

fn text(setting: &GucSetting<Option<CString>>) -> String {
    setting.get().map(|c| c.to_string_lossy().into_owned()).unwrap_or_default()
}

/// `cimiento.trusted_logins`: the login names whose claims are trusted (blanks dropped).
pub fn trusted_logins() -> Vec<String> {
    names(&text(&TRUSTED_LOGINS))
}

/// Calls `f` with the text of `cimiento.trusted_logins` where the GUC machinery keeps it
/// (nothing copied: asked at every identity look-up, it changes only at a reload).
pub fn with_trusted_logins<R>(f: impl FnOnce(&[u8]) -> R) -> R {
    // SAFETY: the GUC's current string, owned by the GUC machinery, which replaces it only
    // while processing a reload or a SET, never while `f` (plain Rust) runs.
    unsafe {
        let p = *TRUSTED_LOGINS.as_ptr();
        f(if p.is_null() { b"" } else { CStr::from_ptr(p).to_bytes() })
    }
}

/// `cimiento.audit_redact_columns`: columns never copied into the audit log.
pub fn audit_redact_columns() -> Vec<String> {
    names(&text(&AUDIT_REDACT_COLUMNS))
}

/// `cimiento.audit_database`: the database the sealing worker works in.
pub fn audit_database() -> String {
    text(&AUDIT_DATABASE)
}

/// `cimiento.audit_sealer_role`: the login the sealing worker connects as.
pub fn audit_sealer_role() -> String {
    text(&AUDIT_SEALER_ROLE)
}

/// `cimiento.audit_seal_interval_ms`: how long the sealing worker sleeps between runs.
pub fn audit_seal_interval() -> Duration {
    Duration::from_millis(AUDIT_SEAL_INTERVAL_MS.get().max(MIN_SEAL_INTERVAL_MS) as u64)
}

/// `cimiento.defer_numbering`: whether issued rows wait for the numbering at commit even
/// where the table is registered with `cimiento.number_when_free`.
pub fn defer_numbering() -> bool {
    DEFER_NUMBERING.get()
}

/// `cimiento.release_locks_early`: whether a transaction that asked releases its locks
/// before its commit record is flushed ([`crate::early_release`]).
pub fn release_locks_early() -> bool {
    RELEASE_LOCKS_EARLY.get()
}

/// Whether a commit now would wait for its local flush and nothing else: `synchronous_commit`
/// is not `off` and no synchronous standby is named (`synchronous_standby_names` empty).
pub fn commit_waits_for_local_flush_only() -> bool {
    // SAFETY: plain reads of PostgreSQL's own settings (synchronous_standby_names is never
    // NULL once the GUCs are initialised; checked all the same).
    unsafe {
        let standbys = pg_sys::SyncRepStandbyNames;
        let none_named = standbys.is_null() || CStr::from_ptr(standbys).to_bytes().iter().all(u8::is_ascii_whitespace);
        pg_sys::synchronous_commit > pg_sys::SyncCommitLevel::SYNCHRONOUS_COMMIT_OFF as i32 && none_named
    }
}

/// `SET LOCAL synchronous_commit = off`: the current transaction's commit does not wait for
/// its flush (PostgreSQL restores the setting when the transaction ends).
pub fn commit_without_flush() {
    // SAFETY: a user-settable setting changed for the current transaction only, with the
    // source and action `SET LOCAL` uses; an invalid value would raise (none is possible).
    unsafe {
        pg_sys::set_config_option(
            c"synchronous_commit".as_ptr(),
            c"off".as_ptr(),
            pg_sys::GucContext::PGC_USERSET,
            pg_sys::GucSource::PGC_S_SESSION,
            pg_sys::GucAction::GUC_ACTION_LOCAL,
            true,
            0,
            false,
        );
    }
}

/// Calls `f` with the text of `request.jwt.claims`, as PostgREST or the api set it for this
/// transaction, where the GUC machinery keeps it (empty when never set): compared with the
/// claims already parsed, it is copied only when it changed. Whether to believe it is
/// [`crate::identity`]'s decision.
pub fn with_request_jwt_claims<R>(f: impl FnOnce(&[u8]) -> R) -> R {
    // SAFETY: missing_ok = true → NULL when the placeholder was never set; the string is
    // owned by the GUC machinery and not replaced while `f` (plain Rust) runs.
    unsafe {
        let p = pg_sys::GetConfigOption(c"request.jwt.claims".as_ptr(), true, false);
        f(if p.is_null() { b"" } else { CStr::from_ptr(p).to_bytes() })
    }
}

/// `request.headers` (a JSON object, PostgREST sets it per request), or `None`.
pub fn request_headers() -> Option<String> {
    placeholder(c"request.headers")
}

/// `cimiento.transition_reason`: the reason `cimiento.transition` passes to the workflow
/// triggers for the transition it makes (a transaction-local setting), or `None`.
pub fn transition_reason() -> Option<String> {
    placeholder(c"cimiento.transition_reason")
}

/// A comma-separated list of names, trimmed, blanks dropped.
pub fn names(list: &str) -> Vec<String> {
    list.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect()
}

/// A custom setting another program defines (no GUC registered for it): `None` when unset.
fn placeholder(name: &CStr) -> Option<String> {
    // SAFETY: missing_ok = true → NULL when the placeholder was never set; the returned
    // string is owned by the GUC machinery and copied before anything else runs.
    unsafe {
        let p = pg_sys::GetConfigOption(name.as_ptr(), true, false);
        (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
    }
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn name_lists_drop_blanks_and_spaces() {
        assert_eq!(names(" authenticator, ,cimiento_api "), vec!["authenticator", "cimiento_api"]);
        assert!(names("").is_empty());
    }

    #[pg_test]
    fn request_settings_read_what_was_set() {
        Spi::run("SELECT set_config('request.headers', '{\"x-request-id\":\"r1\"}', true)").unwrap();
        assert_eq!(request_headers().as_deref(), Some("{\"x-request-id\":\"r1\"}"));
        assert_eq!(audit_database(), "pgrx_tests");
        assert!(audit_seal_interval() >= Duration::from_millis(MIN_SEAL_INTERVAL_MS as u64));
    }
}
