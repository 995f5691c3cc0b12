//! Bulk imports: a spreadsheet becomes an import batch (schema `imports`), validated and then
//! promoted in the background by the target's own rules, as its creator.
//!
//! - [`reader`]: CSV (UTF-8 or Windows-1252, delimiter sniffed) and XLSX, a row at a time.
//! - [`pipeline`]: the database steps, shared by the routes, the worker and the command line.
//! - [`routes`]: `POST /imports` and `GET /imports/{id}/errors.csv`.
//! - [`worker`]: the leased background work, resumable after a crash.
//! - [`command`]: `cimiento-api import FILE --target …` for DBAs, with a progress bar.
pub mod command;
pub mod pipeline;
pub mod reader;
pub mod routes;
pub mod worker;

pub use routes::router;
pub use worker::{spawn, Wake};
