//! Who is asking, and the helpers row-level security policies call.
//!
//! A request's identity comes from one of two places, decided by `session_user` (the
//! login, which `SET ROLE` cannot change):
//!
//! - **Trusted logins** (`cimiento.trusted_logins`, see [`crate::settings`], default `authenticator,cimiento_api`:
//!   PostgREST and the api) pass the verified JWT claims in `request.jwt.claims`. The claims
//!   JSON is parsed once and reused while the text is unchanged.
//! - **Any other login** (an analyst in psql, a BI tool) gets its tenant, roles and branches
//!   from the identity source a migration registered (`cimiento.register_identity`) by
//!   `session_user`; `request.jwt.claims` is ignored, so
//!   `SET`/`set_config` cannot widen what it sees. Looked up once per transaction.
//! - **A scheduled job** (`crate::jobs`) acts for one tenant at a time with exactly the
//!   permissions it declared: set only from Rust while the job function runs, never from SQL.
use std::cell::RefCell;
use std::ffi::CStr;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use pgrx::prelude::*;
use pgrx::{pg_shmem_init, PgAtomic};
use serde::Deserialize;

use crate::error::{CimientoError, OrRaise};

/// One role granted to the caller, in some branches or in all of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    pub role: String,
    /// `None`: every branch of the tenant; otherwise only these.
    pub branches: Option<Vec<pgrx::Uuid>>,
}

/// The identity of the current request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Caller {
    pub tenant: Option<pgrx::Uuid>,
    pub user: Option<pgrx::Uuid>,
    pub session: Option<pgrx::Uuid>,
    pub roles: Vec<String>,
    /// The branches the caller may see rows of (union of its grants; ignored when `all_branches`).
    pub branches: Vec<pgrx::Uuid>,
    pub all_branches: bool,
    /// Each role with the branches it was granted for: a permission holds only there.
    pub grants: Vec<Grant>,
    /// The authentication methods of the token (`amr`), e.g. `["pwd", "otp"]`.
    pub amr: Vec<String>,
}

/// Where a permission holds for the caller.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    Nowhere,
    Branches(Vec<pgrx::Uuid>),
    Everywhere,
}

impl Scope {
    pub fn allows(&self, branch: Option<pgrx::Uuid>) -> bool {
        match (self, branch) {
            (Scope::Everywhere, _) => true,
            (Scope::Branches(list), Some(b)) => list.contains(&b),
            _ => false,
        }
    }
}

/// What a cached value was computed from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    /// A trusted login's claims text.
    Claims(String),
    /// A direct login, in one local transaction.
    Login { role: pg_sys::Oid, lxid: u32 },
    /// A scheduled job running for one tenant.
    Job(Rc<JobIdentity>),
}

/// Who a scheduled job is while it runs for one tenant.
#[derive(Debug, PartialEq)]
pub struct JobIdentity {
    pub job: String,
    pub tenant: pgrx::Uuid,
    /// The permission patterns the job declared (its only ones).
    pub permissions: Vec<String>,
}

impl JobIdentity {
    /// The pseudo-role a job's permissions are held by (recorded as the actor's role).
    fn role(&self) -> String {
        format!("job:{}", self.job)
    }
}

/// While alive, the caller is the job (see [`JobIdentity`]); dropping it (also when an
/// error unwinds) restores the previous identity.
pub struct ActingAsJob(());

impl ActingAsJob {
    pub fn enter(identity: JobIdentity) -> Self {
        JOB.with(|j| *j.borrow_mut() = Some(Rc::new(identity)));
        ActingAsJob(())
    }
}

impl Drop for ActingAsJob {
    fn drop(&mut self) {
        JOB.with(|j| *j.borrow_mut() = None);
    }
}

thread_local! {
    static TRUST: RefCell<Option<(pg_sys::Oid, String, bool)>> = const { RefCell::new(None) };
    static CALLER: RefCell<Option<(Source, Rc<Caller>)>> = const { RefCell::new(None) };
    static JOB: RefCell<Option<Rc<JobIdentity>>> = const { RefCell::new(None) };
    static PERMISSIONS: RefCell<Option<PatternCache>> = const { RefCell::new(None) };
    /// The local transaction that already asked for a bump at its commit.
    static COMMIT_BUMP: RefCell<Option<u32>> = const { RefCell::new(None) };
    static REQUEST: RefCell<Option<(String, Option<String>)>> = const { RefCell::new(None) };
    static LOGIN: RefCell<Option<(pg_sys::Oid, String)>> = const { RefCell::new(None) };
}

/// The permission patterns of each of the caller's roles in its tenant.
type RolePatterns = std::collections::HashMap<String, Vec<String>>;

/// Role patterns per (tenant, roles, authentication methods) — the registered function may
/// give a role nothing without a second factor — valid for one epoch (or one transaction).
struct PatternCache {
    valid: Validity,
    entries: std::collections::HashMap<PatternKey, Rc<RolePatterns>>,
}
type PatternKey = ([u8; 16], Vec<String>, Vec<String>);
/// Tenant and role sets kept per backend before the cache starts over.
const PATTERN_CACHE_ENTRIES: usize = 1024;

#[derive(Deserialize)]
struct Claims {
    tid: Option<String>,
    sub: Option<String>,
    sid: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    branches: Vec<String>,
    /// role → branch ids the role was granted for, or `["*"]` for every branch.
    #[serde(default)]
    grants: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    amr: Vec<String>,
}

/// A grant's branch list: `["*"]` (or any `*`) means every branch; otherwise the valid ids.
fn grant_branches(list: &[String]) -> Option<Vec<pgrx::Uuid>> {
    if list.iter().any(|b| b == "*") {
        None
    } else {
        Some(list.iter().filter_map(|b| parse_uuid(b)).collect())
    }
}

fn parse_uuid(s: &str) -> Option<pgrx::Uuid> {
    uuid::Uuid::parse_str(s).ok().map(|u| pgrx::Uuid::from_bytes(*u.as_bytes()))
}

/// Parses PostgREST claims; anything malformed yields an identity with no tenant (sees nothing).
pub fn caller_from_claims(text: &str) -> Caller {
    let Ok(claims) = serde_json::from_str::<Claims>(text) else {
        return Caller::default();
    };
    let all_branches = claims.branches.iter().any(|b| b == "*");
    // A role confers permissions only through a grant naming its branches; a role listed
    // without a grant (an older or hand-made token) confers none.
    let grants = claims
        .grants
        .iter()
        .filter(|(role, _)| claims.roles.contains(role))
        .map(|(role, list)| Grant { role: role.clone(), branches: grant_branches(list) })
        .collect();
    Caller {
        tenant: claims.tid.as_deref().and_then(parse_uuid),
        user: claims.sub.as_deref().and_then(parse_uuid),
        session: claims.sid.as_deref().and_then(parse_uuid),
        roles: claims.roles,
        branches: claims.branches.iter().filter(|b| *b != "*").filter_map(|b| parse_uuid(b)).collect(),
        all_branches,
        grants,
        amr: claims.amr,
    }
}

pub(crate) fn local_xid() -> u32 {
    // SAFETY: MyProc is set for every backend that can run SQL.
    unsafe { (*pg_sys::MyProc).lxid }
}

/// Bumped whenever a role's permissions may have changed (by the trigger a migration puts on
/// its role tables, via `cimiento.note_permissions_changed()`), and again when that
/// transaction commits: a backend keeps the permission patterns it read across
/// transactions until the epoch moves.
static PERMISSIONS_EPOCH: PgAtomic<AtomicU64> = unsafe { PgAtomic::new(c"cimiento_permissions_epoch") };
/// Whether the epoch lives in shared memory (the library was preloaded; forked backends
/// inherit the flag from the postmaster).
static EPOCH_READY: AtomicBool = AtomicBool::new(false);

/// Puts the permissions epoch in shared memory (only while the server starts).
#[allow(unexpected_cfgs)] // pg_shmem_init! tests the features of every PostgreSQL version
pub fn init_shmem() {
    // SAFETY: reading a postmaster-set flag.
    if unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        pg_shmem_init!(PERMISSIONS_EPOCH);
        EPOCH_READY.store(true, Ordering::Release);
    }
}

/// What a cached permission lookup stays valid for: the epoch it was read at, in a READ
/// COMMITTED transaction (whose next query sees every commit that moved the epoch); else
/// the local transaction only.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Validity {
    Epoch(u64),
    Transaction(u32),
}

fn validity() -> Validity {
    // SAFETY: reading the backend's current isolation level.
    let read_committed = unsafe { pg_sys::XactIsoLevel } == pg_sys::XACT_READ_COMMITTED as i32;
    if read_committed && EPOCH_READY.load(Ordering::Acquire) {
        Validity::Epoch(PERMISSIONS_EPOCH.get().load(Ordering::Acquire))
    } else {
        Validity::Transaction(local_xid())
    }
}

/// Notes that role permissions may have changed: every backend re-reads them, now and once
/// more when this transaction commits. For the triggers of the tables `caller_role_permissions`
/// reads.
#[pg_extern(volatile, parallel_unsafe)]
fn note_permissions_changed() {
    if !EPOCH_READY.load(Ordering::Acquire) {
        return;
    }
    PERMISSIONS_EPOCH.get().fetch_add(1, Ordering::AcqRel);
    let registered = COMMIT_BUMP.with(|r| std::mem::replace(&mut *r.borrow_mut(), Some(local_xid())) == Some(local_xid()));
    if !registered {
        pgrx::register_xact_callback(pgrx::PgXactCallbackEvent::Commit, || {
            PERMISSIONS_EPOCH.get().fetch_add(1, Ordering::AcqRel);
        });
    }
}

fn session_user() -> pg_sys::Oid {
    // SAFETY: plain read of the session's login role.
    unsafe { pg_sys::GetSessionUserId() }
}

fn role_name(oid: pg_sys::Oid) -> Option<String> {
    // SAFETY: noerr = true returns NULL for a dropped role.
    unsafe {
        let p = pg_sys::GetUserNameFromId(oid, true);
        if p.is_null() {
            None
        } else {
            Some(CStr::from_ptr(p).to_string_lossy().into_owned())
        }
    }
}

/// The session's login role name (what the audit log and workflow history record as the
/// login), looked up once per login.
pub fn login_name() -> String {
    let oid = session_user();
    if let Some(hit) = LOGIN.with(|l| l.borrow().as_ref().filter(|(o, _)| *o == oid).map(|(_, n)| n.clone())) {
        return hit;
    }
    let name = role_name(oid).unwrap_or_default();
    LOGIN.with(|l| *l.borrow_mut() = Some((oid, name.clone())));
    name
}

/// The request id PostgREST passes in `request.headers` (`x-request-id`, at most 200
/// characters), parsed once per headers text.
pub fn request_id() -> Option<String> {
    let text = crate::settings::request_headers()?;
    if text.is_empty() {
        return None;
    }
    if let Some(hit) = REQUEST.with(|r| r.borrow().as_ref().filter(|(t, _)| *t == text).map(|(_, id)| id.clone())) {
        return hit;
    }
    let id = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("x-request-id").and_then(|x| x.as_str()).map(|s| s.chars().take(200).collect()));
    REQUEST.with(|r| *r.borrow_mut() = Some((text, id.clone())));
    id
}

/// Whether the session's login is one whose claims are trusted (decided again only when the
/// login or the setting's text changes).
pub fn login_is_trusted() -> bool {
    let oid = session_user();
    // Only Rust runs while the setting's text is lent: a changed text is copied out first.
    let changed = crate::settings::with_trusted_logins(|setting| {
        match TRUST.with(|t| {
            t.borrow().as_ref().filter(|(o, s, _)| *o == oid && s.as_bytes() == setting).map(|(_, _, v)| *v)
        }) {
            Some(hit) => Ok(hit),
            None => Err(String::from_utf8_lossy(setting).into_owned()),
        }
    });
    let text = match changed {
        Ok(hit) => return hit,
        Err(text) => text,
    };
    let trusted = match role_name(oid) {
        Some(name) => crate::settings::names(&text).contains(&name),
        None => false,
    };
    TRUST.with(|t| *t.borrow_mut() = Some((oid, text, trusted)));
    trusted
}

/// Where the caller's identity comes from, for the callers whose identity is not in claims
/// (a job, a direct login); None for a trusted login, whose claims [`caller`] reads in place.
fn current_source() -> Option<Source> {
    if let Some(job) = JOB.with(|j| j.borrow().clone()) {
        Some(Source::Job(job))
    } else if login_is_trusted() {
        None
    } else {
        Some(Source::Login { role: session_user(), lxid: local_xid() })
    }
}

/// The caller of a trusted login: the claims are compared with the ones parsed last where
/// the GUC machinery keeps them, and copied and parsed only when they changed (a policy
/// asks at every statement; PostgREST sends new claims with every request).
fn caller_from_current_claims() -> Rc<Caller> {
    crate::settings::with_request_jwt_claims(|raw| {
        if let Some(hit) = CALLER.with(|c| {
            c.borrow()
                .as_ref()
                .filter(|(s, _)| matches!(s, Source::Claims(text) if text.as_bytes() == raw))
                .map(|(_, c)| c.clone())
        }) {
            return hit;
        }
        let text = String::from_utf8_lossy(raw).into_owned();
        let caller = Rc::new(if text.is_empty() { Caller::default() } else { caller_from_claims(&text) });
        CALLER.with(|c| *c.borrow_mut() = Some((Source::Claims(text), caller.clone())));
        caller
    })
}

/// The identity of a direct SQL login, from the registered identity source (through
/// `cimiento.login_scope()`).
fn caller_from_login() -> Result<Caller, CimientoError> {
    Spi::connect(|client| {
        // Kept prepared: a direct login resolves its scope once per transaction.
        let scope = kept(client, "SELECT tenant_id, user_id, roles, branch_ids FROM cimiento.login_scope()")?;
        let rows = client.select(&*scope, Some(1), &[])?;
        let mut caller = Caller::default();
        for row in rows {
            caller.tenant = row.get::<pgrx::Uuid>(1)?;
            caller.user = row.get::<pgrx::Uuid>(2)?;
            caller.roles = row.get::<Vec<String>>(3)?.unwrap_or_default();
            let branches = row.get::<Vec<pgrx::Uuid>>(4)?;
            // A direct login holds each of its roles in exactly its branches.
            caller.grants =
                caller.roles.iter().map(|r| Grant { role: r.clone(), branches: branches.clone() }).collect();
            match branches {
                Some(b) => caller.branches = b,
                None => caller.all_branches = true,
            }
        }
        Ok(caller)
    })
}

/// The current caller, computed once per claims text / per transaction.
pub fn caller() -> Result<Rc<Caller>, CimientoError> {
    let Some(source) = current_source() else {
        return Ok(caller_from_current_claims());
    };
    if let Some(hit) = CALLER.with(|c| {
        c.borrow().as_ref().filter(|(s, _)| *s == source).map(|(_, c)| c.clone())
    }) {
        return Ok(hit);
    }
    let caller = Rc::new(match &source {
        // Read in place by caller_from_current_claims; never built here.
        Source::Claims(text) => caller_from_claims(text),
        Source::Login { .. } => caller_from_login()?,
        Source::Job(job) => Caller {
            tenant: Some(job.tenant),
            roles: vec![job.role()],
            all_branches: true,
            grants: vec![Grant { role: job.role(), branches: None }],
            ..Caller::default()
        },
    });
    CALLER.with(|c| *c.borrow_mut() = Some((source, caller.clone())));
    Ok(caller)
}

/// Whether a granted permission pattern (`payments.create`, `payments.*`, `*`) covers `wanted`.
pub fn pattern_grants(pattern: &str, wanted: &str) -> bool {
    if pattern == "*" || pattern == wanted {
        return true;
    }
    match (pattern.strip_suffix(".*"), wanted.split_once('.')) {
        (Some(resource), Some((wanted_resource, _))) => resource == wanted_resource,
        _ => false,
    }
}

/// The permission patterns of the caller's roles, looked up once per tenant, role set and
/// authentication methods and kept while the permissions epoch stands (once per transaction outside READ
/// COMMITTED). Many callers share a pooled backend, so several sets are kept.
fn role_patterns() -> Result<Rc<RolePatterns>, CimientoError> {
    if let Some(job) = JOB.with(|j| j.borrow().clone()) {
        return Ok(Rc::new(RolePatterns::from([(job.role(), job.permissions.clone())])));
    }
    let caller = caller()?;
    let (Some(tenant), false) = (caller.tenant, caller.grants.is_empty()) else {
        return Ok(Rc::new(RolePatterns::new()));
    };
    let key = (*tenant.as_bytes(), caller.roles.clone(), caller.amr.clone());
    let valid = validity();
    if let Some(hit) = PERMISSIONS.with(|p| {
        p.borrow().as_ref().filter(|c| c.valid == valid).and_then(|c| c.entries.get(&key).cloned())
    }) {
        return Ok(hit);
    }
    // Read-only SPI: legal in a parallel worker, where these helpers may run.
    let json = Spi::connect(|client| {
        client.select("SELECT cimiento.caller_role_permissions()", Some(1), &[])?.first().get_one::<pgrx::JsonB>()
    })?;
    let patterns: Rc<RolePatterns> = Rc::new(json.and_then(|j| serde_json::from_value(j.0).ok()).unwrap_or_default());
    PERMISSIONS.with(|p| {
        let mut cache = p.borrow_mut();
        let cache = match cache.as_mut() {
            Some(c) if c.valid == valid && c.entries.len() < PATTERN_CACHE_ENTRIES => c,
            _ => cache.insert(PatternCache { valid, entries: Default::default() }),
        };
        cache.entries.insert(key, patterns.clone());
    });
    Ok(patterns)
}

/// Where `permission` holds: the union of the branches of every grant whose role gives it.
pub fn permission_scope(permission: &str) -> Result<Scope, CimientoError> {
    let caller = caller()?;
    if caller.tenant.is_none() {
        return Ok(Scope::Nowhere);
    }
    let patterns = role_patterns()?;
    let mut branches: Vec<pgrx::Uuid> = Vec::new();
    let mut any = false;
    for grant in &caller.grants {
        let gives = patterns
            .get(&grant.role)
            .is_some_and(|list| list.iter().any(|p| pattern_grants(p, permission)));
        if !gives {
            continue;
        }
        match &grant.branches {
            None => return Ok(Scope::Everywhere),
            Some(list) => {
                any = true;
                for b in list {
                    if !branches.contains(b) {
                        branches.push(*b);
                    }
                }
            }
        }
    }
    Ok(if any { Scope::Branches(branches) } else { Scope::Nowhere })
}

fn has_permission_inner(permission: &str) -> Result<bool, CimientoError> {
    Ok(permission_scope(permission)? != Scope::Nowhere)
}

// ---- SQL surface ------------------------------------------------------------------------

/// The caller's tenant: from the JWT claims for trusted logins, from the identity source
/// otherwise; NULL when unknown (such a caller sees no tenant rows).
#[pg_extern(stable, parallel_safe)]
fn current_tenant() -> Option<pgrx::Uuid> {
    caller().or_raise().tenant
}

/// The caller's user id (`sub`), or NULL.
#[pg_extern(stable, parallel_safe)]
fn current_user_id() -> Option<pgrx::Uuid> {
    caller().or_raise().user
}

/// The caller's session id (`sid`), or NULL.
#[pg_extern(stable, parallel_safe)]
fn current_session() -> Option<pgrx::Uuid> {
    caller().or_raise().session
}

/// The caller's application roles.
#[pg_extern(stable, parallel_safe)]
fn current_roles() -> Vec<String> {
    caller().or_raise().roles.clone()
}

/// The branches the caller is limited to; NULL when it may act in every branch of its tenant.
#[pg_extern(stable, parallel_safe)]
fn current_branches() -> Option<Vec<pgrx::Uuid>> {
    let c = caller().or_raise();
    if c.all_branches {
        None
    } else {
        Some(c.branches.clone())
    }
}

/// True when the caller may act in every branch of its tenant.
#[pg_extern(stable, parallel_safe)]
fn all_branches() -> bool {
    let c = caller().or_raise();
    c.tenant.is_some() && c.all_branches
}

/// True when the caller may act in `branch` (its tenant-wide or branch-limited scope).
#[pg_extern(stable, parallel_safe)]
fn can_access_branch(branch: Option<pgrx::Uuid>) -> bool {
    let c = caller().or_raise();
    match branch {
        _ if c.tenant.is_none() => false,
        _ if c.all_branches => true,
        Some(b) => c.branches.contains(&b),
        None => false,
    }
}

/// True when the caller holds the application role `role`.
#[pg_extern(stable, parallel_safe)]
fn has_role(role: &str) -> bool {
    caller().or_raise().roles.iter().any(|r| r == role)
}

/// True when some grant of the caller gives `permission` (`resource.action`) in some
/// branch; granted patterns `resource.*` and `*` are wildcards.
#[pg_extern(stable, parallel_safe)]
fn has_permission(permission: &str) -> bool {
    has_permission_inner(permission).or_raise()
}

/// True when a grant of the caller gives `permission` in `branch` (a grant without branch
/// gives it in every branch). NULL branch: only a grant for every branch counts. NULL
/// permission: NULL (the function is not STRICT because of the branch).
#[pg_extern(stable, parallel_safe, name = "has_permission")]
fn has_permission_in(permission: Option<&str>, branch: Option<pgrx::Uuid>) -> Option<bool> {
    permission.map(|p| permission_scope(p).or_raise().allows(branch))
}

/// Raises SQLSTATE 42501 naming `permission` unless the caller has it in some branch; 22023
/// for a NULL permission. Not STRICT: a STRICT function answers NULL without running, so a
/// check of a permission that came out NULL would pass (extension 0.6.0).
#[pg_extern(stable, parallel_safe)]
fn require_permission(permission: Option<&str>) {
    let Some(permission) = permission else {
        CimientoError::InvalidParameter("a permission is required".into()).raise()
    };
    if !has_permission_inner(permission).or_raise() {
        CimientoError::PermissionRequired { permission: permission.to_string(), branch: false }.raise();
    }
}

/// Raises SQLSTATE 42501 naming `permission` unless the caller has it in `branch`; 22023
/// for a NULL permission.
#[pg_extern(stable, parallel_safe, name = "require_permission")]
fn require_permission_in(permission: Option<&str>, branch: Option<pgrx::Uuid>) {
    let Some(permission) = permission else {
        CimientoError::InvalidParameter("a permission is required".into()).raise()
    };
    if !permission_scope(permission).or_raise().allows(branch) {
        CimientoError::PermissionRequired { permission: permission.to_string(), branch: true }.raise();
    }
}

/// The branches where the caller holds `permission`: NULL when in every branch, an empty
/// array when nowhere. Policies use it in the initplan form (see `enable_permission_policy`).
#[pg_extern(stable, parallel_safe)]
fn permission_branches(permission: &str) -> Option<Vec<pgrx::Uuid>> {
    match permission_scope(permission).or_raise() {
        Scope::Everywhere => None,
        Scope::Branches(list) => Some(list),
        Scope::Nowhere => Some(Vec::new()),
    }
}

/// The authentication methods of the caller's token (`amr`), e.g. `{pwd,otp}`.
#[pg_extern(stable, parallel_safe)]
fn current_amr() -> Vec<String> {
    caller().or_raise().amr.clone()
}

thread_local! {
    /// The identity lookups' statements, prepared once per backend and kept by their text (a
    /// re-registered source is another text). A direct SQL login resolves its scope once per
    /// transaction; parsing and planning these each time cost ~2 ms of it.
    static KEPT: RefCell<std::collections::HashMap<String, Rc<pgrx::spi::OwnedPreparedStatement>>> =
        RefCell::new(std::collections::HashMap::new());
}

/// The kept statement for `sql` (read-only, no arguments), prepared on first use.
fn kept(client: &pgrx::spi::SpiClient<'_>, sql: &str) -> Result<Rc<pgrx::spi::OwnedPreparedStatement>, CimientoError> {
    if let Some(statement) = KEPT.with(|k| k.borrow().get(sql).cloned()) {
        return Ok(statement);
    }
    let statement = Rc::new(client.prepare(sql, &[])?.keep());
    KEPT.with(|k| k.borrow_mut().insert(sql.to_string(), statement.clone()));
    Ok(statement)
}

/// The qualified name of the identity function a migration registered (`login_scope` or
/// `role_permissions` of `cimiento.identity_sources`), if any.
fn identity_source(client: &pgrx::spi::SpiClient<'_>, which: IdentitySource) -> Result<Option<String>, CimientoError> {
    let column = match which {
        IdentitySource::LoginScope => "login_scope",
        IdentitySource::RolePermissions => "role_permissions",
    };
    let lookup = kept(
        client,
        &format!(
            // A subquery per registration row, so pg_proc is probed by its oid index (as a
            // join its generic plan hashed all of pg_proc: ~1 ms a transaction).
            "SELECT (SELECT pg_catalog.format('%I.%I', n.nspname, p.proname)
                       FROM pg_catalog.pg_proc p, pg_catalog.pg_namespace n
                      WHERE p.oid OPERATOR(pg_catalog.=) s.{column}::pg_catalog.oid
                        AND n.oid OPERATOR(pg_catalog.=) p.pronamespace)
               FROM cimiento.identity_sources s"
        ),
    )?;
    let rows = client.select(&*lookup, Some(1), &[])?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(rows.first().get_one::<String>()?)
}

#[derive(Clone, Copy)]
enum IdentitySource {
    LoginScope,
    RolePermissions,
}

/// Internal: the scope of a direct SQL login, from the identity source a migration
/// registered (`cimiento.register_identity`); no rows when none is registered.
#[pg_extern(stable, parallel_safe)]
#[search_path(pg_catalog, pg_temp)]
fn login_scope() -> TableIterator<
    'static,
    (
        name!(tenant_id, Option<pgrx::Uuid>),
        name!(user_id, Option<pgrx::Uuid>),
        name!(roles, Option<Vec<String>>),
        name!(branch_ids, Option<Vec<pgrx::Uuid>>),
    ),
> {
    let rows = Spi::connect(|client| -> Result<Vec<_>, CimientoError> {
        let Some(source) = identity_source(client, IdentitySource::LoginScope)? else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        let scope = kept(client, &format!("SELECT tenant_id, user_id, roles, branch_ids FROM {source}()"))?;
        for row in client.select(&*scope, Some(1), &[])? {
            out.push((
                row.get::<pgrx::Uuid>(1)?,
                row.get::<pgrx::Uuid>(2)?,
                row.get::<Vec<String>>(3)?,
                row.get::<Vec<pgrx::Uuid>>(4)?,
            ));
        }
        Ok(out)
    })
    .or_raise();
    TableIterator::new(rows)
}

/// Internal: the permission patterns of each of the caller's roles in its tenant, as
/// `{role: [pattern, …]}`, from the identity source a migration registered.
#[pg_extern(stable, parallel_safe)]
#[search_path(pg_catalog, pg_temp)]
fn caller_role_permissions() -> pgrx::JsonB {
    let c = caller().or_raise();
    if c.tenant.is_none() || c.roles.is_empty() {
        return pgrx::JsonB(serde_json::json!({}));
    }
    Spi::connect(|client| -> Result<Option<pgrx::JsonB>, CimientoError> {
        let Some(source) = identity_source(client, IdentitySource::RolePermissions)? else { return Ok(None) };
        let permissions = kept(client, &format!("SELECT {source}()"))?;
        Ok(client.select(&*permissions, Some(1), &[])?.first().get_one::<pgrx::JsonB>()?)
    })
    .or_raise()
    .unwrap_or(pgrx::JsonB(serde_json::json!({})))
}

extension_sql_file!(
    "identity.sql",
    name = "identity",
    requires = [
        current_tenant,
        current_user_id,
        current_session,
        current_roles,
        current_branches,
        all_branches,
        can_access_branch,
        has_role,
        has_permission,
        has_permission_in,
        require_permission,
        require_permission_in,
        permission_branches,
        current_amr,
        login_scope,
        caller_role_permissions,
        note_permissions_changed
    ]
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn claims_parse_into_a_caller() {
        let c = caller_from_claims(
            r#"{"tid":"6f1e3c1e-8a0b-4c55-9d11-0d1c2b3a4f50","sub":"0b8e1d2c-1111-4c55-9d11-0d1c2b3a4f50",
                "roles":["cashier","teacher"],"branches":["*"],"sid":"not-a-uuid"}"#,
        );
        assert!(c.tenant.is_some());
        assert!(c.user.is_some());
        assert!(c.session.is_none(), "a malformed sid is no session");
        assert!(c.all_branches);
        assert_eq!(c.roles, vec!["cashier", "teacher"]);
    }

    #[pg_test]
    fn malformed_claims_mean_no_tenant() {
        assert_eq!(caller_from_claims("{not json"), Caller::default());
        assert!(caller_from_claims(r#"{"tid":"x"}"#).tenant.is_none());
    }

    #[pg_test]
    fn wildcards_grant_what_they_should() {
        assert!(pattern_grants("*", "payments.create"));
        assert!(pattern_grants("payments.*", "payments.create"));
        assert!(pattern_grants("payments.create", "payments.create"));
        assert!(!pattern_grants("payments.*", "paymentsx.create"));
        assert!(!pattern_grants("payments.read", "payments.create"));
        assert!(!pattern_grants("pay*", "payments.create"));
    }

    #[pg_test]
    fn untrusted_login_ignores_claims() {
        // The test session logs in as the cluster superuser, which is not a trusted login.
        Spi::run(r#"SELECT set_config('request.jwt.claims', '{"tid":"6f1e3c1e-8a0b-4c55-9d11-0d1c2b3a4f50"}', true)"#).unwrap();
        let t = Spi::get_one::<pgrx::Uuid>("SELECT cimiento.current_tenant()").unwrap();
        assert!(t.is_none(), "claims set by a direct login are ignored");
    }
}
