//! The `cimiento-api` binary: parses the command line and runs it (see the library,
//! `lib.rs`, for the service itself).
#[tokio::main]
async fn main() -> std::process::ExitCode {
    cimiento_api::cli::main().await
}
