//! Typed errors of the extension and the SQLSTATE each one is raised with.
use std::ffi::{c_char, c_int};

use pgrx::pg_sys::errcodes::PgSqlErrorCode;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;

/// Everything the extension can refuse, with the SQLSTATE a client sees
/// (PostgREST maps 42501 → 403, 22xxx/23514 → 400, 23505 → 409, P0002 → 404).
#[derive(Debug, thiserror::Error)]
pub enum CimientoError {
    /// The caller lacks a permission (42501), at all or in the branch concerned.
    #[error("permission denied: {permission} is required{}", if *branch { " in this branch" } else { "" })]
    PermissionRequired { permission: String, branch: bool },
    /// A malformed argument (22023).
    #[error("{0}")]
    InvalidParameter(String),
    /// A table or object is not shaped the way the operation needs (42P17).
    #[error("{message}")]
    InvalidObjectDefinition { message: String, hint: String },
    /// What the call names does not exist (P0002).
    #[error("{0}")]
    NotFound(String),
    /// The object is in a state that refuses the operation, e.g. a closed series (55000).
    #[error("{0}")]
    NotInPrerequisiteState(String),
    /// A date out of the order the operation keeps, e.g. a document dated before the last
    /// one of its series, or in the future (22008).
    #[error("{0}")]
    DateOutOfOrder(String),
    /// A refusal that names what the caller asked for and says what to do instead: a
    /// permission (42501), a missing or malformed value (22023), or a change the object's
    /// state does not allow (PT409, PostgREST's code for HTTP 409; PostgreSQL has none for it).
    #[error("{message}")]
    Refused { kind: Refusal, message: String, hint: String },
    /// An internal query failed (XX000).
    #[error("internal error: {0}")]
    Internal(String),
}

/// What a [`CimientoError::Refused`] refuses, and so its SQLSTATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 42501 (HTTP 403).
    Permission,
    /// 22023 (HTTP 400).
    Value,
    /// PT409 (HTTP 409). Only [`CimientoError::report`] can raise it with this code.
    Conflict,
}

impl CimientoError {
    /// The SQLSTATE this error is raised with.
    pub fn sqlstate(&self) -> PgSqlErrorCode {
        use PgSqlErrorCode::*;
        match self {
            CimientoError::PermissionRequired { .. } => ERRCODE_INSUFFICIENT_PRIVILEGE,
            CimientoError::InvalidParameter(_) => ERRCODE_INVALID_PARAMETER_VALUE,
            CimientoError::InvalidObjectDefinition { .. } => ERRCODE_INVALID_OBJECT_DEFINITION,
            CimientoError::NotFound(_) => ERRCODE_NO_DATA_FOUND,
            CimientoError::NotInPrerequisiteState(_) => ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            CimientoError::DateOutOfOrder(_) => ERRCODE_DATETIME_FIELD_OVERFLOW,
            CimientoError::Refused { kind: Refusal::Permission, .. } => ERRCODE_INSUFFICIENT_PRIVILEGE,
            CimientoError::Refused { kind: Refusal::Value, .. } => ERRCODE_INVALID_PARAMETER_VALUE,
            // pgrx's reports carry only PostgreSQL's own codes: raised through `raise`, a
            // conflict is 55000; through `report` (the workflow triggers) it is PT409.
            CimientoError::Refused { kind: Refusal::Conflict, .. } => ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            CimientoError::Internal(_) => ERRCODE_INTERNAL_ERROR,
        }
    }

    /// The SQLSTATE a client sees when the error is raised through [`Self::report`].
    fn sqlstate_code(&self) -> i32 {
        match self {
            CimientoError::Refused { kind: Refusal::Conflict, .. } => make_sqlstate(*b"PT409"),
            other => other.sqlstate() as i32,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            CimientoError::PermissionRequired { permission, branch } => Some(if *branch {
                format!("ask a tenant admin for a role that grants {permission} in this branch")
            } else {
                format!("ask a tenant admin for a role that grants {permission}")
            }),
            CimientoError::InvalidObjectDefinition { hint, .. } | CimientoError::Refused { hint, .. } => Some(hint.clone()),
            _ => None,
        }
    }

    /// Raises this error as a PostgreSQL ERROR (does not return).
    pub fn raise(self) -> ! {
        let mut report = ErrorReport::new(self.sqlstate(), self.to_string(), "cimiento");
        if let Some(hint) = self.hint() {
            report = report.set_hint(hint);
        }
        report.report(PgLogLevel::ERROR);
        unreachable!("ereport(ERROR) returns control to PostgreSQL")
    }

    /// Raises this error with any SQLSTATE, PT409 included, from an entry point PostgreSQL
    /// calls directly (see `workflow.rs`): pgrx's own reports can only carry PostgreSQL's
    /// codes (a PT409 raised inside a pgrx function reaches the client as XX000).
    ///
    /// # Safety
    /// Call it only from an `extern "C-unwind"` function PostgreSQL called, after the work
    /// guarded by `pgrx_extern_c_guard` returned, with nothing in that frame left to drop:
    /// `errfinish` leaves it by longjmp, as pgrx's own boundary does.
    pub unsafe fn report(self) -> ! {
        unsafe extern "C-unwind" {
            fn errstart(elevel: c_int, domain: *const c_char) -> bool;
            fn errcode(sqlerrcode: c_int) -> c_int;
            fn errmsg(fmt: *const c_char, ...) -> c_int;
            fn errhint(fmt: *const c_char, ...) -> c_int;
            fn errfinish(filename: *const c_char, lineno: c_int, funcname: *const c_char);
        }
        let code = self.sqlstate_code();
        // Copied into PostgreSQL's memory and every Rust value dropped before the longjmp.
        let message = pg_text(&self.to_string());
        let hint = self.hint().map(|h| pg_text(&h));
        drop(self);
        // SAFETY: the ereport protocol (errstart is true at ERROR; errfinish does not return).
        unsafe {
            if errstart(pg_sys::PGERROR as c_int, c"cimiento".as_ptr()) {
                errcode(code);
                errmsg(c"%s".as_ptr(), message);
                if let Some(hint) = hint {
                    errhint(c"%s".as_ptr(), hint);
                }
                errfinish(c"error.rs".as_ptr(), line!() as c_int, c"report".as_ptr());
            }
        }
        std::process::abort()
    }
}

/// A copy of `text` in PostgreSQL's current memory context (NUL bytes dropped).
fn pg_text(text: &str) -> *mut c_char {
    let c = std::ffi::CString::new(text.replace('\0', "")).unwrap_or_default();
    // SAFETY: pstrdup copies the NUL-terminated string.
    unsafe { pg_sys::pstrdup(c.as_ptr()) }
}

/// PostgreSQL's MAKE_SQLSTATE: five characters packed six bits each.
const fn make_sqlstate(code: [u8; 5]) -> i32 {
    let mut value = 0i32;
    let mut i = 0;
    while i < 5 {
        value |= ((code[i] - b'0') as i32 & 0x3F) << (6 * i);
        i += 1;
    }
    value
}

impl From<pgrx::spi::SpiError> for CimientoError {
    fn from(e: pgrx::spi::SpiError) -> Self {
        CimientoError::Internal(e.to_string())
    }
}

/// Unwraps a result at the SQL boundary, raising the typed error with its SQLSTATE.
pub trait OrRaise<T> {
    fn or_raise(self) -> T;
}

impl<T> OrRaise<T> for Result<T, CimientoError> {
    fn or_raise(self) -> T {
        match self {
            Ok(v) => v,
            Err(e) => e.raise(),
        }
    }
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;
    use pgrx::pg_sys::errcodes::PgSqlErrorCode;

    #[pg_test]
    fn sqlstates_are_packed_as_postgresql_packs_them() {
        assert_eq!(make_sqlstate(*b"42501"), PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE as i32);
        assert_eq!(make_sqlstate(*b"XX000"), PgSqlErrorCode::ERRCODE_INTERNAL_ERROR as i32);
        let conflict = CimientoError::Refused { kind: Refusal::Conflict, message: String::new(), hint: String::new() };
        assert_eq!(conflict.sqlstate_code(), make_sqlstate(*b"PT409"));
    }
}
