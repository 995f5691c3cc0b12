//! Typed errors of the extension and the SQLSTATE each one is raised with.
use pgrx::pg_sys::errcodes::PgSqlErrorCode;
use pgrx::prelude::*;

/// Everything the extension can refuse, with the SQLSTATE a client sees.
#[derive(Debug, thiserror::Error)]
pub enum CimientoError {
    /// Caller lacks a permission (42501 → PostgREST 403).
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// A malformed argument (22023 → PostgREST 400).
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
    /// An object is not in the state the operation needs (55000 → 400/409).
    #[error("object not in prerequisite state: {0}")]
    NotInPrerequisiteState(String),
    /// An internal query failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl CimientoError {
    /// The SQLSTATE this error is raised with.
    pub fn sqlstate(&self) -> PgSqlErrorCode {
        match self {
            CimientoError::PermissionDenied(_) => PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            CimientoError::InvalidParameter(_) => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            CimientoError::NotInPrerequisiteState(_) => {
                PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE
            }
            CimientoError::Internal(_) => PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        }
    }

    /// Raises this error as a PostgreSQL ERROR (does not return).
    pub fn raise(self) -> ! {
        let code = self.sqlstate();
        ereport!(PgLogLevel::ERROR, code, self.to_string());
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
