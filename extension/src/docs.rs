//! `COMMENT ON` for every SQL-callable function, so `\df+ cimiento.*` documents itself.
use pgrx::prelude::*;

extension_sql!(
    r#"
GRANT USAGE ON SCHEMA cimiento TO PUBLIC;
COMMENT ON SCHEMA cimiento IS 'Cimiento engine: tenant isolation helpers, gapless numbering, audit chain.';
COMMENT ON FUNCTION cimiento.version() IS 'Version of the installed cimiento library (the crate version). Immutable, parallel safe.';
"#,
    name = "docs",
    finalize
);
