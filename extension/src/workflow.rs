//! Workflows: `cimiento.enable_workflow(table, state_column, transitions)` registers the
//! allowed transitions of a state column (from-states, to-state, the permission each needs in
//! the row's branch, an optional guard and whether a reason is required); protected triggers
//! then refuse every other change on every path and record each transition in
//! `cimiento.workflow_history` (per tenant, branch-scoped). Frontends use
//! `cimiento.transition(entity, id, to_state, reason)` and
//! `cimiento.allowed_transitions(entity, id)`.
//!
//! The catalog, the triggers and the functions are SQL (`workflow.sql`): they are table
//! lookups and one insert, and PL/pgSQL reads any row's columns by name.
use pgrx::prelude::*;

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
