//! Sign-in throttling, in fixed windows: attempts per client, failures per account from one
//! client, and a higher ceiling of failures per account from all clients together. A
//! stranger who knows an e-mail therefore locks only themselves out; spreading guesses over
//! many clients still meets the account's ceiling. (Hand-written rather than a crate: the
//! account rules count only failures and a success resets them, which keyed token-bucket
//! crates do not model.)
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::AuthConfig;

/// The sign-in throttle: every password or code check asks it first and reports the outcome.
pub struct LoginThrottle {
    per_client: Limiter,
    per_client_account: Limiter,
    per_account: Limiter,
}

impl LoginThrottle {
    pub fn new(cfg: &AuthConfig) -> Self {
        Self {
            per_client: Limiter::new(cfg.ip_per_minute, Duration::from_secs(60)),
            per_client_account: Limiter::new(cfg.account_max_failures, cfg.account_window),
            per_account: Limiter::new(cfg.account_ceiling, cfg.account_window),
        }
    }

    fn pair(client: &str, account: &str) -> String {
        format!("{client} {account}")
    }

    /// Counts an attempt by `client` (an IP address, or a session for re-authentication) and
    /// says how long to wait if the client, the account from this client, or the account
    /// overall is over its limit.
    pub fn attempt(&self, client: &str, account: Option<&str>) -> Result<(), Duration> {
        self.per_client.hit(client);
        self.per_client.check(client)?;
        if let Some(account) = account {
            self.per_client_account.check(&Self::pair(client, account))?;
            self.per_account.check(account)?;
        }
        Ok(())
    }

    /// A wrong password or code.
    pub fn failed(&self, client: &str, account: &str) {
        self.per_client_account.hit(&Self::pair(client, account));
        self.per_account.hit(account);
    }

    /// The right one: the account's failures are forgotten.
    pub fn succeeded(&self, client: &str, account: &str) {
        self.per_client_account.reset(&Self::pair(client, account));
        self.per_account.reset(account);
    }
}

pub struct Limiter {
    windows: Mutex<HashMap<String, (u32, Instant)>>,
    max: u32,
    window: Duration,
}

impl Limiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self { windows: Mutex::new(HashMap::new()), max, window }
    }

    /// `Err(retry_after)` when the key used up its window.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(key) {
            Some((n, start)) if *n >= self.max && start.elapsed() < self.window => {
                Err(self.window - start.elapsed() + Duration::from_secs(1))
            }
            _ => Ok(()),
        }
    }

    /// Counts one event for the key.
    pub fn hit(&self, key: &str) {
        let mut map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 50_000 {
            let window = self.window;
            map.retain(|_, (_, start)| start.elapsed() < window);
        }
        let entry = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets the key (a successful login clears its failures).
    pub fn reset(&self, key: &str) {
        self.windows.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(per_client: u32, ceiling: u32) -> LoginThrottle {
        LoginThrottle {
            per_client: Limiter::new(1000, Duration::from_secs(60)),
            per_client_account: Limiter::new(per_client, Duration::from_secs(60)),
            per_account: Limiter::new(ceiling, Duration::from_secs(60)),
        }
    }

    #[test]
    fn a_strangers_failures_lock_only_the_stranger() {
        let t = throttle(3, 9);
        for _ in 0..3 {
            assert!(t.attempt("10.0.0.66", Some("acme/ana@x.es")).is_ok());
            t.failed("10.0.0.66", "acme/ana@x.es");
        }
        assert!(t.attempt("10.0.0.66", Some("acme/ana@x.es")).is_err(), "the stranger waits");
        assert!(t.attempt("10.0.0.1", Some("acme/ana@x.es")).is_ok(), "the owner's client does not");
        // Guesses spread over many clients meet the account's ceiling.
        for c in 0..2 {
            for _ in 0..3 {
                t.failed(&format!("10.0.1.{c}"), "acme/ana@x.es");
            }
        }
        assert!(t.attempt("10.0.0.1", Some("acme/ana@x.es")).is_err(), "ceiling reached");
        t.succeeded("10.0.0.1", "acme/ana@x.es");
        assert!(t.attempt("10.0.0.1", Some("acme/ana@x.es")).is_ok());
    }

    #[test]
    fn blocks_after_the_limit_until_the_window_ends() {
        let l = Limiter::new(3, Duration::from_millis(200));
        for _ in 0..3 {
            assert!(l.check("k").is_ok());
            l.hit("k");
        }
        assert!(l.check("k").is_err());
        assert!(l.check("other").is_ok(), "keys are independent");
        std::thread::sleep(Duration::from_millis(220));
        assert!(l.check("k").is_ok(), "the window ends");
        l.hit("k");
        l.reset("k");
        assert!(l.check("k").is_ok());
    }
}
