//! `cimiento`: what Cimiento does inside PostgreSQL because it must never be wrong.
//!
//! - [`rls`]: who is asking (tenant, user, branches, roles) and the helpers that
//!   row-level security policies call; enabling isolation on a table.
//! - [`version`]: the extension's version, for health checks.
//!
//! Every SQL-callable function states its volatility and parallel safety and carries a
//! `COMMENT ON` (see [`docs`]); Rust errors are typed ([`error`]) and raised with a chosen
//! SQLSTATE at the boundary.
use pgrx::prelude::*;

::pgrx::pg_module_magic!(name, version);

mod docs;
mod error;

/// The version of the installed `cimiento` library (the crate version).
#[pg_extern(immutable, parallel_safe)]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    #[pg_test]
    fn version_is_crate_version() {
        let v = Spi::get_one::<String>("select cimiento.version()").unwrap();
        assert_eq!(v.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    }
}

/// Hooks for `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    #[must_use]
    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec!["shared_preload_libraries = 'cimiento'"]
    }
}
