//! Acting as another role for one operation, the way a SECURITY DEFINER function does,
//! without its per-call GUC work: used by the audit trigger (as `audit_owner`) and the
//! numbering trigger (as the owner of the invoices table).
use pgrx::prelude::*;

/// Switches the current user id until dropped; PostgreSQL's (sub)transaction abort restores
/// it as well, so an error cannot leave the session elevated.
pub struct AsRole {
    user: pg_sys::Oid,
    context: i32,
}

impl AsRole {
    pub fn enter(role: pg_sys::Oid) -> Self {
        let (mut user, mut context) = (pg_sys::InvalidOid, 0i32);
        // SAFETY: save and switch the current user id, as fmgr_security_definer does.
        unsafe {
            pg_sys::GetUserIdAndSecContext(&mut user, &mut context);
            pg_sys::SetUserIdAndSecContext(role, context | pg_sys::SECURITY_LOCAL_USERID_CHANGE as i32);
        }
        Self { user, context }
    }
}

impl Drop for AsRole {
    fn drop(&mut self) {
        // SAFETY: restores exactly what `enter` saved.
        unsafe { pg_sys::SetUserIdAndSecContext(self.user, self.context) }
    }
}

/// A role's oid by name, or the bootstrap superuser when it does not exist.
pub fn role_or_superuser(name: &std::ffi::CStr) -> pg_sys::Oid {
    // SAFETY: catalog lookup by name; missing_ok.
    let oid = unsafe { pg_sys::get_role_oid(name.as_ptr(), true) };
    if oid == pg_sys::InvalidOid {
        pg_sys::Oid::from(pg_sys::BOOTSTRAP_SUPERUSERID)
    } else {
        oid
    }
}
