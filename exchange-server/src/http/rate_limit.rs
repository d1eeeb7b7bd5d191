//! Rate limits (governor's GCRA): signup and login per client IP and per email, order
//! commands per account. A refused request gets 429 `rate_limited` with `Retry-After`.

use super::error::ApiError;
use exchange_core::AccountId;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;

/// How many requests each limit allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Signup and login attempts per minute, per client IP and per email.
    pub auth_per_minute: NonZeroU32,
    /// Order commands (place, cancel, amend) per second, per account.
    pub orders_per_second: NonZeroU32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            auth_per_minute: NonZeroU32::new(20).expect("20 is not zero"),
            orders_per_second: NonZeroU32::new(1_000).expect("1000 is not zero"),
        }
    }
}

/// The server's limiters.
pub struct RateLimits {
    auth_by_ip: DefaultKeyedRateLimiter<IpAddr>,
    auth_by_email: DefaultKeyedRateLimiter<String>,
    orders_by_account: DefaultKeyedRateLimiter<AccountId>,
    clock: DefaultClock,
}

impl RateLimits {
    /// Limiters with the given quotas; each allows a burst of one period's quota.
    pub fn new(config: RateLimitConfig) -> Self {
        Self {
            auth_by_ip: DefaultKeyedRateLimiter::keyed(Quota::per_minute(config.auth_per_minute)),
            auth_by_email: DefaultKeyedRateLimiter::keyed(Quota::per_minute(
                config.auth_per_minute,
            )),
            orders_by_account: DefaultKeyedRateLimiter::keyed(Quota::per_second(
                config.orders_per_second,
            )),
            clock: DefaultClock::default(),
        }
    }

    /// One signup or login attempt from `ip` for `email` (normalised or not: the raw text
    /// lower-cased, so a malformed email is limited too).
    pub fn auth_attempt(&self, ip: Option<IpAddr>, email: &str) -> Result<(), ApiError> {
        if let Some(ip) = ip {
            self.check(&self.auth_by_ip, &ip)?;
        }
        self.check(&self.auth_by_email, &email.trim().to_lowercase())
    }

    /// One order command by `account`.
    pub fn order(&self, account: AccountId) -> Result<(), ApiError> {
        self.check(&self.orders_by_account, &account)
    }

    /// Forgets keys whose limits have fully recovered, so memory stays bounded.
    pub fn retain_recent(&self) {
        self.auth_by_ip.retain_recent();
        self.auth_by_email.retain_recent();
        self.orders_by_account.retain_recent();
    }

    fn check<K: Hash + Eq + Clone>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: &K,
    ) -> Result<(), ApiError> {
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
        })
    }
}
