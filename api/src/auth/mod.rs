//! Sign-in: registration, login (argon2id), RS256 access tokens, refresh rotation, sessions
//! per device, TOTP, and the `AuthUser` extractor every protected route uses.
//!
//! The database stays the authority: users, sessions and refresh tokens are reached only
//! through SECURITY DEFINER functions (`core.auth_*`) callable by `cimiento_api`.
mod extractor;
pub mod network;
mod password;
mod ratelimit;
mod refresh;
mod routes;
mod tokens;
mod totp;

pub use extractor::AuthUser;
pub use password::Hasher;
pub use ratelimit::LoginThrottle;
pub use routes::router;
pub use tokens::AccessClaims;
