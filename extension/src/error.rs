//! Typed errors of the extension and the SQLSTATE each one is raised with.
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
    /// An internal query failed (XX000).
    #[error("internal error: {0}")]
    Internal(String),
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
            CimientoError::Internal(_) => ERRCODE_INTERNAL_ERROR,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            CimientoError::PermissionRequired { permission, branch } => Some(if *branch {
                format!("ask a tenant admin for a role that grants {permission} in this branch")
            } else {
                format!("ask a tenant admin for a role that grants {permission}")
            }),
            CimientoError::InvalidObjectDefinition { hint, .. } => Some(hint.clone()),
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
