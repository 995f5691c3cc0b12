//! Login throttling: failures per account and attempts per client IP, in fixed windows.
//! (Hand-written rather than a crate: the account rule counts only failures and is reset by
//! a success, which keyed token-bucket crates do not model.)
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
