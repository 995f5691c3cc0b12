//! Gapless document numbering for invoices and credit notes.
//!
//! A document gets its number when it is issued, inside the issuing transaction and as late
//! as possible: `billing.invoices` has a deferred constraint trigger, [`number_at_commit`],
//! that numbers it at commit (or when the issuing RPC sets the constraint
//! IMMEDIATE as its last step). The series row is locked by the `UPDATE … RETURNING` that
//! takes the number, so it stays locked only from there to the end of the transaction: a
//! rollback returns the number (no hole), concurrent issuers queue on the row (no
//! duplicate), and a draft never consumes one. A unique constraint on
//! (tenant_id, series_id, number) backs it up.
//!
//! Series are per tenant, code, kind and fiscal year; the first document of a new fiscal
//! year opens that year's series at 1, with the code's branch and format.
use pgrx::prelude::*;

use crate::error::{CimientoError, OrRaise};

/// Errors of numbering, each with a standard SQLSTATE; the `api` RPCs translate them to
/// HTTP statuses for PostgREST (P0002 → 404, 55000 → 409).
#[derive(Debug, thiserror::Error)]
pub enum NumberingError {
    /// P0002 no_data_found
    #[error("no {kind} series {code} in this tenant")]
    SeriesNotFound { code: String, kind: String },
    /// 55000 object_not_in_prerequisite_state
    #[error("series {code} ({year}) is closed; issue in an active series")]
    SeriesInactive { code: String, year: i32 },
    /// 22008 datetime_field_overflow: documents of a series are numbered in date order.
    #[error("issue_date {date} {why}")]
    OutOfDateOrder { date: String, why: String },
    /// XX000 internal_error
    #[error("an issued document could not be numbered; the transaction is refused")]
    Unnumbered,
    #[error(transparent)]
    Privilege(#[from] CimientoError),
    /// 22023 invalid_parameter_value
    #[error("invalid number format {0:?}: it must contain {{number}} or {{number:0N}}")]
    BadFormat(String),
    #[error(transparent)]
    Spi(#[from] pgrx::spi::SpiError),
}

impl NumberingError {
    fn raise(self) -> ! {
        use pgrx::pg_sys::errcodes::PgSqlErrorCode::*;
        use pgrx::pg_sys::panic::ErrorReport;
        let this = match self {
            NumberingError::Privilege(e) => e.raise(),
            other => other,
        };
        let code = match &this {
            NumberingError::SeriesNotFound { .. } => ERRCODE_NO_DATA_FOUND,
            NumberingError::SeriesInactive { .. } => ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            NumberingError::BadFormat(_) => ERRCODE_INVALID_PARAMETER_VALUE,
            NumberingError::OutOfDateOrder { .. } => ERRCODE_DATETIME_FIELD_OVERFLOW,
            NumberingError::Unnumbered => ERRCODE_INTERNAL_ERROR,
            NumberingError::Spi(e) => CimientoError::Internal(e.to_string()).raise(),
            NumberingError::Privilege(_) => ERRCODE_INTERNAL_ERROR,
        };
        ErrorReport::new(code, this.to_string(), "cimiento.numbering").report(PgLogLevel::ERROR);
        unreachable!("ereport(ERROR) returns control to PostgreSQL")
    }
}

/// Renders a display number: `{code}`, `{year}`, `{number}` and `{number:0N}` (zero-padded).
pub fn render(format: &str, code: &str, year: i32, number: i64) -> Result<String, NumberingError> {
    let mut out = String::with_capacity(format.len() + 8);
    let mut rest = format;
    let mut saw_number = false;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            return Err(NumberingError::BadFormat(format.into()));
        };
        let field = &rest[start + 1..start + end];
        match field {
            "code" => out.push_str(code),
            "year" => out.push_str(&year.to_string()),
            "number" => {
                saw_number = true;
                out.push_str(&number.to_string());
            }
            f if f.starts_with("number:0") => {
                let width: usize =
                    f["number:0".len()..].parse().map_err(|_| NumberingError::BadFormat(format.into()))?;
                if width > 18 {
                    return Err(NumberingError::BadFormat(format.into()));
                }
                saw_number = true;
                out.push_str(&format!("{number:0width$}"));
            }
            _ => return Err(NumberingError::BadFormat(format.into())),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    if saw_number {
        Ok(out)
    } else {
        Err(NumberingError::BadFormat(format.into()))
    }
}

/// The fast path, one statement: take the series' next number (locking its row until the
/// transaction ends) and write it on the document. Prepared once per backend.
const TAKE_NUMBER: &str = "
WITH s AS (
  UPDATE billing.invoice_series s
     SET next_number = s.next_number + 1, last_issue_date = i.issue_date
    FROM billing.invoices i
   WHERE i.tenant_id = $1 AND i.id = $2 AND i.status <> 'draft' AND i.number IS NULL
     AND s.tenant_id = i.tenant_id AND s.code = i.series_code AND s.kind = i.kind
     AND s.fiscal_year = pg_catalog.date_part('year', i.issue_date)::int4 AND s.active
     AND (s.last_issue_date IS NULL OR i.issue_date >= s.last_issue_date)
     AND i.issue_date <= pg_catalog.date(pg_catalog.now())
  RETURNING s.id, s.next_number - 1 AS n, s.format, s.code, s.fiscal_year
)
UPDATE billing.invoices i
   SET series_id = s.id, number = s.n, fiscal_year = s.fiscal_year, issued_at = pg_catalog.clock_timestamp(),
       number_display = cimiento.format_document_number(s.format, s.code, s.fiscal_year, s.n)
  FROM s
 WHERE i.tenant_id = $1 AND i.id = $2
RETURNING i.number_display, i.kind,
          pg_catalog.pg_notify('cimiento_documents', i.tenant_id::text || ':' || i.id::text) IS NULL";

thread_local! {
    static TAKE_NUMBER_PLAN: std::cell::OnceCell<pgrx::spi::OwnedPreparedStatement> =
        const { std::cell::OnceCell::new() };
}

fn uuid_oid() -> pgrx::PgOid {
    pgrx::PgOid::BuiltIn(pgrx::pg_sys::PgBuiltInOids::UUIDOID)
}

/// Runs the fast path; `Some((display, kind))` when a number was taken.
fn take_number(
    client: &mut pgrx::spi::SpiClient<'_>,
    tenant: pgrx::Uuid,
    invoice: pgrx::Uuid,
) -> Result<Option<(String, String)>, NumberingError> {
    let planned = TAKE_NUMBER_PLAN.with(|cell| cell.get().is_some());
    if !planned {
        let plan = client.prepare_mut(TAKE_NUMBER, &[uuid_oid(), uuid_oid()])?.keep();
        TAKE_NUMBER_PLAN.with(|cell| {
            let _ = cell.set(plan);
        });
    }
    TAKE_NUMBER_PLAN.with(|cell| -> Result<Option<(String, String)>, NumberingError> {
        let plan = cell.get().expect("prepared above");
        let rows = client.update(plan, None, &[tenant.into(), invoice.into()])?;
        if rows.is_empty() {
            return Ok(None);
        }
        let row = rows.first();
        Ok(Some((row.get::<String>(1)?.unwrap_or_default(), row.get::<String>(2)?.unwrap_or_default())))
    })
}

/// Why the fast path took nothing: nothing to do, a new fiscal year to open, or an error.
fn slow_path(
    client: &mut pgrx::spi::SpiClient<'_>,
    tenant: pgrx::Uuid,
    invoice: pgrx::Uuid,
) -> Result<bool, NumberingError> {
    let rows = client.select(
        "SELECT kind, series_code, pg_catalog.date_part('year', issue_date)::int4, issue_date::text,
                issue_date > pg_catalog.date(pg_catalog.now())
           FROM billing.invoices
          WHERE tenant_id = $1 AND id = $2 AND status <> 'draft' AND number IS NULL",
        Some(1),
        &[tenant.into(), invoice.into()],
    )?;
    if rows.is_empty() {
        return Ok(false); // already numbered, or not issued: nothing to do
    }
    let row = rows.first();
    let kind = row.get::<String>(1)?.unwrap_or_default();
    let code = row.get::<String>(2)?.unwrap_or_default();
    let year = row.get::<i32>(3)?.unwrap_or_default();
    let date = row.get::<String>(4)?.unwrap_or_default();
    if row.get::<bool>(5)?.unwrap_or(false) {
        return Err(NumberingError::OutOfDateOrder { date, why: "is in the future".into() });
    }
    let series = client.select(
        "SELECT active, last_issue_date::text, last_issue_date > $5::date FROM billing.invoice_series
          WHERE tenant_id = $1 AND code = $2 AND kind = $3 AND fiscal_year = $4",
        Some(1),
        &[tenant.into(), code.clone().into(), kind.clone().into(), year.into(), date.clone().into()],
    )?;
    if !series.is_empty() {
        let s = series.first();
        if !s.get::<bool>(1)?.unwrap_or(false) {
            return Err(NumberingError::SeriesInactive { code, year });
        }
        if s.get::<bool>(3)?.unwrap_or(false) {
            let last = s.get::<String>(2)?.unwrap_or_default();
            return Err(NumberingError::OutOfDateOrder {
                date,
                why: format!("precedes the last document issued in series {code} ({last}): documents of a series are in date order"),
            });
        }
        return Ok(true); // active: the fast path can take it (e.g. opened concurrently)
    }
    // First document of a fiscal year: open that year's series at 1 from the code's latest.
    let opened = client.update(
        "INSERT INTO billing.invoice_series (tenant_id, branch_id, code, kind, fiscal_year, format, active)
         SELECT tenant_id, branch_id, code, kind, $4::int4, format, true
           FROM billing.invoice_series
          WHERE tenant_id = $1 AND code = $2 AND kind = $3 AND active
          ORDER BY fiscal_year DESC LIMIT 1
         ON CONFLICT (tenant_id, code, kind, fiscal_year) DO NOTHING
         RETURNING id",
        None,
        &[tenant.into(), code.clone().into(), kind.clone().into(), year.into()],
    )?;
    if opened.is_empty() {
        let any = client.select(
            "SELECT 1 FROM billing.invoice_series WHERE tenant_id = $1 AND code = $2 AND kind = $3
              AND (fiscal_year = $4 OR active)",
            Some(1),
            &[tenant.into(), code.clone().into(), kind.clone().into(), year.into()],
        )?;
        if any.is_empty() {
            return Err(NumberingError::SeriesNotFound { code, kind: kind.replace('_', " ") });
        }
    }
    Ok(true)
}

fn assign(tenant: pgrx::Uuid, invoice: pgrx::Uuid) -> Result<Option<String>, NumberingError> {
    Spi::connect_mut(|client| {
        let mut taken = take_number(client, tenant, invoice)?;
        if taken.is_none() && slow_path(client, tenant, invoice)? {
            taken = take_number(client, tenant, invoice)?;
            if taken.is_none() && slow_path(client, tenant, invoice)? {
                // Never let an issued document commit without its number.
                return Err(NumberingError::Unnumbered);
            }
        }
        let Some((display, kind)) = taken else { return Ok(None) };
        // A credit note that credits everything left of its invoice cancels it.
        if kind == "credit_note" {
            client.update(
                "UPDATE billing.invoices o SET status = 'cancelled'
                   FROM billing.invoices cn
                  WHERE cn.tenant_id = $1 AND cn.id = $2 AND o.tenant_id = cn.tenant_id
                    AND o.id = cn.corrects_invoice_id AND o.status = 'issued'
                    AND billing.creditable_amount(o.tenant_id, o.id) = 0",
                None,
                &[tenant.into(), invoice.into()],
            )?;
        }
        Ok(Some(display))
    })
}

/// The deferred constraint trigger `invoices_number_at_commit` of `billing.invoices`:
/// numbers the issued document at commit, acting as `cimiento_numbering` (a role that may
/// write only the numbering columns; neither API roles nor the migration owner can act as
/// it), and notifies `cimiento_documents` (delivered only if the transaction commits) so
/// the api renders its PDF.
#[pg_trigger]
fn number_at_commit<'a>(
    trigger: &'a pgrx::PgTrigger<'a>,
) -> Result<Option<PgHeapTuple<'a, pgrx::AllocatedByPostgres>>, CimientoError> {
    let Some(row) = trigger.new() else { return Ok(None) };
    let field = |name: &str| -> Result<pgrx::Uuid, CimientoError> {
        row.get_by_name::<pgrx::Uuid>(name)
            .map_err(|e| CimientoError::Internal(e.to_string()))?
            .ok_or_else(|| CimientoError::Internal(format!("{name} is NULL")))
    };
    let (tenant, invoice) = (field("tenant_id")?, field("id")?);
    let numbering = crate::privilege::role_oid(crate::privilege::NUMBERING_ROLE)?;
    let _as_numbering = crate::privilege::AsRole::enter(numbering);
    if let Err(e) = assign(tenant, invoice) {
        e.raise();
    }
    Ok(None)
}

/// Numbers an issued document of `billing.invoices` (invoice or credit note) in its
/// series and fiscal year, gaplessly: returns the display number, or NULL when the
/// document is a draft or already numbered. Called by the deferred constraint trigger
/// `invoices_number_at_commit`; not executable by API roles.
#[pg_extern(volatile, parallel_unsafe)]
fn assign_invoice_number(tenant: pgrx::Uuid, invoice: pgrx::Uuid) -> Option<String> {
    let numbering = crate::privilege::role_oid(crate::privilege::NUMBERING_ROLE).or_raise();
    let _as_numbering = crate::privilege::AsRole::enter(numbering);
    match assign(tenant, invoice) {
        Ok(v) => v,
        Err(e) => e.raise(),
    }
}

/// Renders a number with a series format, e.g. `{code}-{year}-{number:06}` → `F001-2026-000123`.
#[pg_extern(immutable, parallel_safe)]
fn format_document_number(format: &str, code: &str, year: i32, number: i64) -> String {
    match render(format, code, year, number) {
        Ok(s) => s,
        Err(e) => e.raise(),
    }
}

extension_sql!(
    "REVOKE ALL ON FUNCTION assign_invoice_number(uuid, uuid) FROM PUBLIC;
     REVOKE ALL ON FUNCTION number_at_commit() FROM PUBLIC;",
    name = "numbering_grants",
    requires = [assign_invoice_number, number_at_commit]
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn formats_render() {
        assert_eq!(render("{code}-{year}-{number:06}", "F001", 2026, 123).unwrap(), "F001-2026-000123");
        assert_eq!(render("R{number}", "X", 2026, 7).unwrap(), "R7");
        assert!(render("{code}-{year}", "F", 2026, 1).is_err(), "a format without the number is refused");
        assert!(render("{code}-{nope}", "F", 2026, 1).is_err());
        assert!(render("{number:0x}", "F", 2026, 1).is_err());
    }

    #[pg_test]
    fn format_function_refuses_bad_formats_with_22023() {
        let ok = Spi::get_one::<String>("SELECT cimiento.format_document_number('{code}/{number:04}', 'NC', 2026, 5)").unwrap();
        assert_eq!(ok.as_deref(), Some("NC/0005"));
    }
}
