//! The audit trail: a Rust row trigger that records who changed what, when and from which
//! request into the append-only log of the audit store a migration registered
//! (`cimiento.register_audit_store`: the log, its seals, chain bases, sealer state and
//! sealed transactions; the extension names none of them).
//!
//! Per row change it writes the tenant, the branch (when the table has one), the table,
//! the operation, the primary key, the new row (INSERT), the old row (DELETE) or only the
//! changed columns as `{column: [old, new]}` (UPDATE; a no-op update writes nothing), the
//! actor (user, roles and session from the claims, or the SQL login), the request id
//! (PostgREST's `x-request-id` header) and the transaction id. TRUNCATE is recorded as a
//! statement event. The insert is one prepared statement per table and operation, cached
//! per backend. The insert runs as `audit_owner` (the trigger switches the user id around
//! it, as SECURITY DEFINER would, without its per-call GUC work): API roles have no
//! privilege on the log, so they cannot forge entries. Writes made inside a rehearsal
//! (`cimiento.rehearse`), which are undone on every path, are not recorded.
use std::cell::RefCell;
use std::collections::HashMap;

use pgrx::prelude::*;
use pgrx::spi::OwnedPreparedStatement;
use pgrx::{PgOid, PgRelation, WhoAllocated};

use crate::error::{CimientoError, OrRaise};
use crate::privilege::AsRole;
use crate::identity;

/// What the trigger needs to know about an audited table.
#[derive(Clone)]
struct TableInfo {
    name: String,
    rowtype: pg_sys::Oid,
    pk: Vec<String>,
    has_branch: bool,
    has_tenant: bool,
    /// Secret columns (cimiento.audit_redact_columns) present in the table.
    redacted: Vec<String>,
    /// The registered tenants table (`cimiento.identity_sources`): a row is its own tenant's.
    is_tenants: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    Insert,
    Update,
    Delete,
}

thread_local! {
    static TABLES: RefCell<HashMap<pg_sys::Oid, TableInfo>> = RefCell::new(HashMap::new());
    static PLANS: RefCell<HashMap<(pg_sys::Oid, Op, String), OwnedPreparedStatement>> = RefCell::new(HashMap::new());
}

/// The audit store a migration registered (`cimiento.audit_store`), as qualified names.
pub struct AuditStore {
    pub log: String,
    pub seals: String,
    pub chain_base: String,
    pub sealer_state: String,
    pub sealed_txids: String,
    /// The schema holding the log: its tables are never audited themselves.
    pub schema: pg_sys::Oid,
}

impl AuditStore {
    /// The registered store; before a migration registers one, the schema the audit role
    /// (`audit_owner`) owns, with the tables under their conventional names (so the
    /// migrations that create the trail can already audit what they insert). None when
    /// neither exists. Call it under the pinned search path (names come back qualified).
    pub fn load(client: &pgrx::spi::SpiClient<'_>) -> Result<Option<Self>, CimientoError> {
        let rows = client.select(
            "SELECT s.log::pg_catalog.text, s.seals::pg_catalog.text, s.chain_base::pg_catalog.text,
                    s.sealer_state::pg_catalog.text, s.sealed_txids::pg_catalog.text, c.relnamespace
               FROM cimiento.audit_store s JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) s.log::pg_catalog.oid
             UNION ALL
             SELECT pg_catalog.format('%I.log', n.nspname), pg_catalog.format('%I.seals', n.nspname),
                    pg_catalog.format('%I.chain_base', n.nspname), pg_catalog.format('%I.sealer_state', n.nspname),
                    pg_catalog.format('%I.sealed_txids', n.nspname), n.oid
               FROM pg_catalog.pg_namespace n
               JOIN pg_catalog.pg_class l ON l.relnamespace OPERATOR(pg_catalog.=) n.oid AND l.relname OPERATOR(pg_catalog.=) 'log'
              WHERE n.nspowner OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $1)
                AND NOT EXISTS (SELECT FROM cimiento.audit_store)
             LIMIT 1",
            Some(1),
            &[crate::privilege::AUDIT_ROLE.to_string_lossy().as_ref().into()],
        )?;
        if rows.is_empty() {
            return Ok(None);
        }
        let r = rows.first();
        let name = |i: usize| -> Result<String, CimientoError> { Ok(r.get::<String>(i)?.unwrap_or_default()) };
        Ok(Some(AuditStore {
            log: name(1)?,
            seals: name(2)?,
            chain_base: name(3)?,
            sealer_state: name(4)?,
            sealed_txids: name(5)?,
            schema: r.get::<pg_sys::Oid>(6)?.unwrap_or(pg_sys::InvalidOid),
        }))
    }

    /// Whether all five tables exist (the sealer waits until they do).
    pub fn complete(&self, client: &pgrx::spi::SpiClient<'_>) -> Result<bool, CimientoError> {
        let names = vec![
            self.log.clone(),
            self.seals.clone(),
            self.chain_base.clone(),
            self.sealer_state.clone(),
            self.sealed_txids.clone(),
        ];
        Ok(client
            .select(
                "SELECT pg_catalog.bool_and(pg_catalog.to_regclass(t) IS NOT NULL) FROM pg_catalog.unnest($1::pg_catalog.text[]) t",
                Some(1),
                &[names.into()],
            )?
            .first()
            .get_one::<bool>()?
            .unwrap_or(false))
    }

    /// Whether the log has a plain `row_key` column for the trigger to fill (a store may also
    /// generate it itself, or not have one).
    pub fn fills_row_key(&self, client: &pgrx::spi::SpiClient<'_>) -> Result<bool, CimientoError> {
        Ok(client
            .select(
                "SELECT a.attgenerated OPERATOR(pg_catalog.=) '' FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) $1::pg_catalog.regclass AND a.attname OPERATOR(pg_catalog.=) 'row_key'
                    AND NOT a.attisdropped AND a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.int8'::pg_catalog.regtype",
                Some(1),
                &[self.log.clone().into()],
            )?
            .first()
            .get_one::<bool>()?
            .unwrap_or(false))
    }

    /// The registered store, or a clear error saying how to register one.
    pub fn require(client: &pgrx::spi::SpiClient<'_>) -> Result<Self, CimientoError> {
        Self::load(client)?.ok_or_else(|| CimientoError::InvalidObjectDefinition {
            message: "no audit store exists".into(),
            hint: "a migration registers its log and seal tables with cimiento.register_audit_store(...)".into(),
        })
    }

    /// `template` with `{log}`, `{seals}`, `{chain_base}`, `{sealer_state}` and
    /// `{sealed_txids}` replaced by the registered tables.
    pub fn sql(&self, template: &str) -> String {
        template
            .replace("{log}", &self.log)
            .replace("{seals}", &self.seals)
            .replace("{chain_base}", &self.chain_base)
            .replace("{sealer_state}", &self.sealer_state)
            .replace("{sealed_txids}", &self.sealed_txids)
    }
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn table_info(client: &pgrx::spi::SpiClient<'_>, rel: pg_sys::Oid) -> Result<Option<TableInfo>, CimientoError> {
    if let Some(hit) = TABLES.with(|t| t.borrow().get(&rel).cloned()) {
        return Ok(Some(hit));
    }
    let rows = client.select(
        "SELECT format('%I.%I', n.nspname, c.relname), c.reltype,
                (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum))
                   FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
                  WHERE i.indrelid = c.oid AND i.indisprimary),
                EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'branch_id' AND NOT attisdropped),
                EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'tenant_id' AND NOT attisdropped),
                ARRAY(SELECT attname::text FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped
                         AND attname::text = ANY ($2::text[])),
                EXISTS (SELECT 1 FROM cimiento.identity_sources s WHERE s.tenants::oid = c.oid)
           FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1",
        Some(1),
        &[rel.into(), crate::settings::audit_redact_columns().into()],
    )?;
    if rows.is_empty() {
        return Ok(None);
    }
    let row = rows.first();
    let info = TableInfo {
        name: row.get::<String>(1)?.unwrap_or_default(),
        rowtype: row.get::<pg_sys::Oid>(2)?.unwrap_or(pg_sys::InvalidOid),
        pk: row.get::<Vec<String>>(3)?.unwrap_or_default(),
        has_branch: row.get::<bool>(4)?.unwrap_or(false),
        has_tenant: row.get::<bool>(5)?.unwrap_or(false),
        redacted: row.get::<Vec<String>>(6)?.unwrap_or_default(),
        is_tenants: row.get::<bool>(7)?.unwrap_or(false),
    };
    TABLES.with(|t| t.borrow_mut().insert(rel, info.clone()));
    Ok(Some(info))
}

const NIL_TENANT: &str = "'00000000-0000-0000-0000-000000000000'::uuid";

/// The INSERT into the audit log `log` for one table and operation. `$1` is the row (old for DELETE,
/// new otherwise; for UPDATE `$1` is old and `$2` new); the actor follows. For an UPDATE
/// whose changed columns the trigger already knows (`changed`), the statement builds just
/// those `{column: [old, new]}`; otherwise it compares the two rows itself and writes nothing
/// when none or only `ignored` (bookkeeping) columns changed. With `row_key` (the log has a
/// plain `row_key` column, see [`AuditStore::fills_row_key`]) the statement also writes the
/// row's history key, `hashtextextended(table || ' ' || row_pk::text, 0)`, as part of its
/// cached plan (a generated column's expression is read again at every insert).
fn statement_sql(log: &str, info: &TableInfo, op: Op, ignored: &[String], changed: Option<&[String]>, row_key: bool) -> String {
    let row = if op == Op::Update { "$2" } else { "$1" };
    let tenant = if info.has_tenant {
        format!("coalesce(({row}).tenant_id, {NIL_TENANT})")
    } else if info.is_tenants {
        format!("({row}).id") // a tenant row belongs to its own trail
    } else {
        format!("coalesce(cimiento.current_tenant(), {NIL_TENANT})")
    };
    let branch = if info.has_branch { format!("({row}).branch_id") } else { "NULL::uuid".into() };
    let pk = info
        .pk
        .iter()
        .map(|c| format!("{}, ({row}).{}", quote_literal(c), quote_ident(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let (first_actor, op_name) = match op {
        Op::Insert => (2, "INSERT"),
        Op::Delete => (2, "DELETE"),
        Op::Update => (3, "UPDATE"),
    };
    let actor = (first_actor..first_actor + 5).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let (key_column, key_value) = if row_key {
        (
            ", row_key",
            format!(
                ", pg_catalog.hashtextextended({} OPERATOR(pg_catalog.||) (pg_catalog.jsonb_build_object({pk}))::pg_catalog.text, 0)",
                quote_literal(&format!("{} ", info.name))
            ),
        )
    } else {
        ("", String::new())
    };
    let head = format!(
        "INSERT INTO {log} (tenant_id, branch_id, table_name, operation, row_pk, new_row, old_row, changes,
                            actor_user, actor_roles, actor_session, actor_login, request_id, txid{key_column})
         SELECT {tenant}, {branch}, {}, '{op_name}', pg_catalog.jsonb_build_object({pk}),",
        quote_literal(&info.name)
    );
    let (json, value) = if info.redacted.is_empty() {
        ("pg_catalog.to_jsonb({r})".to_string(), "{side}.value".to_string())
    } else {
        let list = info.redacted.iter().map(|c| quote_literal(c)).collect::<Vec<_>>().join(", ");
        (
            format!("pg_catalog.to_jsonb({{r}}) OPERATOR(pg_catalog.-) ARRAY[{list}]::pg_catalog.text[]"),
            format!("CASE WHEN o.key IN ({list}) THEN '\"[redacted]\"'::jsonb ELSE {{side}}.value END"),
        )
    };
    let j = |r: &str| json.replace("{r}", r);
    let v = |side: &str| value.replace("{side}", side);
    if let (Op::Update, Some(changed)) = (op, changed) {
        let pairs = changed
            .iter()
            .map(|c| {
                let (old, new) = if info.redacted.contains(c) {
                    ("'\"[redacted]\"'::pg_catalog.jsonb".to_string(), "'\"[redacted]\"'::pg_catalog.jsonb".to_string())
                } else {
                    (format!("pg_catalog.to_jsonb(($1).{})", quote_ident(c)), format!("pg_catalog.to_jsonb(($2).{})", quote_ident(c)))
                };
                format!("{}, pg_catalog.jsonb_build_array({old}, {new})", quote_literal(c))
            })
            .collect::<Vec<_>>()
            .join(", ");
        return format!("{head} NULL, NULL, pg_catalog.jsonb_build_object({pairs}), {actor}, pg_catalog.txid_current(){key_value}");
    }
    match op {
        Op::Insert => format!("{head} {}, NULL, NULL, {actor}, pg_catalog.txid_current(){key_value}", j("$1")),
        Op::Delete => format!("{head} NULL, {}, NULL, {actor}, pg_catalog.txid_current(){key_value}", j("$1")),
        Op::Update => format!(
            "{head} NULL, NULL, d.changes, {actor}, pg_catalog.txid_current(){key_value}
               FROM (SELECT pg_catalog.jsonb_object_agg(n.key, pg_catalog.jsonb_build_array({}, {})) AS changes
                       FROM pg_catalog.jsonb_each(pg_catalog.to_jsonb($1)) o
                       JOIN pg_catalog.jsonb_each(pg_catalog.to_jsonb($2)) n ON n.key OPERATOR(pg_catalog.=) o.key
                      WHERE o.value IS DISTINCT FROM n.value) d
              WHERE d.changes IS NOT NULL{}",
            v("o"),
            v("n"),
            if ignored.is_empty() {
                String::new()
            } else {
                let list = ignored.iter().map(|c| quote_literal(c)).collect::<Vec<_>>().join(", ");
                format!(" AND d.changes OPERATOR(pg_catalog.-) ARRAY[{list}]::pg_catalog.text[] OPERATOR(pg_catalog.<>) '{{}}'::pg_catalog.jsonb")
            }
        ),
    }
}

fn actor_oids() -> [PgOid; 5] {
    use pgrx::pg_sys::BuiltinOid as B;
    [
        PgOid::BuiltIn(B::UUIDOID),
        PgOid::BuiltIn(B::TEXTARRAYOID),
        PgOid::BuiltIn(B::UUIDOID),
        PgOid::BuiltIn(B::TEXTOID),
        PgOid::BuiltIn(B::TEXTOID),
    ]
}

thread_local! {
    static AUDIT_OWNER: std::cell::Cell<pg_sys::Oid> = const { std::cell::Cell::new(pg_sys::InvalidOid) };
}

/// Runs the audit insert as the log's owner (`audit_owner`), under the pinned search path.
pub(crate) fn as_audit_owner() -> Result<AsRole, CimientoError> {
    let mut owner = AUDIT_OWNER.with(|o| o.get());
    if owner == pg_sys::InvalidOid {
        owner = crate::privilege::role_oid(crate::privilege::AUDIT_ROLE)?;
        AUDIT_OWNER.with(|o| o.set(owner));
    }
    Ok(AsRole::enter(owner))
}

fn record<'a, A: WhoAllocated>(
    client: &mut pgrx::spi::SpiClient<'_>,
    rel: pg_sys::Oid,
    op: Op,
    ignored: &[String],
    changed: Option<&[String]>,
    rows: Vec<PgHeapTuple<'a, A>>,
) -> Result<(), CimientoError> {
    let Some(info) = table_info(client, rel)? else { return Ok(()) };
    let caller = identity::caller()?;
    let request = identity::request_id();
    let login = identity::login_name();
    let _owner = as_audit_owner()?;
    // One plan per table, operation and set of changed columns (an UPDATE path changes the
    // same columns every time), or per ignored list for the generic comparison.
    let key = (rel, op, match changed {
        Some(cols) => format!("changed:{}", cols.join(",")),
        None => ignored.join(","),
    });
    let planned = PLANS.with(|p| p.borrow().contains_key(&key));
    if !planned {
        let mut types = vec![PgOid::from(info.rowtype)];
        if op == Op::Update {
            types.push(PgOid::from(info.rowtype));
        }
        types.extend(actor_oids());
        let store = AuditStore::require(client)?;
        let sql = statement_sql(&store.log, &info, op, ignored, changed, store.fills_row_key(client)?);
        let plan = client.prepare_mut(sql.as_str(), &types)?.keep();
        PLANS.with(|p| p.borrow_mut().insert(key.clone(), plan));
    }
    let mut args: Vec<pgrx::datum::DatumWithOid<'_>> = Vec::with_capacity(7);
    for row in rows {
        // SAFETY: the datum is the table's composite row type, whose oid we pass.
        args.push(unsafe { pgrx::datum::DatumWithOid::new(row, info.rowtype) });
    }
    args.push(caller.user.into());
    args.push(caller.roles.clone().into());
    args.push(caller.session.into());
    args.push(login.into());
    args.push(request.into());
    PLANS.with(|p| -> Result<(), CimientoError> {
        let plans = p.borrow();
        let plan = plans.get(&key).ok_or_else(|| CimientoError::Internal("audit plan missing".into()))?;
        client.update(plan, None, &args)?;
        Ok(())
    })
}

fn truncate_event(client: &mut pgrx::spi::SpiClient<'_>, rel: pg_sys::Oid) -> Result<(), CimientoError> {
    let Some(info) = table_info(client, rel)? else { return Ok(()) };
    let caller = identity::caller()?;
    let (request, login) = (identity::request_id(), identity::login_name());
    let store = AuditStore::require(client)?;
    let (key_column, key_value) = if store.fills_row_key(client)? {
        (", row_key", ", pg_catalog.hashtextextended($1 OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) '{}'::pg_catalog.jsonb::pg_catalog.text, 0)")
    } else {
        ("", "")
    };
    let _owner = as_audit_owner()?;
    client.update(
        &*store.sql(&format!(
            "INSERT INTO {{log}} (tenant_id, table_name, operation, row_pk, actor_user, actor_roles, actor_session,
                                actor_login, request_id, txid{key_column})
             VALUES (coalesce(cimiento.current_tenant(), {NIL_TENANT}), $1, 'TRUNCATE', '{{}}', $2, $3, $4, $5, $6, pg_catalog.txid_current(){key_value})"
        )),
        None,
        &[
            info.name.into(),
            caller.user.into(),
            caller.roles.clone().into(),
            caller.session.into(),
            login.into(),
            request.into(),
        ],
    )?;
    Ok(())
}

/// The audit trigger (row level: INSERT/UPDATE/DELETE; statement level: TRUNCATE).
/// Attach it with `cimiento.enable_audit(table)`.
#[pg_trigger]
fn audit_row<'a>(
    trigger: &'a pgrx::PgTrigger<'a>,
) -> Result<Option<PgHeapTuple<'a, pgrx::AllocatedByPostgres>>, CimientoError> {
    // A rehearsal's writes are always undone (rehearsal.rs): nothing to record.
    if crate::rehearsal::active() {
        return Ok(None);
    }
    let rel = trigger.relid().map_err(|e| CimientoError::Internal(e.to_string()))?;
    let op = trigger.op().map_err(|e| CimientoError::Internal(e.to_string()))?;
    // The trigger's arguments are the bookkeeping columns whose changes alone are not audited.
    let ignored = trigger.extra_args().unwrap_or_default();
    use pgrx::trigger_support::PgTriggerOperation as T;
    // An UPDATE's changed columns, compared before anything else: when nothing changed, or
    // only bookkeeping columns (a series' counter at every number taken), the trigger
    // returns without opening SPI or touching the search path.
    let changed = match op {
        // SAFETY: an UPDATE row trigger's data holds the old and the new tuple.
        T::Update => unsafe { changed_columns(trigger.trigger_data()) },
        _ => None,
    };
    if let (T::Update, Some(cols)) = (&op, &changed) {
        if cols.iter().all(|c| ignored.contains(c)) {
            return Ok(None);
        }
    }
    // Even the catalog look-ups run under pg_catalog alone, never the caller's search path.
    let _path = crate::privilege::PinnedSearchPath::enter();
    // Raised with its SQLSTATE here, as every function's error is (never a panic report).
    let recorded = Spi::connect_mut(|client| match op {
        T::Insert => match trigger.new() {
            Some(new) => record(client, rel, Op::Insert, &ignored, None, vec![new]),
            None => Ok(()),
        },
        T::Delete => match trigger.old() {
            Some(old) => record(client, rel, Op::Delete, &ignored, None, vec![old]),
            None => Ok(()),
        },
        T::Update => match (trigger.old(), trigger.new()) {
            (Some(old), Some(new)) => match &changed {
                Some(cols) => record(client, rel, Op::Update, &ignored, Some(cols), vec![old, new]),
                None => record(client, rel, Op::Update, &ignored, None, vec![old, new]),
            },
            _ => Ok(()),
        },
        T::Truncate => truncate_event(client, rel),
    });
    if let Err(e) = recorded {
        e.raise();
    }
    Ok(None)
}

unsafe extern "C-unwind" {
    /// PostgreSQL's `utils/datum.h` (not in pgrx's bindings): byte-wise equality of two
    /// datums of one type, without detoasting; never raises an error.
    fn datumIsEqual(value1: pg_sys::Datum, value2: pg_sys::Datum, typ_by_val: bool, typ_len: i32) -> bool;
}

/// The columns an UPDATE changed, by comparing the old and new datums of each column (the
/// same values compare equal: an unchanged column keeps its datum, toasted ones included);
/// None when too many changed for one `jsonb_build_object` call (the statement then compares
/// the rows itself).
unsafe fn changed_columns(td: &pg_sys::TriggerData) -> Option<Vec<String>> {
    // jsonb_build_object takes at most FUNC_MAX_ARGS (100) arguments: two per column.
    const MAX_EXPLICIT: usize = 50;
    let desc = (*td.tg_relation).rd_att;
    let natts = (*desc).natts as usize;
    let (mut old_values, mut old_nulls) = (vec![pg_sys::Datum::from(0usize); natts], vec![false; natts]);
    let (mut new_values, mut new_nulls) = (vec![pg_sys::Datum::from(0usize); natts], vec![false; natts]);
    pg_sys::heap_deform_tuple(td.tg_trigtuple, desc, old_values.as_mut_ptr(), old_nulls.as_mut_ptr());
    pg_sys::heap_deform_tuple(td.tg_newtuple, desc, new_values.as_mut_ptr(), new_nulls.as_mut_ptr());
    let mut changed = Vec::new();
    for (i, att) in (*desc).attrs.as_slice(natts).iter().enumerate() {
        if att.attisdropped {
            continue;
        }
        let same = match (old_nulls[i], new_nulls[i]) {
            (true, true) => true,
            (false, false) => datumIsEqual(old_values[i], new_values[i], att.attbyval, att.attlen as i32),
            _ => false,
        };
        if !same {
            changed.push(pgrx::name_data_to_str(&att.attname).to_string());
        }
    }
    (changed.len() <= MAX_EXPLICIT).then_some(changed)
}

fn has_trigger(client: &pgrx::spi::SpiClient<'_>, rel: pg_sys::Oid, name: &str) -> Result<bool, CimientoError> {
    Ok(!client
        .select("SELECT 1 FROM pg_trigger WHERE tgrelid = $1 AND tgname = $2", Some(1), &[rel.into(), name.into()])?
        .is_empty())
}

/// The arguments (ignored columns) of the table's audit trigger, if it exists.
fn trigger_args(client: &pgrx::spi::SpiClient<'_>, rel: pg_sys::Oid) -> Result<Option<Vec<String>>, CimientoError> {
    let rows = client.select(
        "SELECT tgargs FROM pg_trigger WHERE tgrelid = $1 AND tgname = 'cimiento_audit'",
        Some(1),
        &[rel.into()],
    )?;
    if rows.is_empty() {
        return Ok(None);
    }
    // tgargs: each argument followed by a NUL byte.
    let raw = rows.first().get::<Vec<u8>>(1)?.unwrap_or_default();
    Ok(Some(
        raw.split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect(),
    ))
}

fn enable(rel: pg_sys::Oid, ignore: Vec<String>) -> Result<(), CimientoError> {
    let _path = crate::privilege::PinnedSearchPath::enter();
    Spi::connect_mut(|client| {
        // Before a store is registered the trigger refuses every write with a clear error
        // (nothing is lost silently); once one is, its own tables are never audited.
        let store_schema = AuditStore::load(client)?.map(|s| s.schema);
        TABLES.with(|t| t.borrow_mut().remove(&rel));
        let Some(info) = table_info(client, rel)? else {
            return Err(CimientoError::InvalidParameter("no such table".into()));
        };
        let kind = client
            .select("SELECT relkind::text, relnamespace FROM pg_class WHERE oid = $1", Some(1), &[rel.into()])?
            .first()
            .get_two::<String, pg_sys::Oid>()?;
        if !matches!(kind.0.as_deref(), Some("r") | Some("p")) {
            return Err(CimientoError::InvalidParameter(format!("{} is not a table; audit applies to tables", info.name)));
        }
        if store_schema.is_some() && kind.1 == store_schema {
            return Err(CimientoError::InvalidParameter(format!("{} is part of the audit trail itself", info.name)));
        }
        if info.pk.is_empty() {
            return Err(CimientoError::InvalidObjectDefinition {
                message: format!("{} has no primary key; audit rows identify the changed row by it", info.name),
                hint: "add a primary key (tenant_id first) before enabling audit".into(),
            });
        }
        let columns: Vec<String> = client
            .select(
                "SELECT attname::text FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped",
                None,
                &[rel.into()],
            )?
            .filter_map(|r| r.get::<String>(1).ok().flatten())
            .collect();
        if let Some(unknown) = ignore.iter().find(|c| !columns.contains(c)) {
            return Err(CimientoError::InvalidParameter(format!("{} has no column {unknown}", info.name)));
        }
        let mut sql = String::new();
        let args = ignore.iter().map(|c| quote_literal(c)).collect::<Vec<_>>().join(", ");
        match trigger_args(client, rel)? {
            Some(current) if current == ignore => {}
            _ => {
                // Replaced in place: a protected trigger may not be dropped, even for a moment.
                sql.push_str(&format!(
                    "CREATE OR REPLACE TRIGGER cimiento_audit AFTER INSERT OR UPDATE OR DELETE ON {} FOR EACH ROW EXECUTE FUNCTION cimiento.audit_row({args});\n",
                    info.name
                ));
            }
        }
        if !has_trigger(client, rel, "cimiento_audit_truncate")? {
            sql.push_str(&format!(
                "CREATE TRIGGER cimiento_audit_truncate AFTER TRUNCATE ON {} FOR EACH STATEMENT EXECUTE FUNCTION cimiento.audit_row();\n",
                info.name
            ));
        }
        if !sql.is_empty() {
            client.update(sql.as_str(), None, &[])?;
        }
        // Only the cluster superuser may switch the trail off again.
        for t in ["cimiento_audit", "cimiento_audit_truncate"] {
            crate::protection::register(client, rel, t)?;
        }
        Ok(())
    })
}

fn disable(rel: pg_sys::Oid) -> Result<(), CimientoError> {
    let _path = crate::privilege::PinnedSearchPath::enter();
    Spi::connect_mut(|client| {
        let name = client
            .select("SELECT $1::regclass::text", Some(1), &[rel.into()])?
            .first()
            .get_one::<String>()?
            .unwrap_or_default();
        let mut sql = String::new();
        for t in ["cimiento_audit", "cimiento_audit_truncate"] {
            if has_trigger(client, rel, t)? {
                // Refused (42501) to any role but the cluster superuser.
                sql.push_str(&format!("SELECT cimiento.unprotect_trigger({}::regclass, '{t}');\n", quote_literal(&name)));
                sql.push_str(&format!("DROP TRIGGER {t} ON {name};\n"));
            }
        }
        if !sql.is_empty() {
            client.update(sql.as_str(), None, &[])?;
        }
        TABLES.with(|t| t.borrow_mut().remove(&rel));
        PLANS.with(|p| p.borrow_mut().retain(|(r, _, _), _| *r != rel));
        Ok(())
    })
}

/// Attaches the audit trigger to `tbl` (row changes and TRUNCATE). Refuses tables without
/// a primary key. `ignore_columns` are bookkeeping columns (e.g. a counter or a last-seen
/// time) whose changes alone write no audit row. Idempotent; calling again with other
/// columns replaces the setting.
#[pg_extern(volatile, parallel_unsafe)]
fn enable_audit(tbl: PgRelation, ignore_columns: default!(Vec<String>, "'{}'")) {
    let rel = tbl.oid();
    drop(tbl);
    enable(rel, ignore_columns).or_raise()
}

/// Detaches the audit trigger from `tbl`. Idempotent.
#[pg_extern(volatile, parallel_unsafe)]
fn disable_audit(tbl: PgRelation) {
    let rel = tbl.oid();
    drop(tbl);
    disable(rel).or_raise()
}

extension_sql_file!("audit_store.sql", name = "audit_store");

extension_sql_file!("audit_trigger.sql", name = "audit_trigger", requires = [audit_row, enable_audit, disable_audit]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    fn info(redacted: &[&str]) -> TableInfo {
        TableInfo {
            name: "core.users".into(),
            rowtype: pg_sys::InvalidOid,
            pk: vec!["tenant_id".into(), "id".into()],
            has_branch: false,
            has_tenant: true,
            redacted: redacted.iter().map(|s| s.to_string()).collect(),
            is_tenants: false,
        }
    }

    #[pg_test]
    fn update_statement_records_only_changes_and_honours_ignored_columns() {
        let sql = statement_sql("trail.log", &info(&[]), Op::Update, &["last_login_at".to_string()], None, false);
        assert!(sql.contains("'UPDATE'"));
        assert!(sql.contains("WHERE o.value IS DISTINCT FROM n.value"), "only changed columns");
        assert!(sql.contains("WHERE d.changes IS NOT NULL"), "a no-op update writes nothing");
        assert!(
            sql.contains("d.changes OPERATOR(pg_catalog.-) ARRAY['last_login_at']::pg_catalog.text[] OPERATOR(pg_catalog.<>) '{}'::pg_catalog.jsonb"),
            "ignored columns alone write nothing"
        );
        assert!(
            sql.contains("pg_catalog.jsonb_build_object('tenant_id', ($2).\"tenant_id\", 'id', ($2).\"id\")"),
            "the primary key of the new row"
        );
    }

    #[pg_test]
    fn secrets_are_redacted_in_every_operation() {
        let i = info(&["password_hash"]);
        assert!(statement_sql("trail.log", &i, Op::Insert, &[], None, false).contains("pg_catalog.to_jsonb($1) OPERATOR(pg_catalog.-) ARRAY['password_hash']"));
        assert!(statement_sql("trail.log", &i, Op::Delete, &[], None, false).contains("pg_catalog.to_jsonb($1) OPERATOR(pg_catalog.-) ARRAY['password_hash']"));
        assert!(statement_sql("trail.log", &i, Op::Update, &[], None, false).contains("CASE WHEN o.key IN ('password_hash') THEN '\"[redacted]\"'::jsonb"));
        let explicit = statement_sql("trail.log", &i, Op::Update, &[], Some(&["password_hash".to_string(), "full_name".to_string()]), false);
        assert!(explicit.contains("'password_hash', pg_catalog.jsonb_build_array('\"[redacted]\"'::pg_catalog.jsonb, '\"[redacted]\"'::pg_catalog.jsonb)"));
        assert!(explicit.contains("'full_name', pg_catalog.jsonb_build_array(pg_catalog.to_jsonb(($1).\"full_name\"), pg_catalog.to_jsonb(($2).\"full_name\"))"));
    }

    #[pg_test]
    fn history_key_is_written_when_the_log_has_a_plain_column() {
        let with = statement_sql("trail.log", &info(&[]), Op::Insert, &[], None, true);
        assert!(with.contains("txid, row_key)"), "the column is listed");
        assert!(
            with.contains("pg_catalog.hashtextextended('core.users ' OPERATOR(pg_catalog.||) (pg_catalog.jsonb_build_object('tenant_id', ($1).\"tenant_id\", 'id', ($1).\"id\"))::pg_catalog.text, 0)"),
            "the key of the new row's primary key"
        );
        let update = statement_sql("trail.log", &info(&[]), Op::Update, &[], None, true);
        assert!(update.contains("pg_catalog.txid_current(), pg_catalog.hashtextextended("), "an UPDATE writes it too");
        assert!(!statement_sql("trail.log", &info(&[]), Op::Insert, &[], None, false).contains("row_key"), "not without the column");
    }

    #[pg_test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(quote_literal("o'brien"), "'o''brien'");
    }
}
