//! Gapless numbering for any document table.
//!
//! A migration registers a table with `cimiento.enable_numbering(table, series_table, …)`
//! (`numbering.sql`): how a row finds its series (tenant, `series_key` columns, fiscal year
//! or no period), which rows are due (a status not among the unnumbered states, e.g.
//! drafts), which columns receive the number, and what happens after (a notification, a
//! function). A row gets its number inside its transaction and as late as possible: the
//! deferred constraint trigger [`number_at_commit`] numbers it at commit (or when the
//! caller sets the constraint IMMEDIATE). The series row is locked by the
//! `UPDATE … RETURNING` that takes the number, so it stays locked only from there to the
//! end of the transaction: a rollback returns the number (no hole), concurrent writers
//! queue on the row (no duplicate), and a draft never consumes one. A unique constraint on
//! the document's (tenant, series, number) backs it up.
//!
//! The first document of a new fiscal year opens that year's series at 1 from the key's
//! latest one (code, format, branch, and every other column of it but those whose default
//! calls a function, such as a creation time); a registration may also name a default series to
//! open when none matches. With `cimiento.prepare_numbering` the after-numbering work that
//! does not need the number (e.g. what a fiscal record says of the document) is done by a
//! before function ahead of the series lock, and handed to the after function, so the
//! series stays locked only for what needs the number. The extension names no application table: every statement is
//! built from the registration and prepared once per backend and trigger.
use pgrx::prelude::*;

use crate::error::CimientoError;

/// Numbering's refusals, as the extension's one error type (raised with their SQLSTATE at
/// the trigger's boundary); the `api` RPCs translate them for PostgREST (P0002 → 404,
/// 55000 → 409, 22008 → 400).
fn bad_format(format: &str) -> CimientoError {
    CimientoError::InvalidParameter(format!("invalid number format {format:?}: it must contain {{number}} or {{number:0N}}"))
}

fn not_registered(table: pg_sys::Oid) -> CimientoError {
    CimientoError::InvalidObjectDefinition {
        message: format!("table {} is not registered for numbering", table.to_u32()),
        hint: "register it with cimiento.enable_numbering(…)".into(),
    }
}

/// Renders a display number: `{code}`, `{year}`, `{number}` and `{number:0N}` (zero-padded).
pub fn render(format: &str, code: &str, year: i32, number: i64) -> Result<String, CimientoError> {
    let mut out = String::with_capacity(format.len() + 8);
    let mut rest = format;
    let mut saw_number = false;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            return Err(bad_format(format));
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
                    f["number:0".len()..].parse().map_err(|_| bad_format(format))?;
                if width > 18 {
                    return Err(bad_format(format));
                }
                saw_number = true;
                out.push_str(&format!("{number:0width$}"));
            }
            _ => return Err(bad_format(format)),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    if saw_number {
        Ok(out)
    } else {
        Err(bad_format(format))
    }
}

/// One registered table (`cimiento.numbered_tables`), every name already quoted.
struct Registration {
    doc: String,
    series: String,
    /// (document column, series column) pairs that find a row's series.
    key: Vec<(String, String)>,
    period_year: bool,
    date: Option<String>,
    status: Option<String>,
    /// `unnumbered_states` as a quoted text[] literal.
    unnumbered: String,
    number: String,
    display: String,
    series_id: String,
    period_col: Option<String>,
    numbered_at: Option<String>,
    /// The channel as a quoted literal.
    channel: Option<String>,
    after: Option<String>,
    /// Series columns a new period's series carries over from the key's latest one (quoted).
    carry: Vec<String>,
    /// The function preparing the after-numbering work before the series is locked, and
    /// the type it returns (`cimiento.prepare_numbering`).
    before: Option<(String, pg_sys::Oid)>,
    default_series: Option<(String, String)>,
    /// The series table has a branch_id outside the key (copied when a series is opened).
    series_branch: bool,
    doc_branch: bool,
    /// Numbered by the issuing statement when its series is free (`cimiento.number_when_free`).
    when_free: bool,
    /// The document table's row type (the BEFORE trigger passes its row as one parameter).
    row_type: pg_sys::Oid,
    /// The written columns' names unquoted, as the row modified in a BEFORE trigger needs them.
    raw: WrittenColumns,
}

/// The columns the numbering writes, by name (unquoted).
struct WrittenColumns {
    number: String,
    display: String,
    series_id: String,
    period: Option<String>,
    numbered_at: Option<String>,
}

const LOAD_REGISTRATION: &str = "
SELECT pg_catalog.format('%I.%I', dn.nspname, dc.relname), pg_catalog.format('%I.%I', sn.nspname, sc.relname),
       ARRAY(SELECT pg_catalog.quote_ident(e.key) FROM pg_catalog.jsonb_each_text(r.series_key) e ORDER BY e.key),
       ARRAY(SELECT pg_catalog.quote_ident(e.value) FROM pg_catalog.jsonb_each_text(r.series_key) e ORDER BY e.key),
       r.period OPERATOR(pg_catalog.=) 'year', pg_catalog.quote_ident(r.date_column), pg_catalog.quote_ident(r.status_column),
       pg_catalog.quote_literal(r.unnumbered_states::pg_catalog.text), pg_catalog.quote_ident(r.number_column),
       pg_catalog.quote_ident(r.display_column), pg_catalog.quote_ident(r.series_id_column),
       pg_catalog.quote_ident(r.period_column), pg_catalog.quote_ident(r.numbered_at_column),
       pg_catalog.quote_literal(r.notify_channel),
       (SELECT pg_catalog.format('%I.%I', pn.nspname, p.proname) FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_namespace pn ON pn.oid OPERATOR(pg_catalog.=) p.pronamespace
         WHERE p.oid OPERATOR(pg_catalog.=) r.after_numbered::pg_catalog.oid),
       pg_catalog.quote_literal(r.default_series OPERATOR(pg_catalog.->>) 'code'),
       pg_catalog.quote_literal(r.default_series OPERATOR(pg_catalog.->>) 'format'),
       EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) r.series_table::pg_catalog.oid
                  AND a.attname OPERATOR(pg_catalog.=) 'branch_id' AND NOT a.attisdropped)
         AND NOT r.series_key::pg_catalog.jsonb OPERATOR(pg_catalog.@>) '{\"branch_id\": \"branch_id\"}',
       EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) r.table_oid::pg_catalog.oid
                  AND a.attname OPERATOR(pg_catalog.=) 'branch_id' AND NOT a.attisdropped),
       r.number_when_free, dc.reltype, r.number_column::pg_catalog.text, r.display_column::pg_catalog.text,
       r.series_id_column::pg_catalog.text, r.period_column::pg_catalog.text, r.numbered_at_column::pg_catalog.text,
       b.name, b.prorettype,
       -- What a new period's series carries over from the key's latest one: every column but
       -- those the numbering sets (id, tenant, key, branch, code, format, active, period,
       -- next number, last date) and those whose default calls a function (a creation
       -- time, an id), which take their default.
       ARRAY(SELECT pg_catalog.quote_ident(a.attname) FROM pg_catalog.pg_attribute a
               LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid OPERATOR(pg_catalog.=) a.attrelid AND ad.adnum OPERATOR(pg_catalog.=) a.attnum
              WHERE a.attrelid OPERATOR(pg_catalog.=) r.series_table::pg_catalog.oid AND a.attnum OPERATOR(pg_catalog.>) 0
                AND NOT a.attisdropped AND a.attgenerated OPERATOR(pg_catalog.=) '' AND a.attidentity OPERATOR(pg_catalog.=) ''
                AND NOT a.attname::pg_catalog.text OPERATOR(pg_catalog.=) ANY (ARRAY['tenant_id', 'id', 'branch_id', 'code', 'format', 'active',
                                                                                    'fiscal_year', 'next_number', 'last_issue_date'])
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.jsonb_each_text(r.series_key) k WHERE k.value OPERATOR(pg_catalog.=) a.attname::pg_catalog.text)
                AND (ad.adbin IS NULL OR pg_catalog.strpos(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '(') OPERATOR(pg_catalog.=) 0)
              ORDER BY a.attnum)
  FROM cimiento.numbered_tables r
  LEFT JOIN LATERAL (
       -- The before function, with an after function that takes what it returns
       -- (cimiento.prepare_numbering checks both; this keeps a mismatch from reaching a commit).
       SELECT pg_catalog.format('%I.%I', bn.nspname, b.proname) AS name, b.prorettype
         FROM pg_catalog.pg_proc b
         JOIN pg_catalog.pg_namespace bn ON bn.oid OPERATOR(pg_catalog.=) b.pronamespace
         JOIN pg_catalog.pg_proc a ON a.oid OPERATOR(pg_catalog.=) r.after_numbered::pg_catalog.oid
        WHERE b.oid OPERATOR(pg_catalog.=) r.before_numbered::pg_catalog.oid
          AND a.pronargs OPERATOR(pg_catalog.=) 3 AND a.proargtypes[2] OPERATOR(pg_catalog.=) b.prorettype) b ON true
  JOIN pg_catalog.pg_class dc ON dc.oid OPERATOR(pg_catalog.=) r.table_oid::pg_catalog.oid
  JOIN pg_catalog.pg_namespace dn ON dn.oid OPERATOR(pg_catalog.=) dc.relnamespace
  JOIN pg_catalog.pg_class sc ON sc.oid OPERATOR(pg_catalog.=) r.series_table::pg_catalog.oid
  JOIN pg_catalog.pg_namespace sn ON sn.oid OPERATOR(pg_catalog.=) sc.relnamespace
 WHERE r.table_oid::pg_catalog.oid OPERATOR(pg_catalog.=) $1";

impl Registration {
    fn load(client: &mut pgrx::spi::SpiClient<'_>, table: pg_sys::Oid) -> Result<Self, CimientoError> {
        let rows = client.select(LOAD_REGISTRATION, Some(1), &[table.into()])?;
        if rows.is_empty() {
            return Err(not_registered(table));
        }
        let r = rows.first();
        let text = |i: usize| -> Result<Option<String>, CimientoError> { Ok(r.get::<String>(i)?) };
        let need = |i: usize| -> Result<String, CimientoError> { text(i)?.ok_or_else(|| not_registered(table)) };
        let doc_cols = r.get::<Vec<String>>(3)?.unwrap_or_default();
        let series_cols = r.get::<Vec<String>>(4)?.unwrap_or_default();
        let default_series = match (text(16)?, text(17)?) {
            (Some(code), Some(format)) => Some((code, format)),
            _ => None,
        };
        Ok(Registration {
            doc: need(1)?,
            series: need(2)?,
            key: doc_cols.into_iter().zip(series_cols).collect(),
            period_year: r.get::<bool>(5)?.unwrap_or(true),
            date: text(6)?,
            status: text(7)?,
            unnumbered: need(8)?,
            number: need(9)?,
            display: need(10)?,
            series_id: need(11)?,
            period_col: text(12)?,
            numbered_at: text(13)?,
            channel: text(14)?,
            after: text(15)?,
            carry: r.get::<Vec<String>>(29)?.unwrap_or_default(),
            before: match (text(27)?, r.get::<pg_sys::Oid>(28)?) {
                (Some(f), Some(returns)) => Some((f, returns)),
                _ => None,
            },
            default_series,
            series_branch: r.get::<bool>(18)?.unwrap_or(false),
            doc_branch: r.get::<bool>(19)?.unwrap_or(false),
            when_free: r.get::<bool>(20)?.unwrap_or(false),
            row_type: r.get::<pg_sys::Oid>(21)?.ok_or_else(|| not_registered(table))?,
            raw: WrittenColumns {
                number: need(22)?,
                display: need(23)?,
                series_id: need(24)?,
                period: text(25)?,
                numbered_at: text(26)?,
            },
        })
    }

    /// The document row, unnumbered and due (`d`, by `$1` tenant and `$2` id).
    fn due(&self) -> String {
        format!("d.tenant_id = $1 AND d.id = $2 AND {}", self.due_state())
    }

    /// The document `d` is unnumbered and due (its status is not an unnumbered one).
    fn due_state(&self) -> String {
        let mut w = format!("d.{} IS NULL", self.number);
        if let Some(status) = &self.status {
            w.push_str(&format!(" AND NOT (d.{status}::pg_catalog.text = ANY ({}::pg_catalog.text[]))", self.unnumbered));
        }
        w
    }

    /// The series `s` is the document `d`'s (key and period), open, and may take it now:
    /// the document's date is not in the future nor before the series' last one.
    fn takes(&self) -> String {
        let mut cond = format!("{} AND s.active", self.series_of_doc());
        if self.period_year {
            cond.push_str(&format!(" AND s.fiscal_year = {}", self.year_of_doc()));
        }
        if let Some(date) = &self.date {
            cond.push_str(&format!(
                " AND (s.last_issue_date IS NULL OR d.{date} >= s.last_issue_date) AND d.{date} <= pg_catalog.date(pg_catalog.now())"
            ));
        }
        cond
    }

    /// The series' new counter (and last date), from `s` and the document `d`.
    fn set_series(&self) -> String {
        match &self.date {
            Some(date) => format!("next_number = s.next_number + 1, last_issue_date = d.{date}"),
            None => "next_number = s.next_number + 1".into(),
        }
    }

    /// The number's period: the series' fiscal year, or the year of the document.
    fn number_year(&self) -> String {
        if self.period_year { "s.fiscal_year".to_string() } else { self.year_of_doc() }
    }

    /// The renderer's notification for the document `d` (or `true` without a channel).
    fn notify(&self) -> String {
        match &self.channel {
            Some(ch) => format!("pg_catalog.pg_notify({ch}, d.tenant_id::pg_catalog.text || ':' || d.id::pg_catalog.text) IS NULL"),
            None => "true".into(),
        }
    }

    /// The series of the document `d` (without the period).
    fn series_of_doc(&self) -> String {
        let mut w = String::from("s.tenant_id = d.tenant_id");
        for (doc, series) in &self.key {
            w.push_str(&format!(" AND s.{series} = d.{doc}"));
        }
        w
    }

    /// The document's period: the year of its date, or of the numbering.
    fn year_of_doc(&self) -> String {
        match &self.date {
            Some(date) => format!("pg_catalog.date_part('year', d.{date})::pg_catalog.int4"),
            None => "pg_catalog.date_part('year', pg_catalog.now())::pg_catalog.int4".into(),
        }
    }

    /// Why the fast path took nothing, first question (`$1` tenant, `$2` id): the due
    /// document's period, date, whether that date is in the future, and its series key; no
    /// row when it is already numbered or not due. Prepared once per backend: a document
    /// whose status changes after it was inserted fires the deferred trigger twice, and the
    /// second firing, which finds it numbered, asks this under the series lock (planned
    /// afresh each time it cost ~120 µs there).
    fn due_check_sql(&self) -> String {
        let (date_text, future) = match &self.date {
            Some(date) => (format!("d.{date}::pg_catalog.text"), format!("d.{date} > pg_catalog.date(pg_catalog.now())")),
            None => ("NULL::pg_catalog.text".into(), "false".into()),
        };
        let key_text = if self.key.is_empty() {
            "''".to_string()
        } else {
            let parts: Vec<String> = self.key.iter().map(|(doc, _)| format!("d.{doc}::pg_catalog.text")).collect();
            format!("pg_catalog.concat_ws(' ', {})", parts.join(", "))
        };
        format!("SELECT {}, {date_text}, {future}, {key_text} FROM {} d WHERE {}", self.year_of_doc(), self.doc, self.due())
    }

    /// The fast path, one statement: take the series' next number (locking its row until
    /// the transaction ends) and write it on the document. Prepared once per backend.
    fn take_sql(&self) -> String {
        let mut set_doc = format!(
            "{} = s.id, {} = s.n, {} = cimiento.format_document_number(s.format, s.code, s.y, s.n)",
            self.series_id, self.number, self.display
        );
        if let Some(c) = &self.period_col {
            set_doc.push_str(&format!(", {c} = s.y"));
        }
        if let Some(c) = &self.numbered_at {
            set_doc.push_str(&format!(", {c} = pg_catalog.clock_timestamp()"));
        }
        // The document is read first, on its own (one row by its key), and its series found
        // from it by the series' index: as a join, a generic plan may scan the tenant's
        // series and probe the document once for each of them, under the lock.
        let mut cols = vec!["tenant_id".to_string(), "id".to_string()];
        cols.extend(self.key.iter().map(|(doc, _)| doc.clone()));
        cols.extend(self.date.iter().cloned());
        let mut seen = std::collections::HashSet::new();
        let cols: Vec<String> = cols.into_iter().filter(|c| seen.insert(c.clone())).map(|c| format!("d.{c}")).collect();
        format!(
            "WITH d AS MATERIALIZED (
               SELECT {cols} FROM {doc} d WHERE {due}
             ), s AS (
               UPDATE {series} s SET {set_series}
                 FROM d
                WHERE {takes}
               RETURNING s.id, s.next_number - 1 AS n, s.format, s.code, {year} AS y
             )
             UPDATE {doc} d SET {set_doc} FROM s WHERE d.tenant_id = $1 AND d.id = $2
             RETURNING {notify}",
            cols = cols.join(", "),
            due = self.due(),
            series = self.series,
            doc = self.doc,
            set_series = self.set_series(),
            takes = self.takes(),
            year = self.number_year(),
            notify = self.notify(),
        )
    }

    /// The issuing statement's attempt (`$1`: the row being written, of the table's row
    /// type): when the row is due and its series is open, accepts its date and is not locked
    /// by another transaction, take the series' next number (locking its row until the
    /// transaction ends) and return what the row gets: series id, number, display number,
    /// period, numbering time, and the renderer's notification (sent now, delivered at
    /// commit). No row when any of that is not so: the row is then numbered at commit.
    fn when_free_sql(&self) -> String {
        format!(
            "WITH d AS MATERIALIZED (SELECT ($1).*),
                  c AS MATERIALIZED (
               SELECT s.tenant_id, s.id FROM {series} s, d
                WHERE {due} AND {takes}
                  FOR UPDATE OF s SKIP LOCKED
             )
             UPDATE {series} s SET {set_series}
               FROM c, d
              WHERE s.tenant_id = c.tenant_id AND s.id = c.id
             RETURNING s.id, s.next_number - 1,
                       cimiento.format_document_number(s.format, s.code, ({year})::pg_catalog.int4, s.next_number - 1),
                       ({year})::pg_catalog.int4, pg_catalog.clock_timestamp(), {notify}",
            series = self.series,
            due = self.due_state(),
            takes = self.takes(),
            set_series = self.set_series(),
            year = self.number_year(),
            notify = self.notify(),
        )
    }
}

/// A registration with its prepared statements, kept per backend per trigger (enabling
/// numbering again recreates the trigger, so a new registration is read afresh).
struct Numbering {
    reg: Registration,
    take: pgrx::spi::OwnedPreparedStatement,
    due: pgrx::spi::OwnedPreparedStatement,
    after: Option<pgrx::spi::OwnedPreparedStatement>,
    /// `before_numbered($1, $2)` and the type of what it returns (the after function's `$3`).
    before: Option<(pgrx::spi::OwnedPreparedStatement, pg_sys::Oid)>,
    /// Registered with `number_when_free`: the issuing statement's attempt.
    when_free: Option<pgrx::spi::OwnedPreparedStatement>,
}

thread_local! {
    static PLANS: std::cell::RefCell<std::collections::HashMap<pg_sys::Oid, std::rc::Rc<Numbering>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn uuid_oid() -> pgrx::PgOid {
    pgrx::PgOid::BuiltIn(pgrx::pg_sys::PgBuiltInOids::UUIDOID)
}

fn numbering_for(
    client: &mut pgrx::spi::SpiClient<'_>,
    trigger: pg_sys::Oid,
    table: pg_sys::Oid,
) -> Result<std::rc::Rc<Numbering>, CimientoError> {
    if let Some(n) = PLANS.with(|p| p.borrow().get(&trigger).cloned()) {
        return Ok(n);
    }
    let reg = Registration::load(client, table)?;
    let take = client.prepare_mut(&reg.take_sql(), &[uuid_oid(), uuid_oid()])?.keep();
    let due = client.prepare_mut(&reg.due_check_sql(), &[uuid_oid(), uuid_oid()])?.keep();
    let after = match (&reg.after, &reg.before) {
        (Some(f), Some((_, returns))) => {
            Some(client.prepare_mut(&format!("SELECT {f}($1, $2, $3)"), &[uuid_oid(), uuid_oid(), pgrx::PgOid::from(*returns)])?.keep())
        }
        (Some(f), None) => Some(client.prepare_mut(&format!("SELECT {f}($1, $2)"), &[uuid_oid(), uuid_oid()])?.keep()),
        (None, _) => None,
    };
    let before = match &reg.before {
        Some((f, returns)) => Some((client.prepare_mut(&format!("SELECT {f}($1, $2)"), &[uuid_oid(), uuid_oid()])?.keep(), *returns)),
        None => None,
    };
    let when_free = if reg.when_free {
        Some(client.prepare_mut(&reg.when_free_sql(), &[pgrx::PgOid::from(reg.row_type)])?.keep())
    } else {
        None
    };
    let n = std::rc::Rc::new(Numbering { reg, take, due, after, before, when_free });
    PLANS.with(|p| p.borrow_mut().insert(trigger, n.clone()));
    Ok(n)
}

/// Runs the fast path; whether a number was taken.
fn take_number(
    client: &mut pgrx::spi::SpiClient<'_>,
    n: &Numbering,
    tenant: pgrx::Uuid,
    id: pgrx::Uuid,
) -> Result<bool, CimientoError> {
    let taken = !client.update(&n.take, None, &[tenant.into(), id.into()])?.is_empty();
    if taken {
        // The series stays locked until commit: released once the commit record is written.
        crate::early_release::ask();
    }
    Ok(taken)
}

/// Why the fast path took nothing: nothing to do, a series to open (new fiscal year, or
/// the registered default), or an error.
fn slow_path(
    client: &mut pgrx::spi::SpiClient<'_>,
    n: &Numbering,
    tenant: pgrx::Uuid,
    id: pgrx::Uuid,
) -> Result<bool, CimientoError> {
    let args = [tenant.into(), id.into()];
    let reg = &n.reg;
    let rows = client.select(&n.due, Some(1), &args)?;
    if rows.is_empty() {
        return Ok(false); // already numbered, or not due: nothing to do
    }
    let row = rows.first();
    let year = row.get::<i32>(1)?.unwrap_or_default();
    let date = row.get::<String>(2)?.unwrap_or_default();
    let code = row.get::<String>(4)?.unwrap_or_default();
    if row.get::<bool>(3)?.unwrap_or(false) {
        return Err(CimientoError::DateOutOfOrder(format!("issue_date {date} is in the future")));
    }
    let this_period = if reg.period_year { format!(" AND s.fiscal_year = {year}") } else { String::new() };
    let (last_text, after_doc) = match &reg.date {
        Some(date) => ("s.last_issue_date::pg_catalog.text".to_string(), format!("s.last_issue_date > d.{date}")),
        None => ("NULL::pg_catalog.text".into(), "false".into()),
    };
    let series = client.select(
        &format!(
            "SELECT s.active, {last_text}, {after_doc}, s.code FROM {} s, {} d WHERE d.tenant_id = $1 AND d.id = $2 AND {}{this_period}",
            reg.series,
            reg.doc,
            reg.series_of_doc()
        ),
        Some(1),
        &args,
    )?;
    if !series.is_empty() {
        let s = series.first();
        let code = s.get::<String>(4)?.unwrap_or(code);
        if !s.get::<bool>(1)?.unwrap_or(false) {
            return Err(CimientoError::NotInPrerequisiteState(format!("series {code} ({year}) is closed; issue in an active series")));
        }
        if s.get::<bool>(3)?.unwrap_or(false) {
            let last = s.get::<String>(2)?.unwrap_or_default();
            return Err(CimientoError::DateOutOfOrder(format!(
                "issue_date {date} precedes the last document issued in series {code} ({last}): documents of a series are in date order"
            )));
        }
        return Ok(true); // active: the fast path can take it (e.g. opened concurrently)
    }
    // Columns a new series gets: the key, the branch (outside the key), and for a new year
    // the code and format of the key's latest series.
    let mut cols: Vec<String> = reg.key.iter().map(|(_, s)| s.clone()).collect();
    let mut from_latest: Vec<String> = cols.iter().map(|c| format!("s.{c}")).collect();
    let mut from_doc: Vec<String> = reg.key.iter().map(|(d, _)| format!("d.{d}")).collect();
    if reg.series_branch {
        cols.push("branch_id".into());
        from_latest.push("s.branch_id".into());
        from_doc.push(if reg.doc_branch { "d.branch_id".into() } else { "NULL".into() });
    }
    let code_in_key = reg.key.iter().any(|(_, s)| s == "code");
    if !code_in_key {
        cols.push("code".into());
        from_latest.push("s.code".into());
        from_doc.push(reg.default_series.as_ref().map(|(c, _)| c.clone()).unwrap_or_else(|| "NULL".into()));
    }
    let (year_col, year_val) = if reg.period_year { (", fiscal_year", format!(", {year}")) } else { ("", String::new()) };
    let cols = cols.iter().map(|c| format!(", {c}")).collect::<String>();
    let from_latest = from_latest.iter().map(|c| format!(", {c}")).collect::<String>();
    let from_doc = from_doc.iter().map(|c| format!(", {c}")).collect::<String>();
    let key = reg.series_of_doc();
    // Opens a series from the rows `select` yields (at most one; a concurrent opener wins),
    // with `extra` columns after the usual ones.
    let mut open = |select: String, extra: &str| -> Result<bool, CimientoError> {
        let sql = format!(
            "INSERT INTO {} (tenant_id{cols}, format, active{year_col}{extra}) {select} ON CONFLICT DO NOTHING RETURNING id",
            reg.series
        );
        Ok(!client.update(&sql, None, &args)?.is_empty())
    };
    // First document of a fiscal year: that year's series at 1 from the key's latest, with
    // what else that series says of itself (e.g. that its invoices are simplified).
    let carry_cols = reg.carry.iter().map(|c| format!(", {c}")).collect::<String>();
    let carry_latest = reg.carry.iter().map(|c| format!(", s.{c}")).collect::<String>();
    let mut opened = reg.period_year
        && open(
            format!(
                "SELECT s.tenant_id{from_latest}, s.format, true{year_val}{carry_latest}
                   FROM {} s, {} d WHERE d.tenant_id = $1 AND d.id = $2 AND {key} AND s.active
                  ORDER BY s.fiscal_year DESC LIMIT 1",
                reg.series, reg.doc
            ),
            &carry_cols,
        )?;
    // No series for the key at all: the registered default, if any.
    if let (false, Some((_, def_format))) = (opened, &reg.default_series) {
        opened = open(
            format!(
                "SELECT d.tenant_id{from_doc}, {def_format}, true{year_val}
                   FROM {} d WHERE d.tenant_id = $1 AND d.id = $2 AND NOT EXISTS (SELECT 1 FROM {} s WHERE {key})",
                reg.doc, reg.series
            ),
            "",
        )?;
    }
    if !opened {
        let any = client.select(
            &format!(
                "SELECT 1 FROM {} s, {} d WHERE d.tenant_id = $1 AND d.id = $2 AND {key}{this_period}",
                reg.series, reg.doc
            ),
            Some(1),
            &args,
        )?;
        if any.is_empty() {
            return Err(CimientoError::NotFound(format!("no series {code} for {} in this tenant", reg.doc.replace('"', ""))));
        }
    }
    Ok(true)
}

/// What the registered before-numbering function returns for the row (NULL when none is
/// registered, or when it returned NULL), copied into the SPI connection's memory so it
/// outlives its result set until the after-numbering call.
fn prepare(
    client: &mut pgrx::spi::SpiClient<'_>,
    n: &Numbering,
    tenant: pgrx::Uuid,
    id: pgrx::Uuid,
) -> Result<Option<(pg_sys::Datum, pg_sys::Oid)>, CimientoError> {
    let Some((before, returns)) = &n.before else { return Ok(None) };
    let rows = client.select(before, Some(1), &[tenant.into(), id.into()])?;
    if rows.is_empty() {
        return Ok(None);
    }
    let Some(value) = rows.first().get_datum_by_ordinal(1)? else { return Ok(None) };
    let (mut len, mut by_value) = (0i16, false);
    // SAFETY: `returns` is the function's return type and `value` a non-null value of it,
    // from a heap tuple (flat: no expanded object). A value passed by reference is copied
    // into the current (SPI procedure) memory context: varlena detoasted, fixed length by
    // its length, a cstring with its terminator.
    let copied = unsafe {
        pg_sys::get_typlenbyval(*returns, &mut len, &mut by_value);
        if by_value {
            value
        } else if len == -1 {
            pg_sys::Datum::from(pg_sys::pg_detoast_datum_copy(value.cast_mut_ptr()))
        } else {
            let size = if len == -2 { std::ffi::CStr::from_ptr(value.cast_mut_ptr()).to_bytes_with_nul().len() } else { len as usize };
            let copy = pg_sys::palloc(size);
            std::ptr::copy_nonoverlapping(value.cast_mut_ptr::<u8>(), copy.cast::<u8>(), size);
            pg_sys::Datum::from(copy)
        }
    };
    Ok(Some((copied, *returns)))
}

/// Calls the registered after-numbering function (with what was prepared, when a
/// before-numbering function is registered).
fn after_numbered(
    client: &mut pgrx::spi::SpiClient<'_>,
    n: &Numbering,
    tenant: pgrx::Uuid,
    id: pgrx::Uuid,
    prepared: Option<(pg_sys::Datum, pg_sys::Oid)>,
) -> Result<(), CimientoError> {
    let Some(after) = &n.after else { return Ok(()) };
    let mut args = vec![tenant.into(), id.into()];
    if let Some((_, returns)) = &n.before {
        args.push(match prepared {
            // SAFETY: the datum is a live copy of a value of type `returns`.
            Some((value, oid)) => unsafe { pgrx::datum::DatumWithOid::new(value, oid) },
            None => pgrx::datum::DatumWithOid::null_oid(*returns),
        });
    }
    client.update(after, None, &args)?;
    Ok(())
}

fn assign(trigger: pg_sys::Oid, table: pg_sys::Oid, tenant: pgrx::Uuid, id: pgrx::Uuid) -> Result<(), CimientoError> {
    Spi::connect_mut(|client| {
        let n = numbering_for(client, trigger, table)?;
        // Numbered by its issuing statement in this transaction, in a subtransaction not
        // rolled back since (one rolled back forgets the numbers taken in it, which went back
        // to the series with it): what is left is the after-numbering work (the notification
        // went with the number).
        if NUMBERED_BY_STATEMENT.with(|m| m.borrow_mut().take(table, tenant, id)) {
            let prepared = prepare(client, &n, tenant, id)?;
            return after_numbered(client, &n, tenant, id, prepared);
        }
        // The after-numbering work that does not need the number is prepared before the
        // series is locked, for a due row only (a draft fires this trigger too).
        let prepared = if n.before.is_some() {
            if client.select(&n.due, Some(1), &[tenant.into(), id.into()])?.is_empty() {
                return Ok(()); // already numbered, or not due: nothing to do
            }
            prepare(client, &n, tenant, id)?
        } else {
            None
        };
        let mut taken = take_number(client, &n, tenant, id)?;
        if !taken && slow_path(client, &n, tenant, id)? {
            taken = take_number(client, &n, tenant, id)?;
            if !taken && slow_path(client, &n, tenant, id)? {
                // Never let a due document commit without its number.
                return Err(CimientoError::Internal("an issued document could not be numbered; the transaction is refused".into()));
            }
        }
        if taken {
            if NUMBERED_BY_STATEMENT.with(|m| m.borrow_mut().was_left(table, tenant, id)) {
                // Its issuing statement found the series busy.
                CONTENTION.with(|c| c.borrow_mut().mark(table));
            }
            after_numbered(client, &n, tenant, id, prepared)?;
        }
        Ok(())
    })
}

/// The deferred constraint trigger `<table>_number_at_commit` that
/// `cimiento.enable_numbering` attaches: numbers the row at commit, acting as
/// `cimiento_numbering` (a role that may write only the registered numbering columns;
/// neither API roles nor the migration owner can act as it), notifies the registered
/// channel (delivered only if the transaction commits) and calls the registered
/// `after_numbered` function.
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
    let (tenant, id) = (field("tenant_id")?, field("id")?);
    let table = trigger.relid().map_err(|e| CimientoError::Internal(e.to_string()))?;
    let trigger_oid = trigger.trigger().tgoid;
    let numbering = crate::privilege::role_oid(crate::privilege::NUMBERING_ROLE)?;
    let _as_numbering = crate::privilege::AsRole::enter(numbering);
    if let Err(e) = assign(trigger_oid, table, tenant, id) {
        e.raise();
    }
    Ok(None)
}

type RowKey = (pg_sys::Oid, [u8; 16], [u8; 16]);

/// What the issuing statements of the current transaction did: the documents they numbered
/// (whose after-numbering function is still to run at commit, by the deferred trigger), with
/// the subtransaction that took each number, and those they tried to number and left to the
/// commit.
///
/// A number taken by a statement whose row is then not written would be a hole: an `INSERT …
/// ON CONFLICT` fires the BEFORE INSERT trigger, then finds the conflict and discards the row
/// (DO NOTHING) or updates the existing one instead (DO UPDATE). Such a row never reaches the
/// deferred trigger, so at pre-commit a number still here (its subtransaction not rolled
/// back) refuses the commit ([`refuse_unwritten`]).
struct NumberedByStatement {
    /// The local transaction the sets belong to (a later transaction finds them stale).
    transaction: pg_sys::LocalTransactionId,
    rows: std::collections::HashMap<RowKey, pg_sys::SubTransactionId>,
    left: std::collections::HashSet<RowKey>,
}

impl NumberedByStatement {
    fn current() -> pg_sys::LocalTransactionId {
        // SAFETY: MyProc is this backend's PGPROC, set for the life of a backend that runs SQL.
        unsafe { (*pg_sys::MyProc).lxid }
    }

    /// The sets, emptied first when they belong to an earlier transaction.
    fn now(&mut self) -> &mut Self {
        let now = Self::current();
        if self.transaction != now {
            self.rows.clear();
            self.left.clear();
            self.transaction = now;
        }
        self
    }

    fn insert(&mut self, table: pg_sys::Oid, tenant: pgrx::Uuid, id: pgrx::Uuid) {
        register_callbacks();
        // SAFETY: reads the backend's current subtransaction id (inside a transaction here).
        let sub = unsafe { pg_sys::GetCurrentSubTransactionId() };
        self.now().rows.insert((table, *tenant.as_bytes(), *id.as_bytes()), sub);
    }

    fn leave(&mut self, table: pg_sys::Oid, tenant: pgrx::Uuid, id: pgrx::Uuid) {
        self.now().left.insert((table, *tenant.as_bytes(), *id.as_bytes()));
    }

    fn take(&mut self, table: pg_sys::Oid, tenant: pgrx::Uuid, id: pgrx::Uuid) -> bool {
        self.now().rows.remove(&(table, *tenant.as_bytes(), *id.as_bytes())).is_some()
    }

    /// A subtransaction rolled back: the numbers taken in it, or in any subtransaction
    /// started since (ids grow within a transaction), went back to their series with it.
    fn forget_from(&mut self, sub: pg_sys::SubTransactionId) {
        self.now().rows.retain(|_, taken_in| *taken_in < sub);
    }

    /// Numbers taken by statements whose rows never reached the deferred trigger.
    fn unwritten(&mut self) -> usize {
        self.now().rows.len()
    }

    fn was_left(&mut self, table: pg_sys::Oid, tenant: pgrx::Uuid, id: pgrx::Uuid) -> bool {
        self.now().left.remove(&(table, *tenant.as_bytes(), *id.as_bytes()))
    }
}

/// How many of a table's next issuing statements in a backend leave their number to the
/// commit after one of them found its series busy (see [`Contention`]).
const CONTENDED_ISSUES: u32 = 8;

/// Per table, the issuing statements of this backend still to leave their number to the
/// commit. A number taken by the issuing statement keeps the series locked from that
/// statement to the commit (the client's round trips included); taken at commit it is held
/// only for the number and what needs it. Where one series is issued from many sessions at
/// once, the shorter hold was measured to win (one series, 16 clients: 1.06–1.14× the
/// invoices per second; 0.97× once every benchmark run started from a quiesced cluster);
/// where each session has its series, one row version wins (16 series: 0.87–0.96× at
/// commit). A row the statement left to the commit (its series busy) and the commit then
/// numbered marks the table contended for the next [`CONTENDED_ISSUES`] issues of this
/// backend; then the statement tries again.
struct Contention(std::collections::HashMap<pg_sys::Oid, u32>);

impl Contention {
    fn mark(&mut self, table: pg_sys::Oid) {
        self.0.insert(table, CONTENDED_ISSUES);
    }

    /// Whether this issue leaves its number to the commit without trying (counted).
    fn defers(&mut self, table: pg_sys::Oid) -> bool {
        match self.0.get_mut(&table) {
            Some(left) if *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        }
    }
}

/// Registers the transaction callbacks of [`NumberedByStatement`] (once per backend).
fn register_callbacks() {
    thread_local! {
        static REGISTERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if !REGISTERED.get() {
        // SAFETY: registers two callbacks for the life of the backend (once: the flag is set
        // right after); they only read and write this module's per-backend state and raise.
        unsafe {
            pg_sys::RegisterXactCallback(Some(refuse_unwritten), std::ptr::null_mut());
            pg_sys::RegisterSubXactCallback(Some(forget_rolled_back), std::ptr::null_mut());
        }
        REGISTERED.set(true);
    }
}

/// At pre-commit (after the deferred triggers) and before PREPARE TRANSACTION: a number a
/// statement took for a row that was not written refuses the commit, which gives it back.
#[pg_guard]
unsafe extern "C-unwind" fn refuse_unwritten(event: pg_sys::XactEvent::Type, _arg: *mut std::ffi::c_void) {
    if !matches!(event, pg_sys::XactEvent::XACT_EVENT_PRE_COMMIT | pg_sys::XactEvent::XACT_EVENT_PRE_PREPARE) {
        return;
    }
    let unwritten = NUMBERED_BY_STATEMENT.with(|m| m.borrow_mut().unwritten());
    if unwritten > 0 {
        CimientoError::Refused {
            kind: crate::error::Refusal::Conflict,
            message: format!(
                "{unwritten} gapless number(s) were taken for rows this transaction did not write (INSERT … ON CONFLICT on a table numbered by its statement); nothing was committed"
            ),
            hint: "insert such rows without ON CONFLICT, or number them at commit (SET cimiento.defer_numbering = on)".into(),
        }
        .raise();
    }
}

/// A rolled-back subtransaction takes its numbers back (see [`NumberedByStatement::forget_from`]).
#[pg_guard]
unsafe extern "C-unwind" fn forget_rolled_back(
    event: pg_sys::SubXactEvent::Type,
    sub: pg_sys::SubTransactionId,
    _parent: pg_sys::SubTransactionId,
    _arg: *mut std::ffi::c_void,
) {
    if event == pg_sys::SubXactEvent::SUBXACT_EVENT_ABORT_SUB {
        NUMBERED_BY_STATEMENT.with(|m| m.borrow_mut().forget_from(sub));
    }
}

thread_local! {
    static NUMBERED_BY_STATEMENT: std::cell::RefCell<NumberedByStatement> = std::cell::RefCell::new(NumberedByStatement {
        transaction: 0,
        rows: std::collections::HashMap::new(),
        left: std::collections::HashSet::new(),
    });
    static CONTENTION: std::cell::RefCell<Contention> = std::cell::RefCell::new(Contention(std::collections::HashMap::new()));
}

/// What the issuing statement's attempt took: series id, number, display, period, time.
type Taken = (pgrx::Uuid, i64, String, i32, pgrx::datum::TimestampWithTimeZone);

fn attempt(trigger: pg_sys::Oid, table: pg_sys::Oid, row: PgHeapTuple<'_, pgrx::AllocatedByPostgres>) -> Result<Option<(std::rc::Rc<Numbering>, Taken)>, CimientoError> {
    Spi::connect_mut(|client| {
        let n = numbering_for(client, trigger, table)?;
        let Some(attempt) = &n.when_free else { return Ok(None) };
        // SAFETY: the row is of the table's row type, the statement's parameter type.
        let arg = unsafe { pgrx::datum::DatumWithOid::new(row, n.reg.row_type) };
        let rows = client.update(attempt, Some(1), &[arg])?;
        if rows.is_empty() {
            return Ok(None);
        }
        crate::early_release::ask();
        let r = rows.first();
        let missing = || CimientoError::Internal("the series returned an incomplete number".into());
        let taken = (
            r.get::<pgrx::Uuid>(1)?.ok_or_else(missing)?,
            r.get::<i64>(2)?.ok_or_else(missing)?,
            r.get::<String>(3)?.ok_or_else(missing)?,
            r.get::<i32>(4)?.ok_or_else(missing)?,
            r.get::<pgrx::datum::TimestampWithTimeZone>(5)?.ok_or_else(missing)?,
        );
        Ok(Some((n.clone(), taken)))
    })
}

/// The BEFORE triggers `zz_number_on_issue` (an UPDATE of the status) and
/// `zz_number_on_insert` that `cimiento.number_when_free` attaches: when the row being
/// issued or inserted is due and its series is free (not locked by another transaction), it
/// takes the number now and writes it into the row itself — one row version, one audit row
/// — instead of a second version at commit. The series row then
/// stays locked until the transaction ends, as when numbering at commit. Otherwise (series
/// busy, no open series for the year, a date the series refuses, a transaction above READ
/// COMMITTED, or `cimiento.defer_numbering` on) the row is left to `<table>_number_at_commit`,
/// which also runs the after-numbering function of a row numbered here. After a row left
/// because its series was busy, the backend's next issues of the table are left to the
/// commit without trying ([`Contention`]).
#[pg_trigger]
fn number_on_issue<'a>(
    trigger: &'a pgrx::PgTrigger<'a>,
) -> Result<Option<PgHeapTuple<'a, pgrx::AllocatedByRust>>, CimientoError> {
    let Some(row) = trigger.new() else { return Ok(None) };
    let mut new = row.into_owned();
    // SAFETY: XactIsoLevel is the backend's transaction isolation level.
    let read_committed = unsafe { pg_sys::XactIsoLevel } == pg_sys::XACT_READ_COMMITTED as i32;
    if !read_committed || crate::settings::defer_numbering() {
        return Ok(Some(new));
    }
    let table = trigger.relid().map_err(|e| CimientoError::Internal(e.to_string()))?;
    if CONTENTION.with(|c| c.borrow_mut().defers(table)) {
        return Ok(Some(new));
    }
    let Some(row) = trigger.new() else { return Ok(Some(new)) };
    let field = |name: &str| new.get_by_name::<pgrx::Uuid>(name).map_err(|e| CimientoError::Internal(e.to_string()));
    // A row without its key yet (an INSERT whose id a later trigger or the table's
    // constraints decide) is left to the commit.
    let (Some(tenant), Some(id)) = (field("tenant_id")?, field("id")?) else { return Ok(Some(new)) };
    let trigger_oid = trigger.trigger().tgoid;
    let taken = {
        let numbering = crate::privilege::role_oid(crate::privilege::NUMBERING_ROLE)?;
        let _as_numbering = crate::privilege::AsRole::enter(numbering);
        attempt(trigger_oid, table, row)?
    };
    let Some((n, (series, number, display, period, at))) = taken else {
        NUMBERED_BY_STATEMENT.with(|m| m.borrow_mut().leave(table, tenant, id));
        return Ok(Some(new));
    };
    let set = |e: pgrx::datum::TryFromDatumError| CimientoError::Internal(e.to_string());
    let w = &n.reg.raw;
    new.set_by_name(&w.series_id, series).map_err(set)?;
    new.set_by_name(&w.number, number).map_err(set)?;
    new.set_by_name(&w.display, display).map_err(set)?;
    if let Some(c) = &w.period {
        new.set_by_name(c, period).map_err(set)?;
    }
    if let Some(c) = &w.numbered_at {
        new.set_by_name(c, at).map_err(set)?;
    }
    NUMBERED_BY_STATEMENT.with(|m| m.borrow_mut().insert(table, tenant, id));
    Ok(Some(new))
}

/// Renders a number with a series format, e.g. `{code}-{year}-{number:06}` → `F001-2026-000123`.
#[pg_extern(immutable, parallel_safe)]
fn format_document_number(format: &str, code: &str, year: i32, number: i64) -> String {
    match render(format, code, year, number) {
        Ok(s) => s,
        Err(e) => e.raise(),
    }
}

extension_sql_file!(
    "numbering.sql",
    name = "numbering",
    requires = [number_at_commit, number_on_issue, format_document_number, protection::protect_trigger]
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
        // The SQLSTATE and message a caller gets for each bad format (caught in PL/pgSQL).
        Spi::run(
            "CREATE FUNCTION pg_temp.refusal(f text) RETURNS text LANGUAGE plpgsql AS $$
             BEGIN
               PERFORM cimiento.format_document_number(f, 'NC', 2026, 5);
               RETURN 'accepted';
             EXCEPTION WHEN OTHERS THEN
               RETURN SQLSTATE || ': ' || SQLERRM;
             END $$",
        )
        .unwrap();
        for bad in ["{code}", "{number:0x}", "{number:019}", "{nope}", "{number"] {
            let got = Spi::get_one_with_args::<String>("SELECT pg_temp.refusal($1)", &[bad.into()]).unwrap();
            assert_eq!(
                got.as_deref(),
                Some(format!("22023: invalid number format {bad:?}: it must contain {{number}} or {{number:0N}}").as_str()),
                "format {bad}"
            );
        }
    }
}
