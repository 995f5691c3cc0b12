//! Workflows: `cimiento.enable_workflow(table, state_column, transitions)` registers the
//! allowed transitions of a state column (from-states, to-state, the permission each needs in
//! the row's branch, an optional guard and whether a reason is required); protected triggers
//! then refuse every other change on every path and record each transition in
//! `cimiento.workflow_history` (per tenant, branch-scoped). Frontends use
//! `cimiento.transition(entity, id, to_state, reason)` and
//! `cimiento.allowed_transitions(entity, id)`.
//!
//! The catalog, `enable_workflow` and the functions frontends call are SQL (`workflow.sql`).
//! The two triggers, which run on every change of a state, are Rust:
//! - `cimiento.workflow_check()` (BEFORE INSERT OR UPDATE OF the state column, as the
//!   caller): a new row starts in an initial state; a change is an allowed transition whose
//!   permission the caller holds in the row's branch, with its reason and its guard (run as
//!   the caller).
//! - `cimiento.workflow_record()` (AFTER UPDATE OF the state column, when it changed): one row
//!   of history, written as the history's owner (a user switch around one prepared insert,
//!   under the pinned search path), so callers cannot write history themselves.
//!
//! A table's workflow is read from the catalog once per backend and trigger (the trigger's
//! oid is the key: `enable_workflow` drops and creates the triggers, so a changed workflow
//! comes with new oids; a transaction above READ COMMITTED keeps what it read to itself).
//! Permissions are checked by [`crate::identity`] directly, without SQL. Their refusals keep
//! the SQLSTATEs of the SQL triggers they replace — PT409 (HTTP 409) included, which only a
//! raw entry point can raise ([`CimientoError::report`]).
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::CStr;
use std::rc::Rc;

use pgrx::prelude::*;
use pgrx::spi::{OwnedPreparedStatement, SpiClient};
use pgrx::PgOid;

use crate::error::{CimientoError, Refusal};
use crate::identity::{self, Scope};
use crate::privilege::{AsRole, PinnedSearchPath};

/// A column the triggers read: its number and its type's output function (states and ids
/// are compared and recorded as text, whatever their type).
#[derive(Clone, Copy)]
struct Column {
    attnum: i32,
    output: pg_sys::Oid,
}

struct Transition {
    name: String,
    from: Vec<String>,
    to: String,
    permission: String,
    /// The guard as `schema.function` (to call it) and with its arguments (to name it).
    guard: Option<(String, String)>,
    reason_required: bool,
}

struct Workflow {
    entity: String,
    state: Column,
    id: Column,
    tenant: Option<Column>,
    branch: Option<Column>,
    initial_states: Option<Vec<String>>,
    /// By name: a change takes the first one whose permission the caller holds.
    transitions: Vec<Transition>,
    /// Read under a transaction snapshot (REPEATABLE READ and above): valid in that
    /// transaction only.
    only_in: Option<u32>,
}

thread_local! {
    /// By trigger oid.
    static WORKFLOWS: RefCell<HashMap<pg_sys::Oid, Rc<Workflow>>> = RefCell::new(HashMap::new());
    static HISTORY_INSERT: RefCell<Option<Rc<OwnedPreparedStatement>>> = const { RefCell::new(None) };
    static HISTORY_OWNER: Cell<pg_sys::Oid> = const { Cell::new(pg_sys::InvalidOid) };
}

fn internal<E: std::fmt::Display>(e: E) -> CimientoError {
    CimientoError::Internal(e.to_string())
}

/// A column of the trigger's table by name.
fn column(desc: pg_sys::TupleDesc, name: &str) -> Option<Column> {
    // SAFETY: the relation's descriptor, valid during the trigger call.
    unsafe {
        let natts = (*desc).natts as usize;
        for (i, att) in (*desc).attrs.as_slice(natts).iter().enumerate() {
            if !att.attisdropped && pgrx::name_data_to_str(&att.attname) == name {
                let (mut output, mut varlena) = (pg_sys::InvalidOid, false);
                pg_sys::getTypeOutputInfo(att.atttypid, &mut output, &mut varlena);
                return Some(Column { attnum: i as i32 + 1, output });
            }
        }
    }
    None
}

/// A column's value as its type prints it; None when NULL.
fn text_of(tuple: *mut pg_sys::HeapTupleData, desc: pg_sys::TupleDesc, c: Column) -> Option<String> {
    // SAFETY: a tuple of the relation whose descriptor is given; the output function is the
    // column type's.
    unsafe {
        let mut isnull = false;
        let datum = pg_sys::heap_getattr(tuple, c.attnum, desc, &mut isnull);
        if isnull {
            return None;
        }
        let p = pg_sys::OidOutputFunctionCall(c.output, datum);
        let text = CStr::from_ptr(p).to_string_lossy().into_owned();
        pg_sys::pfree(p.cast());
        Some(text)
    }
}

/// A uuid column's value (tenant, branch); None when NULL.
fn uuid_of(tuple: *mut pg_sys::HeapTupleData, desc: pg_sys::TupleDesc, c: Option<Column>) -> Option<pgrx::Uuid> {
    let c = c?;
    // SAFETY: as in `text_of`; the column is a uuid (enable_workflow's tenant and branch).
    unsafe {
        let mut isnull = false;
        let datum = pg_sys::heap_getattr(tuple, c.attnum, desc, &mut isnull);
        pgrx::Uuid::from_datum(datum, isnull)
    }
}

/// The workflow of the trigger's table (None when it has none registered).
fn workflow(td: &pg_sys::TriggerData) -> Result<Option<Rc<Workflow>>, CimientoError> {
    // SAFETY: the trigger and relation of a trigger call.
    let (trigger, rel, desc) = unsafe { ((*td.tg_trigger).tgoid, (*td.tg_relation).rd_id, (*td.tg_relation).rd_att) };
    let lxid = identity::local_xid();
    if let Some(hit) = WORKFLOWS.with(|w| w.borrow().get(&trigger).filter(|wf| wf.only_in.is_none_or(|x| x == lxid)).cloned()) {
        return Ok(Some(hit));
    }
    let _path = PinnedSearchPath::enter();
    let loaded = Spi::connect(|client| load(client, rel, desc))?;
    let Some(mut wf) = loaded else { return Ok(None) };
    // SAFETY: the backend's isolation level.
    if unsafe { pg_sys::XactIsoLevel } >= pg_sys::XACT_REPEATABLE_READ as i32 {
        wf.only_in = Some(lxid);
    }
    let wf = Rc::new(wf);
    WORKFLOWS.with(|w| w.borrow_mut().insert(trigger, wf.clone()));
    Ok(Some(wf))
}

fn load(client: &SpiClient<'_>, rel: pg_sys::Oid, desc: pg_sys::TupleDesc) -> Result<Option<Workflow>, CimientoError> {
    let found = client.select(
        "SELECT w.entity, w.state_column::text, w.id_column::text, w.branch_column::text, w.initial_states
           FROM cimiento.workflows w WHERE w.table_oid = $1::regclass",
        Some(1),
        &[rel.into()],
    )?;
    if found.is_empty() {
        return Ok(None);
    }
    let r = found.first();
    let entity = r.get::<String>(1)?.unwrap_or_default();
    let named = |name: Option<String>| -> Result<Column, CimientoError> {
        let name = name.unwrap_or_default();
        column(desc, &name).ok_or_else(|| CimientoError::InvalidObjectDefinition {
            message: format!("the workflow {entity} names a column {name} its table does not have"),
            hint: "register it again with cimiento.enable_workflow".into(),
        })
    };
    let state = named(r.get::<String>(2)?)?;
    let id = named(r.get::<String>(3)?)?;
    let branch = match r.get::<String>(4)? {
        Some(name) => Some(named(Some(name))?),
        None => None,
    };
    let initial_states = r.get::<Vec<String>>(5)?;
    let mut transitions = Vec::new();
    for t in client.select(
        "SELECT t.name, t.from_states, t.to_state, t.permission, t.guard::oid::regproc::text, t.guard::text, t.reason_required
           FROM cimiento.workflow_transitions t WHERE t.table_oid = $1::regclass ORDER BY t.name",
        None,
        &[rel.into()],
    )? {
        transitions.push(Transition {
            name: t.get::<String>(1)?.unwrap_or_default(),
            from: t.get::<Vec<String>>(2)?.unwrap_or_default(),
            to: t.get::<String>(3)?.unwrap_or_default(),
            permission: t.get::<String>(4)?.unwrap_or_default(),
            guard: match (t.get::<String>(5)?, t.get::<String>(6)?) {
                (Some(call), Some(name)) => Some((call, name)),
                _ => None,
            },
            reason_required: t.get::<bool>(7)?.unwrap_or(false),
        });
    }
    Ok(Some(Workflow {
        entity,
        state,
        id,
        tenant: column(desc, "tenant_id"),
        branch,
        initial_states,
        transitions,
        only_in: None,
    }))
}

/// The transition a change takes: the first (by name) from one state to the other whose
/// permission the caller holds in the branch (the superuser login holds every permission).
fn taken<'w>(wf: &'w Workflow, from: &str, to: &str, branch: Option<pgrx::Uuid>) -> Result<Option<&'w Transition>, CimientoError> {
    // SAFETY: plain catalog check of the session's login.
    let superuser = unsafe { pg_sys::superuser_arg(pg_sys::GetSessionUserId()) };
    for t in wf.transitions.iter().filter(|t| t.to == to && t.from.iter().any(|f| f == from)) {
        if superuser {
            return Ok(Some(t));
        }
        let scope = identity::permission_scope(&t.permission)?;
        let holds = if wf.branch.is_some() { scope.allows(branch) } else { scope != Scope::Nowhere };
        if holds {
            return Ok(Some(t));
        }
    }
    Ok(None)
}

fn conflict(message: String, hint: String) -> CimientoError {
    CimientoError::Refused { kind: Refusal::Conflict, message, hint }
}

/// Why a change that takes no transition is refused: none leads there (PT409, with what
/// is allowed), or the caller lacks every permission that would (42501).
fn refusal(wf: &Workflow, from: Option<&str>, to: Option<&str>) -> CimientoError {
    let from_text = from.unwrap_or("<NULL>");
    let leaving: Vec<&Transition> = wf.transitions.iter().filter(|t| from.is_some_and(|f| t.from.iter().any(|s| s == f))).collect();
    let leading: Vec<&&Transition> = leaving.iter().filter(|t| Some(t.to.as_str()) == to).collect();
    if leading.is_empty() {
        let hint = if leaving.is_empty() {
            format!("{} is final: no transition leaves it", from.unwrap_or(""))
        } else {
            let allowed = leaving.iter().map(|t| format!("{} → {}", t.name, t.to)).collect::<Vec<_>>().join(", ");
            format!("allowed from {from_text}: {allowed}")
        };
        return conflict(format!("{} cannot go from {from_text} to {}", wf.entity, to.unwrap_or("NULL")), hint);
    }
    let mut permissions: Vec<&str> = leading.iter().map(|t| t.permission.as_str()).collect();
    permissions.sort_unstable();
    permissions.dedup();
    CimientoError::Refused {
        kind: Refusal::Permission,
        message: format!(
            "permission denied: moving {} from {from_text} to {} needs {}",
            wf.entity,
            to.unwrap_or("<NULL>"),
            permissions.join(" or ")
        ),
        hint: "ask a tenant admin for a role that grants it in this branch".into(),
    }
}

/// The reason given for the transition being made (`cimiento.transition`), blanks trimmed.
fn reason() -> Option<String> {
    crate::settings::transition_reason().map(|r| r.trim_matches(' ').to_string()).filter(|r| !r.is_empty())
}

/// Runs a transition's guard on the new row (as jsonb), as the caller and under the caller's
/// search path (the statement names everything with its schema); NULL does not pass.
fn guard_passes(call: &str, row: PgHeapTuple<'_, pgrx::AllocatedByPostgres>, rowtype: pg_sys::Oid) -> Result<bool, CimientoError> {
    Spi::connect(|client| {
        // SAFETY: the row is of the table's row type, the parameter's type.
        let arg = unsafe { pgrx::datum::DatumWithOid::new(row, rowtype) };
        Ok(client
            .select(&format!("SELECT {call}(pg_catalog.to_jsonb($1))"), Some(1), &[arg])?
            .first()
            .get_one::<bool>()?
            .unwrap_or(false))
    })
}

/// `cimiento.workflow_check()`: see the module's documentation. Returns the row unchanged.
fn check(trigger: &pgrx::PgTrigger<'_>) -> Result<pg_sys::Datum, CimientoError> {
    let td = trigger.trigger_data();
    // SAFETY: the relation of a trigger call.
    let (desc, rowtype) = unsafe { ((*td.tg_relation).rd_att, (*(*td.tg_relation).rd_rel).reltype) };
    use pgrx::trigger_support::PgTriggerOperation as T;
    let op = trigger.op().map_err(internal)?;
    let new = match op {
        T::Insert => td.tg_trigtuple,
        T::Update => td.tg_newtuple,
        _ => return Ok(pg_sys::Datum::from(td.tg_trigtuple)),
    };
    let unchanged = pg_sys::Datum::from(new);
    let Some(wf) = workflow(td)? else { return Ok(unchanged) };
    let to = text_of(new, desc, wf.state);
    if matches!(op, T::Insert) {
        if let (Some(initial), Some(to)) = (&wf.initial_states, &to) {
            if !initial.contains(to) {
                return Err(conflict(
                    format!("{} cannot start as {to}", wf.entity),
                    format!("a new {} starts as {}", wf.entity, initial.join(" or ")),
                ));
            }
        }
        return Ok(unchanged);
    }
    let from = text_of(td.tg_trigtuple, desc, wf.state);
    if from == to {
        return Ok(unchanged);
    }
    let branch = uuid_of(new, desc, wf.branch);
    let taken = match (&from, &to) {
        (Some(f), Some(t)) => taken(&wf, f, t, branch)?,
        _ => None,
    };
    let Some(taken) = taken else { return Err(refusal(&wf, from.as_deref(), to.as_deref())) };
    if taken.reason_required && reason().is_none() {
        return Err(CimientoError::Refused {
            kind: Refusal::Value,
            message: format!("the transition {} of {} needs a reason", taken.name, wf.entity),
            hint: "call transition(entity, id, to_state, reason) with a reason".into(),
        });
    }
    if let Some((call, name)) = &taken.guard {
        let row = trigger.new().ok_or_else(|| internal("the trigger has no new row"))?;
        if !guard_passes(call, row, rowtype)? {
            return Err(conflict(
                format!("the transition {} of {} is not possible now", taken.name, wf.entity),
                format!("its condition {name} is not met"),
            ));
        }
    }
    Ok(unchanged)
}

/// The role the history is written as: the owner of `cimiento.workflow_history`.
fn history_owner(client: &SpiClient<'_>) -> Result<pg_sys::Oid, CimientoError> {
    let owner = HISTORY_OWNER.with(Cell::get);
    if owner != pg_sys::InvalidOid {
        return Ok(owner);
    }
    let owner = client
        .select("SELECT c.relowner FROM pg_class c WHERE c.oid = 'cimiento.workflow_history'::regclass", Some(1), &[])?
        .first()
        .get_one::<pg_sys::Oid>()?
        .ok_or_else(|| internal("cimiento.workflow_history has no owner"))?;
    HISTORY_OWNER.with(|o| o.set(owner));
    Ok(owner)
}

/// The history insert, prepared once per backend (as the history's owner, who runs it).
fn history_insert(client: &mut SpiClient<'_>) -> Result<Rc<OwnedPreparedStatement>, CimientoError> {
    if let Some(plan) = HISTORY_INSERT.with(|h| h.borrow().clone()) {
        return Ok(plan);
    }
    use pgrx::pg_sys::BuiltinOid as B;
    let (uuid, text) = (PgOid::BuiltIn(B::UUIDOID), PgOid::BuiltIn(B::TEXTOID));
    let plan = Rc::new(
        client
            .prepare_mut(
                "INSERT INTO cimiento.workflow_history (tenant_id, branch_id, entity, row_id, transition, from_state, to_state,
                                                       reason, actor_user, actor_login, request_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                &[uuid, uuid, text, text, text, text, text, text, uuid, text, text],
            )?
            .keep(),
    );
    HISTORY_INSERT.with(|h| *h.borrow_mut() = Some(plan.clone()));
    Ok(plan)
}

/// `cimiento.workflow_record()`: see the module's documentation.
fn record(trigger: &pgrx::PgTrigger<'_>) -> Result<pg_sys::Datum, CimientoError> {
    let nothing = pg_sys::Datum::from(0usize);
    let td = trigger.trigger_data();
    if !matches!(trigger.op().map_err(internal)?, pgrx::trigger_support::PgTriggerOperation::Update) {
        return Ok(nothing);
    }
    // SAFETY: the relation of a trigger call.
    let desc = unsafe { (*td.tg_relation).rd_att };
    let Some(wf) = workflow(td)? else { return Ok(nothing) };
    let (old, new) = (td.tg_trigtuple, td.tg_newtuple);
    let (from, to) = (text_of(old, desc, wf.state), text_of(new, desc, wf.state));
    let (Some(from), Some(to)) = (from, to) else { return Ok(nothing) };
    if from == to {
        return Ok(nothing);
    }
    let branch = uuid_of(new, desc, wf.branch);
    let transition = taken(&wf, &from, &to, branch)?.map_or_else(|| "?".to_string(), |t| t.name.clone());
    let caller = identity::caller()?;
    let args: Vec<pgrx::datum::DatumWithOid<'_>> = vec![
        uuid_of(new, desc, wf.tenant).into(),
        branch.into(),
        wf.entity.clone().into(),
        text_of(new, desc, wf.id).into(),
        transition.into(),
        from.into(),
        to.into(),
        reason().into(),
        caller.user.into(),
        identity::login_name().into(),
        identity::request_id().into(),
    ];
    let _path = PinnedSearchPath::enter();
    Spi::connect_mut(|client| {
        let _owner = AsRole::enter(history_owner(client)?);
        let plan = history_insert(client)?;
        client.update(&*plan, None, &args)?;
        Ok::<_, CimientoError>(())
    })?;
    Ok(nothing)
}

/// Runs a trigger's Rust body guarded (PostgreSQL errors become panics and panics errors
/// inside it) and raises its refusal outside the guard, where any SQLSTATE can be given.
///
/// # Safety
/// `fcinfo` is the call PostgreSQL made to one of the entry points below.
unsafe fn entry(fcinfo: pg_sys::FunctionCallInfo, body: fn(&pgrx::PgTrigger<'_>) -> Result<pg_sys::Datum, CimientoError>) -> pg_sys::Datum {
    // SAFETY: guarded as #[pg_trigger] guards its functions; nothing here needs dropping when
    // it returns an error.
    let outcome = unsafe {
        pg_sys::submodules::panic::pgrx_extern_c_guard(move || {
            let fcinfo = fcinfo.as_ref().ok_or_else(|| internal("no call information"))?;
            let trigger = pgrx::PgTrigger::from_fcinfo(fcinfo).map_err(internal)?;
            body(&trigger)
        })
    };
    match outcome {
        Ok(datum) => datum,
        // SAFETY: outside the guard, with nothing left to drop in this frame.
        Err(e) => unsafe { e.report() },
    }
}

/// PostgreSQL's entry point of `cimiento.workflow_check()` (declared in `workflow.sql`).
#[unsafe(no_mangle)]
#[doc(hidden)]
pub unsafe extern "C-unwind" fn workflow_check_entry(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: PostgreSQL's call.
    unsafe { entry(fcinfo, check) }
}

#[unsafe(no_mangle)]
#[doc(hidden)]
pub extern "C" fn pg_finfo_workflow_check_entry() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

/// PostgreSQL's entry point of `cimiento.workflow_record()` (declared in `workflow.sql`).
#[unsafe(no_mangle)]
#[doc(hidden)]
pub unsafe extern "C-unwind" fn workflow_record_entry(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: PostgreSQL's call.
    unsafe { entry(fcinfo, record) }
}

#[unsafe(no_mangle)]
#[doc(hidden)]
pub extern "C" fn pg_finfo_workflow_record_entry() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

extension_sql_file!(
    "workflow.sql",
    name = "workflow",
    requires = [
        identity::has_permission,
        identity::has_permission_in,
        identity::current_user_id,
        protection::protect_trigger,
        isolation::enable_tenant_isolation
    ]
);
