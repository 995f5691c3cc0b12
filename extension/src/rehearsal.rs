//! Rehearsals: a statement run for its checks and always undone (`cimiento.rehearse`).
//!
//! A bulk import validates a file by writing its rows through the target's real rules —
//! row security, grants, constraints, the RPC's own checks — and undoing them. Undone
//! writes need no audit row: the rehearsal runs the statement in a subtransaction of its
//! own and rolls it back on every path (passed or refused), so nothing it wrote can ever
//! commit. While a rehearsal runs, the audit trigger ([`active`]) records nothing; every
//! other trigger, constraint and policy applies as usual.
//!
//! The guarantee lives here, not with the caller: the flag is set only between the
//! subtransaction's start and its rollback, and cleared by a guard on every way out.
use std::cell::Cell;
use std::panic::AssertUnwindSafe;

use pgrx::pg_sys::PgTryBuilder;
use pgrx::prelude::*;
use pgrx::AnyElement;

use crate::error::CimientoError;

thread_local! {
    /// How many rehearsals are running in this backend (one may run another's statement).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Whether the current statement runs inside a rehearsal: what it writes will be undone.
pub fn active() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

/// Marks a rehearsal for as long as it lives.
struct Rehearsing;

impl Rehearsing {
    fn enter() -> Self {
        DEPTH.with(|d| d.set(d.get() + 1));
        Rehearsing
    }
}

impl Drop for Rehearsing {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// A subtransaction that is rolled back when dropped, restoring the caller's memory
/// context and resource owner (what PL/pgSQL does around an exception block).
struct UndoneSubtransaction {
    context: pg_sys::MemoryContext,
    owner: pg_sys::ResourceOwner,
}

impl UndoneSubtransaction {
    fn begin() -> Self {
        // SAFETY: called from a SQL function inside a transaction; the memory context and
        // resource owner are restored after the rollback, as PL/pgSQL does.
        unsafe {
            let context = pg_sys::CurrentMemoryContext;
            let owner = pg_sys::CurrentResourceOwner;
            pg_sys::BeginInternalSubTransaction(std::ptr::null());
            pg_sys::MemoryContextSwitchTo(context);
            UndoneSubtransaction { context, owner }
        }
    }
}

impl Drop for UndoneSubtransaction {
    fn drop(&mut self) {
        // SAFETY: the subtransaction begun above is the current one: the statement cannot
        // leave one open (SPI refuses transaction control) and an error inside it has been
        // caught and flushed by the time this runs (PgTryBuilder's finally).
        unsafe {
            pg_sys::RollbackAndReleaseCurrentSubTransaction();
            pg_sys::MemoryContextSwitchTo(self.context);
            pg_sys::CurrentResourceOwner = self.owner;
        }
    }
}

fn run(statement: &str, argument: Option<AnyElement>) -> Result<(), CimientoError> {
    use pgrx::spi::{SpiError, SpiErrorCodes};
    let ran = Spi::connect_mut(|client| {
        match argument {
            // SAFETY: the datum and its type come from the function's own argument.
            Some(a) => client.update(statement, None, &[unsafe { pgrx::datum::DatumWithOid::new(a.datum(), a.oid()) }]),
            None => client.update(statement, None, &[]),
        }
        .map(|_| ())
    });
    ran.map_err(|e| match e {
        SpiError::SpiError(SpiErrorCodes::Transaction) => {
            CimientoError::InvalidParameter("a rehearsed statement cannot commit, roll back or set a savepoint: the rehearsal undoes it".into())
        }
        SpiError::SpiError(SpiErrorCodes::Copy) => CimientoError::InvalidParameter("a rehearsed statement cannot be COPY".into()),
        other => other.into(),
    })
}

/// Runs `statement` (with `argument` as `$1`) as the caller and undoes everything it wrote.
/// Returns when it passed; raises what it raised when it was refused (undone either way).
#[pg_extern(volatile, parallel_unsafe)]
fn rehearse(statement: Option<&str>, argument: Option<AnyElement>) {
    let Some(statement) = statement else {
        CimientoError::InvalidParameter("statement is required".into()).raise()
    };
    let undo = UndoneSubtransaction::begin();
    let rehearsing = Rehearsing::enter();
    let mut guards = Some((rehearsing, undo));
    let outcome = PgTryBuilder::new(AssertUnwindSafe(|| run(statement, argument)))
        .finally(|| {
            // The rehearsal ends before the rollback; both on every path.
            if let Some((rehearsing, undo)) = guards.take() {
                drop(rehearsing);
                drop(undo);
            }
        })
        .execute();
    if let Err(e) = outcome {
        e.raise();
    }
}

extension_sql_file!("rehearsal.sql", name = "rehearsal", requires = [rehearse]);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    fn setup() {
        Spi::run("CREATE TABLE IF NOT EXISTS public.rehearsed (id int PRIMARY KEY, note text NOT NULL)").unwrap();
        Spi::run("TRUNCATE public.rehearsed").unwrap();
    }

    #[pg_test]
    fn a_passing_statement_is_undone() {
        setup();
        Spi::run("SELECT cimiento.rehearse('INSERT INTO public.rehearsed SELECT g, ''x'' FROM unnest($1) g', ARRAY[1, 2, 3])").unwrap();
        assert_eq!(Spi::get_one::<i64>("SELECT count(*) FROM public.rehearsed").unwrap(), Some(0));
        assert!(!super::active());
    }

    #[pg_test]
    fn a_refused_statement_raises_and_is_undone() {
        setup();
        Spi::run(
            "DO $$ BEGIN
               PERFORM cimiento.rehearse('INSERT INTO public.rehearsed VALUES ($1, ''a''), ($1, ''b'')', 7);
               RAISE EXCEPTION 'not refused';
             EXCEPTION WHEN unique_violation THEN NULL;
             END $$",
        )
        .unwrap();
        assert_eq!(Spi::get_one::<i64>("SELECT count(*) FROM public.rehearsed").unwrap(), Some(0));
        assert!(!super::active());
        // The session goes on: the caller's own writes still commit.
        Spi::run("INSERT INTO public.rehearsed VALUES (1, 'kept')").unwrap();
        assert_eq!(Spi::get_one::<i64>("SELECT count(*) FROM public.rehearsed").unwrap(), Some(1));
    }

    #[pg_test]
    fn transaction_control_and_a_missing_statement_are_bad_input() {
        for call in ["cimiento.rehearse('COMMIT', NULL::int)", "cimiento.rehearse('SAVEPOINT s', NULL::int)", "cimiento.rehearse(NULL, NULL::int)"] {
            // Passes only when the call is refused with 22023 (anything else, or no error, fails).
            let refused = Spi::run(&format!(
                "DO $$ BEGIN PERFORM {call}; RAISE EXCEPTION 'not refused'; EXCEPTION WHEN invalid_parameter_value THEN NULL; END $$"
            ));
            assert!(refused.is_ok(), "{call} is refused with 22023");
        }
        assert!(!super::active());
    }

    #[pg_test]
    fn the_callers_writes_before_a_rehearsal_stay() {
        setup();
        Spi::run("INSERT INTO public.rehearsed VALUES (1, 'before')").unwrap();
        Spi::run("SELECT cimiento.rehearse('UPDATE public.rehearsed SET note = $1', 'changed'::text)").unwrap();
        assert_eq!(Spi::get_one::<String>("SELECT note FROM public.rehearsed WHERE id = 1").unwrap().as_deref(), Some("before"));
    }
}
